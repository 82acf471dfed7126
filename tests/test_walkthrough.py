"""The README's "Build a dataset from your own articles" runs as written, in a fresh folder.

The block is read from README.md and run by bash with the installed `newsds` command, with a few articles
in `~/articles` (HOME is a temporary folder): a body-only text file, a titled text file and a two-record
JSONL crawl. Then the checks a user would make by eye: nothing rejected, the body-only file kept whole, and
the diff after appending one record shows one added document and nothing removed or changed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BODY_ONLY = (
    "The federal government says it will spend an extra forty million dollars on rural health services over "
    "the next four years, with the money going to towns that have lost their local doctor. The Health "
    "Minister said the plan would bring relief to communities that have waited years for help."
)
TITLED = """Council approves new bridge

The city council voted on Tuesday to build a second bridge over the river.

The mayor said the project would cut travel times by a third, but opponents said the cost was too high.
"""
CRAWL = [
    {"id": "n1", "url": "https://example.org/news/1", "title": "Storm closes schools",
     "text": "Schools across the region were closed on Friday after a storm brought down power lines."},
    {"id": "n2", "url": "https://example.org/news/2", "title": "Port strike ends",
     "text": "Dock workers returned to work on Monday, ending a strike that lasted nine days."},
]  # fmt: skip


def walkthrough() -> str:
    """The bash block under the README's walkthrough heading."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Build a dataset from your own articles", 1)[1]
    match = re.search(r"```bash\n(.*?)```", section, re.S)
    assert match, "the README's walkthrough has no bash block"
    return match.group(1)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    articles = tmp_path / "home" / "articles"
    articles.mkdir(parents=True)
    (articles / "abc_health.txt").write_text(BODY_ONLY + "\n", encoding="utf-8")
    (articles / "bridge.txt").write_text(TITLED, encoding="utf-8")
    (articles / "crawl.jsonl").write_text("".join(json.dumps(r) + "\n" for r in CRAWL), encoding="utf-8")
    return tmp_path / "home"


def test_readme_walkthrough_runs_as_written(tmp_path: Path, home: Path) -> None:
    newsds = shutil.which("newsds") or str(Path(sys.executable).parent / "newsds")
    assert Path(newsds).exists(), "the walkthrough needs the installed `newsds` command (pip install -e .)"
    bin_dir = str(Path(newsds).parent)
    python_dir = str(Path(sys.executable).parent)
    # `pip install newsds` is the reader's install step; here the package is installed already.
    script = walkthrough().replace("pip install newsds", "true")
    work = tmp_path / "work"
    work.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": os.pathsep.join([bin_dir, python_dir, os.environ.get("PATH", "")]),
    }
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout

    dataset = work / "my-news"
    assert (dataset / "newsds.toml").is_file()
    first = dataset / "processed" / "0.1.0"
    second = dataset / "processed" / "0.2.0"
    assert (first / "manifest.json").is_file() and (second / "manifest.json").is_file()
    # every input became a document: the body-only file too, whole
    assert pl.read_parquet(first / "rejected.parquet").height == 0
    documents = pl.read_parquet(first / "documents.parquet")
    assert documents.height == 4
    body_only = documents.filter(pl.col("source_path") == "abc_health.txt").row(0, named=True)
    assert body_only["text"] == BODY_ONLY and body_only["title"] is None
    titled = documents.filter(pl.col("source_path") == "bridge.txt").row(0, named=True)
    assert titled["title"] == "Council approves new bridge"
    assert titled["text"].startswith("The city council voted")
    # the printed table came from newsds.load() run inside the dataset
    assert "doc_id" in out and "publisher" in out
    # the diff after appending one JSONL record: one document added, none removed or changed
    tables = json.loads((second / "CHANGES.json").read_text(encoding="utf-8"))["tables"]
    docs, sentences = tables["documents"], tables["sentences"]
    assert (docs["added"], docs["removed"], docs["changed"]) == (1, 0, 0), docs
    assert sentences["added"] >= 1 and (sentences["removed"], sentences["changed"]) == (0, 0)
    assert (tables["claims"]["removed"], tables["claims"]["changed"]) == (0, 0)
    assert tables["claims"]["added"] >= 1  # "The mayor said ... that the bridge will reopen"
    assert "documents" in out and "added" in out  # `newsds diff` printed its summary
    manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["name"] == "my-news" and manifest["dataset"]["name"] == "my-news"
