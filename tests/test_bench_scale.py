"""The scale benchmark's corpus generator: seeded bytes, the promised format mix, distinct documents.

The figures themselves are printed by `nox -s bench`, never asserted (the machine is noisy); what
is tested is that the corpus they are measured on is what the bench says it is.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from conftest import RAW

import newsds
from newsds.bench import scale as bench_scale
from newsds.bench.scale import MIB, MIX, RECORDS_PER_JSONL, Material
from newsds.ingest.parse import parse_records


@pytest.fixture(scope="module")
def material() -> Material:
    return bench_scale.load_material(RAW)


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_bytes(material: Material, tmp_path: Path) -> None:
    first = bench_scale.generate(material, tmp_path / "a", 300, seed=7)
    second = bench_scale.generate(material, tmp_path / "b", 300, seed=7)
    other = bench_scale.generate(material, tmp_path / "c", 300, seed=8)
    assert _hashes(first.root) == _hashes(second.root)
    assert first.raw_bytes == second.raw_bytes == sum(p.stat().st_size for p in first.root.rglob("*.*"))
    assert set(_hashes(other.root).values()).isdisjoint(_hashes(first.root).values())


def test_requested_documents_in_the_promised_mix(material: Material, tmp_path: Path) -> None:
    corpus = bench_scale.generate(material, tmp_path / "corpus", 1_000)
    assert corpus.documents == {"txt": 690, "jsonl": 300, "html": 10}
    files = [p for p in corpus.root.rglob("*") if p.is_file()]
    by_suffix = {s: [p for p in files if p.name.endswith(s)] for s in (".txt", ".jsonl", ".html", ".html.gz")}
    assert len(by_suffix[".txt"]) == 690
    assert len(by_suffix[".html"]) + len(by_suffix[".html.gz"]) == 10
    assert [len(p.read_bytes().splitlines()) for p in by_suffix[".jsonl"]] == [300]
    assert len(files) == sum(corpus.files.values()) == 701


def test_shards_hold_jsonl_files_of_at_most_a_thousand_records() -> None:
    plan = bench_scale.plan_shard(10_000, seed=0, shard=3)
    jsonl = [count for fmt, count in plan if fmt == "jsonl"]
    assert jsonl == [RECORDS_PER_JSONL] * 3
    assert sum(count for _, count in plan) == 10_000
    assert sum(count for fmt, count in plan if fmt == "html") == round(10_000 * MIX["html"])
    pages = [i for i, (fmt, _) in enumerate(plan) if fmt == "html"]
    assert pages[-1] - pages[0] > len(plan) // 2  # formats interleaved through the shard, not one run each


def test_all_documents_distinct_and_valid_through_the_build(material: Material, tmp_path: Path) -> None:
    corpus = bench_scale.generate(material, tmp_path / "raw", 200)
    release = newsds.build(corpus.root, tmp_path / "out", "0.0.1")
    assert release.documents.height == corpus.total == 200
    assert release.rejected.height == 0
    assert release.claims.height > 0  # the text carries attributions for the claims stage to find


def test_every_page_shell_keeps_the_inserted_serial(material: Material) -> None:
    seen = set()
    for index in range(60):
        data, gzipped = bench_scale.html_file(material, 0, index)
        seen.add(gzip.decompress(data)[:200] if gzipped else data[:200])
        record = parse_records(data, f"page.html{'.gz' if gzipped else ''}")[0]
        assert record.row is not None and f"NB-0-{index:08d}" in record.row["text"]
    assert len(seen) == len(material.pages) > 1


def test_floor_writes_a_row_per_file_and_per_jsonl_record(material: Material, tmp_path: Path) -> None:
    corpus = bench_scale.generate(material, tmp_path / "raw", 150)
    result = bench_scale.measure_floor(corpus.root, tmp_path / "floor.parquet")
    assert result["rows"] == 150
    assert result["rss_self"] > 0 and result["seconds"] > 0


@pytest.mark.parametrize(("text", "docs"), [("1k", 1_000), ("10K", 10_000), ("1M", 1_000_000), ("250", 250)])
def test_sizes(text: str, docs: int) -> None:
    assert bench_scale.parse_size(text) == docs
    assert bench_scale.parse_size(bench_scale.size_label(docs)) == docs


def test_generation_refuses_a_folder_that_holds_files(material: Material, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("mine")
    with pytest.raises(SystemExit, match="not empty"):
        bench_scale.generate(material, tmp_path, 10)


def test_parse_only_build_keeps_every_document_and_skips_the_nlp(material: Material, tmp_path: Path) -> None:
    corpus = bench_scale.generate(material, tmp_path / "raw", 120)
    full = bench_scale.measure_build(corpus.root, tmp_path / "full", jobs=1)
    bare = bench_scale.measure_build(corpus.root, tmp_path / "bare", jobs=1, parse_only=True)
    rules = bench_scale.measure_build(corpus.root, tmp_path / "rules", jobs=1, claims="rules")
    assert rules["rows"]["documents"] == 120 and rules["rows"]["claims"] > 0
    assert newsds.load(root=tmp_path / "rules").claims["annotator"].str.starts_with("newsds-rules").all()
    assert bare["rows"]["documents"] == full["rows"]["documents"] == 120
    assert bare["rows"]["sentences"] == bare["rows"]["claims"] == 0 < full["rows"]["claims"]
    assert {"skip_sentences", "skip_claims"} <= set(bare["timings"]) and "extract_claims" not in bare[
        "timings"
    ]
    released = newsds.load(root=tmp_path / "bare")  # a valid release, published like any other
    assert released.documents.height == 120 and released.sentences.height == 0


def _run(seconds: float, cpu: float, **extra: object) -> dict[str, object]:
    return {"seconds": seconds, "cpu_self": cpu / 4, "cpu_children": cpu * 3 / 4, "rss_tree": MIB, **extra}


def test_the_table_compares_newsds_with_the_do_it_yourself_pipeline(tmp_path: Path) -> None:
    timings = {"parse_documents": 3.0, "validate": 0.5}
    build = {"rows": {"documents": 1_000}, "timings": timings}
    row = bench_scale.Row(
        "1k",
        bench_scale.Corpus(tmp_path, {"txt": 1_000}, {"txt": 700}, 3_000_000),
        [_run(1.0, 0.5), _run(1.2, 0.6), _run(0.9, 0.5)],
        [_run(10.0, 2.0, **build), _run(8.0, 1.6, **build), _run(12.0, 2.4, **build)],
        [_run(5.0, 4.0), _run(4.0, 3.0), _run(6.0, 5.0)],
        {"seconds": 4.0, "rows": {"documents": 1_000}, "timings": timings},
        _run(2.5, 1.2, timings={"extract_claims": 0.4}),
    )
    table = bench_scale.format_table([row], 2)
    assert (
        "1k: 2.5 s wall (0.50x the do-it-yourself median), 1.2 s CPU (1.20 ms/doc); extract_claims 0.4"
        in table
    )
    # medians: newsds 10.0 s wall / 2.0 s CPU, diy 5.0 s wall / 4.0 s CPU; mins 8.0 and 4.0
    assert "10.0/8.0" in table and "5.0/4.0" in table
    assert "wall 2.00x the do-it-yourself pipeline (target <= 1: MISSED)" in table
    assert "CPU 2.00 ms/doc (target <= 1: MISSED)" in table
    assert "1k: 4.0 s, 4.0x the floor (40% of the full build); parse_documents 3.0, validate 0.5" in table
    again = bench_scale._from_json(bench_scale._as_json(row))
    assert again == replace(row, corpus=again.corpus)
    assert "without sentences and claims" not in bench_scale.format_table([replace(row, parse_only=None)], 2)


def test_the_do_it_yourself_pipeline_reads_every_document(material: Material, tmp_path: Path) -> None:
    corpus = bench_scale.generate(material, tmp_path / "raw", 150)
    result = bench_scale.measure_diy(corpus.root, tmp_path / "diy", jobs=2)
    assert result["rows"]["documents"] == 150 and result["rows"]["files"] == sum(corpus.files.values())
    assert result["rows"]["claims"] >= 150  # every document carries a serial sentence with a reporting verb
    assert result["cpu_self"] + result["cpu_children"] > 0
    claims = pl.read_parquet(tmp_path / "diy" / "part*-claims.parquet")
    assert claims.height == result["rows"]["claims"]
