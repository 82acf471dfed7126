"""The sentence splitter's rules: word lists and the regular expressions built from them.

Why regexes, and why this shape: `newsds.sentences` runs them with Polars over a whole column of
documents, where Rust's `regex` crate scans hundreds of megabytes per second but has no look-around
(and with Python's `re` on single texts: every pattern is written in the syntax both accept). Context
is therefore handled by marking passes that each replace one character by one character, which keeps
every character offset valid:

1. `KEEP_PERIOD`: the period of an abbreviation or initial ("Gov.", "U.S.", "J.") becomes `NOT_A_STOP`;
2. `RESTORE_PERIOD`: it turns back into a period where the next word opens a sentence ("in the U.S. The
   talks …") or is an image credit;
3. cuts: a space becomes `CUT` where a sentence ends without punctuation: after a dateline ("DENVER
   (AP) —") or a date line at the start of a line, before a caption credit label glued to the caption
   ("… at the harbour Photo: Jane Doe/Reuters"), and before a sentence-opening function word glued to a
   heading or name line ("… Harbour Board In the end the vote …");
4. `SENTENCE`: one match per sentence, with its surrounding whitespace, so that the matches tile the text.
   A sentence ends at a newline, at a `CUT`, or at terminal punctuation (with its closing quotes and
   brackets) followed by whitespace and something other than a lower-case word: "?" inside a quote
   followed by "she asked" does not end it, nor does "3.5", "$1.2bn", a URL or an e-mail address.

Everything here is general English news usage; none of it names a particular article, site or page,
and none quotes evaluation gold (`tests/test_no_gold_in_code.py` checks the last). The examples in
comments are made up. Each rule's comment states the general pattern it encodes.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

# Unicode noncharacters: reserved for internal use, so they do not occur in real text (a document that
# does contain one has it swapped for NOT_A_MARKER first, which the rules read as a letter).
NOT_A_STOP = "\ufdd0"
CUT = "\ufdd1"
MARKERS = NOT_A_STOP + CUT
NOT_A_MARKER = "\ufdd2"

# Python's str.isspace() decides what is whitespace, in the regexes (never \s, whose meaning differs
# between Rust and Python) and when a sentence's ends are stripped.
SPACE_CHARS = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def char_set(chars: str) -> str:
    """The inside of a character class matching exactly `chars`, as ranges with portable escapes."""
    codes = sorted({ord(c) for c in chars})
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        first, last = _escape(codes[i]), _escape(codes[j])
        parts.append(first if i == j else first + last if j == i + 1 else f"{first}-{last}")
        i = j + 1
    return "".join(parts)


def _escape(code: int) -> str:
    c = chr(code)
    if c in "\\.+*?()|[]{}^$#&-~":  # escaped: meta characters in either dialect
        return "\\" + c
    if c.isascii() and c.isprintable() and c != " ":
        return c
    return f"\\x{{{code:x}}}"


_WS = char_set(SPACE_CHARS)
# Zero-width: the previous character is an ASCII letter, digit or underscore (and the next one is not).
WORD_END = r"(?-u:\b)"
WS = f"[{_WS}]"
NOT_WS = f"[^{_WS}]"
H = f"[{char_set(SPACE_CHARS.replace(chr(10), ''))}]"  # whitespace within a line

TERMINALS = ".!?…"
# After terminal punctuation, every quote (even a “ typed as a closer) and bracket belongs to the sentence.
CLOSERS = "\"'”’“‘»«)]}"
_T = f"[{char_set(TERMINALS)}]"
_TC = f"[{char_set(TERMINALS + CLOSERS)}]"
# After a terminal and a space these carry the sentence on: a lower-case word ("?" she asked), a comma,
# a closing bracket or quote, a dash, or more dots of a spaced ellipsis. Not a digit or a capital.
_CONTINUES = "[a-z" + char_set("ßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ,;:)]}%/&+=<>|-–—”’" + TERMINALS) + "]"
_UPPER = "[A-Z" + char_set("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ") + "]"
_LETTER = "[A-Za-z" + char_set("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ") + "]"

# Words that end in a period without ending the sentence (titles, months, company and address words,
# US state abbreviations, Latin), unless the next word usually opens a sentence.
ABBREVIATIONS = tuple(
    """
    Mr Mrs Ms Messrs Mmes Mme Mlle Dr Drs Prof Profs Gov Govs Sen Sens Rep Reps Lt Col Gen Gens Maj Capt Cpt
    Sgt Cpl Pvt Cmdr Cdr Adm Brig Lieut Pres Supt Det Insp Rev Revd Hon Atty Amb Fr Msgr Rt Jr Sr St Mt Ft
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun
    Inc Ltd Co Corp Cos Bros Assn Assoc Dept Univ Inst Ave Blvd Rd Hwy Sq Pkwy No Nos Vol Vols Fig Figs
    Ch Op Art Sec Ed Eds Est est approx vs etc al cf viz ca pp p Calif Fla Ill Mass Mich Minn Penn Tenn
    Tex Wash Conn Ariz Colo Okla Ore Wis Wyo Nev Neb Kan Ky La Md Mo Mont Pa Va Vt Ga Ind Del Adj
    """.split()
)
# Capitalised function words that open sentences. After an abbreviation they mark a boundary ("in the
# U.S. The talks …"); any other capitalised word does not ("U.S. President …", "Gov. Smith").
SENTENCE_OPENERS = tuple(
    """
    The A An He She It They We I You This That These Those There Here His Her Its Their Our My Your
    In On At As But And Or So Yet However Meanwhile Also After Before When While If Since Although Though
    According What Who Why How Where Which Now Then Today Yesterday Last Next Many Some Most All Both Each
    Every No Not One Two Three For From To With By Under Over Despite During Still Instead Later Earlier
    """.split()
)

# Labels of a picture credit ("Photo: Jane Doe/Reuters", "Image credit: NASA"). General pattern: a credit
# names where a picture comes from and is never part of the caption's sentence, so it starts a sentence
# even with no punctuation before it (captions lose their line break when a page is flattened to text).
CREDIT_LABELS = (
    *(
        f"{word}{plural}{extra}:"
        for word in ("Image", "Photo", "Photograph", "Picture", "Video", "Illustration")
        for plural in ("", "s")
        for extra in ("", " credit")
    ),
    "Credit:",
    "Credits:",
)

_MONTHS = "January February March April May June July August September October November December".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A non-capturing alternation of literal words, longest first."""
    return "(?:" + "|".join(sorted({w.replace(".", r"\.") for w in words}, key=lambda w: (-len(w), w))) + ")"


