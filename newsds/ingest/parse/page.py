"""What a web page says about itself: metadata read from its own tags, on the lxml tree already parsed.

Every function here is a pure function of the tree (and of strings read from it): nothing is fetched,
nothing in the tree is changed, and no site is named in a rule. The sources, first one that gives a
value wins:

- title: when the `<title>` is one of the page's headlines (JSON-LD `headline`, `og:title`,
  `twitter:title`, an `<h1>`; site name removed) followed by a separator and only short parts (the
  site's name, a section of at most three words), that headline; else the `<title>` with the site's
  name removed from its start or end (see `clean_title`). Without a `<title>`: those headlines in that
  order. The site's names are its `og:site_name` (or other site name below), its publisher, its
  `twitter:site` handle and the registered domain of its URL
  (`newsds.ingest.parse.publisher.registered_domain`).
- authors: the JSON-LD article's `author` (objects, lists, `@id` references), else the author `<meta>`
  tags (`author`, `article:author`, `byl`, `parsely-author`, `dc.creator`, `citation_author`, ...);
  strings are split on commas, semicolons, "&" and " and ", a leading "By" is dropped, URLs and e-mail
  addresses are not names, and the site's own name is dropped when a person is named beside it.
- published / modified: a JSON-LD article's `datePublished` / `dateModified`, a `<meta>` date
  (`article:published_time`, `og:published_time`, `datePublished`, `pubdate`, `date`, `dc.date`; by
  property=, name= or itemprop=), an element with `itemprop="datePublished"`, a `<time datetime>`
  inside `<article>`; kept as written, with time and zone (`newsds.ingest.parse.publisher.Published`).
- url: `og:url`, else `<link rel="canonical">`, else the JSON-LD article's `url` (absolute web URLs).
- description: `og:description`, the JSON-LD article's `description`, `<meta name="description">`,
  `twitter:description`.
- sitename: `og:site_name`, else the JSON-LD WebSite's name, else the JSON-LD article's publisher, else
  `application-name` (a URL is no name).
- publisher: the JSON-LD article's publisher name (a reference is looked up), else `og:site_name`.
- og:type, whether a JSON-LD object is an article (any type ending in Article or BlogPosting), a
  `<meta http-equiv="refresh">` target, and whether the page holds a `<video>`: what `not_article`
  needs to tell an article from a homepage, a section front, a video page or a redirect stub.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from newsds.ingest.parse.publisher import Published, from_text, registered_domain

_ARTICLE_TYPE = re.compile(r"(?:Article|BlogPosting)$")  # schema.org NewsArticle, ReportageNewsArticle, ...
_META_KEYS = ("property", "name", "itemprop")
_META_DATES = ("article:published_time", "og:published_time", "datepublished", "pubdate", "date", "dc.date")
_META_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "last-modified")
_META_AUTHORS = frozenset(
    """author authors article:author og:article:author byl parsely-author sailthru.author dc.creator
    dc:creator dcterms.creator citation_author article_author""".split()
)
_META_DESCRIPTIONS = ("og:description", "description", "twitter:description", "dc.description")
_META_TITLES = ("og:title", "twitter:title")

# Separators between a headline and a site name or section in a <title> ("Headline | Site",
# "Site - Headline", "Headline -- Section -- Site", "Headline » Section » Site", "Headline :: Site").
_SEPARATOR = re.compile(r"\s+(?:\||-{1,2}|–|—|::|»|«|·|•|/|~)\s+|\s*[|｜]\s*|\s+[:：]\s+")
# "Headline: Site": a colon after a headline inside a <title> (a colon inside a headline is no separator).
_COLON = re.compile(r"\s*[:：]\s+")
# A separator character with no spaces around it, before a last part without spaces ("标题-新华网").
_TIGHT = re.compile(r"[|｜\-–—:：»«·•/~_]")
_MIN_HEADLINE_CHARS = 8  # a one-word headline shorter than this is not taken from a <title>
_MAX_SITE_WORDS = 6  # a <title> part this long or longer is never taken for a site name
_MAX_SECTION_WORDS = 3  # "Example Politics": a site name and a section, at most this many words

_AUTHOR_SPLIT = re.compile(r"\s*(?:[,;|/]|&|\band\b)\s*", re.IGNORECASE)
_AUTHOR_PREFIX = re.compile(r"^(?:by|written by|posted by|words by)\b[:\s]*", re.IGNORECASE)
_URL = re.compile(r"^(?:https?:|www\.)", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"^(?:https?:|www\.)|@|\.(?:com|net|org)\b", re.IGNORECASE)
# A name's suffix, split off by a comma: "Martin Luther King, Jr.", "John Smith III, Ph.D."
_NAME_SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv|ph\.?\s?d|m\.?\s?d)\.?$", re.IGNORECASE)
_MAX_AUTHOR_CHARS = 80
_MAX_AUTHOR_WORDS = 8
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class PageMetadata:
    """The metadata a page gives about itself in its tags (see the module docstring for the sources)."""

    title: str | None
    headlines: tuple[str, ...]  # the <title>, JSON-LD headlines, og:/twitter:title, <h1>s, as written
    description: str | None
    authors: tuple[str, ...]
    published: Published | None
    modified: Published | None
    url: str | None
    sitename: str | None
    publisher: str | None
    og_type: str | None  # lowercased
    ld_article: bool  # a JSON-LD object whose type is an article
    ld_types: tuple[str, ...]  # every JSON-LD @type, in page order
    refresh: str | None  # the content of <meta http-equiv="refresh">
    has_video: bool  # a <video> element, or a JSON-LD VideoObject
    language: str | None  # <html lang>, as a 2-3 letter code
    site: SiteNames  # the site's names, to recognise them in titles and author lists


def one_line(value: Any) -> str | None:
    """A JSON-LD or attribute string on one line (lone surrogates replaced); None when blank or not text.

    A list gives its first non-blank string, an object its "name"."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str):
        return None
    return " ".join(value.encode("utf-8", "replace").decode("utf-8").split()) or None


