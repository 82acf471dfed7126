"""Parse a plain-text news article into title, header fields, a clean body and the boilerplate removed.

Why line-based: the raw files come in three shapes (blank-line separated paragraphs, one paragraph per
line with no blank lines, Wikinews dumps with a date line), and in all of them every non-empty line is
one paragraph. So each stripped non-empty line is the unit every rule classifies, and each line ends up
in exactly one place (title, subtitle, byline, date, body or one `Boilerplate` entry): nothing is
dropped silently and the body is never rewritten, only filtered.

Rules, applied in this order (first match wins):
1. Title: the first non-empty line.
2. Single-line furniture anywhere: AI-content notices, "Categories:"/"Tags:" lines, stand-alone image
   credits ("Image by", "Photo: Reuters", "(Getty Images)"), copyright lines, and caption paragraphs
   that end with a credit ("... Image: NASA.").
3. Orphan captions: a short unpunctuated line directly above (same block) an image credit.
4. Marker sections ("Previous Article", "Related Posts", "Sources", ...): in the tail of the document
   (less text after the marker than body before it) everything from the marker to the end is furniture,
   one entry per marker section; elsewhere a marker removes itself and the short teaser lines after it.
5. Header: within the first few lines after the title, a date-only line gives `published` and a
   "By Name" line gives `byline`; the line right after the title is the subtitle when a date/byline
   follows it, or when it is a short punctuated sentence with more body after it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

PARSER_VERSION = "txt/1.0.0"

#: Every `Boilerplate.kind` this parser emits (stable codes used downstream).
BOILERPLATE_KINDS: tuple[str, ...] = (
    "image_credit",  # stand-alone credit line: "Image by", "Photo: Reuters", "(Getty Images)"
    "caption",  # orphan caption above a credit, or a whole paragraph ending in "Image: X."
    "navigation",  # "Previous Article" / "Next Post" and their teasers
    "related",  # "Related Posts", "Read Next", "You May Also Like", ... and their teasers
    "ai_notice",  # a notice that the content is AI-generated / AI-assisted
    "source_list",  # "Sources" / "References" and the citation lines after them
    "tag_list",  # "Categories: ..." / "Tags: ..."
    "copyright",  # "© 2024 ...", "Copyright 2024 ...", "All rights reserved"
    "dateline",  # a second date-only line in the header ("Updated: ...") once `published` is taken
)
_KINDS = frozenset(BOILERPLATE_KINDS)
_SUBTITLE, _BYLINE, _DATE = "_subtitle", "_byline", "_date"  # header roles: not body, not boilerplate

_HEADER_ZONE = 4  # lines after the title searched for date, byline and subtitle
_SUBTITLE_MAX_CHARS = 300
_SHORT_WORDS = 12  # orphan captions and teaser titles are at most this many words
_MAX_TEASERS = 5  # a mid-article marker removes at most this many teaser lines
_CLOSERS = "\"'”’)]»*"


@dataclass(frozen=True)
class Boilerplate:
    """Non-article text removed from the body, kept for audit: its input lines, stripped, joined by "\n"."""

    kind: str
    text: str


@dataclass(frozen=True)
class TxtDocument:
    """The parsed article; `body` paragraphs are the kept input lines, stripped, joined by a blank line."""

    title: str | None
    subtitle: str | None
    byline: str | None
    published: dt.date | None
    body: str
    boilerplate: tuple[Boilerplate, ...]
    ai_generated_notice: bool


# --- single-line furniture ------------------------------------------------------------------------------

_AI_TERM = (
    r"(?:AI|A\.I\.|artificial[\s-]intelligence|generative\s+AI|(?:large\s+)?language\s+models?|LLMs?"
    r"|ChatGPT|GPT[-\s]?\d*|machine\s+learning|automated\s+(?:tools?|systems?|software)"
    r"|an?\s+(?:AI|automated)\s+\w+)"
)
_AI_VERB = r"(?:generated|written|created|produced|drafted|composed|summari[sz]ed|prepared|translated)"
_AI_LABEL = r"(?:(?:disclaimer|note|editor'?s?\s+note|(?:ai\s+)?disclosure)\s*[:\-–—]\s*)?"
_AI_SUBJECT = (
    r"(?:this|the(?:\s+above|\s+following)?|our)\s+(?:content|article|story|post|summary|text|piece"
    r"|report|page|news\w*|blog\s+post|translation|analysis)"
)
_AI_NOTICE = re.compile(
    rf"{_AI_LABEL}(?:"
    rf"{_AI_SUBJECT}\b.{{0,60}}?\b(?:{_AI_TERM}[-\s](?:generated|assisted|written|created|produced|powered)"
    rf"|{_AI_VERB}\b.{{0,60}}?\b(?:by|with|using|via|through|from|of)\s+.{{0,40}}?\b{_AI_TERM}(?!\w))"
    rf"|{_AI_TERM}[-\s](?:generated|assisted|written|created)\b"
    rf"|{_AI_VERB}\s+(?:by|with|using)\s+(?:the\s+)?(?:(?:help|assistance|aid)\s+of\s+)?{_AI_TERM}(?!\w)"
    rf"|we\s+(?:used?|employed?)\s+.{{0,30}}?\b{_AI_TERM}\b.{{0,40}}?\b(?:write|generate|create|produce"
    rf"|draft|summari[sz]e|prepare|translate)\b.{{0,30}}?\b(?:this|the)\s+(?:content|article|story|post"
    rf"|summary|text|piece|report))",
    re.I,
)
_TAG_LIST = re.compile(
    r"(?:categories|category|tags|tagged(?:\s+(?:with|as|in))?|filed\s+under|topics|keywords)\s*:\s*\S",
    re.I,
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\))?\s*(?:\d{4}|by\b))", re.I)
_RIGHTS = re.compile(r"\ball\s+rights\s+reserved\b", re.I)
_AGENCY = (
    r"(?:getty\s+images|shutterstock|istock(?:photo)?|unsplash|pixabay|alamy|ap\s+photo|afp|reuters|epa"
    r"|associated\s+press|xinhua|anadolu(?:\s+agency)?|pa\s+(?:images|media|wire))"
)
_IMAGE_CREDIT = re.compile(
    r"\(?\s*(?:(?:featured|header|cover|lead|top|main|hero)\s+)?"
    r"(?:image|photo|photograph|picture|pic|illustration|graphic|video|audio|footage)s?"
    r"(?:\s+(?:credits?|source|courtesy))?\s*(?::|\bby\b|\bcourtesy\s+of\b|\bvia\b|©).*"
    r"|\(?\s*(?:credits?\s*:|courtesy\s+of\b).*"
    rf"|\(?\s*(?:[^()]{{1,60}}?\s*/\s*|[^()]{{1,60}}?\s+via\s+)?{_AGENCY}(?:\s*/\s*[^()]{{1,60}})?\s*\)?\.?",
    re.I,
)
# A caption paragraph ends with a credit ("... Image: United States Navy."); initials like "U.S." are allowed.
_CREDIT_LABEL = r"(?:Images?|Photos?|Photograph|Picture|Video|Audio|Illustration|(?:Photo |Image )?Credit)"
_CAPTION = re.compile(
    rf".*?\S\s+{_CREDIT_LABEL}\s*:\s*(?:[^:.!?]|(?<=\b[A-Z])\.){{1,80}}\.?"
    rf"|.*?\S\s*\(\s*(?:{_CREDIT_LABEL}\s*:|(?:Photo|Image)\s+by\b)[^()]{{1,80}}\)\.?"
)
_CAPTION_MAX_CHARS = 600
_CREDIT_MAX_WORDS = 15


def _words(s: str) -> int:
    return len(s.split())


def _ends_sentence(s: str) -> bool:
    """True when the line ends like a sentence (headings, captions and teaser titles do not)."""
    core = s.rstrip(_CLOSERS)
    return core.endswith((".", "!", "?", "…"))


def _is_short_label(s: str) -> bool:
    """A title-like line (orphan caption, teaser): few words, no closing punctuation, not a marker."""
    if _words(s) > _SHORT_WORDS or s.rstrip(_CLOSERS).endswith((".", "!", "?", "…", ":", ";", ",")):
        return False
    return _marker_kind(s) is None


def _is_image_credit(s: str) -> bool:
    if _words(s) > _CREDIT_MAX_WORDS or (_ends_sentence(s) and _words(s) > 8):
        return False
    return _IMAGE_CREDIT.fullmatch(s) is not None


def _line_kind(s: str) -> str | None:
    """Classify one line on its own; None means it may still be body, header or marker."""
    if len(s) <= _CAPTION_MAX_CHARS and _AI_NOTICE.match(s):
        return "ai_notice"
    if _TAG_LIST.match(s):
        return "tag_list"
    if _is_image_credit(s):
        return "image_credit"
    if len(s) <= 300 and (_COPYRIGHT.match(s) or _RIGHTS.search(s)):
        return "copyright"
    if len(s) <= _CAPTION_MAX_CHARS and _CAPTION.fullmatch(s):
        return "caption"
    return None


def _mark_orphan_captions(texts: list[str], glued: list[bool], labels: list[str | None]) -> None:
    """A short unpunctuated line in the same block right above an image credit is its caption."""
    for i in range(1, len(texts)):
        under_credit = labels[i] == "image_credit" and glued[i]
        if under_credit and labels[i - 1] is None and _is_short_label(texts[i - 1]):
            labels[i - 1] = "caption"


# --- marker sections ------------------------------------------------------------------------------------

_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        ("navigation", r"(?:previous|next|prev|older|newer)(?:\s+(?:articles?|posts?|stor(?:y|ies)))?"),
        (
            "related",
            r"related(?:\s+(?:posts?|articles?|stories|story|news|content|reading|coverage|links|topics))?"
            r"|read\s+(?:next|more|also)|also\s+read|see\s+also|don'?t\s+miss"
            r"|you\s+(?:may|might)\s+also\s+(?:like|enjoy|be\s+interested\s+in)"
            r"|more\s+(?:stories|articles|news|posts|from\s+.{1,40}|on\s+this\s+(?:story|topic))"
            r"|recommended(?:\s+(?:for\s+you|stories|articles|reading|posts))?"
            r"|(?:most\s+)?popular(?:\s+(?:posts|articles|stories|now))?|trending(?:\s+(?:now|stories|articles))?"
            r"|(?:latest|recent)\s+(?:news|posts|articles|stories)",
        ),
        ("source_list", r"sources?|references|bibliography|external\s+links|further\s+reading|citations"),
    )
)
_INLINE_MARKER = re.compile(r"(?P<head>[^:|»]{2,40}?)\s*[:|»]\s*\S.*")
_INLINE_MAX_WORDS = 30


def _marker_kind(s: str) -> str | None:
    """Kind of a stand-alone marker line such as "Related Posts" or "« Previous Article:"."""
    core = s.strip().lstrip("«<←‹ ").rstrip(":»>→›… ").strip()
    for kind, pattern in _MARKERS:
        if pattern.fullmatch(core):
            return kind
    return None


def _inline_marker_kind(s: str) -> str | None:
    """Kind of a one-line marker with its teaser, e.g. "Read more: Storm hits coast"."""
    m = _INLINE_MARKER.fullmatch(s)
    if m is None or _words(s) > _INLINE_MAX_WORDS:
        return None
    return _marker_kind(m.group("head"))


def _mark_tail(texts: list[str], labels: list[str | None], starts: list[bool], first: int) -> None:
    """Everything from `first` to the end is furniture; each marker opens a new section."""
    kind = _marker_kind(texts[first]) or "related"
    for j in range(first, len(texts)):
        if labels[j] is not None:
            continue
        own = _marker_kind(texts[j]) or _inline_marker_kind(texts[j])
        if own is not None:
            kind = own
        labels[j] = kind
        starts[j] = own is not None


def _mark_teasers(texts: list[str], labels: list[str | None], starts: list[bool], i: int, kind: str) -> int:
    """Label the short teaser titles right after a mid-article marker; return the next index."""
    for _ in range(_MAX_TEASERS):
        if i >= len(texts) or labels[i] is not None or not _is_short_label(texts[i]):
            break
        labels[i], starts[i] = kind, False
        i += 1
    return i


def _mark_markers(texts: list[str], labels: list[str | None], starts: list[bool]) -> None:
    """Apply the positional marker rule: tail markers end the article, mid markers take only teasers."""
    suffix = [0] * (len(texts) + 1)
    for i in range(len(texts) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + len(texts[i])
    body_before = 0
    i = 0
    while i < len(texts):
        if labels[i] is not None:
            i += 1
            continue
        kind = _marker_kind(texts[i])
        if kind is not None:
            if suffix[i + 1] < body_before:
                _mark_tail(texts, labels, starts, i)
                return
            labels[i] = kind
            i = _mark_teasers(texts, labels, starts, i + 1, kind)
            continue
        inline = _inline_marker_kind(texts[i])
        if inline is not None:
            labels[i] = inline
        else:
            body_before += len(texts[i])
        i += 1


# --- header: date, byline, subtitle ---------------------------------------------------------------------

_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+"
_DATE_LABEL = r"(?:(?:(?:first\s+)?published|(?:last\s+)?updated|posted|dated?)(?:\s+on)?\s*[:\-–—]?\s*)?"
_TIME = (
    r"(?:(?:\s*(?:,|at|\||-|–|—|·)?\s*|T)\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:Z|[a-z]{2,4}(?:[+-]\d{1,2})?)?)?"
)
_DATE_CORES = (
    rf"{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})",
    rf"{_DAY}(?:\s+of)?\s+{_MONTH},?\s+(?P<year>\d{{4}})",
    r"(?P<year>\d{4})([-/.])(?P<mon>\d{1,2})\2(?P<day>\d{1,2})",
)
_DATE_LINES = tuple(re.compile(f"{_DATE_LABEL}(?:{_WEEKDAY})?{core}{_TIME}", re.I) for core in _DATE_CORES)
# A weekday date glued to the first paragraph ("Thursday, May 7, 2015 On Tuesday, ..."): an extraction
# artefact; the weekday makes it unambiguous, unlike a sentence that merely starts with a date.
_DATE_PREFIXES = tuple(re.compile(rf"{_WEEKDAY}{core}\s+(?=\S)", re.I) for core in _DATE_CORES[:2])


def _parse_date(s: str, prefixes: tuple[re.Pattern[str], ...] = ()) -> dt.date | None:
    """The date of a date-only line (optional "Published:" and time), or of a leading weekday date."""
    for pattern in prefixes or _DATE_LINES:
        m = pattern.match(s) if prefixes else pattern.fullmatch(s)
        if m is None:
            continue
        mon = m.group("mon").lower()
        month = int(mon) if mon.isdigit() else "janfebmaraprmayjunjulaugsepoctnovdec".index(mon[:3]) // 3 + 1
        try:
            return dt.date(int(m.group("year")), month, int(m.group("day")))
        except ValueError:
            return None
    return None


_BYLINE_RE = re.compile(r"(?:(?:written|reported)\s+)?by\s*:?\s+(?P<n>\S.*)|author\s*:\s*(?P<a>\S.*)", re.I)
_Header = tuple[str | None, str | None, dt.date | None]  # (subtitle, byline, published)
_NAME_PARTICLE = re.compile(r"and|&|de|da|van|von|der|den|del|della|di|du|la|le|al|bin|ibn")


def _parse_byline(s: str) -> str | None:
    """The author name(s) of a "By Jane Doe" line; every word must look like part of a name."""
    m = _BYLINE_RE.fullmatch(s)
    if m is None:
        return None
    name = re.split(r"\s+[|•·–—-]\s+", m.group("n") or m.group("a"))[0].strip(" ,.")
    words = [w for w in re.split(r"[\s,]+", name) if w]
    if not words or len(words) > 10 or len(name) > 80:
        return None
    if all(w[0].isupper() or _NAME_PARTICLE.fullmatch(w) is not None for w in words):
        return name
    return None


def _extract_header(texts: list[str], labels: list[str | None]) -> _Header:
    """Find (subtitle, byline, published) in the first lines after the title and label them."""
    zone = min(_HEADER_ZONE, len(texts))
    byline: str | None = None
    published: dt.date | None = None
    for i in range(zone):
        if labels[i] is not None:
            continue
        date = _parse_date(texts[i])
        if date is not None:
            labels[i] = _DATE if published is None else "dateline"
            published = published or date
        elif byline is None and (name := _parse_byline(texts[i])) is not None:
            byline, labels[i] = name, _BYLINE
    cand = next((i for i in range(len(texts)) if labels[i] != _BYLINE), None)
    if cand is None or labels[cand] is not None:
        return None, byline, published
    if published is None and (published := _parse_date(texts[cand], _DATE_PREFIXES)) is not None:
        return None, byline, published  # the paragraph stays in the body unchanged
    anchored = any(labels[k] in (_DATE, _BYLINE) for k in range(cand + 1, zone))
    more_body = any(label is None for label in labels[cand + 1 :])
    text = texts[cand]
    if anchored or (len(text) <= _SUBTITLE_MAX_CHARS and _ends_sentence(text) and more_body):
        labels[cand] = _SUBTITLE
        return text, byline, published
    return None, byline, published


# --- assembly -------------------------------------------------------------------------------------------


def _collect(texts: list[str], labels: list[str | None], starts: list[bool]) -> tuple[Boilerplate, ...]:
    """Group boilerplate lines into entries: a new entry at each start line or change of kind."""
    out: list[Boilerplate] = []
    kind: str | None = None
    lines: list[str] = []
    for text, label, start in zip(texts, labels, starts, strict=True):
        if label in _KINDS and lines and not start and label == kind:
            lines.append(text)
            continue
        if lines and kind is not None:
            out.append(Boilerplate(kind, "\n".join(lines)))
        kind, lines = (label, [text]) if label in _KINDS else (None, [])
    if lines and kind is not None:
        out.append(Boilerplate(kind, "\n".join(lines)))
    return tuple(out)


def parse_txt(text: str) -> TxtDocument:
    """Parse one decoded article; pure, deterministic and total (never raises on any string)."""
    raw = [line.strip() for line in text.splitlines()]
    glued = [i > 0 and bool(raw[i - 1]) for i in range(len(raw))]  # the line above is not blank
    lines = [(line, g) for line, g in zip(raw, glued, strict=True) if line]
    if not lines:
        return TxtDocument(None, None, None, None, "", (), False)
    title = lines[0][0]
    texts = [line for line, _ in lines[1:]]
    labels: list[str | None] = [_line_kind(t) for t in texts]
    starts = [True] * len(texts)
    _mark_orphan_captions(texts, [g for _, g in lines[1:]], labels)
    _mark_markers(texts, labels, starts)
    subtitle, byline, published = _extract_header(texts, labels)
    body = "\n\n".join(t for t, label in zip(texts, labels, strict=True) if label is None)
    boilerplate = _collect(texts, labels, starts)
    return TxtDocument(title, subtitle, byline, published, body, boilerplate, "ai_notice" in labels)