@dataclass(frozen=True)
class Pass:
    """A replace-all pass: Rust (Polars) pattern and replacement, with Python equivalents derived.

    `python` overrides the translated pattern where Python's backtracking engine needs help to be fast;
    its replacements must give exactly the same text (tests check the two executors agree).
    `prefix_space`: the Python pattern runs on " " + text (so that it can start with a character class
    instead of `(^|…)`).
    `needs`: substrings one of which the text must contain for the pattern to match (a fast pre-check).
    `line_start`: the pattern only matches at the start of a line (Python tries it there alone).
    """

    rust: str
    replacement: str
    python: str | None = None
    prefix_space: bool = False
    needs: tuple[str, ...] = ()
    line_start: bool = False

    def python_pattern(self) -> str:
        return to_python(self.python if self.python is not None else self.rust)

    def python_replacement(self) -> str:
        return re.sub(r"\$\{(\d+)\}", r"\\g<\1>", self.replacement)


def to_python(pattern: str) -> str:
    r"""A pattern in the shared syntax for Python's `re`: `\x{…}` escapes and the ASCII flag differ."""
    pattern = pattern.replace("(?-u:", "(?a:")
    return re.sub(r"\\x\{([0-9a-f]+)\}", lambda m: f"\\U{int(m.group(1), 16):08x}", pattern)


