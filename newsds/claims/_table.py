"""Claims of one text (`extract_claims`) and of a whole documents table (`claims_table`).

Why a module of its own: this is where an extractor is chosen (the learned model by default, the rules on
request), where floating quotations join the claims, and where each row gets its stable ID.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import polars as pl

from newsds.claims._claim import CLAIM_COLUMNS, CLAIMS_SCHEMA, Claim, claim_rows, claims_frame
from newsds.claims._extract import RULESET_VERSION, rule_claims
from newsds.claims._floating import floating_quotes
from newsds.claims._model import model_claims, read_model, shipped_model
from newsds.claims._quotes import QuoteState
from newsds.defaults import DEFAULT_EXTRACTOR
from newsds.errors import NewsdsError
from newsds.ids import claim_id
from newsds.sentences import split_sentences
from newsds.vocabulary import CLAIM_LANGUAGES as LANGUAGES

Extractor = Callable[[str, Sequence[tuple[int, int]], QuoteState], list[Claim]]
EXTRACTORS: dict[str, Extractor] = {"model": model_claims, "rules": rule_claims}


def extractor_lineage(name: str) -> str:
    """What the manifest records of an extractor: the model's version and weights' sha256, or the rules'."""
    if check_extractor(name) == "rules":
        return RULESET_VERSION
    model = read_model(Path(name)) if name not in EXTRACTORS else shipped_model()
    weights = ", ".join(f"{file} sha256:{digest}" for file, digest in sorted(model.meta["weights"].items()))
    return f"{model.name} ({weights}; features {RULESET_VERSION})"


def check_extractor(name: str) -> str:
    """The name itself, when it names an extractor or a model folder (`newsds train claims --out`); else an
    error that lists the choices."""
    if name in EXTRACTORS:
        return name
    if Path(name).is_dir():
        read_model(Path(name))  # says what is missing when it is not a model folder
        return name
    raise NewsdsError(
        f"unknown claims extractor {name!r}; choose one of: {', '.join(EXTRACTORS)}, "
        "or the folder of a model trained with `newsds train claims`"
    )


def _extractor(name: str) -> Extractor:
    if check_extractor(name) in EXTRACTORS:
        return EXTRACTORS[name]
    return partial(model_claims, folder=Path(name))


def _claims(text: str, sentences: Sequence[tuple[int, int]], extract: Extractor) -> list[tuple[object, ...]]:
    quotes = QuoteState(text)
    found = extract(text, sentences, quotes)
    return claim_rows(text, found + floating_quotes(text, sentences, quotes, found))


def extract_claims(
    text: str, sentences: Sequence[tuple[int, int]] | None = None, extractor: str = DEFAULT_EXTRACTOR
) -> pl.DataFrame:
    """All attributions in one text; `sentences` defaults to split_sentences(text)."""
    spans = split_sentences(text) if sentences is None else sentences
    return claims_frame(_claims(text, spans, _extractor(extractor)))


def claims_table(
    documents: pl.DataFrame, sentences: pl.DataFrame, extractor: str = DEFAULT_EXTRACTOR
) -> pl.DataFrame:
    """One row per claim of every English document (columns as CLAIMS_SCHEMA), in document then text
    order. Documents in other languages get none: the extractors are valid for English only.

    The rows of all documents go into one frame at the end: a frame per document costs more than the
    extraction itself on short articles."""
    extract = _extractor(extractor)
    by_doc: dict[str, list[tuple[int, int, int, str]]] = {}
    for sent_id, doc_id, index, start, end in sentences.select(
        "sent_id", "doc_id", "index", "start", "end"
    ).iter_rows():
        by_doc.setdefault(doc_id, []).append((index, start, end, sent_id))
    rows: list[tuple[object, ...]] = []
    english = documents.filter(pl.col("language").is_in(LANGUAGES))
    for doc_id, text in english.select("doc_id", "text").iter_rows():
        sents = sorted(by_doc.get(doc_id, []))
        for row in _claims(text or "", [(s, e) for _, s, e, _ in sents], extract):
            index, *columns, group = row
            identity = claim_id(doc_id, _ranges(row[_CUE_SPANS]), _ranges(row[_CONTENT_SPANS]))
            sent_id = sents[int(index)][3]  # type: ignore[call-overload]
            rows.append((identity, doc_id, sent_id, *columns, group and f"{doc_id}-{group}"))
    return pl.DataFrame(rows, schema=CLAIMS_SCHEMA, orient="row")


_CUE_SPANS, _CONTENT_SPANS = (list(CLAIM_COLUMNS).index(c) for c in ("cue_spans", "content_spans"))


def _ranges(spans: object) -> list[tuple[int, int]]:
    """A row's range list ([{start, end}, ...]) as (start, end) pairs."""
    return [(r["start"], r["end"]) for r in spans]  # type: ignore[attr-defined]
