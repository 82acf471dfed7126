"""Page furniture: the web prompts any text may carry, and main-content detection for page dumps.

`prompt_kind` classifies one line on its own: cookie/consent notices, newsletter prompts, share and
follow prompts, advertisement labels, "Continue reading" links (a data table of patterns, one per
kind). `newsds.ingest.parse.txt` applies it to every line of every text.

A page dump is the whole visible text of a web page pasted into a .txt file: menus, section links,
login prompts, share bars, cookie banners, related-article lists and footers around the article. The
article is the one dense run of prose lines; furniture is mostly short lines without sentences.

The step works like jusText / boilerpipe, on lines instead of DOM blocks, with general features only:
1. Each line gets a class from its own features: GOOD (prose: at least 12 words, sentence punctuation,
   a high share of stop words or of lower-case words), NEAR (a shorter sentence, or a long line of
   prose without a full stop), SHORT (menu items, headings, labels), BAD (furniture a single-line rule
   already knows, a section marker, page chrome such as "Sign in", a truncated teaser ending in "...",
   a line the page repeats) or NOISE (no letters at all). Chinese/Japanese/Korean lines are measured
   in characters and full stops.
2. The core is the maximum-sum run of lines (Kadane): prose lines add their length in words (half for
   a NEAR sentence, nothing for an unpunctuated NEAR line such as a headline, half again for a prose
   line with no prose neighbour, i.e. a teaser excerpt), other lines subtract a penalty that doubles
   after the third line of a gap. That is the densest block of long prose lines; it may hold
   headings, captions and an ad label or two.
3. Section markers inside the core cut it: a comment section ends it, a "Related"/"Most popular"
   section keeps the side with more prose. A list the article introduces ("Tour dates:") or numbers
   ("1) ...", "2) ...") right after the core is added to it.
4. The text is a page dump only when at least `_DUMP_MIN_BEFORE` unexplained non-prose lines lie above
   the core and `_DUMP_MIN_OUTSIDE` in all outside it: a clean article has a title and at most a few
   header lines above its prose and nothing, or furniture the other rules explain, below it.
5. The title is the heading-like line above the first prose line that shares most words with the
   article's opening (the nearest one when none does); what lies between it and the core is the header
   (dek, byline, dates); everything outside the core, and chrome/copies inside it, is furniture.

`might_be_page_dump` is a cheap necessary-in-practice pre-test (four short lines before the second
paragraph) that keeps ordinary articles on the fast path. Everything here is stateless and linear in
the number of lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- single-line web prompts (used by newsds.ingest.parse.txt on every line of every text) ---------------

# Share bars: a line made only of share-button words, with at least one unmistakable one.
_SHARE_STRONG = (
    r"(?:share|tweet|e-?mail|print|pin(?:\s+it)?|whatsapp|facebook|twitter|linkedin|reddit|pinterest"
    r"|flipboard|tumblr|telegram|messenger|pocket|copy\s+link)"
)
_SHARE_WEAK = (
    r"(?:shares?|x|sms|mail|save|bookmark|link|copy|comments?|instagram|youtube|rss|threads|bluesky|google\+?"
    r"|vk|wechat|weibo|\d+(?:\.\d)?[km]?)"
)
_SEP = r"[\s|·•,/]+"
_SOCIAL = (
    r"(?:facebook|twitter|x|linkedin|reddit|pinterest|whatsapp|telegram|messenger|flipboard|tumblr|pocket"
    r"|instagram|youtube|tiktok|threads|bluesky|mastodon|snapchat|e-?mail|sms|google\+?|vk|social(?:\s+media)?)"
)
_SHARE_TARGET = (
    rf"(?:article|story|post|page|link|url|permalink|video|photo|image|gallery|item|quote|options"
    rf"|(?:on|via|to|with|by)\s+{_SOCIAL}|via|(?:to|with)\s+(?:a\s+|your\s+)?friends?)"
)
# (kind, pattern, max words, hints): the pattern must match the whole line (case-insensitive); when hints
# are given, the lower-cased line must contain one of them (a cheap test that skips most body lines).
# The kinds are `newsds.ingest.parse.txt.BOILERPLATE_KINDS` codes.
_PROMPT_RULES: tuple[tuple[str, re.Pattern[str], int, tuple[str, ...]], ...] = tuple(
    (kind, re.compile(pattern, re.I), max_words, hints)
    for kind, pattern, max_words, hints in (
        (
            "cookie_notice",
            r"(?=.*\bcookies?\b)(?=.*\b(?:we|our|this\s+(?:web)?site)\b)(?=.*\b(?:use[sd]?|store|set|collect"
            r"|accept|agree|consent|continu\w*|settings|preferences|policy|opt[\s-]?out)\b).*"
            r"|(?:accept|allow|reject|decline|refuse|manage|customi[sz]e)(?:\s+all)?\s+cookies?.{0,20}"
            r"|cookies?\s+(?:policy|settings|preferences|notice|consent|declaration)"
            r"|we\s+value\s+your\s+privacy.*|your\s+privacy\s+choices|privacy\s+(?:&|and)\s+cookies(?:\s+policy)?"
            r"|do\s+not\s+sell\s+(?:or\s+share\s+)?my\s+(?:personal\s+)?info(?:rmation)?",
            120,
            ("cookie", "privacy", "do not sell"),
        ),
        (
            "newsletter",
            r"(?:[^?]{0,80}\?\s*)?(?:sign\s*up|subscribe|register|join|get|receive|stay\s+(?:up\s+to\s+date"
            r"|informed|updated|in\s+the\s+know|connected))\b.{0,100}?\b(?:newsletters?|inbox|(?:e-?mail|news)"
            r"\s+(?:alerts|updates)|briefings?|digest|mailing\s+list)\b.{0,100}"
            r"|(?=.*\b(?:subscri\w*|sign(?:ed|ing)?[\s-]?up|newsletters?)\b)(?=.*\b(?:newsletters?|inbox"
            r"|mailing\s+list|news\s+service)\b)(?=.*\b(?:you|your|our|us|we|please|thanks?)\b).*"
            r"|(?:e-?mail\s+|daily\s+|weekly\s+)?newsletters?(?:\s+sign[\s-]?up)?|subscribe(?:\s+(?:now|today|here))?"
            r"|sign\s+up(?:\s+(?:now|today|here))?|enter\s+your\s+e-?mail(?:\s+address)?",
            35,
            ("newsletter", "inbox", "mail", "alert", "briefing", "digest", "subscri", "sign", "news service"),
        ),
        (
            "share",
            rf"(?:{_SHARE_WEAK}{_SEP})*{_SHARE_STRONG}(?:{_SEP}(?:{_SHARE_STRONG}|{_SHARE_WEAK}))*"
            rf"|(?:click\s+(?:here\s+)?to\s+)?(?:share|tweet|e-?mail|print|pin|send)(?:\s+(?:this|it|the))?"
            rf"\s+{_SHARE_TARGET}(?:\s+\(.*\))?"
            r"|(?:show\s+more|hide|close(?:\s+extra)?|more)\s+sharing\s+options|share\s+via|sharing\s+is\s+caring"
            rf"|(?:follow|like|find|join|connect\s+with)\s+(?:us|me|him|her|them|@\w+|[\w.'’-]+(?:\s+[\w.'’-]+)"
            rf"{{0,3}}?)(?:\s+on\s+{_SOCIAL}\b.*|\s*@\w+.*)",
            20,
            (),
        ),
        (
            "advertisement",
            r"[\s\-–—_*]*(?:(?:sponsored\s+)?(?:advertisement|advertising|advert|ads?)(?:\s*[-–—:]\s*.{0,60})?"
            r"|sponsored(?:\s+(?:content|post|links?|stories|by\b.*))?|paid\s+(?:content|post|partnership"
            r"|for\s+by\b.*)|promoted(?:\s+(?:content|stories|links?))?|partner\s+content|ad\s+feedback"
            r"|(?:story|article|text)\s+continues\s+(?:below|after)(?:\s+(?:this\s+)?(?:advertisement|ad))?"
            r"|scroll\s+(?:down\s+)?to\s+continue(?:\s+with\s+content)?|report\s+(?:this\s+)?ad)[\s\-–—_*]*",
            12,
            (),
        ),
        (
            "read_more",
            r"(?:continue|keep)\s+reading(?:\s+(?:the\s+)?(?:main\s+)?(?:story|article|below|here|on\s+\S+))?"
            r"\W{0,3}|read\s+(?:the\s+)?(?:full|whole|entire|complete|rest\s+of\s+the|original)\s+(?:article"
            r"|story|post|report|piece|interview|text|review)(?:\s+(?:here|at|on)\b.*)?\W{0,3}"
            r"|click\s+here\s+to\s+read(?:\s+more|\s+the\s+full\s+\w+)?\W{0,3}|to\s+read\s+the\s+full\s+story",
            12,
            ("read",),
        ),
    )
)


_LONGEST_PROMPT = max(max_words for _, _, max_words, _ in _PROMPT_RULES)


def contains_any(low: str, hints: tuple[str, ...]) -> bool:
    """Whether `low` contains one of `hints` (plain substring tests: much faster than a regex alternation)."""
    return any(map(low.__contains__, hints))


def prompt_kind(s: str, n: int, low: str) -> str | None:
    """The kind of a stand-alone web prompt line (cookie notice, newsletter, share, advertisement, read
    more), or None; `n` is its word count and `low` the line lower-cased."""
    if n > _LONGEST_PROMPT:
        return None
    for kind, pattern, max_words, hints in _PROMPT_RULES:
        if n <= max_words and (not hints or contains_any(low, hints)) and pattern.fullmatch(s):
            return kind
    return None


# --- page dumps: the main-content step --------------------------------------------------------------

# Very common function words of the languages news pages mostly come in (en, es, pt, fr, it, de, nl,
# id, ru). Prose has many of them; menus, headlines and link lists have few.
_STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just me more most my no nor
    not now of off on once only or other our ours out over own same she should so some such than that
    the their theirs them then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours said says one new like
    de la que el en y los del se las por un para con una su al lo como más pero sus le ya o este sí
    porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos
    uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él
    do da em um para é com não uma os no na por mais as dos como mas foi ao ele das tem à seu sua ou ser
    quando muito há nos já está eu também só pelo pela até isso ela entre era depois sem mesmo aos ter
    seus quem nas esse eles estão você tinha foram essa num nem suas meu às minha têm numa pelos elas
    le les des est et du en une pour dans qui ne pas au sur plus par je avec il ce sont aux ou son sa
    ses mais nous vous leur elle été être cette ont comme fait bien où
    il di che è e la per una in un non sono da del della dei nel si le gli alla ma anche come ha lo
    più al delle questo suo sua nella con degli ci essere tra stato hanno
    der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden
    aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur
    oder aber vor zur bis mehr durch man sein wurde sei
    het een van en ik te dat die in is niet op aan met zijn voor er maar om hem dan zou of wat mijn
    men dit zo door over ze bij ook tot je mij uit der daar haar naar heb hoe heeft hebben deze
    yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada karena oleh saya kita
    mereka bisa atau sudah telah kami adalah lebih harus
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
    было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до
    вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя
    их чем была сам чтобы без будто чего раз тоже себе под будет ж тогда кто этот того потому этого
    какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно
    при наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве
    три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно
    всю между это
    """.split()
)
_TOKEN = re.compile(r"\w+(?:['’]\w+)?")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]»]*$")
_SENTENCE_INSIDE = re.compile(r"\w[.!?。][\"'”’)»]*\s+[\"'“‘(«]*[A-ZÀ-ÖØ-ÞА-Я0-9]")
_LIST_NUMBER = re.compile(r"#?(\d{1,2})[.)]\s+\S")
_TAIL = 12  # the end of a line that the "cut off" and "ends a sentence" tests look at
_HAS_WORD = re.compile(r"[^\W_]")
_TRUNCATED = re.compile(r"\w\s?(?:\.\.\.|…)[\"'”’)\]]*$|\[(?:\.\.\.|…)\]$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

GOOD, NEAR, SHORT, BAD, NOISE = 3, 2, 1, 0, 4  # NOISE: no letters or digits at all (neutral)

_GOOD_WORDS = 12  # a prose line of at least this many words (with prose features) is GOOD
_LONG_WORDS = 24  # ... and so is a line of prose this long without any punctuation
_NEAR_WORDS = 6  # shorter prose lines are NEAR: kept inside the core, not enough to build one
_GOOD_STOP = 0.25  # stop-word share of a prose line
_NEAR_STOP = 0.18
_MIN_STOP = 0.1  # below this share of stop words a line is prose only if it is in a language we lack
_GOOD_LOWER, _NEAR_LOWER = 0.6, 0.5  # ... then the share of lower-case words must show it is prose
_CJK_GOOD_CHARS = 60  # unspaced scripts: characters instead of words
_CJK_MIN_CHARS = 8
_CJK_SENTENCE = re.compile(r"[。！？、]|[!?]$")

# Core scoring: prose lines add their words, anything else subtracts a penalty.
_PENALTY = {NEAR: 0.0, SHORT: 4.0, BAD: 12.0, NOISE: 0.0}
_ISOLATED_GAIN = 0.5  # share of its words a prose line with no prose neighbour adds (teaser excerpts)
_LONG_GAP = 3  # in a run of non-prose lines, each line after the third ...
_LONG_GAP_FACTOR = 2.0  # ... costs this many times its penalty: long runs are other page regions
_NEAR_GAIN = 0.5  # share of a NEAR line's words it adds

# A page is a dump when at least this many unexplained lines lie above the core (a clean article has
# a title and a few header lines there) and this many in all outside it.
_DUMP_MIN_BEFORE = 4
_DUMP_MIN_OUTSIDE = 6
_PRE_TEST_LONG_LINES = 1

_TITLE_SEARCH = 30  # lines above the core searched for the title
_TITLE_MIN_WORDS, _TITLE_MAX_WORDS = 3, 24
_TITLE_MIN_OVERLAP = 0.34  # share of the title's content words found in the article
_TITLE_SMOOTHING = 2  # added to a candidate's word count, so that two-word lines do not win by chance
_TITLE_MARGIN = 0.1  # a farther candidate must share this much more to win
_TITLE_LEDE_LINES = 8  # the title is compared with the article's first prose lines
_TITLE_MAX_COPIES = 3  # a line the page shows more often is a button or a label, not the title
_TITLE_NEAR = 8  # without word overlap, the nearest heading-like line this close is the title

# Lines that are page chrome wherever they stand in a dump (menus, account, navigation widgets).
_CHROME = re.compile(
    r"skip\s+to\s+(?:main\s+)?(?:content|navigation|search|footer)|(?:main\s+)?menu|toggle\s+\w+"
    r"|(?:open|close)(?:\s+(?:menu|search|navigation|extra\s+sharing\s+options))?|search(?:\s+\S+){0,2}"
    r"|home(?:page)?|sign\s*(?:in|up|out)|log\s*(?:in|out|on)|register|my\s+account|account|profile"
    r"|edit\s+profile|subscribe(?:\s+now|\s+today)?|subscriptions?|back\s+to\s+top|return\s+to\s+top"
    r"|top\s+of\s+page|go\s+to\s+top|scroll\s+to\s+top|loading\.*|please\s+wait\.*|more|less|show\s+more"
    r"|see\s+(?:more|all)|view\s+all|load\s+more|next|previous|prev|close|caption|expand|collapse"
    r"|hide\s+caption|toggle\s+caption|enlarge\s+this\s+image|image|photo|video|gallery|play|pause"
    r"|watch(?:\s+now|\s+live)?|listen(?:\s+now)?|live|(?:got\s+it|i\s+agree|i\s+accept|accept|ok(?:ay)?)!?"
    r"|privacy(?:\s+(?:policy|notice|settings|centre|center))?|terms(?:\s+(?:of\s+(?:use|service)"
    r"|and\s+conditions|&\s+conditions))?|contact(?:\s+us)?|about(?:\s+us)?|advertise(?:\s+with\s+us)?"
    r"|careers?|jobs|faqs?|help|site\s*map|rss(?:\s+feeds?)?|newsletters?|podcasts?|archives?"
    r"|breaking(?:\s+news)?|trending|latest|sections?|topics|follow(?:\s+us)?|connect(?:\s+with\s+us)?"
    r"|[<>«»›‹←→↑↓▲▼×✕|/·•*#-]+|\d+|\d+\s*(?:/|of)\s*\d+|(?:image|photo|slide|picture)s?\s+\d+\s+(?:/|of)\s+\d+"
    r"|(?:updated\s+|posted\s+)?\d+\s*(?:min(?:ute)?s?|h(?:ours?|rs?)?|d(?:ays?)?|weeks?|months?)\s+(?:read|ago)\b.*"
    r"|(?:just\s+now|yesterday|today)"
    r"|https?://\S+|www\.\S+|\S+@\S+\.\w+|@\w+",
    re.I,
)


@dataclass(frozen=True)
class Article:
    """Where the article is in a page dump (indices into the lines given to `locate_article`)."""

    title: int | None  # the title line, when one can be told
    start: int  # first line of the prose core
    end: int  # one past its last line
    furniture: tuple[bool, ...]  # lines that are page furniture (outside the core, or chrome inside it)


def _lower_share(tokens: list[str]) -> float:
    """Share of the cased words that start with a lower-case letter (prose) rather than a capital."""
    firsts = [t[0] for t in tokens]
    lower = sum(map(str.islower, firsts))
    cased = lower + sum(map(str.isupper, firsts))
    return lower / cased if cased else 0.0


def is_table_row(s: str) -> bool:
    """A Markdown table row ("| a | b |"), as extractors write tables: article content, not chrome."""
    return len(s) > 2 and s.startswith("|") and s.endswith("|")


def line_class(s: str, known_furniture: bool) -> int:
    """GOOD, NEAR, SHORT, BAD or NOISE for one stripped line on its own."""
    if known_furniture:
        return BAD
    if is_table_row(s):
        return NEAR
    if _HAS_WORD.search(s) is None:
        return NOISE
    cjk = 0 if s.isascii() else len(_CJK.findall(s))
    if cjk >= _CJK_MIN_CHARS:  # Chinese, Japanese, Korean: characters and full stops instead of words
        sentence_cjk = _CJK_SENTENCE.search(s) is not None
        if cjk >= _CJK_GOOD_CHARS and sentence_cjk:
            return GOOD
        return NEAR if sentence_cjk or cjk >= _CJK_GOOD_CHARS // 2 else SHORT
    tokens = s.split()
    n = len(tokens)
    if n < _NEAR_WORDS:
        return BAD if _CHROME.fullmatch(s) else SHORT
    if _TRUNCATED.search(s[-_TAIL:]):
        return BAD  # a teaser cut off mid-sentence ("... may soon...")
    stop = sum(map(_STOP_WORDS.__contains__, s.lower().split())) / n
    ended = _SENTENCE_END.search(s[-_TAIL:]) is not None
    sentence = ended or "," in s or _SENTENCE_INSIDE.search(s) is not None
    prose = stop >= _GOOD_STOP or (stop >= _MIN_STOP and _lower_share(tokens) >= _GOOD_LOWER)
    long_prose = n >= _LONG_WORDS and _lower_share(tokens) >= _GOOD_LOWER  # a site that drops full stops
    if prose and ((n >= _GOOD_WORDS and sentence) or long_prose):
        return GOOD
    if stop >= _NEAR_STOP or ended or _lower_share(tokens) >= _NEAR_LOWER:
        return NEAR
    return SHORT if n < _GOOD_WORDS or stop >= _NEAR_STOP else BAD


def _isolated(classes: list[int]) -> list[bool]:
    """Prose lines whose nearest non-noise neighbours on both sides are not prose (teaser excerpts)."""
    prose = [c in (GOOD, NEAR) for c in classes]
    out = [False] * len(classes)
    prev = False
    for i, c in enumerate(classes):
        out[i] = not prev
        if c != NOISE:
            prev = prose[i]
    nxt = False
    for i in range(len(classes) - 1, -1, -1):
        out[i] = out[i] and not nxt and prose[i]
        if classes[i] != NOISE:
            nxt = prose[i]
    return out


def _core(classes: list[int], sizes: list[int], ended: list[bool]) -> tuple[int, int, float]:
    """Maximum-sum run of lines (Kadane): prose lines add their words, the others a penalty."""
    best, best_start, best_end = 0.0, 0, 0
    run, run_start = 0.0, 0
    isolated = _isolated(classes)
    gap = 0
    for i, (c, n) in enumerate(zip(classes, sizes, strict=True)):
        gain = float(n) if c == GOOD else n * _NEAR_GAIN if c == NEAR else -_PENALTY[c]
        if c == NEAR and not ended[i]:
            gain = 0.0  # an unpunctuated line (headline, list item) neither builds nor breaks a core
        if isolated[i]:
            gain *= _ISOLATED_GAIN
        if c in (SHORT, BAD):
            gap += 1
            if gap > _LONG_GAP:
                gain *= _LONG_GAP_FACTOR
        elif c != NOISE:
            gap = 0

        if run <= 0:
            run, run_start = 0.0, i
        run += gain
        if run > best:
            best, best_start, best_end = run, run_start, i + 1
    return best_start, best_end, best


def _content_words(s: str) -> set[str]:
    """Stems (first five letters) of the words that are not stop words; character pairs for unspaced
    scripts."""
    words = {t[:5] for t in _TOKEN.findall(s.lower()) if len(t) > 2 and t not in _STOP_WORDS}
    if not s.isascii():
        cjk = "".join(_CJK.findall(s))
        words.update(cjk[i : i + 2] for i in range(len(cjk) - 1))
    return words


def _size(s: str) -> int:
    """Length in words; unspaced scripts count one word per two characters."""
    return max(len(s.split()), 0 if s.isascii() else len(_CJK.findall(s)) // 2)


def _title_like(s: str, cls: int) -> bool:
    n = _size(s)
    if cls in (BAD, NOISE) or not _TITLE_MIN_WORDS <= n <= _TITLE_MAX_WORDS or _CHROME.fullmatch(s):
        return False
    return not s.rstrip("\"'”’)]»").endswith((".", ":", ";", ","))


def _find_title(
    texts: list[str], own: list[int], count: dict[str, int], first_prose: int, core_words: set[str]
) -> int | None:
    """The heading-like line above the article's first prose line that shares most words with the
    article; failing that, the nearest heading-like line without a full stop."""
    best: int | None = None
    best_score = 0.0
    nearest: int | None = None
    distance = 0  # lines above the first prose line, not counting furniture and noise
    for i in range(first_prose - 1, max(-1, first_prose - 1 - _TITLE_SEARCH), -1):
        distance += own[i] not in (BAD, NOISE)
        if not _title_like(texts[i], own[i]) or count[texts[i]] > _TITLE_MAX_COPIES:
            continue
        if nearest is None and distance <= _TITLE_NEAR and _size(texts[i]) > _TITLE_MIN_WORDS:
            nearest = i
        words = _content_words(texts[i])
        score = len(words & core_words) / (len(words) + _TITLE_SMOOTHING)
        if score > best_score + _TITLE_MARGIN:
            best, best_score = i, score
    if best is not None and best_score >= _TITLE_MIN_OVERLAP:
        return best
    return nearest


def _cut_at_breaks(
    classes: list[int], sizes: list[int], markers: list[str | None], start: int, end: int
) -> tuple[int, int]:
    """Cut the core at the section markers inside it: a comment section ends it; a related / navigation
    section keeps the side of it with more prose."""
    prose = [n if c == GOOD else 0 for c, n in zip(classes, sizes, strict=True)]
    before, after = 0, sum(prose[start:end])
    i = start
    while i < end:
        after -= prose[i]
        if markers[i] is not None and before > 0:
            if markers[i] == "comments" or after < before:
                return start, i
            start = next((j for j in range(i + 1, end) if classes[j] == GOOD), end)
            before, after = 0, sum(prose[start:end])
            i = start
            continue
        before += prose[i]
        i += 1
    return start, end


def _extend_over_list(
    texts: list[str], classes: list[int], known: list[bool], markers: list[str | None], end: int
) -> int:
    """Extend the core over a list the article introduces ("Tour dates:") or numbers ("1) ...", "2) ...")."""
    n = len(texts)
    if end == 0 or end >= n or known[end] or markers[end] is not None:
        return end
    expected, j, numbered = 1, end, end
    while j < n and j - numbered <= 3 and not known[j] and markers[j] is None:
        m = _LIST_NUMBER.match(texts[j])
        if m is not None and int(m.group(1)) == expected:
            expected, numbered = expected + 1, j + 1
        j += 1
    numbered = numbered if expected > 3 else end
    intro = end - 1 if texts[end - 1].endswith(":") else end if texts[end].endswith(":") else -1
    j = intro + 1
    if intro >= 0:
        while j < n and not known[j] and markers[j] is None and classes[j] not in (GOOD, NOISE):
            if _CHROME.fullmatch(texts[j]):
                break
            j += 1
    return max(numbered, j if j > intro + 1 else end)


def _outside_counts(
    classes: list[int], known: list[bool], markers: list[str | None], start: int, end: int
) -> tuple[int, int]:
    """Unexplained non-prose lines (no single-line kind, not in a marker section) before / after the core."""
    before = sum(not k and c != GOOD for c, k in zip(classes[:start], known[:start], strict=True))
    after = 0
    for i in range(end, len(known)):
        if markers[i] is not None:
            break  # a marker section runs to the end: the marker rules explain the tail
        after += not known[i] and classes[i] != GOOD
    return before, after


def _looks_like_dump(
    classes: list[int], known: list[bool], markers: list[str | None], start: int, end: int
) -> bool:
    before, after = _outside_counts(classes, known, markers, start, end)
    return before >= _DUMP_MIN_BEFORE and before + after >= _DUMP_MIN_OUTSIDE


def might_be_page_dump(texts: list[str], labels: list[str | None]) -> bool:
    """Cheap pre-test: a page dump opens with page furniture, so at least `_DUMP_MIN_BEFORE` short
    unlabelled lines (menu items) come before its second paragraph (a long line ending a sentence; the
    first may be a banner)."""
    if len(texts) < _DUMP_MIN_OUTSIDE + 2:
        return False
    short = long = 0
    for s, label in zip(texts, labels, strict=True):
        if label is not None:
            continue
        if s.count(" ") >= _GOOD_WORDS - 1 and _SENTENCE_END.search(s[-_TAIL:]):
            long += 1
            if long > _PRE_TEST_LONG_LINES:
                return False
        else:
            short += 1
            if short >= _DUMP_MIN_BEFORE:
                return True
    return False


def locate_article(texts: list[str], known: list[bool], markers: list[str | None]) -> Article | None:
    """The article region of a page dump, or None when the text does not look like one.

    `texts` are the stripped non-empty lines; `known[i]` says line i was already classified as
    furniture by a single-line rule (it counts against the core like any furniture line); `markers[i]`
    is the kind of a section marker line ("related", "comments", ...), which can end the core.
    """
    if len(texts) < _DUMP_MIN_OUTSIDE + 2:
        return None
    count: dict[str, int] = {}
    for s in texts:
        count[s] = count.get(s, 0) + 1
    first: dict[str, int] = {}
    repeat = [first.setdefault(s, i) != i for i, s in enumerate(texts)]  # a later copy of an earlier line
    own = [line_class(s, k) for s, k in zip(texts, known, strict=True)]
    classes = list(own)
    for i, s in enumerate(texts):
        if classes[i] == NOISE:
            continue
        repeated = (repeat[i] or count[s] > 1) and not is_table_row(s)  # tables repeat their header rows
        if markers[i] is not None or (repeated and (repeat[i] or classes[i] != GOOD)):
            classes[i] = BAD  # section markers, copies, short lines the page repeats (menus, captions)
    sizes = [_size(s) for s in texts]
    ended = [_SENTENCE_END.search(s) is not None for s in texts]
    start, end, score = _core(classes, sizes, ended)
    if score <= 0:
        return None
    start, end = _cut_at_breaks(classes, sizes, markers, start, end)
    end = _extend_over_list(texts, classes, known, markers, end)
    if not _looks_like_dump(classes, known, markers, start, end):
        return None
    core_words: set[str] = set()
    for i in [i for i in range(start, end) if classes[i] == GOOD][:_TITLE_LEDE_LINES]:
        core_words |= _content_words(texts[i])
    first_prose = next((i for i in range(start, end) if classes[i] == GOOD), start)
    title = _find_title(texts, own, count, first_prose, core_words)
    furniture = [
        not (start <= i < end)
        or classes[i] == NOISE
        or (
            classes[i] == BAD
            and not known[i]
            and markers[i] is None
            and (repeat[i] or _CHROME.fullmatch(texts[i]) is not None)
        )
        for i in range(len(texts))
    ]
    if title is not None:
        furniture[title] = False
    return Article(title, start, end, tuple(furniture))
