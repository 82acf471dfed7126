"""Standard metadata for a release: a Frictionless Data Package and an MLCommons Croissant description.

Why: manifest.json is newsds's own format. `datapackage.json` (Data Package v2) and `croissant.json`
(Croissant 1.0) describe the same Parquet tables in the two formats generic tools read, so catalogues,
`frictionless validate` and `mlcroissant` can check and load a release without knowing newsds. Both are
derived from the pandera models (types and constraints) and the manifest (sizes and checksums), so they
cannot drift from the tables; like the manifest they hold nothing from the clock or the machine, and every
path is relative to the release folder. The dataset's own metadata (name, title, licence, authors, homepage,
release date, citation, sources) comes from the manifest's `dataset` entry
(`newsds.release.datacard.dataset_info`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from polars.datatypes import DataTypeClass

from newsds.release.datacard import (
    cite_as,
    dataset_info,
    licence_ids,
    listed,
    orcid_url,
    spdx_url,
    stated_licence,
)
from newsds.release.manifest import INPUT_COLUMNS, INPUTS_FILE
from newsds.schemas import SCHEMAS, TABLES

Frame = pl.DataFrame | pl.LazyFrame  # tables, eager or scanned from the written files

PRIMARY_KEYS = {
    "documents": "doc_id",
    "sentences": "sent_id",
    "claims": "claim_id",
    "claim_annotations": "annotation_id",
}
# (table, column) -> (referenced table, column); a null value (rejected.duplicate_of) references nothing.
FOREIGN_KEYS = {
    ("sentences", "doc_id"): ("documents", "doc_id"),
    ("claims", "doc_id"): ("documents", "doc_id"),
    ("claims", "sent_id"): ("sentences", "sent_id"),
    ("rejected", "duplicate_of"): ("documents", "doc_id"),
    ("annotated_documents", "doc_id"): ("documents", "doc_id"),
    ("claim_annotations", "doc_id"): ("documents", "doc_id"),
    ("claim_annotations", "claim_id"): ("claims", "claim_id"),
}
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
CROISSANT_1_0 = "http://mlcommons.org/croissant/1.0"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"  # IANA-registered; Croissant uses its own below
CROISSANT_PARQUET = "application/x-parquet"
DESCRIPTION = (
    "News articles turned into linked tables: documents (clean article text and metadata), sentences "
    "(character offsets into the document text) and claims (attributions: who, through which reporting "
    "cue, claims what, with stance and kind); inputs that could not become a document are in rejected, "
    "with a reason code. Spans are half-open [start, end) Python string indices into documents.text."
)
# The standard Croissant 1.0 JSON-LD context (as the spec and mlcroissant write it).
CROISSANT_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def _table_schema_type(dtype: pl.DataType) -> str:
    """Table Schema type of a Polars dtype."""
    if dtype.is_integer():
        return "integer"
    if dtype.is_float():
        return "number"
    if dtype.is_nested():
        return "any"  # frictionless reads Parquet lists as NumPy arrays, which its "array" type rejects
    names = ((pl.String, "string"), (pl.Boolean, "boolean"), (pl.Date, "date"), (pl.Datetime, "datetime"))
    for polars_type, name in names:
        if dtype.base_type() is polars_type:
            return name
    raise ValueError(f"no Table Schema type for Polars dtype {dtype}")


def _croissant_type(dtype: pl.DataType | DataTypeClass) -> str:
    """schema.org data type of a Polars dtype, for a Croissant field."""
    if dtype.is_integer():
        return "sc:Integer"
    if dtype.is_float():
        return "sc:Float"
    names = ((pl.Boolean, "sc:Boolean"), (pl.Date, "sc:Date"), (pl.Datetime, "sc:DateTime"))
    return next((name for polars_type, name in names if dtype.base_type() is polars_type), "sc:Text")


def _croissant_field(table: str, column: str, dtype: pl.DataType) -> dict[str, Any]:
    """A Croissant field read from a Parquet column; a list of structs is a repeated field whose
    sub-fields pick each struct member with a JSON path."""
    field: dict[str, Any] = {"@type": "cr:Field", "@id": f"{table}/{column}", "name": column}
    source = {"fileObject": {"@id": f"{table}.parquet"}, "extract": {"column": column}}
    if isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct):
        field["repeated"] = True
        field["subField"] = [
            {
                "@type": "cr:Field",
                "@id": f"{table}/{column}/{member.name}",
                "name": member.name,
                "dataType": _croissant_type(member.dtype),
                "source": {**source, "transform": {"jsonPath": member.name}},
            }
            for member in dtype.inner.fields
        ]
        return field
    if isinstance(dtype, pl.List):
        field["repeated"] = True
    field |= {"dataType": _croissant_type(getattr(dtype, "inner", dtype)), "source": source}
    # mlcroissant joins on a reference, and its join fails on an all-null column: only required ones.
    if (table, column) in FOREIGN_KEYS and not SCHEMAS[table].to_schema().columns[column].nullable:
        field["references"] = {"field": {"@id": "/".join(FOREIGN_KEYS[table, column])}}
    return field


def _constraints(table: str, column: str) -> dict[str, Any]:
    """Table Schema constraints of a column, from its pandera checks (the cheap ones)."""
    spec = SCHEMAS[table].to_schema().columns[column]
    out: dict[str, Any] = {}
    if not spec.nullable:
        out["required"] = True
    if spec.unique:
        out["unique"] = True
    for check in spec.checks:
        stats = check.statistics
        if check.name == "isin":
            out["enum"] = list(stats["allowed_values"])
        elif check.name == "str_matches":
            out["pattern"] = stats["pattern"].removeprefix("^").removesuffix("$")  # patterns are anchored
        elif check.name == "greater_than_or_equal_to":
            out["minimum"] = stats["min_value"]
        elif check.name == "str_length" and stats.get("min_value") is not None:
            out["minLength"] = stats["min_value"]
    return out


def _field(table: str, name: str, dtype: pl.DataType) -> dict[str, Any]:
    """A Table Schema field; a nullable integer also lists "nan" as missing (frictionless reads Parquet
    through pandas, which turns the nulls of an integer column into NaN)."""
    field: dict[str, Any] = {"name": name, "type": _table_schema_type(dtype)}
    if constraints := _constraints(table, name):
        field["constraints"] = constraints
    if field["type"] == "any":
        field["description"] = f"Polars type {dtype}"
    if dtype.is_integer() and "required" not in field.get("constraints", {}):
        field["missingValues"] = ["", "nan"]
    return field


def _description(table: str) -> str:
    return " ".join((SCHEMAS[table].__doc__ or "").split())


def _licence_note(documents: Frame) -> str:
    """The honest licence statement: the documents' licences differ by source, so name them all."""
    column = documents.lazy().select(pl.col("licence").fill_null("unknown").unique().sort()).collect()
    licences = column["licence"].to_list()
    return (
        f"Various, per document (column documents.licence): {'; '.join(licences) or 'none'}. "
        "Each document's source URL is in documents.url; see README.md, Sources and licences."
    )


