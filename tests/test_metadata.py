"""datapackage.json and croissant.json: valid for frictionless and mlcroissant, keyed, checksummed, stable.

A small real release is built into a temporary folder and the two files are written next to its tables
(as the publisher will). frictionless checks types, constraints, keys and foreign keys of the Parquet
tables, but not their sha256 (it reads Parquet through pyarrow, so the descriptor gives no byte count,
which it would fail on, and the test compares the hashes itself); mlcroissant checks each file's sha256
and reads the records.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import newsds
from newsds.annotations import brat
from newsds.claims import STANCES
from newsds.release.metadata import croissant, datapackage
from newsds.schemas import TABLES
from tests.conftest import RAW
from tests.test_datacard import DATASET, UNSOURCED

pytestmark = [  # mlcroissant's dependencies' deprecations, not ours
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The inplace keyword"),
]
# Seed (licence unknown), Wikinews (CC BY 2.5), benchmark HTML and JSONL (MIT, one malformed line).
SUBSET = (
    "SOURCES.csv",
    "000_7cda765537e03049.txt",
    "wikinews_afghan.txt",
    "aeb_aljazeera_com_7916ecca.html",
    "newsplease_export.jsonl",
    "wikinews_asylum.txt",
)


def write_metadata(release: Path, dataset: Any = "as built") -> None:
    """Write datapackage.json and croissant.json next to a release's tables, as the publisher will; with
    `dataset`, the manifest's `dataset` entry is replaced by it (None: removed, as in an old manifest)."""
    rel = newsds.load(root=release.parent, version=release.name)
    tables = rel.tables()
    manifest = rel.manifest
    if dataset != "as built":
        manifest = {k: v for k, v in manifest.items() if k != "dataset"}
        manifest |= {"dataset": dataset} if dataset is not None else {}
    for name, make in (("datapackage.json", datapackage), ("croissant.json", croissant)):
        (release / name).write_text(json.dumps(make(manifest, tables), indent=2, sort_keys=True) + "\n")


def described(release: Path, tmp_path: Path, dataset: Any) -> Path:
    """A copy of the release whose datapackage.json and croissant.json describe it with `dataset`."""
    copy = tmp_path / release.name
    shutil.copytree(release, copy)
    write_metadata(copy, dataset)
    return copy