def json_ld(root: lxml.etree._ElementTree) -> Iterator[dict[str, Any]]:
    """Every object of the page's JSON-LD scripts: top-level objects, array items, @graph members and
    a page's `mainEntity`."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        stack = list(reversed(data)) if isinstance(data, list) else [data]
        seen = 0
        while stack and seen < 1000:  # bounded: a page cannot make this loop long
            item = stack.pop()
            if not isinstance(item, dict):
                continue
            seen += 1
            yield item
            nested = [item.get("mainEntity")]
            graph = item.get("@graph")
            nested += graph if isinstance(graph, list) else [graph]
            stack.extend(n for n in reversed(nested) if isinstance(n, dict))


def _types(obj: dict[str, Any]) -> list[str]:
    kinds = obj.get("@type")
    return [k for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)]


def is_article(obj: dict[str, Any]) -> bool:
    """A JSON-LD object whose @type (or one of them) ends in Article or BlogPosting."""
    return any(_ARTICLE_TYPE.search(k) for k in _types(obj))


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    """A JSON-LD reference ({"@id": ...} with no name) replaced by the object it names, when known."""
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
        return by_id.get(value["@id"], value)
    return value


def _ld_publisher(article: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> str | None:
    publisher = article.get("publisher")
    if isinstance(publisher, list):
        publisher = next((p for p in publisher if p), None)
    return one_line(_resolve(publisher, by_id))


def _key(text: str) -> str:
    """Letters and digits only, casefolded: "CNN.com" and "cnn com" compare equal."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _words(text: str) -> tuple[str, ...]:
    """The comparison keys (`_key`) of the words of `text`, empty ones left out."""
    return tuple(k for k in map(_key, text.split()) if k)


def _joined_prefixes(words: tuple[str, ...]) -> set[str]:
    """The keys of every run of leading words, joined: ("example", "news") -> {"example", "examplenews"}."""
    return {"".join(words[:n]) for n in range(1, len(words) + 1)}


@dataclass(frozen=True)
class SiteNames:
    """The words (`_words`) of a site's names: og:site_name, publisher, handle, each part of a name that
    holds a separator, the first label of the registered domain ("example"); and the comparison key
    (`_key`) of the registered domain itself ("examplecouk")."""

    names: tuple[tuple[str, ...], ...] = ()
    domain: str | None = None


