"""Version ranges pick what a researcher pinning a dataset version expects (npm's semver forms)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsds.errors import ReleaseError
from newsds.versions import matching, pick, version_key

AVAILABLE = ["0.1.0", "0.2.0", "0.2.5", "0.3.0-rc.1", "0.3.0", "0.4.0", "1.0.0-rc.1", "1.0.0", "1.2.0"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("^0.3", ["0.3.0"]),  # 0.x: a caret stays within the minor version
        ("^1", ["1.0.0", "1.2.0"]),
        ("^0.2.1", ["0.2.5"]),
        ("~0.2.1", ["0.2.5"]),
        ("~1", ["1.0.0", "1.2.0"]),
        ("0.2.x", ["0.2.0", "0.2.5"]),
        ("0.2.*", ["0.2.0", "0.2.5"]),
        ("1.x", ["1.0.0", "1.2.0"]),
        (">=0.2,<0.4", ["0.2.0", "0.2.5", "0.3.0"]),
        (">=0.2 <0.4", ["0.2.0", "0.2.5", "0.3.0"]),
        (">= 0.2, < 0.4", ["0.2.0", "0.2.5", "0.3.0"]),
        ("<=0.3", ["0.1.0", "0.2.0", "0.2.5", "0.3.0"]),
        (">0.2", ["0.3.0", "0.4.0", "1.0.0", "1.2.0"]),
        (">0.2.0", ["0.2.5", "0.3.0", "0.4.0", "1.0.0", "1.2.0"]),
        ("!=0.3.0 <0.5", ["0.1.0", "0.2.0", "0.2.5", "0.4.0"]),
        ("0.1.0 || ^1", ["0.1.0", "1.0.0", "1.2.0"]),
        ("==0.2.0", ["0.2.0"]),
        ("*", ["0.1.0", "0.2.0", "0.2.5", "0.3.0", "0.4.0", "1.0.0", "1.2.0"]),
        (">=1.0.0-rc.1", ["1.0.0-rc.1", "1.0.0", "1.2.0"]),  # names a pre-release: may pick one
        ("^5", []),
    ],
)
def test_ranges_match_like_npm_semver(spec: str, expected: list[str]) -> None:
    assert matching(spec, AVAILABLE) == expected


def test_pick_takes_the_newest_match_exact_versions_and_latest() -> None:
    assert pick("^0.2", AVAILABLE) == "0.2.5"
    assert pick("latest", AVAILABLE) == pick(None, AVAILABLE) == "1.2.0"
    assert pick("0.3.0-rc.1", AVAILABLE) == "0.3.0-rc.1"  # exact pre-release by name
    assert pick("9.9.9", AVAILABLE) is None and pick("^9", AVAILABLE) is None


@pytest.mark.parametrize(
    "spec", ["../x", "/abs/0.1.0", "1.x.3", ">=", "^", "a b", "0.1.0;rm", "1.2-rc.1", ">*"]
)
def test_a_spec_that_is_neither_version_nor_range_is_a_clear_error(spec: str) -> None:
    with pytest.raises(ReleaseError, match=r"not a release version or range.*Available: 0\.1\.0"):
        pick(spec, AVAILABLE)


versions = st.builds(
    lambda a, b, c, pre: f"{a}.{b}.{c}" + (f"-rc.{pre}" if pre is not None else ""),
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(0, 3),
    st.none() | st.integers(0, 12),
)


@given(st.lists(versions, min_size=1, unique=True), versions)
def test_ranges_agree_with_the_version_order(available: list[str], pivot: str) -> None:
    """>=v and <v split the releases (pre-releases aside) exactly by semver precedence."""
    available = sorted(available, key=version_key)
    releases = [v for v in available if "-" not in v]
    below = matching(f"<{pivot}", available)
    at_or_above = matching(f">={pivot}", available)
    assert sorted(set(below) | set(at_or_above), key=version_key) == [
        v for v in available if v in releases or v in below + at_or_above
    ]
    assert all(version_key(v) < version_key(pivot) for v in below)
    assert all(version_key(v) >= version_key(pivot) for v in at_or_above)
    assert set(releases) <= set(below) | set(at_or_above)