def build(root: Path, files: tuple[str, ...] = SUBSET, duplicate: bool = True) -> Path:
    """Build a release of some of data/raw's files (and a duplicate of the last) with its metadata files."""
    raw = root / "raw"
    raw.mkdir(parents=True)
    for name in files:
        shutil.copy(RAW / name, raw / name)
    if duplicate:  # rejected.duplicate_of is set, a nullable foreign key
        shutil.copy(RAW / files[-1], raw / f"copy_of_{files[-1]}")
    annotations = root / "annotations" / "alice"  # one annotator accepted the rules on one article,
    annotations.mkdir(parents=True)  # and marked one span with a label the scheme lacks (refused)
    text = newsds.parse_file(RAW / files[-1])["text"]
    (annotations / "article.txt").write_text(text, encoding="utf-8")
    ann = brat.export_document(text, newsds.extract_claims(text)) + f"T99\tPerson 0 3\t{text[:3]}\n"
    (annotations / "article.ann").write_text(ann, encoding="utf-8")
    release = newsds.build(raw, root / "processed", "1.2.0-rc.1").path
    write_metadata(release)
    return release


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small release with its metadata files; tests copy it before changing anything."""
    return build(tmp_path_factory.mktemp("metadata"))


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def frictionless_errors(descriptor: Path) -> list[str]:
    """Error types of a plain `frictionless validate` of the descriptor."""
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(descriptor))
    return sorted({str(row[0]) for row in report.flatten(["type"])})


def test_fixture_covers_nulls_licences_rejects_and_duplicates(release: Path) -> None:
    rel = newsds.load(root=release.parent, version=release.name)
    assert rel.manifest["rejected_by_reason"] == {"duplicate": 1, "malformed_json": 1}
    assert rel.rejected["duplicate_of"].null_count() == 1
    assert rel.claims["claimant_start"].null_count() > 0  # nullable integers, read back as NaN by pandas
    licences = set(rel.documents["licence"].fill_null("unknown"))
    assert {"CC BY 2.5", "unknown"} < licences
    assert all(lic in read(release / "datapackage.json")["licenses"][0]["title"] for lic in licences)


def test_datapackage_describes_tables_keys_and_files(release: Path) -> None:
    package = read(release / "datapackage.json")
    manifest = read(release / "manifest.json")
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == [*TABLES, "inputs"]
    for name, resource in resources.items():
        data = (release / resource["path"]).read_bytes()
        assert resource["path"] == f"{name}.parquet"  # relative to the release folder
        assert "bytes" not in resource and len(data) == manifest["files"][resource["path"]]["bytes"]
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert [f["name"] for f in resource["schema"]["fields"]] == list(
            pl.read_parquet_schema(release / resource["path"])
        )
    fields = {f["name"]: f for f in resources["claims"]["schema"]["fields"]}
    assert fields["stance"]["constraints"]["enum"] == list(STANCES)
    assert fields["claim_id"]["constraints"] == {"required": True, "unique": True}
    assert "constraints" not in fields["claimant"]  # nullable, unchecked
    assert fields["claimant_start"]["missingValues"] == ["", "nan"]  # how pandas reads a null integer
    assert resources["documents"]["schema"]["primaryKey"] == ["doc_id"]
    foreign = {
        (name, fk["fields"][0]): (fk["reference"]["resource"], fk["reference"]["fields"][0])
        for name, r in resources.items()
        for fk in r["schema"].get("foreignKeys", [])
    }
    assert foreign == {
        ("sentences", "doc_id"): ("documents", "doc_id"),
        ("claims", "doc_id"): ("documents", "doc_id"),
        ("claims", "sent_id"): ("sentences", "sent_id"),
        ("rejected", "duplicate_of"): ("documents", "doc_id"),
        ("annotated_documents", "doc_id"): ("documents", "doc_id"),
        ("claim_annotations", "doc_id"): ("documents", "doc_id"),
        ("claim_annotations", "claim_id"): ("claims", "claim_id"),
    }


def test_frictionless_validates_the_release(release: Path) -> None:
    assert frictionless_errors(release / "datapackage.json") == []


def _set(column: str, row: int, value: Any) -> pl.Expr:
    """The column with one row's value replaced (value: a literal or an expression)."""
    new = value if isinstance(value, pl.Expr) else pl.lit(value)
    return pl.when(pl.int_range(pl.len()) == row).then(new).otherwise(pl.col(column)).alias(column)


@pytest.mark.parametrize(
    ("table", "change", "errors"),
    [
        ("sentences", _set("doc_id", 3, "ffffffffffffffff"), "foreign-key"),
        ("claims", _set("sent_id", 0, "ffffffffffffffff-s9999"), "foreign-key"),
        ("rejected", pl.col("duplicate_of").fill_null("0000000000000000"), "foreign-key"),
        ("claims", _set("stance", 0, "maybe"), "constraint-error"),
        # the second document's rows now reference an id that no longer exists: foreign-key too
        ("documents", _set("doc_id", 1, pl.col("doc_id").first()), "foreign-key primary-key unique-error"),
    ],
    ids=["unknown-doc", "unknown-sentence", "unknown-duplicate", "bad-enum", "duplicate-id"],
)
def test_frictionless_catches_broken_keys_and_constraints(
    release: Path, tmp_path: Path, table: str, change: pl.Expr, errors: str
) -> None:
    broken = tmp_path / release.name
    shutil.copytree(release, broken)
    file = broken / f"{table}.parquet"
    pl.read_parquet(file).with_columns(change).write_parquet(file)
    assert frictionless_errors(broken / "datapackage.json") == errors.split()


