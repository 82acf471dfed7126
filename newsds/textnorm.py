"""Decode raw bytes and normalise text the same way everywhere, before any offset is taken."""

from __future__ import annotations

import codecs
import re
import unicodedata

from newsds.errors import ParseError

# C0/C1 control characters except tab and newline; DEL too. Removed, not replaced, so that
# offsets are taken on the cleaned text only.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BINARY_SNIFF = 8192


def decode(data: bytes) -> tuple[str, str]:
    """Decode raw file bytes; return (text, encoding name). Raise ParseError with a reason code.

    UTF-8 (with or without a BOM) and BOM-marked UTF-16/32 are accepted. Anything else is
    rejected as `undecodable` rather than guessed, so no text is silently garbled.
    """
    if not data:
        raise ParseError("empty", "the file is empty (0 bytes); remove it or add the article text")
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise ParseError(
                    "undecodable",
                    f"the file starts with a {name} byte-order mark but is not valid {name}: {exc}",
                ) from exc
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise ParseError(
            "binary",
            "the file holds NUL bytes and looks binary, not text; raw inputs must be text, HTML or JSON",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        raise ParseError(
            "undecodable",
            f"the file is not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 4]!r}); "
            "re-save it as UTF-8",
        ) from exc


def normalize(text: str) -> str:
    """Unify line endings, compose to NFC and drop control characters (keeping tab and newline)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = unicodedata.normalize("NFC", text)
    return _CONTROL.sub("", text)