def site_names(names: Iterable[str | None], domain: str | None = None) -> SiteNames:
    keys: list[tuple[str, ...]] = []
    for name in [*names, domain.split(".")[0] if domain else None]:
        if not name:
            continue
        for part in [name, *_SEPARATOR.split(name)]:
            words = _words(part.lstrip("@"))
            if len("".join(words)) >= 3 and words not in keys:
                keys.append(words)
    return SiteNames(tuple(keys), _key(domain) if domain else None)


def is_site(part: str, site: SiteNames) -> bool:
    """A <title> part that names the site, compared word by word (never a prefix of a word: "New" is not
    "Newsweek"): one of its names or its leading words ("Example" for "Example News"), a name and up to
    two more words ("Example Politics"), or ending with its domain ("Example.com", "Magazine
    example.com"). Words may be run together ("Example News" for the handle "@examplenews")."""
    words = _words(part)
    key = "".join(words)
    if len(key) < 2 or len(part.split()) >= _MAX_SITE_WORDS:
        return False
    if site.domain and key.endswith(site.domain):
        return True
    part_prefixes = _joined_prefixes(words)
    return any(
        key == "".join(s)
        or (len(key) >= 3 and key in _joined_prefixes(s))
        or (len(words) <= _MAX_SECTION_WORDS and "".join(s) in part_prefixes)
        for s in site.names
    )


def clean_title(title: str | None, site: SiteNames) -> str | None:
    """A title without the site's name: the first or last of the parts of `title` between separators
    (" | ", " - ", " — ", " :: ", " -- ", " » ", ...) is dropped when it names the site (one at each end at
    most, and never the only part)."""
    if not title:
        return None
    pieces = _SEPARATOR.split(title)
    if len(pieces) < 2:
        return title
    seps = _SEPARATOR.findall(title)
    start, end = 0, len(pieces)
    if is_site(pieces[-1], site):
        end -= 1
    if end - start > 1 and is_site(pieces[0], site):
        start += 1
    if (start, end) == (0, len(pieces)):
        return title
    out = pieces[start]
    for i in range(start + 1, end):
        out += seps[i - 1] + pieces[i]
    return out.strip() or title


def _heads(title: str, headline: str, site: SiteNames) -> bool:
    """`title` is `headline` followed by a separator (" | ", " - ", " :: ", ": ", ...) and then only
    short parts: each a name of the site or at most three words (a section, a site name); or by a
    separator character and one last part, with no spaces at all (a script without spaces). A headline
    that is merely the first words of the <title> (a truncated headline, a kicker) is not taken, nor
    one of one short word, nor one that names the site."""
    if len(headline) >= len(title) or is_site(headline, site):
        return False
    if len(headline.split()) < 2 and len(headline) < _MIN_HEADLINE_CHARS:
        return False
    if not title.casefold().startswith(headline.casefold()):
        return False
    rest = title[len(headline) :]
    if _TIGHT.match(rest) and not any(c.isspace() for c in rest):  # "标题-新华网": no spaces in the script
        return bool(_key(rest))
    separator = _SEPARATOR.match(rest) or _COLON.match(rest)
    if separator is None:
        return False
    parts = [p for p in _SEPARATOR.split(rest[separator.end() :]) if p.strip()]
    return bool(parts) and all(is_site(p, site) or len(_WORD.findall(p)) <= _MAX_SECTION_WORDS for p in parts)


def choose_title(raw_title: str | None, headlines: list[str], site: SiteNames) -> str | None:
    """The page's title: a headline that the <title> starts with, else the <title> without the site's
    name, else the first headline (see the module docstring)."""
    cleaned = [h for h in (clean_title(h, site) for h in headlines) if h]
    if raw_title:
        for headline in cleaned:
            if _heads(raw_title, headline, site):
                return headline
        return clean_title(raw_title, site)
    return cleaned[0] if cleaned else None