# --- passes 1 and 2: periods of abbreviations ------------------------------------------------------------
# A dotted abbreviation (U.S., a.m., Ph.D., e.g.), a listed word or a capital initial (J. R. R. Tolkien),
# as a whole word: at the start of the text or after whitespace or a quote or an opening bracket.
_ABBREVIATIONS = alternation(ABBREVIATIONS)
_ABBREVIATION = f"(?:[A-Za-z]{{1,3}}(?:\\.[A-Za-z]{{1,3}})+|{_ABBREVIATIONS}|[A-Z])"
_BEFORE_WORD = "[" + _WS + char_set("\"'“‘”’«»([{") + "]"
KEEP_PERIOD = Pass(
    f"(^|{_BEFORE_WORD})({_ABBREVIATION})\\.",
    "${1}${2}" + NOT_A_STOP,
    # Starting with a class lets Python skip ahead; every abbreviation is 1-6 letters and a period.
    python=f"({_BEFORE_WORD})(?=[A-Za-z]{{1,6}}\\.)({_ABBREVIATION})\\.",
    prefix_space=True,
    needs=(".",),
)
RESTORE_PERIOD = Pass(
    f"{NOT_A_STOP}([\"'”’)\\]]*{H}+(?:{alternation(SENTENCE_OPENERS)}[{_WS},;:'’]|[\"“‘'(]+{_UPPER}"
    f"|{alternation(CREDIT_LABELS)}))",
    ".${1}",
    needs=(NOT_A_STOP,),
)

