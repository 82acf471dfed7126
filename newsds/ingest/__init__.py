"""Reading a raw folder into documents: listing and reading the files (`files`), their formats and the
furniture around the article (`parse`: plain text, web pages, JSON/JSONL), and dropping duplicates
(`dedupe`). Decoding and normalisation are core (`newsds.textnorm`)."""

from newsds.defaults import DEFAULT_MAX_BYTES
from newsds.ingest.files import list_raw_files, read_raw
from newsds.ingest.parse import parse_bytes, parse_file, parse_records

__all__ = ["DEFAULT_MAX_BYTES", "list_raw_files", "parse_bytes", "parse_file", "parse_records", "read_raw"]