def split_authors(value: str) -> list[str]:
    """Names in an author string: split on , ; | / & and " and ", without a leading "By", without
    URLs, e-mail addresses, handles and over-long strings; a suffix split off by a comma ("Jr.", "Sr.",
    "III", "Ph.D.", "MD") stays with the name before it."""
    names: list[str] = []
    if _URL.match(value.strip()):  # a profile URL, not a list of names
        return names
    attach = False  # the previous part was kept as a name: a suffix ("Jr.", "Ph.D.") belongs to it
    for part in _AUTHOR_SPLIT.split(value):
        name = " ".join(_AUTHOR_PREFIX.sub("", part.strip()).split()).strip(" ,:;-–—")
        if _NAME_SUFFIX.match(name):
            if attach:
                names[-1] += ", " + name
            continue
        attach = False
        if name.endswith(".") and len(name.split()[-1]) > 4:  # a sentence's full stop, not "Jr." or "A."
            name = name[:-1]
        if (
            not name
            or _NOT_A_NAME.search(name)
            or len(name) > _MAX_AUTHOR_CHARS
            or len(name.split()) > _MAX_AUTHOR_WORDS
            or not any(c.isalpha() for c in name)
        ):
            continue
        names.append(name)
        attach = True
    return names


def _ld_author_names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """The names of a JSON-LD `author` value: a string, a Person/Organization, a reference, or a list."""
    out: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        item = _resolve(item, by_id)
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = " ".join(n for n in name if isinstance(n, str))
        if isinstance(name, str):
            out += split_authors(" ".join(name.split()))
    return out


def tidy_authors(names: Iterable[str], site: SiteNames) -> tuple[str, ...]:
    """Names once each (casefolded), in order; the site's own name is dropped when a person is beside it."""
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(name.casefold(), name)
    kept = list(unique.values())
    people = [n for n in kept if not is_site(n, site)]
    return tuple(people or kept)


def _first_name(names: Iterable[str | None]) -> str | None:
    """The first name that is no URL, without a handle's "@" ("@example" -> "example")."""
    return next((n.lstrip("@") for n in names if n and n.lstrip("@") and not _URL.match(n)), None)


