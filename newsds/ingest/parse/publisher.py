"""Who published a document and when: the registered domain of its URL, and its publication time.

Publisher: the source's own name for it (a JSON record's publisher field, a page's JSON-LD publisher
or og:site_name) wins; the fallback is the registered domain of the document's URL
("https://www.bbc.co.uk/news/x" -> "bbc.co.uk"). Deciding where the registered part of a host name
starts needs the Public Suffix List ("co.uk" is a suffix, "bbc" the name registered under it): that is
`tldextract`, used strictly offline. With `suffix_list_urls=()` it fetches nothing, with
`cache_dir=None` it reads and writes no cache, and so it always uses the suffix-list snapshot bundled in
the package: the publisher of a URL depends only on the pinned tldextract version, never on the network
or on the machine (which is why tldextract is pinned exactly).

Published: sources write times as ISO 8601 with or without a zone, or as a bare day, or as epoch
numbers. `Published` keeps all that was said: the day as the source wrote it (in its own zone), the UTC
instant when the source gave a time and a zone (epoch numbers are UTC instants), and the original
string.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tldextract

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(?!\d)")  # "mailto:", not "host:8080"
_WEB_SCHEMES = ("http", "https")
_EXTRACTOR: tldextract.TLDExtract | None = None

_DATE_PREFIX = re.compile(r"(\d{4}-\d{2}-\d{2})(?!\d)")  # a day, then anything but a digit
_UTC_WORD = re.compile(r"\s*(?:UTC|GMT)$", re.I)  # "2024-03-06 08:30:00 UTC"
_MS_EPOCH = 1e11  # epoch values this large are milliseconds (as seconds they would be after year 5000)


def _extractor() -> tldextract.TLDExtract:
    """The one extractor, made on first use (reading the bundled suffix list takes ~50 ms)."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        import tldextract

        _EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    return _EXTRACTOR


def registered_domain(url: str | None) -> str | None:
    """The registered domain of a web URL, lowercased ("https://www.bbc.co.uk/x" -> "bbc.co.uk");
    None for no URL, a non-web scheme (mailto:, data:), an IP address or a host with no public suffix."""
    if not url or not url.strip():
        return None
    url = url.strip()
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1).lower() not in _WEB_SCHEMES:
        return None
    domain = _extractor()(url).top_domain_under_public_suffix
    return domain.lower() if domain else None


@dataclass(frozen=True)
class Published:
    """When a document was published, as far as its source says.

    `day` is the date as written (in the source's own zone); `instant` the UTC time when the source
    gave a time and a zone or offset, else None; `raw` the source's own text for it."""

    day: dt.date | None
    instant: dt.datetime | None
    raw: str | None


NOT_GIVEN = Published(None, None, None)


def _utc(value: dt.datetime) -> dt.datetime | None:
    """An aware datetime as UTC; None when it has no zone or cannot be shifted (year 1 minus an offset)."""
    if value.tzinfo is None or value.utcoffset() is None:
        return None
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        return None


def from_text(text: str | None) -> Published | None:
    """An ISO 8601 day or date-time ("2024-03-06", "2024-03-06T08:30:00Z", "…+01:00", "… UTC"); a
    string that only starts with a day ("2024-03-06 8.30am") gives the day. None when no day is found."""
    if text is None or not text.strip():
        return None
    raw = text.strip()
    try:
        parsed = dt.datetime.fromisoformat(_UTC_WORD.sub("+00:00", raw))
    except ValueError:
        match = _DATE_PREFIX.match(raw)
        if match is None:
            return None
        try:
            return Published(dt.date.fromisoformat(match.group(1)), None, raw)
        except ValueError:
            return None
    return Published(parsed.date(), _utc(parsed), raw)


def from_epoch(value: float) -> Published | None:
    """Epoch seconds (or milliseconds, when too large for seconds): a UTC instant."""
    try:
        if isinstance(value, bool) or not math.isfinite(value):
            return None
        seconds = value / 1000 if abs(value) >= _MS_EPOCH else value
        instant = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (ValueError, OverflowError, OSError):  # an int past float range, or a year past 9999
        return None
    return Published(instant.date(), instant, str(value))
