"""Parse a plain-text news article into title, header fields, a clean body and the boilerplate removed.

Why line-based: the raw files come in three shapes (blank-line separated paragraphs, one paragraph per
line with no blank lines, Wikinews dumps with a date line), and in all of them every non-empty line is
one paragraph. So each stripped non-empty line is the unit every rule classifies, and each line ends up
in exactly one place (title, byline, date, body or one `Boilerplate` entry; the subtitle is a copy of
a body line): nothing is dropped silently and the body is never rewritten, only filtered. A fourth
shape, the whole visible text of a web page pasted into a file (a "page dump"), is recognised and cut
down to its article first.

Layouts (`parse_txt(text, layout)`): "title" files open with a title line; "body" files are article
text only (a folder of body paragraphs, one file each), so no line is the title; "auto" (the default)
decides per file by rule 4.

Rules, applied in this order (first match wins):
1. Single-line furniture anywhere: AI-content notices, "Categories:"/"Tags:" lines, image credits
   ("Image by", "Photo: Reuters", "(Getty Images)", "Alex Wong | Getty Images"), copyright lines,
   caption paragraphs ending with a credit ("... Image: NASA."), and the web prompts of
   `newsds.ingest.parse.furniture`: cookie/consent notices, newsletter prompts, share/follow prompts and
   share-button runs, "Advertisement" labels, "Continue reading" links.
2. Orphan captions: a short unpunctuated line directly above (same block) an image credit.
3. Page dumps (`newsds.ingest.parse.furniture.locate_article`): when short non-sentence lines (menus) come
   before a dense core of prose lines and more surround it, everything outside the core, and chrome or
   repeated lines inside it, is `page_furniture`; the title is the heading-like line above the core
   that shares most words with it, and the lines between the title and the core are the header. In a
   dump, the line right above an image credit is its caption even when it is a sentence. Clean
   articles never look like this (at most a title and a few header lines above their prose).
4. Title: layout "title" takes the first non-empty line (in a page dump, its title line). Layout
   "body" and `clean_body` take none (a dump's title line is then `page_furniture`: not article text).
   Layout "auto" treats a page dump as "title" does and otherwise takes the first line unless it reads
   as prose or as a header line: it ends like a sentence (". ! ? …", closing quotes allowed), it is
   longer than a headline (over 25 words or 200 characters), it is a date line, or it runs on into
   the next line with no blank line between (a hard-wrapped paragraph: the next line starts with a
   lower-case word that is no byline, or with a digit; the line ends with a comma, semicolon, dash or
   a word no headline ends on, such as "the" or "of"; or, in a file that separates its paragraphs by
   blank lines, the line opens a block of three or more lines with no header line among them). A
   missing blank line alone is no evidence: files with one paragraph per line have none at all, and
   titles often sit right above their byline, date or standfirst. In doubt the line stays in the body: a
   missed title costs a field, a wrong one a paragraph. Without a title the rest is parsed as "body".
5. Marker sections ("Previous Article", "Related Posts", "Sources", "Tags", "12 Comments", ...): in the
   tail of the document (less body text after the marker than before it) everything from the marker
   to the end is furniture, one entry per marker section; elsewhere a marker removes itself and the
   short teaser lines after it (a comment prompt removes only itself).
6. Header: within the first few lines after the title (a dump: the lines between title and core) a
   date line gives `published` ("Monday, March 4, 2019", "Published 10:32 AM EST, Mon March 4, 2019";
   a further one, "Updated: ...", is `dateline` boilerplate) and a byline gives `byline` ("By Jane
   Doe", "By Jane Doe, Reuters", "Jane Doe | Staff Writer", "By" on its own line above the name, "Jane
   Doe - July 21, 2017"); the line right after the title is the subtitle when a date/byline follows
   it, or when it is a short punctuated sentence with more body after it and no location dateline.
   The subtitle (standfirst, lede) is reported but also stays in the body at its place: it is article
   text, and two articles that differ only in it must not look the same. Without a title there is no
   subtitle, and only a plain date or "By ..." line in the first two lines leaves the body.
7. Dateline: a location dateline opening the first body paragraph after the subtitle ("WASHINGTON (AP)
   — ", "LONDON, July 21 (Reuters) - ") stays in the body and is reported in `dateline` ("WASHINGTON
   (AP)").

`clean_body` runs the same rules on text without title/header lines (a JSON "maintext", an HTML
extractor's output): it is `parse_txt` with layout "body".
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from newsds.ingest.parse.furniture import contains_any, locate_article, might_be_page_dump, prompt_kind
from newsds.reading import LAYOUTS  # `parse_txt` layouts: see rule 4

# 1.3.0: full-width sentence ends ("。！？") and the danda end a sentence: such a first line is body
PARSER_VERSION = "txt/1.3.0"

#: Every `Boilerplate.kind` this parser emits (stable codes used downstream).
BOILERPLATE_KINDS: tuple[str, ...] = (
    "image_credit",  # stand-alone credit line: "Image by", "Photo: Reuters", "(Getty Images)"
    "caption",  # orphan caption above a credit, or a whole paragraph ending in "Image: X."
    "navigation",  # "Previous Article" / "Next Post" and their teasers
    "related",  # "Related Posts", "Read Next", "Read more: ...", "You May Also Like", ... and teasers
    "ai_notice",  # a notice that the content is AI-generated / AI-assisted
    "source_list",  # "Sources" / "References" and the citation lines after them
    "tag_list",  # "Categories: ..." / "Tags: ..." / a "Tags" heading and the tags under it
    "copyright",  # "© 2024 ...", "Copyright 2024 ...", "All rights reserved"
    "dateline",  # a further date line in the header ("Updated: ...") once `published` is taken
    "byline",  # a further byline line: a bare "By" above the name, a repeated author line
    "share",  # "Share this article", "Share on Facebook", "Follow us on Twitter", "Facebook Twitter Email"
    "read_more",  # "Continue reading", "Read the full story"
    "newsletter",  # "Sign up for our newsletter", "Subscribe ...", "Get the latest ... in your inbox"
    "cookie_notice",  # cookie / consent banners: "We use cookies ...", "Accept all cookies"
    "advertisement",  # "Advertisement", "Sponsored content", "Story continues below advertisement"
    "comments",  # "12 Comments", "Comments (3)", "Leave a comment", "Join the discussion" and after
    "page_furniture",  # a page dump's menus, login prompts, teaser lists, footers around the article
)
_KINDS = frozenset(BOILERPLATE_KINDS)
_TITLE, _BYLINE, _DATE = "_title", "_byline", "_date"  # header fields: not body, not boilerplate
_SUBTITLE = "_subtitle"  # reported as the subtitle and kept in the body (rule 6)
_RUN_KINDS = frozenset({"share", "page_furniture"})  # consecutive lines of these kinds form one entry

_HEADER_ZONE = 4  # lines after the title searched for date, byline and subtitle
_DUMP_HEADER_ZONE = 15  # in a page dump: lines between the title and the article core searched
_BODY_HEADER_ZONE = 2  # clean_body: leading lines searched for a plain date / "By" line
_SUBTITLE_MAX_CHARS = 300
# Layout "auto": headlines run to about 6-15 words (style guides and search snippets cap them near 70
# characters; the longest title in data/raw has 14 words, 103 characters), while a news paragraph is one
# or two sentences of 20-40 words each. A first line over either limit is prose, not a headline.
_TITLE_MAX_WORDS = 25
_TITLE_MAX_CHARS = 200
_RUN_ON_ENDS = (",", ";", "–", "—")  # a line ending like this continues on the next one
# Words a headline does not end on but a hard-wrapped line often does ("... has said the").
_DANGLING = frozenset(
    "a an the of to in on at for with from by and or but nor than that as is are was were be been has have "
    "had will would can could should its their his her our".split()
)
_WRAPPED_BLOCK = 3  # lines in a block with no blank line between: a paragraph, not title + standfirst
_SHORT_WORDS = 12  # orphan captions and teaser titles are at most this many words
_MAX_TEASERS = 5  # a mid-article marker removes at most this many teaser lines
_CLOSERS = "\"'”’)]»*」』）"


@dataclass(frozen=True)
class Boilerplate:
    """Non-article text removed from the body, kept for audit: its input lines, stripped, joined by "\n"."""

    kind: str
    text: str


@dataclass(frozen=True)
class TxtDocument:
    """The parsed article; `body` paragraphs are the kept input lines, stripped, joined by a blank line.

    The subtitle (standfirst) is one of the body paragraphs too, at its place (rule 6).
    """

    title: str | None
    subtitle: str | None
    byline: str | None
    published: dt.date | None
    body: str
    boilerplate: tuple[Boilerplate, ...]
    ai_generated_notice: bool
    dateline: str | None = None  # "WASHINGTON (AP)": the location dateline opening the body, kept in it
    published_raw: str | None = None  # the date line `published` was read from, as written


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
    r"(?:getty(?:\s+images)?|shutterstock|istock(?:photo)?|unsplash|pixabay|alamy|ap\s+photo|afp|reuters|epa"
    r"|associated\s+press|xinhua|anadolu(?:\s+agency)?|pa\s+(?:images|media|wire))"
)
_IMAGE_CREDIT = re.compile(
    r"\(?\s*(?:(?:featured|header|cover|lead|top|main|hero)\s+)?"
    r"(?:image|photo|photograph|picture|pic|illustration|graphic|video|audio|footage)s?"
    r"(?:\s+(?:credits?|source|courtesy))?\s*(?::|\bby\b|\bcourtesy\s+of\b|\bvia\b|©).*"
    r"|\(?\s*(?:credits?\s*:|courtesy\s+of\b|photographer\s*:).*",
    re.I,
)
_AGENCY_CREDIT = re.compile(  # "(Getty Images)", "Jane Doe/Reuters", "Alex Wong | Getty Images"
    rf"\(?\s*(?:[^()]{{1,60}}?\s*[/|]\s*|[^()]{{1,60}}?\s+via\s+)?{_AGENCY}(?:\s*/\s*[^()]{{1,60}})?\s*\)?\.?",
    re.I,
)
_AGENCY_HINTS = tuple(  # cheap test before _AGENCY_CREDIT
    "getty|shutterstock|istock|unsplash|pixabay|alamy|ap photo|afp|reuters|epa|associated press|xinhua"
    "|anadolu|pa images|pa media|pa wire".split("|")
)
# A caption paragraph ends with a credit ("... Image: Harbor City Police."); initials like "U.S." are allowed.
_CREDIT_LABEL = r"(?:Images?|Photos?|Photograph|Picture|Video|Audio|Illustration|(?:Photo |Image )?Credit)"
_CAPTION = re.compile(
    rf".*?\S\s+{_CREDIT_LABEL}\s*:\s*(?:[^:.!?]|(?<=\b[A-Z])\.){{1,80}}\.?"
    rf"|.*?\S\s*\(\s*(?:{_CREDIT_LABEL}\s*:|(?:Photo|Image)\s+by\b)[^()]{{1,80}}\)\.?"
)
_BY_START = re.compile(r"(?:(?:written|reported)\s+)?by\b", re.I)  # a byline, never a credit
_CAPTION_HINTS = ("Image", "Photo", "Picture", "Video", "Audio", "Illustration", "Credit")  # cheap test first
_EXACT_WORDS = 40  # lines with more spaces than this are long for every rule that counts words
_CAPTION_MAX_CHARS = 600
_CAPTION_MAX_WORDS = 60
_BARE_AGENCY = re.compile(rf"\(?{_AGENCY}\)?\.?", re.I)
_CAPTION_TAIL = 110
_CREDIT_MAX_WORDS = 15


def _words(s: str) -> int:
    return len(s.split())


# Sentence-final marks: Latin, and the full-width ones of Chinese and Japanese ("。！？") and the
# Devanagari danda; closing quotes and brackets after them are allowed (_CLOSERS).
_FINAL = (".", "!", "?", "…", "。", "！", "？", "।")


def _ends_sentence(s: str) -> bool:
    """True when the line ends like a sentence (headings, captions and teaser titles do not)."""
    core = s.rstrip(_CLOSERS)
    return core.endswith(_FINAL)


def _is_short_label(s: str) -> bool:
    """A title-like line (orphan caption, teaser): few words, no closing punctuation, not a marker."""
    if _words(s) > _SHORT_WORDS or s.rstrip(_CLOSERS).endswith((*_FINAL, ":", ";", ",")):
        return False
    return _marker_kind(s) is None


def _is_image_credit(s: str, n: int, low: str) -> bool:
    if (n > 8 and _ends_sentence(s)) or _BY_START.match(s):
        return False
    if _IMAGE_CREDIT.fullmatch(s):
        return True
    return contains_any(low, _AGENCY_HINTS) and _AGENCY_CREDIT.fullmatch(s) is not None


def _line_kind(s: str) -> str | None:
    """Classify one line on its own; None means it may still be body, header or marker."""
    spaces = s.count(" ")
    n = len(s.split()) if spaces < _EXACT_WORDS else spaces + 1  # only short lines need the exact count
    low = s.lower()
    if len(s) <= _CAPTION_MAX_CHARS and _AI_NOTICE.match(s):
        return "ai_notice"
    if _TAG_LIST.match(s):
        return "tag_list"
    if n <= _CREDIT_MAX_WORDS and _is_image_credit(s, n, low):
        return "image_credit"
    if len(s) <= 300 and (_COPYRIGHT.match(s) or ("rights" in low and _RIGHTS.search(s))):
        return "copyright"
    tail = s[-_CAPTION_TAIL:]  # a caption ends with its credit, so the credit label is near the end
    if (
        len(s) <= _CAPTION_MAX_CHARS
        and (":" in tail or "(" in tail)
        and contains_any(tail, _CAPTION_HINTS)
        and _CAPTION.fullmatch(s)
    ):
        return "caption"
    return prompt_kind(s, n, low)


def _mark_orphan_captions(texts: list[str], glued: list[bool], labels: list[str | None]) -> None:
    """A short unpunctuated line in the same block right above an image credit is its caption."""
    for i in range(1, len(texts)):
        under_credit = labels[i] == "image_credit" and glued[i]
        if under_credit and labels[i - 1] is None and _is_short_label(texts[i - 1]):
            labels[i - 1] = "caption"


def _mark_credited_captions(texts: list[str], labels: list[str | None]) -> None:
    """Page dumps: the line right above an image credit is its caption, even a full sentence (web
    pages put the caption and the credit in one figure; a clean article keeps a blank line between)."""
    for i in range(1, len(texts)):
        if labels[i] != "image_credit" or labels[i - 1] is not None or _BARE_AGENCY.fullmatch(texts[i]):
            continue  # a bare "Reuters" may be the story's source line rather than a photo credit
        if _words(texts[i - 1]) <= _CAPTION_MAX_WORDS:
            labels[i - 1] = "caption"


# --- marker sections ------------------------------------------------------------------------------------

_MARKERS = re.compile(  # one alternative per kind, named after it: one fullmatch classifies a line
    "|".join(
        f"(?P<{kind}>{pattern})"
        for kind, pattern in (
            ("navigation", r"(?:previous|next|prev|older|newer)(?:\s+(?:articles?|posts?|stor(?:y|ies)))?"),
            (
                "related",
                r"related(?:\s+(?:posts?|articles?|stories|story|news|content|reading|coverage|links|topics))?"
                r"|read\s+(?:next|more|also)|also\s+read|see\s+also|don'?t\s+miss"
                r"|you\s+(?:may|might)\s+also\s+(?:like|enjoy|be\s+interested\s+in)"
                r"|more\s+(?:[\w'’]+\s+){0,3}?(?:stories|articles|news|posts|reads|videos)|more\s+from\s+.{1,40}"
                r"|more\s+on\s+this\s+(?:story|topic)"
                r"|recommended(?:\s+(?:for\s+you|stories|articles|reading|posts))?"
                r"|(?:most\s+)?popular(?:\s+(?:posts|articles|stories|now|videos))?"
                r"|most\s+(?:read|viewed|shared|watched)(?:\s+(?:articles|stories|news))?"
                r"|trending(?:\s+(?:now|stories|articles))?|(?:latest|recent)\s+(?:news|posts|articles|stories)",
            ),
            ("source_list", r"sources?|references|bibliography|external\s+links|further\s+reading|citations"),
            ("tag_list", r"tags|topics|categories|filed\s+under"),
            (
                "comments",
                r"(?:\[\s*)?(?:\d+\s+)?(?:(?:reader|user|top(?:\s+rated)?|recent|latest)\s+)?comments?"
                r"(?:\s*\(\s*\+?\d*\s*\+?\s*\)|\s*:\s*\d+)?(?:\s*\])?"
                r"|\d+\s+(?:responses?|replies)|(?:responses?|replies)\s*\(\d+\)"
                r"|(?:leave|post|add|write|submit|show|view|load|read|see|hide|open|close)\s+(?:(?:a|the|all|your"
                r"|\d+|more)\s+)*(?:comments?|replies|reply|responses?)"
                r"|join\s+(?:the\s+)?(?:discussion|conversation|debate)|be\s+the\s+first\s+to\s+comment"
                r"|no\s+comments(?:\s+yet)?|comments?\s+(?:are\s+)?closed"
                r"|you\s+must\s+(?:be\s+)?log(?:ged)?\s*in\s+to\s+(?:post\s+)?(?:a\s+)?comment",
            ),
        )
    ),
    re.I,
)
_MARKER_MAX_CHARS = 60
_NO_TEASERS = frozenset({"comments"})  # a mid-article comment prompt removes only itself
_INLINE_MARKER = re.compile(r"(?P<head>[^:|»]{2,40}?)\s*[:|»]\s*\S.*")
_INLINE_MAX_WORDS = 30
_INLINE_HEAD_CHARS = 44  # the marker and its separator come within this many characters


def _marker_kind(s: str) -> str | None:
    """Kind of a stand-alone marker line such as "Related Posts" or "« Previous Article:"."""
    if len(s) > _MARKER_MAX_CHARS + 10:
        return None
    core = s.strip().lstrip("«<←‹ ").rstrip(":»>→›….! ").strip()
    if len(core) > _MARKER_MAX_CHARS:
        return None
    m = _MARKERS.fullmatch(core)
    return None if m is None else m.lastgroup


def _inline_marker_kind(s: str) -> str | None:
    """Kind of a one-line marker with its teaser, e.g. "Read more: Storm hits coast"."""
    head = s[:_INLINE_HEAD_CHARS]
    if ":" not in head and "|" not in head and "»" not in head:
        return None
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
    for _ in range(0 if kind in _NO_TEASERS else _MAX_TEASERS):
        if i >= len(texts) or labels[i] is not None or not _is_short_label(texts[i]):
            break
        labels[i], starts[i] = kind, False
        i += 1
    return i


def _mark_markers(
    texts: list[str], labels: list[str | None], starts: list[bool], markers: list[str | None]
) -> None:
    """Apply the positional marker rule: tail markers end the article, mid markers take only teasers."""
    suffix = [0] * (len(texts) + 1)
    for i in range(len(texts) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + (len(texts[i]) if labels[i] is None else 0)
    body_before = 0
    i = 0
    while i < len(texts):
        if labels[i] is not None:
            i += 1
            continue
        kind = markers[i]
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
_DATE_LABEL = (
    r"(?:(?:(?:first\s+)?published|(?:last\s+)?(?:updated|modified)|posted|dated?)(?:\s+on)?\s*[:\-–—]?\s*)?"
)
_CLOCK = r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:Z|[a-z]{2,4}(?:[+-]\d{1,2})?)?"
_TIME = rf"(?:(?:\s*(?:,|at|\||-|–|—|·|/|@)?\s*|T){_CLOCK})?"
_LEAD_TIME = rf"(?:{_CLOCK}\s*(?:,|\||·|/|on)?\s+)?"  # "10:32 AM EST, Mon March 4, 2019"
_DATE_CORES = (
    rf"{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})",
    rf"{_DAY}(?:\s+of)?\s+{_MONTH},?\s+(?P<year>\d{{4}})",
    r"(?P<year>\d{4})([-/.])(?P<mon>\d{1,2})\2(?P<day>\d{1,2})",
)
_DATE_LINES = tuple(
    re.compile(f"{_DATE_LABEL}{_LEAD_TIME}(?:{_WEEKDAY})?{core}{_TIME}\\.?", re.I) for core in _DATE_CORES
)
# A weekday date glued to the first paragraph ("Wednesday, June 3, 2020 On Monday, ..."): an extraction
# artefact; the weekday makes it unambiguous, unlike a sentence that merely starts with a date.
_DATE_PREFIXES = tuple(re.compile(rf"{_WEEKDAY}{core}\s+(?=\S)", re.I) for core in _DATE_CORES[:2])
_DATE_LABEL_ONLY = re.compile(
    r"(?:(?:first\s+)?published|(?:last\s+)?(?:updated|modified)|posted)(?:\s+on)?:?", re.I
)


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
_BYLINE_SEP = re.compile(r"\s+[|•·–—-]\s+")  # "By Jane Doe | Reuters": the name ends at the separator
_NAME_SPLIT = re.compile(r"[\s,]+")
_BARE_BY = re.compile(r"(?:(?:written|reported|words|story)\s+)?by:?|authors?:", re.I)
_Header = tuple[str | None, str | None, dt.date | None]  # (subtitle, byline, published)
_NAME_PARTICLE = re.compile(r"and|&|de|da|van|von|der|den|del|della|di|du|la|le|al|bin|ibn")
_NAME = re.compile(
    r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|(?:de|da|van|von|der|den|del|di|du|la|le|al)\b)){1,4}"
)
_ROLE = re.compile(
    r".{0,40}\b(?:writer|reporter|correspondent|editor|columnist|contributor|journalist|staff|producer|critic"
    r"|analyst|author|bureau|desk|photographer|anchor|intern|fellow|reuters|associated\s+press|ap|afp"
    r"|bloomberg|cnn|bbc|upi)\b.{0,40}",
    re.I,
)
# Every date or byline line has one of these: a cheap test that skips body lines.
_HEADER_HINT = re.compile(r"\d|\bby\b|author|updated|published|posted|modified|[|,•·–—-]", re.I)
_HEADER_MAX_CHARS = 120
_ROLE_BYLINE_MAX_WORDS = 10
_ROLE_BYLINE = re.compile(r"(?P<n>[^|,•·–—]{3,40}?)\s*(?:[|,•·–—]|\s-\s)\s*(?P<r>.{2,60})")
_HEADER_SEP = re.compile(r"\s+[|•·–—-]\s+|\s*[|•·;]\s*|\s+by\s+")


def _parse_byline(s: str) -> str | None:
    """The author name(s) of a "By Jane Doe" line; every word must look like part of a name."""
    m = _BYLINE_RE.fullmatch(s)
    if m is None:
        return None
    name = _BYLINE_SEP.split(m.group("n") or m.group("a"))[0].strip(" ,.")
    words = [w for w in _NAME_SPLIT.split(name) if w]
    if not words or len(words) > 10 or len(name) > 80:
        return None
    if all(w[0].isupper() or _NAME_PARTICLE.fullmatch(w) is not None for w in words):
        return name
    return None


def _parse_role_byline(s: str) -> str | None:
    """The name of a "Jane Doe | Staff Writer" / "Tom Roe, AP Auto Writer" line."""
    if _words(s) > _ROLE_BYLINE_MAX_WORDS or _ends_sentence(s):
        return None
    m = _ROLE_BYLINE.fullmatch(s)
    if m is None or _NAME.fullmatch(m.group("n")) is None or _ROLE.fullmatch(m.group("r")) is None:
        return None
    return m.group("n")


def _parse_header_line(s: str) -> tuple[str | None, dt.date | None]:
    """(byline, date) of one header line: a date, a byline, or both joined ("Jane Doe - May 1, 2020")."""
    if len(s) > _HEADER_MAX_CHARS or _HEADER_HINT.search(s) is None:
        return None, None
    date = _parse_date(s)
    if date is not None:
        return None, date
    name = _parse_byline(s) or _parse_role_byline(s)
    if name is not None:
        return name, None
    parts = [p for p in _HEADER_SEP.split(s) if p]
    if len(parts) < 2:
        return None, None
    dates = [d for p in parts if (d := _parse_date(p)) is not None]
    rest = [p for p in parts if _parse_date(p) is None]
    names = [n for p in rest if (n := _parse_byline(p) or (p if _NAME.fullmatch(p) else None))]
    if dates and names and len(rest) == len(names):
        return names[0].strip(" ,."), dates[0]
    return None, None


def _is_header_like(s: str) -> bool:
    """A short line that is a date, a byline or a bare "By" / "Updated" label (page-dump evidence)."""
    if _words(s) > 16:
        return False
    if _BARE_BY.fullmatch(s) or _DATE_LABEL_ONLY.fullmatch(s):
        return True
    name, date = _parse_header_line(s)
    return name is not None or date is not None


def _extract_header(
    texts: list[str], labels: list[str | None], first: int, zone_end: int
) -> tuple[str | None, dt.date | None]:
    """Find (byline, published) in texts[first:zone_end] and label those lines."""
    byline: str | None = None
    published: dt.date | None = None
    for i in range(first, zone_end):
        if labels[i] is not None:
            continue
        name, date = _parse_header_line(texts[i])
        if name is None and date is None and i + 1 < zone_end and labels[i + 1] is None:
            if _BARE_BY.fullmatch(texts[i]) and (name := _parse_byline(f"By {texts[i + 1]}")) is not None:
                labels[i] = "byline"  # "By" on its own line above the name
                labels[i + 1] = _BYLINE if byline is None else "byline"
                byline = byline or name
                continue
            if _DATE_LABEL_ONLY.fullmatch(texts[i]) and _parse_date(texts[i + 1]) is not None:
                labels[i] = "dateline"  # "Updated" on its own line above the date
                continue
        if date is not None:
            labels[i] = _DATE if published is None else "dateline"
            published = published or date
        if name is not None:
            if byline is None:
                byline, labels[i] = name, _BYLINE
            elif date is None:
                labels[i] = "byline"
    return byline, published


def _extract_subtitle(
    texts: list[str], labels: list[str | None], first: int, zone_end: int, limit: int
) -> str | None:
    """The standfirst: the first line after the title when it is a dek (see rule 6), before `limit`.

    Its label only marks it as the subtitle: the line stays in the body.
    """
    cand = next((i for i in range(first, len(texts)) if labels[i] != _BYLINE), None)
    if cand is None or cand >= limit or labels[cand] is not None:
        return None
    anchored = any(labels[k] in (_DATE, _BYLINE) for k in range(cand + 1, zone_end))
    more_body = any(label is None for label in labels[cand + 1 :])
    text = texts[cand]
    if _dateline(text) is not None:
        return None  # "WASHINGTON (AP) — ..." opens the story; it is not a standfirst
    if anchored or (len(text) <= _SUBTITLE_MAX_CHARS and _ends_sentence(text) and more_body):
        labels[cand] = _SUBTITLE
        return text
    return None


def _header(
    texts: list[str], labels: list[str | None], first: int, zone_end: int, dek: bool, limit: int
) -> _Header:
    """(subtitle, byline, published) from texts[first:zone_end]; a dek only when `dek`, before `limit`."""
    byline, published = _extract_header(texts, labels, first, zone_end)
    cand = next((i for i in range(first, len(texts)) if labels[i] != _BYLINE), None)
    if dek and published is None and cand is not None and labels[cand] is None:
        published = _parse_date(texts[cand], _DATE_PREFIXES)
        if published is not None:
            return None, byline, published  # the paragraph stays in the body unchanged
    subtitle = _extract_subtitle(texts, labels, first, zone_end, limit) if dek else None
    return subtitle, byline, published


# --- dateline -------------------------------------------------------------------------------------------

_PLACE_UPPER = r"[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}"
_PLACE_TITLE = r"[A-Z][a-z.'’-]+(?:\s+[A-Z][a-z.'’-]+){0,3}"
_PLACE_QUALIFIER = r"(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?(?:\s+\d{1,2})?){0,2}"
_SOURCE = r"\([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3}\)"
_DATELINE = re.compile(
    rf"(?P<d>{_PLACE_UPPER}{_PLACE_QUALIFIER}(?:\s*{_SOURCE})?|{_PLACE_TITLE}{_PLACE_QUALIFIER}\s*{_SOURCE}"
    rf"|{_SOURCE})(?:\s*[—–]\s*|\s+--?\s+|:\s+)(?=\S)"
)


_NOT_A_PLACE = re.compile(
    r"(?:breaking|breaking\s+news|update[ds]?|exclusive|watch|listen|note|editor'?s\s+note|warning|opinion"
    r"|analysis|live|video|photos?|related|correction|clarification|just\s+in|new|urgent|alert|faq|q&a)",
    re.I,
)


def _dateline(paragraph: str) -> str | None:
    """The location dateline opening a paragraph ("WASHINGTON (AP) — ..."), without the dash."""
    m = _DATELINE.match(paragraph)
    if m is None or len(m.group("d")) > 60:
        return None
    d = m.group("d")
    if _NOT_A_PLACE.fullmatch(d.split("(")[0].strip(" ,")) or paragraph[m.end() :][:1].islower():
        return None  # "BREAKING — ..." is a label; "NASA — the agency ..." is an aside, not a dateline
    if paragraph[m.end(1) :].lstrip().startswith(":") and not (d.isupper() and len(d) > 2):
        return None  # "Note: ..." is a label; "NEW DELHI: ..." is a dateline
    return d


# --- layout ---------------------------------------------------------------------------------------------


def _first_line_is_title(raw: list[str]) -> bool:
    """Layout "auto": whether the first non-empty line is a title (rule 4); `raw` has the stripped lines,
    blank ones included, so that a line glued to the next one can be told from one standing alone."""
    i = next(i for i, line in enumerate(raw) if line)
    first = raw[i]
    if _ends_sentence(first) or _words(first) > _TITLE_MAX_WORDS or len(first) > _TITLE_MAX_CHARS:
        return False
    if _parse_date(first) is not None:
        return False  # a date line opens the header of an article without a title line
    following = raw[i + 1] if i + 1 < len(raw) else ""
    if not following:
        return True  # a blank line (or nothing) after it: a line standing alone
    if first.endswith(_RUN_ON_ENDS) or first.split()[-1].lower() in _DANGLING:
        return False
    if _is_header_like(following):
        return True  # a byline or date right under the title: "by jane doe", "10:01 pm PST, ..."
    if following.split()[0].islower() or following[0].isdigit():
        return False  # "iPhone" / "eBay" may start a standfirst, but a lower-case word continues a line
    block = list(itertools.takewhile(bool, raw[i:]))
    blank_separated = len(block) < len(raw) - i and any(raw[i + len(block) :])
    wrapped = len(block) >= _WRAPPED_BLOCK and not any(_is_header_like(line) for line in block[1:])
    return not (blank_separated and wrapped)


# --- assembly -------------------------------------------------------------------------------------------


def _collect(texts: list[str], labels: list[str | None], starts: list[bool]) -> tuple[Boilerplate, ...]:
    """Group boilerplate lines into entries: a new entry at each start line or change of kind."""
    out: list[Boilerplate] = []
    kind: str | None = None
    lines: list[str] = []
    for text, label, start in zip(texts, labels, starts, strict=True):
        if label in _KINDS and lines and label == kind and (not start or label in _RUN_KINDS):
            lines.append(text)
            continue
        if lines and kind is not None:
            out.append(Boilerplate(kind, "\n".join(lines)))
        kind, lines = (label, [text]) if label in _KINDS else (None, [])
    if lines and kind is not None:
        out.append(Boilerplate(kind, "\n".join(lines)))
    return tuple(out)


def _analyse(text: str, layout: str) -> TxtDocument:
    """The whole pipeline for one of `LAYOUTS`; without a title there is no subtitle either."""
    raw = [line.strip() for line in text.splitlines()]
    glued = [i > 0 and bool(raw[i - 1]) for i in range(len(raw))]  # the line above is not blank
    lines = [(line, g) for line, g in zip(raw, glued, strict=True) if line]
    if not lines:
        return TxtDocument(None, None, None, None, "", (), False)
    texts = [line for line, _ in lines]
    labels: list[str | None] = [_line_kind(t) for t in texts]
    markers = [_marker_kind(t) if label is None else None for t, label in zip(texts, labels, strict=True)]
    article = None
    if might_be_page_dump(texts, labels):
        known = [label is not None or _is_header_like(t) for t, label in zip(texts, labels, strict=True)]
        article = locate_article(texts, known, markers)
    title_at: int | None = None
    if article is not None and article.title is not None:
        title_at = article.title  # a dump's headline: reported as page furniture when there is no title
    elif layout == "title" or (layout == "auto" and (article is not None or _first_line_is_title(raw))):
        title_at = 0
    has_title = title_at is not None and layout != "body"
    if title_at is not None:
        labels[title_at] = _TITLE if has_title else "page_furniture"
    starts = [True] * len(texts)
    _mark_orphan_captions(texts, [g for _, g in lines], labels)
    first = 0 if title_at is None else title_at + 1
    if article is not None:
        zone_end = min(article.start, first + _DUMP_HEADER_ZONE) if article.start >= first else first
        subtitle, byline, published = _header(texts, labels, first, zone_end, has_title, zone_end)
        for i, furniture in enumerate(article.furniture):
            if furniture and labels[i] is None:
                labels[i] = "page_furniture"
        _mark_credited_captions(texts, labels)
        _mark_markers(texts, labels, starts, markers)
    else:
        _mark_markers(texts, labels, starts, markers)
        zone = _HEADER_ZONE if has_title else _BODY_HEADER_ZONE
        zone_end = min(first + zone, len(texts))
        subtitle, byline, published = _header(texts, labels, first, zone_end, has_title, len(texts))
    body = [t for t, label in zip(texts, labels, strict=True) if label is None or label == _SUBTITLE]
    lede = next((t for t, label in zip(texts, labels, strict=True) if label is None), None)
    return TxtDocument(
        title=None if title_at is None or not has_title else texts[title_at],
        subtitle=subtitle,
        byline=byline,
        published=published,
        body="\n\n".join(body),
        boilerplate=_collect(texts, labels, starts),
        ai_generated_notice="ai_notice" in labels,
        dateline=None if lede is None else _dateline(lede),
        published_raw=next((t for t, label in zip(texts, labels, strict=True) if label == _DATE), None),
    )


def parse_txt(text: str, layout: str = "auto") -> TxtDocument:
    """Parse one decoded article; pure, deterministic and total for every string.

    `layout` is one of `LAYOUTS`: "title" when the file opens with its title, "body" when it is article
    text only, "auto" to decide from the first line (module docstring, rule 4). Only an unknown layout
    raises (ValueError).
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown txt layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
    return _analyse(text, layout)


def clean_body(text: str) -> TxtDocument:
    """Clean article text that has no title/header lines (a JSON "maintext", an extractor's output).

    The same furniture rules and page-dump step as `parse_txt`, but the first line is never taken as a
    title and only a leading line that is plainly a date or a "By ..." byline leaves the body.
    `title` and `subtitle` are always None. The same as `parse_txt(text, layout="body")`.
    """
    return _analyse(text, "body")