def _absolute_url(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value.startswith("//"):
        value = "https:" + value
    if not value.lower().startswith(("http://", "https://")) or " " in value:
        return None
    return value


def declared_language(tree: lxml.html.HtmlElement) -> str | None:
    """The page's declared language (`<html lang="en-GB">` -> "en"), if any."""
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()
    code = lang.split("-")[0].split("_")[0]
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _meta_tags(root: lxml.etree._ElementTree) -> tuple[dict[str, str], list[tuple[str, str]], str | None]:
    """(first content per lowercased key, every (key, content) pair in page order, the refresh target;
    a refresh inside `<noscript>` is only a fallback for browsers without scripts and is not one)."""
    first: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    refresh = None
    for meta in root.iter("meta"):
        content = one_line(meta.get("content"))
        if not content:
            continue
        refreshes = (meta.get("http-equiv") or "").strip().lower() == "refresh"
        if refreshes and next(meta.iterancestors("noscript"), None) is None:  # <noscript>: no-JS fallback
            refresh = refresh or content
        for attr in _META_KEYS:
            key = (meta.get(attr) or "").strip().lower()
            if key:
                first.setdefault(key, content)
                pairs.append((key, content))
    return first, pairs, refresh


def _first_date(texts: Iterable[str | None]) -> Published | None:
    """The first of `texts` that reads as an ISO 8601 day or time."""
    return next((p for p in map(from_text, texts) if p is not None), None)


def _texts(tree: lxml.html.HtmlElement, tag: str) -> list[str]:
    """The text of every `tag` element, on one line each, blank ones left out."""
    out = []
    for element in tree.iter(tag):
        text = " ".join(element.text_content().split())
        if text:
            out.append(text)
    return out


def read_page(tree: lxml.html.HtmlElement) -> PageMetadata:
    """Everything the page's own tags say about it (see the module docstring)."""
    root = tree.getroottree()
    objects = list(json_ld(root))
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    articles = [o for o in objects if is_article(o)]
    metas, pairs, refresh = _meta_tags(root)

    published = _first_date(
        [
            *(one_line(a.get("datePublished")) for a in articles),
            *(metas.get(key) for key in _META_DATES),
            *(
                one_line(e.get("datetime") or e.get("content"))
                for e in root.xpath("//*[@itemprop='datePublished'][not(self::meta)]")
            ),
            *(one_line(t.get("datetime")) for t in root.xpath("//article//time[@datetime]")),
        ]
    )
    modified = _first_date(
        [*(one_line(a.get("dateModified")) for a in articles), *(metas.get(k) for k in _META_MODIFIED)]
    )

    websites = [o for o in objects if "WebSite" in _types(o)]
    ld_publishers = [_ld_publisher(a, by_id) for a in articles]
    sitenames = [
        metas.get("og:site_name"),
        *(one_line(w.get("name")) for w in websites),
        *ld_publishers,
        metas.get("application-name"),
    ]
    sitename = _first_name(sitenames)
    publisher = _first_name([*ld_publishers, metas.get("og:site_name")])

    canonical = [
        link.get("href") for link in root.iter("link") if (link.get("rel") or "").lower() == "canonical"
    ]
    urls = [metas.get("og:url"), *canonical, *(one_line(a.get("url")) for a in articles)]
    url = next((u for u in map(_absolute_url, urls) if u), None)
    site = site_names([sitename, publisher, metas.get("twitter:site")], registered_domain(url))

    raw_title = next(iter(_texts(tree, "title")), None)
    headlines = [
        *(h for h in (one_line(a.get("headline")) for a in articles) if h),
        *(metas[k] for k in _META_TITLES if k in metas),
        *dict.fromkeys(_texts(tree, "h1")),
    ]
    title = choose_title(raw_title, headlines, site)

    names: list[str] = []
    for article in articles:
        names += _ld_author_names(article.get("author"), by_id)
    if not names:
        for key, content in pairs:
            if key in _META_AUTHORS:
                names += split_authors(content)
    authors = tidy_authors(names, site)

    description = next(
        (d for d in [metas.get("og:description"), *(one_line(a.get("description")) for a in articles),
                     *(metas.get(k) for k in _META_DESCRIPTIONS[1:])] if d),
        None,
    )  # fmt: skip
    ld_types = tuple(t for o in objects for t in _types(o))
    has_video = "VideoObject" in ld_types or next(root.iter("video"), None) is not None
    return PageMetadata(
        title=title,
        headlines=tuple(dict.fromkeys(h for h in (raw_title, *headlines) if h)),
        description=description,
        authors=authors,
        published=published,
        modified=modified,
        url=url,
        sitename=sitename,
        publisher=publisher,
        og_type=(metas.get("og:type") or "").lower() or None,
        ld_article=bool(articles),
        ld_types=ld_types,
        refresh=refresh,
        has_video=has_video,
        language=declared_language(tree),
        site=site,
    )


# --- is it an article? -----------------------------------------------------------------------------------

_ARTICLE_OG_TYPES = ("article", "news", "blog")  # og:type values (and prefixes: "article:...") of articles
_LINK_SHARE_WITH_TYPE = 0.3  # og:type says "not an article": this share of the text in link-only lines
_LINK_SHARE = 0.5  # no page type at all: this share of the text in link-only lines ...
_MIN_LINK_LINES = 15  # ... and at least this many of them
_MIN_LINK_LINES_WITH_TYPE = 8
_LINK_SHARE_ANY_TYPE = 0.75  # whatever og:type says: this share of the text in link-only lines ...
_MIN_LINK_LINES_ANY_TYPE = 20  # ... and at least this many of them
_STUB_WORD_CHARS = 400  # a redirect stub or a video page has fewer letters and digits than this
# "0; url=...": a redirect (an auto-reload of the page itself waits minutes: "1800;url=...")
_REFRESH_URL = re.compile(r"^\s*(\d*)(?:\.\d*)?\s*[;,]?\s*url\s*=", re.IGNORECASE)
_MAX_REDIRECT_DELAY = 10  # seconds
_BULLETS = " \t•·|>»-–—*"
_WORD = re.compile(r"[^\W_]+")


def _word_chars(text: str) -> int:
    """Letters and digits in `text` (a size that does not depend on a script's spacing)."""
    return sum(map(len, _WORD.findall(text)))


def _link_lines(tree: lxml.html.HtmlElement, lines: list[str]) -> list[str]:
    """The lines of the extracted text that are the whole text of a link of the page."""
    anchors = {" ".join(a.text_content().split()).strip(_BULLETS) for a in tree.iter("a")}
    anchors.discard("")
    return [line for line in lines if " ".join(line.split()).strip(_BULLETS) in anchors]


def _is_article_type(og_type: str | None) -> bool:
    return og_type is None or og_type.startswith(_ARTICLE_OG_TYPES)


def not_article(meta: PageMetadata, tree: lxml.html.HtmlElement, text: str) -> str | None:
    """Why the page is not an article (a homepage, section front, tag list, video page or redirect stub),
    or None when nothing says so. `text` is the extracted, cleaned body (may be empty).

    Conservative, general signals only; each message names the signal:
    - a JSON-LD article is an article, whatever else the page holds;
    - a redirect stub: a `<meta http-equiv="refresh">` (not inside `<noscript>`) to a URL within seconds,
      and almost no text;
    - a video page: an og:type "video...", a JSON-LD VideoObject, or a `<video>` element on a page with no
      og:type at all; and almost no text;
    - og:type present and not an article type ("website", ...) or a canonical URL that is the site's
      root (path "/" or empty, no query), no JSON-LD article, and much of the text in lines that are
      each the whole text of a link (a list of headlines, sections or tags);
    - no page type at all and the text even more so made of such link lines;
    - whatever og:type says, a text that is almost only such link lines.
    The thresholds sit far above what the AEB dev articles and the newspaper4k test articles reach (at
    most 18% of the text in at most 21 link lines).
    """
    if meta.ld_article:
        return None
    video_type = bool(meta.og_type and meta.og_type.startswith("video"))
    refresh = _REFRESH_URL.match(meta.refresh or "")
    stub_signal = refresh is not None and int(refresh.group(1) or 0) <= _MAX_REDIRECT_DELAY
    # a <video> alone (an ad, a background loop) says "video page" only when no og:type says otherwise
    video_signal = video_type or "VideoObject" in meta.ld_types or (meta.has_video and meta.og_type is None)
    size = _word_chars(text) if stub_signal or video_signal else 0
    if stub_signal and size < _STUB_WORD_CHARS:
        tag = f'<meta http-equiv="refresh" content="{(meta.refresh or "")[:80]}">'
        return (
            f"not an article: a redirect stub ({tag}) with {size} letters and digits of text; "
            "save the page it leads to"
        )
    if video_signal and size < _STUB_WORD_CHARS:
        why = f"og:type is {meta.og_type!r}" if video_type else "a <video> element or a JSON-LD VideoObject"
        return (
            f"not an article: a video page ({why}, no JSON-LD article, {size} letters and digits of text); "
            "newsds keeps article text only"
        )
    parts = urlsplit(meta.url or "")
    root = bool(meta.url) and parts.path in ("", "/") and not parts.query  # "/?p=123" is a post
    typed = root or not _is_article_type(meta.og_type)
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < min(_MIN_LINK_LINES_WITH_TYPE, _MIN_LINK_LINES, _MIN_LINK_LINES_ANY_TYPE):
        return None
    links = _link_lines(tree, lines)
    share = sum(map(len, links)) / max(1, sum(map(len, lines)))
    density = (
        f"{share:.0%} of the extracted text is in {len(links)} of its {len(lines)} lines that are each "
        "a link's whole text (a list of headlines, sections or tags)"
    )
    if typed and share >= _LINK_SHARE_WITH_TYPE and len(links) >= _MIN_LINK_LINES_WITH_TYPE:
        kind = (
            f"its canonical URL is the site's root ({meta.url})" if root else f"og:type is {meta.og_type!r}"
        )
        return (
            f"not an article: {kind}, there is no JSON-LD article, and {density}; "
            "a homepage, section front or tag page: save the article page itself"
        )
    if meta.og_type is None and share >= _LINK_SHARE and len(links) >= _MIN_LINK_LINES:
        return (
            f"not an article: link density: {density}, and the page declares no article type (no og:type, "
            "no JSON-LD article); a homepage, section front or tag page: save the article page itself"
        )
    if share >= _LINK_SHARE_ANY_TYPE and len(links) >= _MIN_LINK_LINES_ANY_TYPE:
        return (
            f"not an article: link density: {density}, and there is no JSON-LD article (og:type "
            f"{meta.og_type!r} alone does not make a list of links an article); a homepage, section front "
            "or tag page: save the article page itself"
        )
    return None
