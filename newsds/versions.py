"""Release versions: semantic versions, their order, and the ranges `newsds.load` accepts.

A version is also a folder name under the releases root, so only strict semver passes
`check_version`; nothing else (no "/", "..", spaces or absolute paths) can become a path.
Ranges follow npm's familiar forms, which researchers pin in papers:
`^0.3`, `~0.3.1`, `0.3.x`, `>=0.2,<0.4`, `0.2.0 || 0.3.0`. As in npm, a range picks a
pre-release ("1.0.0-rc.1") only when one of its comparators names a pre-release itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from newsds.errors import ReleaseError

VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$")
_PARTIAL = re.compile(r"^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?$")
_COMPARATOR = re.compile(r"^(\^|~|>=|<=|>|<|==|=|!=)?\s*(\S+)$")
RANGE_HELP = "an exact version (0.3.0), 'latest', or a range such as ^0.3, ~0.3.1, 0.3.x or >=0.2,<0.4"

Key = tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]


# A release's scratch folder is ".<version>.tmp-<pid>-<32 hex>": 255 bytes, a file name's limit, less
# 50 for the rest (a pid of up to 10 digits).
MAX_VERSION_BYTES = 200


def check_version(version: str) -> str:
    """Accept only semantic versions ("1.2.3", "1.2.3-rc.1"): a version is also a folder name."""
    if not isinstance(version, str) or not VERSION.fullmatch(version):
        raise ReleaseError(
            f"invalid release version {version!r}: use a semantic version such as 0.1.0 or 1.2.0-rc.1"
        )
    if len(version.encode()) > MAX_VERSION_BYTES:
        raise ReleaseError(
            f"the release version is {len(version.encode())} bytes long; at most {MAX_VERSION_BYTES} fit, "
            "as it names the release folder and its scratch folder (a file name holds 255 bytes): "
            "shorten its pre-release or build part"
        )
    return version


def version_key(version: str) -> Key:
    """Sort key by semver precedence: pre-releases sort before their release, and pre-release
    identifiers compare numerically when numeric ("rc.2" < "rc.10"), numbers before words."""
    match = VERSION.fullmatch(version)
    if match is None:
        raise ReleaseError(f"invalid release version {version!r}")
    major, minor, patch, pre = match.groups()
    ids = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")) if pre else ()
    return int(major), int(minor), int(patch), 0 if pre else 1, ids


def bump_patch(version: str) -> str:
    """1.2.3 -> 1.2.4 (the suggestion when a version is taken)."""
    major, minor, patch = version_key(version)[:3]
    return f"{major}.{minor}.{patch + 1}"


Test = Callable[[Key], bool]


def _comparator(token: str) -> tuple[Test, bool]:
    """One comparator -> (test on a version key, whether it names a pre-release)."""
    match = _COMPARATOR.fullmatch(token)
    partial = _PARTIAL.fullmatch(match.group(2)) if match else None
    if match is None or partial is None:
        raise ValueError(token)
    op = {None: "=", "==": "="}.get(match.group(1), match.group(1))
    parts = [None if p is None or p in "xX*" else int(p) for p in partial.groups()[:3]]
    pre = partial.group(4)
    given = next((i for i, p in enumerate(parts) if p is None), 3)  # how many leading numbers are given
    if any(p is not None for p in parts[given:]) or (pre and given < 3):
        raise ValueError(token)  # "1.x.3", "1.2-rc.1"
    if given == 0:
        if op in ("=", "~", "^"):
            return (lambda k: True), False  # "*", "x"
        raise ValueError(token)
    nums = [p or 0 for p in parts]
    low = version_key(f"{nums[0]}.{nums[1]}.{nums[2]}" + (f"-{pre}" if pre else ""))

    def upper(index: int) -> Key:
        """The lowest version above every version that shares parts [0..index] with `nums`."""
        bumped = [*nums[:index], nums[index] + 1] + [0] * (2 - index)
        return (bumped[0], bumped[1], bumped[2], 0, ())

    if op == "=":
        if given == 3:
            return (lambda k: k == low), bool(pre)
        top = upper(given - 1)
    elif op == "~":
        top = upper(min(given, 2) - 1)
    elif op == "^":
        top = upper(next((i for i, n in enumerate(nums[:given]) if n != 0), given - 1))
    elif op == "!=" and given == 3:
        return (lambda k: k != low), bool(pre)
    elif op in (">=", "<"):
        return ((lambda k: k >= low) if op == ">=" else (lambda k: k < low)), bool(pre)
    elif op in (">", "<="):
        top = low if given == 3 else upper(given - 1)
        if op == ">":
            return ((lambda k: k > top) if given == 3 else (lambda k: k >= top)), bool(pre)
        return ((lambda k: k <= top) if given == 3 else (lambda k: k < top)), bool(pre)
    else:
        raise ValueError(token)
    return (lambda k: low <= k < top), bool(pre)


def matching(spec: str, versions: Iterable[str]) -> list[str]:
    """The versions a range admits, oldest first. Raises ValueError when `spec` is not a range."""
    alternatives = []
    for part in spec.split("||"):
        tokens = [t for t in re.split(r"[\s,]+", re.sub(r"(>=|<=|!=|==|[<>=^~])\s+", r"\1", part)) if t]
        if not tokens:
            raise ValueError(spec)
        alternatives.append([_comparator(t) for t in tokens])
    found = []
    for version in versions:
        key = version_key(version)
        for comparators in alternatives:
            names_pre = any(pre for _, pre in comparators)
            if all(test(key) for test, _ in comparators) and (key[3] == 1 or names_pre):
                found.append(version)
                break
    return sorted(found, key=version_key)


def pick(spec: str | None, available: list[str]) -> str | None:
    """The version `spec` selects among `available` (oldest first): exact, "latest", or a range's newest.

    Returns None when nothing matches; raises ReleaseError when `spec` is neither a version nor a range.
    """
    if spec in (None, "latest"):
        return available[-1] if available else None
    assert spec is not None
    if VERSION.fullmatch(spec):
        return spec if spec in available else None
    try:
        found = matching(spec, available)
    except ValueError:
        raise ReleaseError(
            f"{spec!r} is not a release version or range; use {RANGE_HELP}. "
            f"Available: {', '.join(available) or 'none'}"
        ) from None
    return found[-1] if found else None