def test_croissant_loads_and_reads_every_record_set(release: Path) -> None:
    mlc = pytest.importorskip("mlcroissant")
    dataset = mlc.Dataset(jsonld=str(release / "croissant.json"))
    assert not dataset.metadata.ctx.issues.errors
    for table in TABLES:
        records = list(dataset.records(table))
        assert len(records) == pl.read_parquet(release / f"{table}.parquet").height > 0
    docs = pl.read_parquet(release / "documents.parquet")
    first = next(iter(dataset.records("documents")))
    assert first["documents/doc_id"].decode() == docs["doc_id"][0]  # sc:Text reads as bytes
    kinds = [b["documents/boilerplate/kind"].decode() for b in first["documents/boilerplate"]]
    assert kinds == [b["kind"] for b in docs["boilerplate"][0]]


def test_mlcroissant_checks_sha256(release: Path, tmp_path: Path) -> None:
    mlc = pytest.importorskip("mlcroissant")
    broken = tmp_path / release.name
    shutil.copytree(release, broken)
    with (broken / "rejected.parquet").open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(mlc.GenerationError):
        list(mlc.Dataset(jsonld=str(broken / "croissant.json")).records("rejected"))


def test_metadata_is_deterministic_and_relative(release: Path, tmp_path: Path) -> None:
    again = build(tmp_path / "elsewhere")  # another build, another absolute path: the same bytes
    for name in ("datapackage.json", "croissant.json"):
        text = (release / name).read_text()
        assert text == (again / name).read_text()
        assert str(tmp_path.parent) not in text and '"/' not in text  # no absolute path anywhere


def test_empty_tables_validate_and_read(tmp_path: Path) -> None:
    mlc = pytest.importorskip("mlcroissant")
    release = build(tmp_path, ("wikinews_afghan.txt",), duplicate=False)
    assert pl.read_parquet(release / "rejected.parquet").is_empty()
    assert frictionless_errors(release / "datapackage.json") == []
    dataset = mlc.Dataset(jsonld=str(release / "croissant.json"))
    assert [len(list(dataset.records(t))) for t in ("documents", "rejected")] == [1, 0]


def croissant_issues(path: Path) -> tuple[set[str], set[str]]:
    """mlcroissant's errors and warnings on loading a croissant.json."""
    mlc = pytest.importorskip("mlcroissant")
    issues = mlc.Dataset(jsonld=str(path)).metadata.ctx.issues
    return set(issues.errors), set(issues.warnings)


def test_the_dataset_entry_names_licenses_credits_and_dates_the_metadata(
    release: Path, tmp_path: Path
) -> None:
    copy = described(release, tmp_path, DATASET)
    package = read(copy / "datapackage.json")
    assert {k: package[k] for k in ("name", "title", "description", "version", "homepage", "created")} == {
        "name": "lee-corpus",
        "title": 'Lee news corpus: "quoted" edition',
        "description": "Articles from the Lee archive, 1990-2020.",
        "version": "1.2.0-rc.1",
        "homepage": "https://example.org/lee",
        "created": "2026-12-04T00:00:00Z",  # the release date; Data Package wants a date-time
    }
    assert package["licenses"] == [{"name": "CC-BY-4.0", "path": "https://spdx.org/licenses/CC-BY-4.0.html"}]
    assert package["contributors"] == [
        {
            "title": "Jane Doe",
            "email": "jane@example.org",
            "organization": "Lee University",
            "path": "https://orcid.org/0000-0002-1825-0097",
            "roles": ["author"],
        },
        {"title": "John Roe", "roles": ["author"]},
    ]
    assert package["sources"] == [
        {
            "title": "Wikinews contributors (files wikinews_*; licence CC-BY-2.5)",
            "path": "https://en.wikinews.org",
        }
    ]
    assert frictionless_errors(copy / "datapackage.json") == []

    crate = read(copy / "croissant.json")
    assert {k: crate[k] for k in ("name", "description", "license", "url", "version", "datePublished")} == {
        "name": "lee-corpus",
        "description": "Articles from the Lee archive, 1990-2020.",
        "license": "https://spdx.org/licenses/CC-BY-4.0.html",
        "url": "https://example.org/lee",
        "version": "1.2.0-rc.1",
        "datePublished": "2026-12-04",
    }
    assert crate["creator"] == [
        {
            "@type": "sc:Person",
            "name": "Jane Doe",
            "email": "jane@example.org",
            "url": "https://orcid.org/0000-0002-1825-0097",
        },
        {"@type": "sc:Person", "name": "John Roe"},
    ]
    assert crate["inLanguage"] == ["en", "no"]
    assert "author = {Jane Doe and John Roe}" in crate["citeAs"] and "year = {2026}" in crate["citeAs"]
    assert croissant_issues(copy / "croissant.json") == (set(), set())  # nothing recommended is missing
    mlc = pytest.importorskip("mlcroissant")
    metadata = mlc.Dataset(jsonld=str(copy / "croissant.json")).metadata
    assert metadata.date_published.year == 2026 and [c.name for c in metadata.creators] == [
        "Jane Doe",
        "John Roe",
    ]