# --- pass 3: boundaries without punctuation -------------------------------------------------------------
# General pattern: news copy opens with a date line ("Monday, March 2, 2020") or a dateline, the place of
# filing in capitals or as "City, Region" with an optional agency, then a dash ("DENVER (AP) —", "Dayton,
# Ohio, United States -", "Paris (Reuters) -"). Opening a line and followed by a capitalised word, it is a
# sentence of its own.
_MONTH = alternation(_MONTHS + "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()) + r"\.?"
DATE_LINE = f"(?:{alternation(_WEEKDAYS)},{H}+)?{_MONTH}{H}+\\d{{1,2}},{H}+\\d{{4}}"
# (Abbreviation periods are already NOT_A_STOP when this pass runs: "ST. PAUL, Minn. -".)
_PLACE = f"{_UPPER}(?:{_LETTER}|[.'’{NOT_A_STOP}\\-])*"
_CAPS = f"{_UPPER}(?:{_UPPER}|[.'’\\&{NOT_A_STOP}\\-])+"
_PLACES = f"{_PLACE}(?:{H}+{_PLACE}){{0,3}}"
# A news agency in brackets, every word capitalised: "(AP)", "(Reuters)", "(The Associated Press)".
_AGENCY = f"\\({_UPPER}[A-Za-z\\-]*(?:{H}{_UPPER}[A-Za-z\\-]*){{0,3}}\\)"
DATELINE = (
    f"(?:{_CAPS}(?:{H}+{_CAPS}){{0,3}}(?:,{H}*{_PLACES}){{0,3}}(?:{H}*{_AGENCY})?"  # DENVER (AP) —
    f"|{_PLACES}(?:,{H}*{_PLACES}){{1,3}}(?:{H}*{_AGENCY})?"  # Dayton, Ohio -
    f"|{_PLACES}{H}*{_AGENCY})"  # Paris (Reuters) -
    f"{H}*(?:--|[\\-–—―])"
)
_LINE_OPENER_CUT = f'(?m:^)({H}*(?:{DATE_LINE}|{DATELINE}){H}*){H}({_UPPER}|["“‘(])'
# General pattern (see CREDIT_LABELS): a credit label right after a word, with no punctuation between,
# opens a sentence: "Crowds gather at the harbour Photo: Jane Doe/Reuters". In brackets ("(Photo: AP)")
# or after punctuation the usual rules apply.
_CREDIT_CUT = f"{WORD_END}({H}*){H}({alternation(CREDIT_LABELS)})"
# General pattern: in sentence-case prose an article, a personal pronoun or a sentence-opening connective
# is capitalised only where a sentence starts. So such a word after a bare word (no punctuation between)
# and followed by a lower-case word opens a sentence; what precedes it is a heading, a name or caption
# line, or a date that lost its line break ("Results by district In the north the turnout rose"). A
# capital after it marks a title or name instead ("read The Times", "saw In Bruges"), so it stays.
# Left out: words often capitalised inside a sentence ("I", "A" in "Plan A", "One" in "Formula One").
GLUED_OPENERS = tuple(
    """
    The In On At He She It They We This These There But However According After When While Although
    Despite If Since Though Meanwhile
    """.split()
)
_GLUED_CUT = f"{WORD_END}({H}*){H}({alternation(GLUED_OPENERS)}{H}+[a-z])"
# The three cuts never compete for a character: each starts with a zero-width test, and none can match
# inside what another consumes (a line opener has only capitalised words and no colon; a credit label
# or a glued opener cannot follow a cut). So one pass of their alternation (Polars) gives the same text
# as three passes in a row (Python, where each can be skipped or sped up on its own); tests check it.
CUT_ANY = Pass(f"{_LINE_OPENER_CUT}|{_CREDIT_CUT}|{_GLUED_CUT}", "${1}${3}${5}" + CUT + "${2}${4}${6}")
CUT_AFTER_LINE_OPENER = Pass(_LINE_OPENER_CUT, "${1}" + CUT + "${2}", line_start=True)
CUT_BEFORE_CREDIT = Pass(
    _CREDIT_CUT,
    "${1}" + CUT + "${2}",
    needs=("Image", "Photo", "Picture", "Video", "Illustration", "Credit"),
)
CUT_BEFORE_GLUED_OPENER = Pass(_GLUED_CUT, "${1}" + CUT + "${2}")

POLARS_PASSES = (KEEP_PERIOD, RESTORE_PERIOD, CUT_ANY)
PYTHON_PASSES = (
    KEEP_PERIOD,
    RESTORE_PERIOD,
    CUT_AFTER_LINE_OPENER,
    CUT_BEFORE_CREDIT,
    CUT_BEFORE_GLUED_OPENER,
)

# --- pass 6: sentences -----------------------------------------------------------------------------------
# Numbered or lettered list markers at the start of a line ("1.", "b)", "iv.") do not end a sentence.
_LIST_MARKER = f"\\(?(?:\\d{{1,3}}|[A-Za-z]|[ivxIVX]{{2,4}})[.)]{H}+"
_BODY = (
    f"(?:[^\\n{char_set(TERMINALS + CUT)}]+"
    f"|{_T}{_TC}*(?:[^{_WS}{char_set(TERMINALS + CLOSERS + CUT)}]|{H}+{_CONTINUES}))"
)
SENTENCE = (
    f"(?:{WS}*\\n)?"  # blank lines before the sentence: a paragraph break
    f"(?:(?m:^){H}*{_LIST_MARKER}|{H}*)"
    f"{_BODY}*(?:{_T}{_TC}*)?"
    f"{H}*{CUT}?{H}*"
)

# --- kinds ------------------------------------------------------------------------------------------------
_CLOSING = f"[{char_set(CLOSERS)}]*"
FINAL_PUNCTUATION = f"[{char_set(TERMINALS + ':;')}]{_CLOSING}$"
QUESTION = f"\\?{_CLOSING}$"
LIST_ITEM = f"^(?:[\\-•*·▪◦‣]|\\(?(?:\\d{{1,3}}|[a-z]|[ivx]{{2,4}})[.)]){H}"
# A caption credit: "Image: X.", "Photo credit: X", or "(AP Photo/Jane Doe)", "(Photo: Reuters)".
CREDIT = f"^{alternation(CREDIT_LABELS)}|\\((?:[A-Z][A-Za-z]* )?(?:Photo|Image|Picture)s?(?:[:/]| by )"
