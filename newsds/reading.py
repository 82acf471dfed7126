"""How raw files are read: the JSON field mapping and the .txt layouts. A dataset sets them
(`newsds.toml`: `[json]`, `[txt] layout`), the readers in `newsds.ingest.parse` obey them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from newsds.errors import NewsdsError

#: `.txt` layouts (`newsds.ingest.parse.txt`, rule 4): the first line is a title when it looks like
#: one, always, or never.
LAYOUTS: tuple[str, ...] = ("auto", "title", "body")


@dataclass(frozen=True)
class FieldMapping:
    """document column -> candidate keys in a record, tried in order; dotted keys reach into nested
    objects ("meta.title")."""

    title: tuple[str, ...]
    text: tuple[str, ...]
    subtitle: tuple[str, ...]
    url: tuple[str, ...]
    published: tuple[str, ...]
    byline: tuple[str, ...]
    language: tuple[str, ...]
    sitename: tuple[str, ...]
    publisher: tuple[str, ...]
    id: tuple[str, ...]  # names the record (its doc_id), not a document column
    # Columns whose number, when a record gives one, is read as its text. Without it a number where the
    # body should be is `wrong_type`: more often a mapped field gone wrong than an article.
    coerce: tuple[str, ...] = ()


DEFAULT_MAPPING = FieldMapping(
    title=("title", "headline"),
    text=("maintext", "text", "article_body", "articleBody", "body", "content"),
    subtitle=("subtitle", "description", "meta_description"),
    url=("url", "link"),
    published=("date_publish", "publish_date", "datePublished", "published", "date"),
    byline=("byline", "authors", "author"),
    language=("language", "meta_lang", "lang"),
    sitename=("site_name", "sitename", "source_domain", "source_url"),
    publisher=("publisher", "source_name", "source"),
    id=("id", "_id", "uuid", "guid"),
)
COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(FieldMapping) if f.name != "coerce")
COERCIBLE = ("text",)


def mapping_from_dict(data: Mapping[str, Any]) -> FieldMapping:
    """A user mapping ({"text": ["story.body"], "title": "hed"}) over the defaults; columns not given
    keep their default keys. Raises NewsdsError naming the valid columns on any mistake."""
    if not isinstance(data, Mapping):
        raise NewsdsError(f'a field mapping must be a JSON object like {{"text": ["body"]}}, not {data!r}')
    unknown = sorted(str(k) for k in data if k not in (*COLUMNS, "coerce"))
    if unknown:
        raise NewsdsError(
            f"unknown mapping column(s): {', '.join(unknown)}; valid columns are: {', '.join(COLUMNS)} "
            "(and 'coerce', the columns whose numbers are read as text)"
        )
    changes: dict[str, tuple[str, ...]] = {}
    coerce = data.get("coerce", ())
    coerce = (coerce,) if isinstance(coerce, str) else coerce
    if not isinstance(coerce, list | tuple) or not all(c in COERCIBLE for c in coerce):
        raise NewsdsError(
            f"mapping 'coerce' must list columns whose numbers are read as text, from: "
            f"{', '.join(COERCIBLE)}; not {data.get('coerce')!r}"
        )
    changes["coerce"] = tuple(coerce)
    for column, value in data.items():
        if column == "coerce":
            continue
        keys = (value,) if isinstance(value, str) else value
        if not isinstance(keys, list | tuple) or not all(isinstance(k, str) and k for k in keys):
            raise NewsdsError(
                f"mapping column {column!r} must be a key or a list of keys (non-empty strings), "
                f"not {value!r}"
            )
        if column == "text" and not keys:
            raise NewsdsError("mapping column 'text' needs at least one key: every document needs a body")
        changes[column] = tuple(keys)
    return replace(DEFAULT_MAPPING, **changes)


def load_mapping(path: str | Path) -> FieldMapping:
    """Read a mapping file: a JSON object as taken by `mapping_from_dict`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise NewsdsError(f"cannot read mapping file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise NewsdsError(f"mapping file {path} is not UTF-8; re-save it as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise NewsdsError(
            f"mapping file {path} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
            'it must be an object like {"text": ["body"], "title": "headline"}'
        ) from exc
    return mapping_from_dict(data)