def test_without_a_dataset_entry_the_metadata_says_only_what_it_knows(release: Path, tmp_path: Path) -> None:
    copy = described(release, tmp_path, None)
    package, crate = read(copy / "datapackage.json"), read(copy / "croissant.json")
    assert package["name"] == package["title"] == crate["name"] == "newsds-dataset"
    assert not {"created", "contributors", "homepage", "sources"} & set(package)
    assert package["licenses"][0]["title"].startswith("Various, per document")  # the documents' own
    assert not {"datePublished", "creator", "inLanguage"} & set(crate) and crate["url"] == "README.md"
    assert "year" not in crate["citeAs"]  # no release date: no year, never the clock
    assert frictionless_errors(copy / "datapackage.json") == []
    errors, warnings = croissant_issues(copy / "croissant.json")
    assert not errors and all("datePublished" in w for w in warnings)  # only the date it cannot know


@pytest.mark.parametrize(
    ("licence", "licenses", "croissant_license"),
    [
        (
            "MIT OR Apache-2.0",
            [
                {"name": "MIT", "path": "https://spdx.org/licenses/MIT.html"},
                {"name": "Apache-2.0", "path": "https://spdx.org/licenses/Apache-2.0.html"},
            ],
            ["https://spdx.org/licenses/MIT.html", "https://spdx.org/licenses/Apache-2.0.html"],
        ),
        ("LicenseRef-Lee", [{"name": "LicenseRef-Lee", "path": "README.md"}], "LicenseRef-Lee"),
        ("NONE", [{"name": "NONE", "path": "README.md"}], "NONE"),
    ],
)
def test_licence_expressions_validate(
    release: Path, tmp_path: Path, licence: str, licenses: list[dict[str, str]], croissant_license: Any
) -> None:
    copy = described(release, tmp_path, UNSOURCED | {"licence": licence})
    package = read(copy / "datapackage.json")
    expression = {"title": f"{licence} (SPDX licence expression)"} if len(licenses) > 1 else {}
    assert package["licenses"] == [entry | expression for entry in licenses]
    assert read(copy / "croissant.json")["license"] == croissant_license
    assert frictionless_errors(copy / "datapackage.json") == []
    assert croissant_issues(copy / "croissant.json") == (set(), set())


def test_a_users_citation_is_croissants_cite_as(release: Path, tmp_path: Path) -> None:
    citation = "Doe, J. (2026). The Lee corpus. Zenodo."
    copy = described(release, tmp_path, DATASET | {"citation": citation})
    assert read(copy / "croissant.json")["citeAs"] == citation


def test_nothing_mentions_wikinews_or_the_sources_csv_unless_the_sources_do(
    release: Path, tmp_path: Path
) -> None:
    for i, dataset in enumerate((None, UNSOURCED)):
        copy = described(release, tmp_path / str(i), dataset)
        for name in ("datapackage.json", "croissant.json"):
            text = (copy / name).read_text()
            assert "wikinews" not in text.lower() and "SOURCES.csv" not in text
