"""No gold text in the code: a splitter (or any module) that quotes evaluation gold is fitted to it.

Why: a rule written around a gold sentence scores on that gold and nowhere else, and the score then
says nothing about unseen text; a test that spells gold out pins the code to that gold the same way. A
module of the package or of the tests fails here when any run of six consecutive words of any gold file's
text appears in its source (comments, docstrings and test examples included). Words are `\\w+` runs,
lower-cased, on both sides, so punctuation, line breaks and string concatenation do not hide a quote.

The gold folder is `../shared/gold` beside the repository (or `$NEWSDS_GOLD`); these tests are skipped
only when that folder is absent. Within it every gold file listed in `GOLD_FILES` must be present.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RUN = 6  # words in a run that counts as a quote

# Gold file (relative to the gold folder) -> the keys of its JSONL records that hold gold text. Raw page
# HTML (`html`) is the systems' input, not gold text, and is not read.
GOLD_FILES: dict[str, tuple[str, ...]] = {
    "sentences/gum_news.jsonl": ("title", "text"),
    "attribution/polnear_dev.jsonl": ("title", "text"),
    "attribution/polnear_train.jsonl": ("title", "text"),
    "html/aeb_dev.jsonl": ("article_body",),
    "html/newspaper4k.jsonl": ("title", "article_body"),
}

# The sentence splitter: these must always be clean, and can never be excluded below.
SPLITTER = ("newsds/sentences/rules.py", "newsds/sentences/__init__.py")

# Every module of the package and of the tests is scanned (test examples must be made up too: the raw files
# under data/ may be read, not copied in); extend this list with any other source to scan.
SCANNED: list[str] = sorted(
    {
        *SPLITTER,
        *(
            p.relative_to(REPO).as_posix()
            for folder in ("newsds", "tests")
            for p in (REPO / folder).rglob("*.py")
        ),
    }
)

# Modules known to quote gold text, excluded until their owners rewrite the quotes with made-up examples;
# then delete the entry: `test_exclusions_are_still_needed` fails as soon as an excluded module is clean.
NOT_YET_CLEAN: set[str] = set()

_WORD = re.compile(r"\w+")


def gold_folder() -> Path:
    """`$NEWSDS_GOLD`, or ../shared/gold; a relative path is taken from the repository root."""
    folder = Path(os.environ.get("NEWSDS_GOLD") or "../shared/gold")
    return folder if folder.is_absolute() else (REPO / folder).resolve()


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def runs(tokens: list[str], n: int = RUN) -> Iterator[tuple[str, ...]]:
    """Every run of `n` consecutive tokens."""
    return zip(*(tokens[i:] for i in range(n)), strict=False)


def gold_texts(folder: Path) -> Iterator[str]:
    """The text fields of every record of every gold file."""
    for name, keys in GOLD_FILES.items():
        path = folder / name
        if not path.is_file():
            raise AssertionError(f"gold folder {folder} has no {name}: every file of GOLD_FILES is scanned")
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    record = json.loads(line)
                    yield from (record[k] for k in keys if isinstance(record.get(k), str))


STOCK = 3  # a run found in this many gold records is a stock phrase of news English, not a quote


def gold_run_hashes(texts: Iterable[str], n: int = RUN) -> set[int]:
    """Hashes of every run of `n` words of the texts that names one text (a set of ints: fast to build and
    to probe). Runs in STOCK or more texts ("did not immediately respond to a request for comment", an
    agency's reprint notice) are left out: writing one is no copy of an example."""
    seen: dict[int, int] = {}
    for text in texts:
        for key in set(map(hash, runs(words(text), n))):
            seen[key] = seen.get(key, 0) + 1
    return {key for key, count in seen.items() if count < STOCK}


def quotes(source: str, gold: set[int], n: int = RUN) -> list[tuple[int, str]]:
    """(line number, run) of every `n`-word run of `source` found in `gold`, overlapping runs merged."""
    matches = list(_WORD.finditer(source))
    tokens = [m.group().lower() for m in matches]
    found: list[tuple[int, int]] = []  # [first word, last word] of merged runs
    for i, run in enumerate(runs(tokens, n)):
        if hash(run) in gold:  # a hash collision only costs a false report, never a missed quote
            if found and i <= found[-1][1]:
                found[-1] = (found[-1][0], i + n - 1)
            else:
                found.append((i, i + n - 1))
    return [(source.count("\n", 0, matches[a].start()) + 1, " ".join(tokens[a : b + 1])) for a, b in found]


@cache
def _gold() -> set[int]:
    folder = gold_folder()
    if not folder.is_dir():
        pytest.skip(f"gold folder {folder} is absent (set NEWSDS_GOLD to scan the code against the gold)")
    return gold_run_hashes(gold_texts(folder))


def _report(path: str, found: list[tuple[int, str]]) -> str:
    return f"{path} quotes gold text:\n" + "\n".join(f"  line {line}: {run!r}" for line, run in found)


@pytest.mark.parametrize("path", [p for p in SCANNED if p not in NOT_YET_CLEAN])
def test_source_quotes_no_gold_text(path: str) -> None:
    found = quotes((REPO / path).read_text(encoding="utf-8"), _gold())
    assert not found, _report(path, found)


def test_exclusions_are_still_needed() -> None:
    """Every excluded module exists, is not the splitter, and still quotes gold (else drop the entry)."""
    assert not NOT_YET_CLEAN & set(SPLITTER), "the splitter's files cannot be excluded"
    gold = _gold()
    for path in sorted(NOT_YET_CLEAN):
        assert (REPO / path).is_file(), f"{path} in NOT_YET_CLEAN does not exist"
        assert quotes((REPO / path).read_text(encoding="utf-8"), gold), f"{path} is clean: drop it"


def test_the_scanner_finds_quotes_across_punctuation_case_and_lines() -> None:
    """The checker itself, on made-up text: no gold folder needed."""
    gold = gold_run_hashes(["The quick brown fox jumps over the lazy dog near the old river bank."])
    source = 'X = 1\n# as in "the Quick brown\n# fox, jumps-over" the LAZY dog\nY = "five words only here"\n'
    assert quotes(source, gold) == [(2, "the quick brown fox jumps over the lazy dog")]
    assert quotes("quick brown fox jumps over", gold) == []  # five words are not a quote
    assert quotes("the quick brown fox jumps under the lazy dog", gold) == []


def test_a_stock_phrase_of_many_records_is_no_quote() -> None:
    stock = "did not immediately respond to a request for comment"
    texts = [f"The mayor {stock} on Monday.", f"The firm {stock} late.", f"Police {stock} at all."]
    unique = "the river pilot counted eleven herons near the weir"
    gold = gold_run_hashes([*texts, f"Once, {unique}."])
    assert quotes(f"# {stock}", gold) == []
    assert [line for line, _ in quotes(f"x = 1\n# {unique}", gold)] == [2]
