"""inputs.parquet: the raw inputs as a checksummed file of the release, not a list inside manifest.json.

A million documents come from ~700k raw files; listed inline, they made the manifest that every `load`
parses tens of MB. The file is checked like every other (sha256, bytes, rows), the manifest's counts are
checked against it, and releases published before it (their inputs inline) still load, verify and
validate as they did.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsds
from newsds.cli import main
from newsds.ingest import list_raw_files
from newsds.release import check_files, release_digest, validate_release
from newsds.release.manifest import INPUT_COLUMNS, INPUTS_FILE, MANIFEST_FORMAT
from newsds.release.store import INPUTS_SCHEMA, write_inputs
from tests.conftest import REPO

OLD = REPO / "data" / "processed" / "0.11.1"  # published with its inputs inline (manifest format 2)


def _manifest(release: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((release / "manifest.json").read_text())
    return data


def _rewrite(release: Path, frame: pl.DataFrame, **counts: int) -> None:
    """Replace inputs.parquet and make the manifest agree with it (sha256, bytes, rows; `counts` too), and
    the card with the new manifest: an edit by someone who knew to rewrite every checksum."""
    file = release / INPUTS_FILE
    frame.write_parquet(file)
    manifest = _manifest(release)
    data = file.read_bytes()
    entry = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "rows": frame.height}
    manifest["files"][INPUTS_FILE] = entry
    manifest["counts"] |= counts
    (release / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    card = release / "README.md"  # the card states the digest (its own checksum is taken without it)
    text = re.sub(
        r"(Release digest: `)sha256:[0-9a-f]{64}", rf"\g<1>{release_digest(release)}", card.read_text()
    )
    card.write_text(text)


def test_inputs_parquet_lists_every_raw_file_with_its_sha256_in_input_order(built_release: Path) -> None:
    raw = built_release.parent / "raw"
    rel = newsds.load(root=built_release)
    inputs = rel.inputs()
    assert inputs.schema == pl.Schema(INPUTS_SCHEMA)
    assert inputs.columns == [name for name, _, _, _ in INPUT_COLUMNS]
    on_disk = [
        (path, hashlib.sha256(data).hexdigest(), len(data))
        for path, data in ((path, (raw / path).read_bytes()) for path in list_raw_files(raw))
    ]
    assert list(inputs.select("path", "sha256", "bytes").iter_rows()) == on_disk
    records = dict(inputs.select("path", "records").iter_rows())
    assert records["newsplease_export.jsonl"] == 7  # a JSONL file holds one input per record
    assert {n for p, n in records.items() if not p.endswith(".jsonl")} == {1}
    assert rel.inputs().equals(pl.read_parquet(built_release / "0.1.0" / INPUTS_FILE))


def test_the_manifest_checksums_inputs_parquet_instead_of_listing_the_inputs(built_release: Path) -> None:
    manifest = _manifest(built_release / "0.1.0")
    assert manifest["manifest_format"] == MANIFEST_FORMAT == 3 and "inputs" not in manifest
    entry = manifest["files"][INPUTS_FILE]
    data = (built_release / "0.1.0" / INPUTS_FILE).read_bytes()
    assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "rows": 37}
    assert (manifest["counts"]["files"], manifest["counts"]["inputs"]) == (37, 43)
    lazy = newsds.load(root=built_release, lazy=True).inputs()
    assert isinstance(lazy, pl.LazyFrame) and lazy.collect().height == 37


def test_verify_lists_inputs_parquet(built_release: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--root", str(built_release), "--checksums-only"]) == 0
    assert f"{INPUTS_FILE:20} ok" in capsys.readouterr().out


def test_an_edited_inputs_parquet_is_caught(release_root: Path) -> None:
    release = release_root / "0.1.0"
    inputs = pl.read_parquet(release / INPUTS_FILE)
    inputs.with_columns(pl.col("bytes") + 1).write_parquet(release / INPUTS_FILE)
    with pytest.raises(newsds.ChecksumError, match=r"inputs\.parquet: sha256 .* != manifest"):
        newsds.load(root=release_root)


def test_a_dropped_input_is_caught_even_with_its_checksum_rewritten(release_root: Path) -> None:
    release = release_root / "0.1.0"
    _rewrite(release, pl.read_parquet(release / INPUTS_FILE).slice(1))
    with pytest.raises(newsds.ChecksumError, match=r"counts\.files is 37 but the files say 36"):
        newsds.load(root=release_root)


def test_a_recorded_row_count_of_inputs_parquet_is_checked(release_root: Path) -> None:
    release = release_root / "0.1.0"
    manifest = _manifest(release)
    manifest["files"][INPUTS_FILE]["rows"] = 36
    (release / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    with pytest.raises(newsds.ChecksumError, match=r"inputs\.parquet: 37 rows != manifest 36"):
        newsds.load(root=release_root)


def test_changed_records_are_caught_by_the_counts_and_with_the_counts_rewritten_by_validation(
    release_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = release_root / "0.1.0"
    digest = newsds.load(root=release_root).digest
    fewer = pl.read_parquet(release / INPUTS_FILE).with_columns(
        pl.when(pl.col("records") == 7).then(6).otherwise(pl.col("records")).alias("records")
    )
    _rewrite(release, fewer)
    with pytest.raises(newsds.ChecksumError, match=r"counts\.inputs is 43 but the files say 42"):
        newsds.load(root=release_root)
    _rewrite(release, fewer, inputs=42)  # every checksum and count agrees now: the tables do not
    assert newsds.load(root=release_root).manifest["counts"]["inputs"] == 42
    assert main(["verify", "--root", str(release_root)]) == 1
    assert "inputs_accounted" in capsys.readouterr().err
    with pytest.raises(newsds.ChecksumError, match="not the expected"):
        newsds.load(root=release_root, expect=digest)


def test_an_edited_file_count_is_caught(release_root: Path) -> None:
    release = release_root / "0.1.0"
    manifest = _manifest(release)
    manifest["counts"]["files"] = 38
    (release / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    with pytest.raises(newsds.ChecksumError, match=r"counts\.files is 38 but the files say 37"):
        newsds.load(root=release_root)


def test_inputs_parquet_that_is_not_parquet_is_a_clean_failure(
    release_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = release_root / "0.1.0"
    (release / INPUTS_FILE).write_bytes(b"not parquet")
    _rewrite_checksum_only(release)
    assert main(["verify", "--root", str(release_root), "--checksums-only"]) == 1
    assert "not a readable Parquet file" in capsys.readouterr().out


def _rewrite_checksum_only(release: Path) -> None:
    manifest = _manifest(release)
    data = (release / INPUTS_FILE).read_bytes()
    manifest["files"][INPUTS_FILE] |= {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    (release / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def test_inputs_parquet_without_records_is_a_clean_failure(release_root: Path) -> None:
    release = release_root / "0.1.0"
    _rewrite(release, pl.read_parquet(release / INPUTS_FILE).drop("records"))
    problems = dict(check_files(release, _manifest(release)))
    assert "cannot be counted" in problems[INPUTS_FILE]


# --- a release published before inputs.parquet -------------------------------------------------------


@pytest.fixture
def old_root(tmp_path: Path) -> Path:
    """A copy of the committed 0.11.1, whose manifest lists its inputs inline."""
    root = tmp_path / "processed"
    shutil.copytree(OLD, root / OLD.name)
    return root


def test_an_old_release_still_loads_verifies_and_validates(
    old_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = _manifest(old_root / OLD.name)
    assert manifest["manifest_format"] == 2 and INPUTS_FILE not in manifest["files"]
    rel = newsds.load(root=old_root)  # checksums and counts verified
    assert all(status == "ok" for _, status in check_files(rel.path, rel.manifest))
    inline = pl.DataFrame(manifest["inputs"], schema=INPUTS_SCHEMA)
    assert rel.inputs().equals(inline) and inline.height == manifest["counts"]["files"] == 37
    assert newsds.load(root=old_root, lazy=True).inputs().collect().equals(inline)
    report = validate_release(rel)
    assert all(t["valid"] for t in report["tables"].values())
    assert all(c["valid"] for c in report["cross_table"])
    assert main(["verify", "--root", str(old_root)]) == 0
    assert "re-validated" in capsys.readouterr().out
    assert main(["list", "--root", str(old_root)]) == 0
    assert capsys.readouterr().out.startswith("0.11.1\t42 documents\t1115 sentences\t476 claims\t1 rejected")


def test_an_old_releases_inline_inputs_are_still_counted(old_root: Path) -> None:
    path = old_root / OLD.name / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["inputs"].pop()
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    with pytest.raises(newsds.ChecksumError, match=r"counts\.files is 37 but the files say 36"):
        newsds.load(root=old_root)


def test_a_manifest_without_inputs_either_way_is_damaged(old_root: Path) -> None:
    path = old_root / OLD.name / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["inputs"]
    path.write_text(json.dumps(manifest))
    with pytest.raises(newsds.ReleaseError, match="lacks inputs"):
        newsds.load(root=old_root)


def test_list_and_checksum_verify_stay_light(built_release: Path) -> None:
    """`newsds list` imports neither polars nor pyarrow; `verify --checksums-only` no polars."""
    probe = (
        "import sys; from newsds.cli import main; main(sys.argv[1:]); "
        "print(sorted(m for m in ('polars', 'pyarrow') if m in sys.modules))"
    )
    for args, heavy in ((["list"], "[]"), (["verify", "--checksums-only"], "['pyarrow']")):
        run = [sys.executable, "-c", probe, *args, "--root", str(built_release)]
        proc = subprocess.run(run, capture_output=True, text=True, check=True)
        assert proc.stdout.rstrip().endswith(heavy), proc.stdout


# --- the metadata describe it ------------------------------------------------------------------------


def test_the_card_and_the_metadata_describe_inputs_parquet(built_release: Path) -> None:
    release = built_release / "0.1.0"
    digest = _manifest(release)["files"][INPUTS_FILE]["sha256"]
    card = (release / "README.md").read_text()
    assert "| `inputs.parquet` | every raw input file" in card
    package = json.loads((release / "datapackage.json").read_text())
    resource = {r["name"]: r for r in package["resources"]}["inputs"]
    assert resource["path"] == INPUTS_FILE and resource["hash"] == f"sha256:{digest}"
    fields = [f["name"] for f in resource["schema"]["fields"]]
    assert fields == list(pl.read_parquet_schema(release / INPUTS_FILE)) and resource["schema"]["primaryKey"]
    croissant = json.loads((release / "croissant.json").read_text())
    assert {"@id": INPUTS_FILE, "sha256": digest}.items() <= next(
        d for d in croissant["distribution"] if d["@id"] == INPUTS_FILE
    ).items()
    assert [f["name"] for f in {r["@id"]: r for r in croissant["recordSet"]}["inputs"]["field"]] == fields


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:The inplace keyword")
def test_frictionless_and_mlcroissant_read_inputs_parquet(built_release: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    mlc = pytest.importorskip("mlcroissant")
    release = built_release / "0.1.0"
    report = frictionless.validate(str(release / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    dataset = mlc.Dataset(jsonld=str(release / "croissant.json"))
    assert not dataset.metadata.ctx.issues.errors
    records = list(dataset.records("inputs"))
    assert len(records) == 37 and records[0]["inputs/path"].decode() == "000_7cda765537e03049.txt"


# --- the same bytes however the inputs arrive -------------------------------------------------------

_text = st.text(st.characters(codec="utf-8"), max_size=20)
_row = st.tuples(_text, st.none() | _text, st.integers(0, 2**40), st.none() | st.integers(1, 10**6))


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(_row, max_size=12), cuts=st.lists(st.integers(0, 12), max_size=4), group=st.integers(1, 5)
)
def test_inputs_bytes_do_not_depend_on_how_the_rows_arrive(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str | None, int, int | None]],
    cuts: list[int],
    group: int,
) -> None:
    """Whole (the in-memory build's raw table) or streamed (the streaming build's scratch file, written
    in pieces, read back by pl.scan_parquet), in any pieces: the same inputs.parquet bytes."""
    schema = {"source_path": pl.String, "source_sha256": pl.String, "size": pl.Int64, "records": pl.Int64}
    whole = pl.DataFrame(rows, schema=schema, orient="row").with_columns(content=pl.lit(b"x"))
    bounds = [0, *sorted(cuts), whole.height]
    pieces = [whole.slice(a, max(0, b - a)) for a, b in itertools.pairwise(bounds)]
    out = tmp_path_factory.mktemp("inputs")
    scratch = out / "scratch"
    scratch.mkdir()
    for n, piece in enumerate(pieces):  # a scratch file per piece: row groups of odd sizes
        piece.write_parquet(scratch / f"{n:03}.parquet", row_group_size=max(1, piece.height))
    ways = {
        "whole": whole.lazy(),
        "pieces": pl.concat(pieces, rechunk=False).lazy(),
        "scanned": pl.scan_parquet(scratch / "*.parquet"),
    }
    written = {}
    for name, frame in ways.items():
        assert write_inputs(frame, out / f"{name}.parquet", group) == whole.height
        written[name] = (out / f"{name}.parquet").read_bytes()
    assert written["pieces"] == written["whole"] == written["scanned"]
    back = pl.read_parquet(out / "whole.parquet")
    assert list(back.iter_rows()) == rows
