"""A release is pinned by its digest, and what a build is pointed at cannot corrupt it (issue 20).

Each test is named after a failure a tester found: a consistent edit (file and manifest rewritten
together) passed every check; an edited count passed; a killed build's scratch folder stayed; an
output folder inside the raw folder fed the next build; an over-long version failed only at the end;
the loser of two concurrent publishes got a raw OS error.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import polars as pl
import pytest

import newsds
from newsds.cli import main
from newsds.ids import file_sha256
from newsds.pipeline import STAGES, BuildConfig, publish_release, run
from newsds.release import check_files, release_digest
from newsds.release import store as release_mod
from newsds.versions import MAX_VERSION_BYTES


def _rewrite_consistently(release: Path) -> None:
    """Change one word of one document and write its new sha256 and size into manifest.json, as an
    editor who knows the format would."""
    documents = release / "documents.parquet"
    frame = pl.read_parquet(documents)
    frame.with_columns(pl.col("text").str.replace("said", "denied")).write_parquet(documents)
    manifest = json.loads((release / "manifest.json").read_text())
    digest, size = file_sha256(documents)
    manifest["files"]["documents.parquet"].update(sha256=digest, bytes=size)
    (release / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    card = release / "README.md"
    stated = re.sub(
        r"(Release digest: `)sha256:[0-9a-f]{64}", r"\g<1>" + release_digest(release), card.read_text()
    )
    card.write_text(stated)


def test_a_consistent_edit_passes_checksums_but_not_the_expected_digest(
    release_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = release_root / "0.1.0"
    pinned = release_digest(release)
    assert newsds.load(root=release_root, expect=pinned).digest == pinned
    _rewrite_consistently(release)
    assert newsds.load(root=release_root).version == "0.1.0"  # the checksums agree with the manifest
    with pytest.raises(newsds.ChecksumError, match=r"not the expected sha256:[0-9a-f]{64}"):
        newsds.load(root=release_root, expect=pinned)
    assert main(["verify", "0.1.0", "--root", str(release_root), "--checksums-only"]) == 0
    assert main(["verify", "0.1.0", "--root", str(release_root), "--expect", pinned]) == 1
    assert "not the expected" in capsys.readouterr().err


def test_an_expected_digest_must_look_like_one(built_release: Path) -> None:
    with pytest.raises(newsds.ReleaseError, match=r"sha256:<64 hex digits>"):
        newsds.load(root=built_release, expect="f00d")


def test_the_digest_is_printed_listed_and_stated_in_the_card(
    built_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = built_release / "0.1.0"
    digest = release_digest(release)
    assert main(["list", "--root", str(built_release)]) == 0
    assert capsys.readouterr().out.rstrip().endswith(digest)
    card = (release / "README.md").read_text()
    assert f"Release digest: `{digest}`" in card
    assert all(status == "ok" for _, status in check_files(release, newsds.load(root=built_release).manifest))


def test_a_card_stating_another_digest_is_caught(release_root: Path) -> None:
    card = release_root / "0.1.0" / "README.md"
    text = card.read_text()
    card.write_text(re.sub(r"(Release digest: `sha256:)[0-9a-f]{64}", r"\g<1>" + "ab" * 32, text))
    with pytest.raises(newsds.ChecksumError, match=r"README\.md: states digest"):
        newsds.load(root=release_root)


def test_the_next_release_names_the_previous_digest_in_its_changes(raw_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = newsds.build(raw_copy, out, "1.0.0")
    (raw_copy / "extra.txt").write_text("Extra\n\nThe mayor said the ferry will run again on Monday.\n")
    second = newsds.build(raw_copy, out, "1.1.0")
    changes = json.loads((second.path / "CHANGES.json").read_text())
    assert changes["old_digest"] == first.digest != second.digest


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("documents", 28, r"counts\.documents is 28 but the files say"),
        ("inputs", 1, r"counts\.inputs is 1 but the files say"),
        ("rejected", 99, r"counts\.rejected is 99"),
    ],
)
def test_an_edited_count_in_the_manifest_is_caught(
    release_root: Path, key: str, value: int, message: str
) -> None:
    path = release_root / "0.1.0" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["counts"][key] = value
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    with pytest.raises(newsds.ChecksumError, match=message):
        newsds.load(root=release_root)


def test_a_recorded_row_count_that_disagrees_with_the_file_is_caught(release_root: Path) -> None:
    path = release_root / "0.1.0" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["files"]["sentences.parquet"]["rows"] += 1
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    with pytest.raises(newsds.ChecksumError, match=r"sentences\.parquet: \d+ rows != manifest"):
        newsds.load(root=release_root)


def test_a_killed_builds_scratch_folder_is_cleared_by_the_next_build(raw_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    dead = out / ".newsds-stream-999999999-x1y2z3"  # no such process
    live = out / f".newsds-stream-{os.getpid()}-a1b2c3"  # a build still running (this process)
    for folder in (dead, live):
        folder.mkdir(parents=True)
        (folder / "documents.parquet").write_bytes(b"partial")
    newsds.build(raw_copy, out, "1.0.0")
    assert not dead.exists() and live.exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(["1.0.0", live.name])


@pytest.mark.parametrize("where", ["inside", "same", "holds"])
def test_an_output_folder_inside_or_around_the_raw_folder_is_refused_before_any_work(
    raw_copy: Path, tmp_path: Path, where: str
) -> None:
    raw, out = {
        "inside": (raw_copy, raw_copy / "out"),
        "same": (raw_copy, raw_copy),
        "holds": (raw_copy, raw_copy.parent),
    }[where]
    before = sorted(p.name for p in out.iterdir()) if out.exists() else []
    with pytest.raises(newsds.NewsdsError, match=r"output folder .* the raw folder .*side by side"):
        newsds.build(raw, out, "1.0.0")
    assert (sorted(p.name for p in out.iterdir()) if out.exists() else []) == before


def test_cli_refuses_an_output_folder_inside_the_raw_folder(
    raw_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = raw_copy / "out"
    assert main(["build", "--raw", str(raw_copy), "--out", str(out), "--version", "1.0.0"]) != 0
    err = capsys.readouterr().err
    assert str(out) in err and str(raw_copy) in err and "Traceback" not in err


def test_an_over_long_version_is_refused_before_any_work(raw_copy: Path, tmp_path: Path) -> None:
    version = "1.0.0-" + "a" * 300
    with pytest.raises(newsds.ReleaseError, match=rf"at most {MAX_VERSION_BYTES}"):
        newsds.build(raw_copy, tmp_path / "out", version)
    assert not (tmp_path / "out").exists()
    longest = "1.0.0-" + "a" * (MAX_VERSION_BYTES - 6)
    assert newsds.build(raw_copy, tmp_path / "out", longest).version == longest


def test_the_loser_of_a_publish_race_gets_already_published(
    raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build = run(BuildConfig(raw_copy, out, "2.0.0"), STAGES[:-1])

    def winner_lands(root: Path) -> list[str]:  # another build publishes 2.0.0 after our check
        (out / "2.0.0").mkdir(parents=True)
        (out / "2.0.0" / "manifest.json").write_text("{}")
        return []

    monkeypatch.setattr(release_mod, "recover", winner_lands)
    with pytest.raises(newsds.ReleaseExistsError, match=r"published .* by another build"):
        publish_release(build)
    assert sorted(p.name for p in out.iterdir()) == ["2.0.0"]  # our scratch folder is gone
