"""Main-content detection for page dumps: tell article lines from page furniture, line by line.

A page dump is the whole visible text of a web page pasted into a .txt file: menus, section links,
login prompts, share bars, cookie banners, related-article lists and footers around the article. The
article is the one dense run of prose lines; furniture is mostly short lines without sentences.

The step works like jusText / boilerpipe, on lines instead of DOM blocks:
1. Each line gets a class from its own features: GOOD (a long line of prose: enough words, a high
   share of stop words or lower-case words, sentence punctuation), NEAR (shorter prose), SHORT (few
   words: menu items, headings, labels) or BAD (known furniture, or a long line that is not prose).
2. The core is the maximum-sum run of lines where prose lines score their length and every other line
   a penalty: the densest block of long prose lines, which may hold headings and an ad label or two.
3. The page is a dump only when many unexplained lines lie outside that core (clean articles have a
   title and a few header lines above their prose and nothing, or labelled furniture, below it).
4. Inside the core, known furniture lines go; headings and short paragraphs stay. The title is the
   heading-like line above the core that shares most words with the article; the lines between it and
   the core are the header (dek, byline, dates), the rest of the page is furniture.

Everything here is stateless and linear in the number of lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_HAS_WORD = re.compile(r"[^\W_]")
_TRUNCATED = re.compile(r"\w\s?(?:\.\.\.|…)[\"'”’)\]]*$|\[(?:\.\.\.|…)\]$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

GOOD, NEAR, SHORT, BAD, NOISE = 3, 2, 1, 0, 4  # NOISE: no letters or digits at all (neutral)

_GOOD_WORDS = int(
    __import__("os").environ.get("GW", "12")
)  # a prose line of at least this many words (with prose features) is GOOD
_NEAR_WORDS = 6  # shorter prose lines are NEAR: kept inside the core, not enough to build one
_GOOD_STOP = float(__import__("os").environ.get("GS", "0.25"))  # stop-word share of a prose line
_NEAR_STOP = 0.18
_CJK_GOOD_CHARS = 60  # unspaced scripts: characters instead of words
_CJK_MIN_CHARS = 8
_CJK_SENTENCE = re.compile(r"[。！？、]|[!?]$")

# Core scoring: prose lines add their words, anything else subtracts a penalty.
_PENALTY = {
    NEAR: 0.0,
    SHORT: float(__import__("os").environ.get("PS", "4")),
    BAD: float(__import__("os").environ.get("PB", "8")),
    NOISE: 0.0,
}
_ISO = float(__import__("os").environ.get("ISO", "1"))
_NEAR_GAIN = 0.5  # share of a NEAR line's words it adds

# A page is a dump when at least this many unexplained lines lie above the core (a clean article has
# a title and a few header lines there) and this many in all outside it.
_DUMP_MIN_BEFORE = 4
_DUMP_MIN_OUTSIDE = 6

_TITLE_SEARCH = 30  # lines above the core searched for the title
_TITLE_MIN_WORDS, _TITLE_MAX_WORDS = 3, 24
_TITLE_MIN_OVERLAP = 0.34  # share of the title's content words found in the article
_TITLE_MARGIN = 0.1  # a farther candidate must share this much more to win
_TITLE_NEAR = 12  # without word overlap, the nearest heading-like line this close is the title

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


def _stop_share(tokens: list[str]) -> float:
    return sum(t.lower() in _STOP_WORDS for t in tokens) / len(tokens) if tokens else 0.0


def _lower_share(tokens: list[str]) -> float:
    cased = [t for t in tokens if t[0].isalpha() and t[0].lower() != t[0].upper()]
    return sum(t[0].islower() for t in cased) / len(cased) if cased else 0.0


def line_class(s: str, known_furniture: bool) -> int:
    """GOOD, NEAR, SHORT or BAD for one stripped line on its own."""
    if known_furniture:
        return BAD
    if _HAS_WORD.search(s) is None:
        return NOISE
    cjk = 0 if s.isascii() else len(_CJK.findall(s))
    if cjk >= _CJK_MIN_CHARS:  # Chinese, Japanese, Korean: characters and full stops instead of words
        sentence_cjk = _CJK_SENTENCE.search(s) is not None
        if cjk >= _CJK_GOOD_CHARS and sentence_cjk:
            return GOOD
        return NEAR if sentence_cjk or cjk >= _CJK_GOOD_CHARS // 2 else SHORT
    tokens = _TOKEN.findall(s)
    n = len(tokens)
    if n < _NEAR_WORDS:
        return BAD if _CHROME.fullmatch(s) else SHORT
    if _TRUNCATED.search(s):
        return BAD  # a teaser cut off mid-sentence ("... may soon...")
    stop, lower = _stop_share(tokens), _lower_share(tokens)
    sentence = bool(_SENTENCE_END.search(s) or _SENTENCE_INSIDE.search(s) or "," in s)
    prose = stop >= _GOOD_STOP or (lower >= 0.6 and stop >= 0.1)
    if n >= _GOOD_WORDS and prose and sentence:
        return GOOD
    if stop >= _NEAR_STOP or lower >= 0.5 or (sentence and _SENTENCE_END.search(s)):
        return NEAR
    return SHORT if n < _GOOD_WORDS else BAD


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


def _core(classes: list[int], sizes: list[int]) -> tuple[int, int, float]:
    """Maximum-sum run of lines (Kadane): prose lines add their words, the others a penalty."""
    best, best_start, best_end = 0.0, 0, 0
    run, run_start = 0.0, 0
    isolated = _isolated(classes)
    for i, (c, n) in enumerate(zip(classes, sizes, strict=True)):
        gain = float(n) if c == GOOD else n * _NEAR_GAIN if c == NEAR else -_PENALTY[c]
        if isolated[i]:
            gain *= _ISO

        if run <= 0:
            run, run_start = 0.0, i
        run += gain
        if run > best:
            best, best_start, best_end = run, run_start, i + 1
    return best_start, best_end, best


def _content_words(s: str) -> set[str]:
    """Lower-cased words that are not stop words; character pairs for unspaced scripts."""
    words = {t.lower() for t in _TOKEN.findall(s) if len(t) > 2 and t.lower() not in _STOP_WORDS}
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


def _find_title(texts: list[str], own: list[int], first_prose: int, core_words: set[str]) -> int | None:
    """The heading-like line above the article's first prose line that shares most words with the
    article; failing that, the nearest heading-like line without a full stop."""
    best: int | None = None
    best_score = 0.0
    nearest: int | None = None
    for i in range(first_prose - 1, max(-1, first_prose - 1 - _TITLE_SEARCH), -1):
        if not _title_like(texts[i], own[i]):
            continue
        if nearest is None and first_prose - i <= _TITLE_NEAR and _size(texts[i]) > _TITLE_MIN_WORDS:
            nearest = i
        words = _content_words(texts[i])
        score = len(words & core_words) / len(words) if words else 0.0
        if score > best_score + _TITLE_MARGIN:
            best, best_score = i, score
    if best is not None and best_score >= _TITLE_MIN_OVERLAP:
        return best
    return nearest


def _cut_at_breaks(
    classes: list[int], sizes: list[int], markers: list[str | None], start: int, end: int
) -> int:
    """End the core at a section marker inside it: always at a comment section, at a related / navigation
    section when less prose follows it than precedes it."""
    prose = [n if c == GOOD else 0 for c, n in zip(classes, sizes, strict=True)]
    before, after = 0, sum(prose[start:end])
    for i in range(start, end):
        after -= prose[i]
        if markers[i] is not None and before > 0 and (markers[i] == "comments" or after < before):
            return i
        before += prose[i]
    return end


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
    """Unexplained non-prose lines (no single-line kind, not in a marker section) before and after the core."""
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
        if markers[i] is not None or repeat[i] or (count[s] > 1 and classes[i] != GOOD):
            classes[i] = BAD  # section markers, copies, short lines the page repeats (menus, captions)
    sizes = [_size(s) for s in texts]
    start, end, score = _core(classes, sizes)
    if score <= 0:
        return None
    end = _cut_at_breaks(classes, sizes, markers, start, end)
    end = _extend_over_list(texts, classes, known, markers, end)
    if not _looks_like_dump(classes, known, markers, start, end):
        return None
    core_words: set[str] = set()
    for i in range(start, end):
        if classes[i] == GOOD:
            core_words |= _content_words(texts[i])
    first_prose = next((i for i in range(start, end) if classes[i] == GOOD), start)
    title = _find_title(texts, own, first_prose, core_words)
    if title is not None:
        pass
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