def _licences(manifest: Mapping[str, Any], documents: Frame) -> list[dict[str, Any]]:
    """Data Package licences: each id of the dataset's licence expression with its SPDX page; when none
    is stated, the per-document licences."""
    licence = stated_licence(dataset_info(manifest))
    if licence is None:
        return [{"title": _licence_note(documents), "path": "README.md"}]
    ids = licence_ids(licence)
    entries = []
    for licence_id in ids:
        entry = {"name": licence_id, "path": spdx_url(licence_id) if listed(licence_id) else "README.md"}
        if len(ids) > 1:
            entry["title"] = f"{licence} (SPDX licence expression)"
        entries.append(entry)
    return entries


def _contributors(info: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Data Package v2 contributors: the dataset's authors."""
    out = []
    for author in info["authors"]:
        entry: dict[str, Any] = {"title": author["name"], "roles": ["author"]}
        if author["email"]:
            entry["email"] = author["email"]
        if author["affiliation"]:
            entry["organization"] = author["affiliation"]
        if author["orcid"]:
            entry["path"] = orcid_url(author["orcid"])
        out.append(entry)
    return out


def _source_title(source: Mapping[str, Any]) -> str:
    """A source's title: `Wikinews contributors (files wikinews_*; licence CC-BY-2.5)`, or without an
    attribution `files wikinews_* (licence CC-BY-2.5)`."""
    files, licence = f"files {source['match']}", f"licence {source['licence'] or 'not stated'}"
    return (
        f"{source['attribution']} ({files}; {licence})" if source["attribution"] else f"{files} ({licence})"
    )


INPUTS = INPUTS_FILE.removesuffix(".parquet")  # its resource and record set
INPUTS_DESCRIPTION = (
    "One row per raw input file, in input order: its path relative to the raw folder, sha256, size and how "
    "many inputs it holds (JSON/JSONL: one per record; null counts as one). Inputs = documents + rejected."
)
_INPUT_CONSTRAINTS: dict[str, dict[str, Any]] = {  # as the build's raw table (RawFileSchema) checks them
    "path": {"unique": True},
    "sha256": {"pattern": "[0-9a-f]{64}"},
    "bytes": {"minimum": 0},
    "records": {"minimum": 1},
}


def _input_field(name: str, kind: str, required: bool, what: str) -> dict[str, Any]:
    """A Table Schema field of inputs.parquet (it has no pandera model: its columns are INPUT_COLUMNS)."""
    constraints = ({"required": True} if required else {}) | _INPUT_CONSTRAINTS.get(name, {})
    field: dict[str, Any] = {"name": name, "type": kind, "description": what}
    if constraints:
        field["constraints"] = constraints
    if kind == "integer" and not required:
        field["missingValues"] = ["", "nan"]  # pandas reads a null integer as NaN (as in `_field`)
    return field


def _inputs_resource(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The Data Package resource of inputs.parquet, when the release has one (manifest format 3 on)."""
    if INPUTS_FILE not in manifest["files"]:
        return []
    return [
        {
            "name": INPUTS,
            "type": "table",
            "path": INPUTS_FILE,
            "format": "parquet",
            "mediatype": PARQUET_MEDIATYPE,
            "hash": f"sha256:{manifest['files'][INPUTS_FILE]['sha256']}",
            "description": INPUTS_DESCRIPTION,
            "schema": {"fields": [_input_field(*column) for column in INPUT_COLUMNS], "primaryKey": ["path"]},
        }
    ]


def _inputs_croissant(manifest: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """inputs.parquet's Croissant FileObject and RecordSet (none for a release without it)."""
    if INPUTS_FILE not in manifest["files"]:
        return [], []
    entry = manifest["files"][INPUTS_FILE]
    file = {
        "@type": "cr:FileObject",
        "@id": INPUTS_FILE,
        "name": INPUTS_FILE,
        "contentUrl": INPUTS_FILE,
        "contentSize": f"{entry['bytes']} B",
        "encodingFormat": CROISSANT_PARQUET,
        "sha256": entry["sha256"],
    }
    types = {"string": "sc:Text", "integer": "sc:Integer"}
    fields = [
        {
            "@type": "cr:Field",
            "@id": f"{INPUTS}/{name}",
            "name": name,
            "description": what,
            "dataType": types[kind],
            "source": {"fileObject": {"@id": INPUTS_FILE}, "extract": {"column": name}},
        }
        for name, kind, _, what in INPUT_COLUMNS
    ]
    record_set = {
        "@type": "cr:RecordSet",
        "@id": INPUTS,
        "name": INPUTS,
        "description": INPUTS_DESCRIPTION,
        "field": fields,
        "key": {"@id": f"{INPUTS}/path"},
    }
    return [file], [record_set]


def _check(manifest: Mapping[str, Any], tables: Mapping[str, Frame]) -> None:
    """Fail early, naming the table, when the manifest or the tables lack one."""
    for table in TABLES:
        if f"{table}.parquet" not in manifest["files"] or table not in tables:
            raise ValueError(f"the manifest and the tables must both have {table}")


def datapackage(manifest: Mapping[str, Any], tables: Mapping[str, Frame]) -> dict[str, Any]:
    """A Frictionless Data Package (v2) describing the release's Parquet tables, keys and licences."""
    _check(manifest, tables)
    resources = []
    for table in TABLES:
        file = f"{table}.parquet"
        fields = [_field(table, name, dtype) for name, dtype in tables[table].lazy().collect_schema().items()]
        schema: dict[str, Any] = {"fields": fields}
        if table in PRIMARY_KEYS:
            schema["primaryKey"] = [PRIMARY_KEYS[table]]
        if unique := SCHEMAS[table].to_schema().unique:
            schema["uniqueKeys"] = [list(unique)]
        foreign = [
            {"fields": [column], "reference": {"resource": ref_table, "fields": [ref_column]}}
            for (source, column), (ref_table, ref_column) in FOREIGN_KEYS.items()
            if source == table
        ]
        if foreign:
            schema["foreignKeys"] = foreign
        entry = manifest["files"][file]
        resources.append(
            {
                "name": table,
                "type": "table",
                "path": file,
                "format": "parquet",
                "mediatype": PARQUET_MEDIATYPE,
                # no "bytes": frictionless cannot count a Parquet file's bytes (it reads it through
                # pyarrow) and would fail every resource; the size is in manifest.json.
                "hash": f"sha256:{entry['sha256']}",
                "description": _description(table),
                "schema": schema,
            }
        )
    info = dataset_info(manifest)
    package: dict[str, Any] = {
        "$schema": DATAPACKAGE_PROFILE,
        "name": info["name"],
        "title": info["title"],
        "version": manifest["version"],
        "description": info["description"] or DESCRIPTION,
        "keywords": ["news", "sentences", "claims", "attribution", "quotations"],
        "licenses": _licences(manifest, tables["documents"]),
        "resources": resources + _inputs_resource(manifest),
    }
    if contributors := _contributors(info):
        package["contributors"] = contributors
    if info["homepage"]:
        package["homepage"] = info["homepage"]
    if info["released"]:  # a date; Data Package wants an RFC 3339 date-time
        package["created"] = f"{info['released']}T00:00:00Z"
    sources = [
        {"title": _source_title(source), **({"path": source["url"]} if source["url"] else {})}
        for source in info["sources"]
    ]
    if sources:
        package["sources"] = sources
    return package


def croissant(manifest: Mapping[str, Any], tables: Mapping[str, Frame]) -> dict[str, Any]:
    """An MLCommons Croissant 1.0 description: one FileObject and one RecordSet per Parquet table."""
    _check(manifest, tables)
    info = dataset_info(manifest)
    distribution = [
        {
            "@type": "cr:FileObject",
            "@id": f"{table}.parquet",
            "name": f"{table}.parquet",
            "contentUrl": f"{table}.parquet",
            "contentSize": f"{manifest['files'][f'{table}.parquet']['bytes']} B",
            "encodingFormat": CROISSANT_PARQUET,
            "sha256": manifest["files"][f"{table}.parquet"]["sha256"],
        }
        for table in TABLES
    ]
    input_file, input_records = _inputs_croissant(manifest)
    record_sets = []
    for table in TABLES:
        fields = [
            _croissant_field(table, column, dtype)
            for column, dtype in tables[table].lazy().collect_schema().items()
        ]
        record_set: dict[str, Any] = {
            "@type": "cr:RecordSet",
            "@id": table,
            "name": table,
            "description": _description(table),
            "field": fields,
        }
        if table in PRIMARY_KEYS:
            record_set["key"] = {"@id": f"{table}/{PRIMARY_KEYS[table]}"}
        record_sets.append(record_set)
    licence = stated_licence(info)
    urls = [spdx_url(i) if listed(i) else i for i in licence_ids(licence)] if licence else []
    description: dict[str, Any] = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT_1_0,
        "name": info["name"],
        "description": info["description"] or DESCRIPTION,
        "version": manifest["version"],
        "license": (urls[0] if len(urls) == 1 else urls) if urls else _licence_note(tables["documents"]),
        "url": info["homepage"] or "README.md",  # required by Croissant: without a homepage, the card
        "citeAs": cite_as(manifest),
        "distribution": distribution + input_file,
        "recordSet": record_sets + input_records,
    }
    if info["released"]:
        description["datePublished"] = info["released"]
    if info["languages"]:
        description["inLanguage"] = info["languages"]
    creators = [_creator(author) for author in info["authors"]]
    if creators:
        description["creator"] = creators
    return description


def _creator(author: Mapping[str, Any]) -> dict[str, Any]:
    """A Croissant creator (schema.org Person): name, email, and the ORCID iD as its url."""
    person: dict[str, Any] = {"@type": "sc:Person", "name": author["name"]}
    if author["email"]:
        person["email"] = author["email"]
    if author["orcid"]:
        person["url"] = orcid_url(author["orcid"])
    return person
