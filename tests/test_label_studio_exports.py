"""Real Label Studio 1.23.2 exports (tests/fixtures/label_studio, made by a real server: see its README)
imported into a release of the two invented articles they were made for."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import newsds
from newsds.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "label_studio"
# The two articles, as regenerate.sh writes them (their bytes fix the doc_ids the tasks carry).
ARTICLES = {
    "bridge.txt": (
        "Bridge to reopen in May\n\nThe mayor of Eastport said on Monday that the harbour bridge will "
        'reopen in May. "The repairs are almost finished," she told reporters, "and the road will be '
        'safe." Local traders denied that the closure had hurt business.\n'
    ),
    "council.txt": (
        "Council delays school vote\n\nAccording to the council leader, the vote on the new school will be "
        'held next month. Parents questioned whether the delay was necessary. "We need more time to read '
        'the plans," a council spokesman said.\n'
    ),
}


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsfixture")
    (root / "raw").mkdir()
    for name, text in ARTICLES.items():
        (root / "raw" / name).write_text(text, encoding="utf-8")
    newsds.build(root / "raw", root / "processed", "1.0.0")
    return root / "processed"


def _import(
    releases: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, *names: str
) -> tuple[int, str]:
    for name in set(names):
        shutil.copy(FIXTURES / name, tmp_path / name)
    capsys.readouterr()
    code = main(
        ["annotate", "import", "--root", str(releases), "--strict", *(str(tmp_path / n) for n in names)]
    )
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_fixtures_name_the_documents_of_the_release(releases: Path) -> None:
    tasks = (FIXTURES / "tasks.json").read_text(encoding="utf-8")
    assert sorted(newsds.load(root=releases).documents["doc_id"]) == sorted(
        re.findall(r'"doc_id": "(\w+)"', tasks)[:2]
    )


@pytest.mark.parametrize("name", ["export_json.json", "export_snapshot_users.json"])
def test_a_real_json_export_imports_every_annotation(
    releases: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    code, out = _import(releases, capsys, tmp_path, name)
    assert code == 0 and "imported 4 passes (annotator x document), 12 attributions; 0 items refused" in out


def test_a_real_json_min_export_is_refused(
    releases: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out = _import(releases, capsys, tmp_path, "export_json_min.json")
    assert code == 1 and "JSON-MIN" in out and 'export the project as "JSON"' in out


def test_the_same_real_export_twice_and_with_its_snapshot_counts_once(
    releases: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for pair in [
        ("export_json.json", "export_json.json"),
        ("export_json.json", "export_snapshot_users.json"),
    ]:
        code, out = _import(releases, capsys, tmp_path, *pair)
        assert code == 0 and "imported 4 passes" in out and "0 items refused" in out


def test_a_later_real_export_supersedes_the_revised_annotation_only(
    releases: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out = _import(releases, capsys, tmp_path, "export_json.json", "export_json_later.json")
    assert code == 1  # --strict: the earlier copy of annotation 4 is refused as superseded
    assert "imported 4 passes" in out and "1 items refused" in out
    assert re.search(r"superseded: label-studio:2 .* annotation 4", out)


def test_an_adjudicator_named_by_email_needs_an_export_that_carries_emails(
    releases: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("export_json.json", "export_snapshot_users.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    gold = tmp_path / "gold.parquet"
    policy = ["--policy", "adjudicator:b@example.org", "--out", str(gold)]
    capsys.readouterr()
    assert (
        main(["annotate", "adjudicate", "--root", str(releases), str(tmp_path / "export_json.json"), *policy])
        == 1
    )
    assert "label-studio:1, label-studio:2" in capsys.readouterr().err and not gold.exists()
    snapshot = str(tmp_path / "export_snapshot_users.json")
    assert main(["annotate", "adjudicate", "--root", str(releases), snapshot, *policy]) == 0
    assert gold.exists()
