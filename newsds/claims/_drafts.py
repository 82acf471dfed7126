"""The claims extractor's content rules: the clause each cue introduces (after it, or before it in "…, the
official said"), and the drafts (token spans) of the claims each cue role yields, from the tokens, noun
phrases, cues and claimants of `newsds.claim_rules`.

Why a module of its own: the content and draft rules grow with every boundary error found on the training
gold (PolNeAR), and `newsds.claim_rules` stays readable without them. Changing a rule changes the output:
bump `newsds.claims.RULESET_VERSION`.
"""

from __future__ import annotations

from newsds.claims._rules import (
    LEAD_PUNCT,
    QUOTES,
    Cue,
    Draft,
    Tokens,
    appositive_after,
    bare,
    claimant_back,
    cue_from,
    find_cues,
    main_subject,
    negation,
    np_back,
    np_forward,
    np_ok,
    possessive,
    skip_back,
    subject,
)
from newsds.lexicon import NP_STOP as _NP_STOP
from newsds.lexicon import W as _W

_AUX_OR_BOUNDARY = _W["aux"] | _W["boundary"]  # what ends the words between a cue and its clause


# --- Contents -------------------------------------------------------------------------------------
def _content_start(t: Tokens, x: int, n: int, tell: bool) -> int:
    """Skip what stands between a cue and its clause: "told reporters that", "said on Monday that"."""
    while x < n and t.word[x] in LEAD_PUNCT:
        x += 1
    adjunct = x < n and t.low[x] in _W["prep"] and t.low[x] != "to"
    for y in range(x, min(x + 8, n)):
        if t.low[y] == "that" or (adjunct and (t.open_quote(y) or t.word[y] == ":")):
            return y
        if (not t.is_word(y) and t.word[y] != ",") or t.low[y] in _AUX_OR_BOUNDARY or y in t.cues:
            break
    if tell and x < n:  # the listener: "told Ferris he would …", "told Radio Kestrel: …"
        y = np_forward(t, x)
        if x < y < n and t.low[y] not in _W["prep"] and t.low[y] != "not":
            while y < n and t.word[y] in ",:":
                y += 1
            return y
    return x


def _content_after(t: Tokens, j: int, stance: str, clause: bool = False) -> tuple[int, int] | None:
    """The clause after a cue; a deny/doubt verb's object ends at a comma or "but" ("denied X, citing …")."""
    n = t.body_end()
    x = _content_start(t, j, n, j > 0 and t.low[j - 1] in _W["tell"])
    if x >= n or t.low[x] in _W["bad_start"]:
        return None
    plain = not clause and t.low[x] not in ("that", "whether", "if", "to") and not t.open_quote(x)
    quoted, inside = t.in_quote(j), False  # a cue inside a quotation: its content ends with the quotation
    for y in range(x, n):
        w = t.word[y]
        if w in QUOTES:
            if quoted and not inside and t.close_quote(y):
                return x, y
            inside = t.open_quote(y)
        elif not inside and w in (",", ";"):
            nxt = t.low[min(y + 1, n - 1)]  # "…, according to X", "…, which …", "…, but …"
            if w == ";" or nxt in _W["content_enders"] or (plain and (stance != "assert" or t.ing(y + 1))):
                return x, y
        elif not inside and plain and stance != "assert" and t.low[y] in ("but", "while", "whereas"):
            return x, y
    return x, n


def _calling_content(t: Tokens, j: int) -> tuple[int, int] | None:
    """What something is called: the quotation when it opens with one, else up to the next comma."""
    n = t.body_end()
    if t.open_quote(j):
        for y in range(j + 1, t.n):
            if t.word[y] in QUOTES and t.close_quote(y):
                return j, y + 1
    end = next((y for y in range(j, n) if t.word[y] in ",;"), n)
    return (j, end) if end > j else None


def _content_before(t: Tokens, stop: int) -> tuple[int, int] | None:
    """The clause before "…, the official said": from the sentence start through token `stop`."""
    a = 0 if stop < t.first else t.first  # reach into a quotation split off as the previous sentence
    first, words = (a + 1 if t.open_quote(a) else a), t.words_in(a, stop)
    quote = any(t.word[x] in QUOTES for x in range(a, stop))
    if words < 2 or (t.low[first] in _W["prep"] | _W["parenthetical"] and not quote and words <= 6):
        return None  # "In a statement, the ministry said"
    return a, stop + 1 if t.close_quote(stop) else stop


def _adjunct_only(t: Tokens, j: int, cue_word: str) -> bool:
    """Nothing but an adjunct follows the cue up to the next comma ("said on Monday", "told reporters")."""
    n = t.body_end()
    end = next((y for y in range(j, n) if t.word[y] in ",;"), n)
    if end == j:
        return not t.open_quote(j + 1)
    if t.open_quote(j) or any(t.low[y] == "that" for y in range(j, end)):
        return False
    return t.low[j] in _W["adjunct"] or (cue_word in _W["tell"] and end - j <= 4)


def _after_quote_or_comma(t: Tokens, stop: int) -> bool:
    """Token `stop` ends a clause: a comma, or a quotation closed after , ! or ? ('…,’” he said'), or after
    a full stop when the quotation was split off as the sentence before ('“…win.” Trump said.')."""
    x = stop
    while x > 0 and (t.word[x] in QUOTES or t.word[x] in ("’", "'")) and t.end[x - 1] == t.start[x]:
        x -= 1
    ends = ",!?." if stop < t.first else ",!?"
    return t.word[stop] == "," or (x < stop and t.word[x] in ends)


# --- Drafts per cue role --------------------------------------------------------------------------
def _inverted(t: Tokens, cue: Cue, stance: str) -> Draft | None:
    """'"CONTENT," said CLAIMANT' and 'CONTENT, says CLAIMANT.'"""
    i, j, n = cue.i, cue.j, t.body_end()
    if t.low[i] not in _W["invertible"] or cue.role != "verb" or i < 2 or not _after_quote_or_comma(t, i - 1):
        return None
    b, first = np_forward(t, j), t.word[j] if j < t.n else " "
    named = first[0].isupper() or first.lower() in _W["det"]  # "said Mr. Smith", "said the official"
    if not np_ok(t, j, b) or not (named or first[0].isalnum()):  # also "said former Gov. Ada Pruett"
        return None
    relative = b < n and t.low[b] in ("who", "whose") and _closing_appositive(t, b - 1, n, False)
    if b < n and t.word[b] != "," and t.low[b] not in _W["adjunct"] | {"to"} and not relative:
        return None
    if not named and not (b >= n or t.word[b] == "," or relative):
        return None
    content = _content_before(t, i - 1)
    end = n if relative else _closing_appositive(t, b, n) or appositive_after(t, b, n) or b
    return Draft((i, j), t.span(j, end), content, stance) if content else None


def _closing_appositive(t: Tokens, b: int, n: int, comma: bool = True) -> int | None:
    """', APPOSITIVE' running to the sentence end after an inverted claimant: 'said Mara Quillen, who runs a
    bakery.', 'said Tobias Wren, a music teacher at the Lakeshore Academy.' (comma=False: the phrase
    starts at b + 1 with no comma, 'said one of three clerks who counted the ballots.')"""
    if b + 1 >= n or (comma and t.word[b] != ","):
        return None
    first, low = t.word[b + 1], t.low[b + 1]
    title = (
        comma and t.is_word(b + 1) and not (low in _W["boundary"] | _W["prep"] | _W["aux"] or t.ing(b + 1))
    )
    if not (first[0].isupper() or first[0].isdigit() or low in _W["det"] | {"who", "whose"} or title):
        return None  # a lower-case title too: 'said Lena Marsh, chemistry professor at Avon.'

    if any(x in t.cues or t.word[x] in QUOTES for x in range(b + 1, n)):
        return None
    return n


def _question(t: Tokens, x: int) -> tuple[int, int] | None:
    """What someone was asked: from x to the comma that ends it, or through a quotation closed after one
    ('Asked whether he "keeps his word,” 62 percent said yes')."""
    x += x < t.n and t.low[x] == "about"
    n, inside = t.body_end(), False
    for y in range(x, n):
        if t.word[y] in QUOTES:
            if inside and t.close_quote(y) and t.word[y - 1] in ",?":
                return x, y + 1
            inside = t.open_quote(y)
        elif t.word[y] == "," and not inside:
            return (x, y) if y > x else None
    return (x, n) if n > x else None


def _asked_draft(t: Tokens, cue: Cue) -> Draft | None:
    """'Asked (by X) whether …, he said', 'When asked about …': PolNeAR's cue is "Asked", the source the one
    who asks (none when unnamed), the content the question."""
    j, n, claimant = cue.j, t.body_end(), None
    if j < n and t.low[j] == "by":
        b = np_forward(t, j + 1)
        if np_ok(t, j + 1, b):
            claimant, j = t.span(j + 1, b), b
    x = next((y for y in range(j, min(j + 8, n)) if t.low[y] in _W["questions"]), None)
    if x is None or any(not t.is_word(y) for y in range(j, x)):
        return None
    content = _question(t, x)
    return Draft((cue.i, cue.j), claimant, content, cue.stance) if content else None


def _passive(t: Tokens, cue: Cue, k: int, stance: str) -> Draft | None:
    """'it was alleged that …' (no claimant), 'X was rejected by Y'; not 'X was denied visas'."""
    j, claimant, that_only = cue.j, None, t.low[cue.i] in _W["that_only"]
    if j < t.n and t.low[j] == "by":
        b = np_forward(t, j + 1)
        if np_ok(t, j + 1, b):
            claimant, j = t.span(j + 1, b), b
    content = None
    if j < t.n and (t.low[j] == "that" or (t.low[j] == "to" and not that_only)):
        content = _content_after(t, j, stance)
    elif t.low[cue.i] == "asked" and (
        t.low[cue.j - 1] == "about" or (j < t.n and t.low[j] in _W["questions"])
    ):
        content = _question(t, j)  # "the mayor was asked about the strike", "voters were asked who …"
    elif claimant or (not that_only and not t.is_word(j)):  # the subject is the content
        a = k
        while a > 0 and t.is_word(a - 1) and t.low[a - 1] not in _W["boundary"]:
            a -= 1
        ok = np_ok(t, a, k) and not (k - a == 1 and t.low[a] in _W["subjects"] | _W["call_objects"])
        content = (a, k) if ok else None
    start = cue_from(t, k, cue.i)  # PolNeAR takes the auxiliaries in: "is widely expected", "was asked"
    return Draft((start, cue.j), claimant, content, stance) if content else None


def _verb_draft(t: Tokens, cue: Cue, previous: Draft | None) -> Draft | None:
    """A verb cue, in the first order that fits: passive, inverted, "…, X said", then X-cue-content."""
    i, j, w = cue.i, cue.j, t.low[cue.i]
    k, stance = skip_back(t, i), cue.stance
    if any(negation(t.low[x]) for x in range(k, i)):  # "did not deny": no denial is reported
        if stance == "assert":
            return None
        stance = "assert"
    participle = w.endswith("ed") or w in ("said", "told", "written")
    be = any(t.low[x] in _W["be"] for x in range(k, i)) or (k > 0 and t.low[k - 1] in _W["be_contracted"])
    if participle and cue.role == "verb" and be:
        return _passive(t, cue, k, stance)
    if participle and j < t.n and t.low[j] == "by":  # "a book written by X": a modifier, not a report
        return None
    inverted = _inverted(t, cue, stance)
    if inverted:
        return inverted
    claimant, stop = claimant_back(t, k)
    if claimant and w.endswith("ing") and k > 0 and t.word[k - 1] == ",":  # 'Lund dismissed X, arguing'
        claimant = main_subject(t, k - 1) or claimant
    if claimant and t.word[k] == "(" and claimant[1] == t.end[k - 1]:  # "Sen. Dana Whitfield (I-Ore.) said"
        close = next((y for y in range(k + 1, i) if t.word[y] == ")"), None)
        claimant = (claimant[0], t.end[close]) if close is not None else claimant
    edge = stop if stop >= 0 and t.low[stop] in _W["coord"] else None
    gerund = w.endswith("ing") and stop >= 0 and t.low[stop] in _W["prep"]
    if claimant is None and (edge is not None or gerund):  # "…, and emphasized", ", saying", "by saying"
        if previous and bare(w) == bare(t.low[previous.cue[0]]):
            claimant = previous.claimant
        elif bare(w):  # "wanted to meet … and express": an infinitive, not a report
            return None
        else:
            claimant = subject(t) or main_subject(t, stop)
    after_content = stop >= 0 and not w.endswith("ing") and _after_quote_or_comma(t, stop)  # "…, X said"
    if stop < t.first and not _adjunct_only(t, j, w):  # '“…” He said the board …' is a claim of its own
        after_content = False
    # '"…," Okafor said cheerfully on the radio as results arrived.': a quotation before is the content
    clause_after = any(t.low[y] == "that" or t.word[y] == ":" or t.open_quote(y) for y in range(j, t.n))
    quote_before = after_content and t.word[stop] in QUOTES and not clause_after
    if quote_before and t.low[t.first] == "asked":  # 'Asked whether he "…," 62 percent said yes'
        quote_before = False
    before = _content_before(t, stop) if after_content and (quote_before or _adjunct_only(t, j, w)) else None
    start = cue_from(t, k, i)
    if cue.role == "verb" and claimant and before:
        return Draft((start, j), claimant, before, stance)
    if cue.role == "calling":
        content = _calling_content(t, j if cue.body < 0 else cue.body)
        stance = "deny" if content and any(t.low[x] in _W["deny_words"] for x in range(*content)) else stance
    else:
        content = _content_after(t, j, stance)
        if content and w in _W["that_only"] and t.low[content[0]] != "that" and not t.open_quote(content[0]):
            return None
        if content and k >= 2 and t.low[k - 1] in _W["relative"] and t.word[k - 2] == ",":
            content = _clause_end(t, content)  # "X, who said the case was closed, left": the relative clause
    if content is None and claimant and cue.role == "verb" and j == t.n - 1 and t.word[j] == ":":
        return Draft((start, j + 1), claimant, (j, j + 1), stance, below=True)  # "In a speech, he declared:"
    return Draft((start, j), claimant, content, stance, edge=edge) if content else None


def _clause_end(t: Tokens, content: tuple[int, int]) -> tuple[int, int]:
    """A content cut at its first comma outside quotation marks."""
    inside = False
    for y in range(*content):
        if t.word[y] in QUOTES:
            inside = t.open_quote(y)
        elif t.word[y] == "," and not inside and y > content[0]:
            return content[0], y
    return content


def _according_draft(t: Tokens, cue: Cue) -> Draft | None:
    """'According to CLAIMANT, CONTENT' or 'CONTENT, according to CLAIMANT'."""
    i, j, n = cue.i, cue.j, t.body_end()
    b = np_forward(t, j)
    if not np_ok(t, j, b):
        return None
    apo = appositive_after(t, b, n) if any(t.word[x][0].isupper() for x in range(j, b)) else None
    if apo and appositive_after(t, apo, n):  # "According to the Herald, Prof. X, the chair, said …"
        apo = None
    front = t.words_in(0, i) <= 3 or t.low[i - 1] == "that"
    comma = next((y for y in range(b, min(b + 9, n)) if not t.is_word(y)), None)
    if front and not apo and b < n and t.verb_like(b) and comma and t.word[comma] == ",":
        apo = comma  # "According to a posting made a day ago, …": the modifier belongs to the source
    rest = _content_after(t, apo or b, "assert", clause=True)
    if front and rest and t.words_in(*rest) >= 2:
        return Draft((i, j), t.span(j, apo or b), rest, cue.stance, according=True)
    before = _content_before(t, i - 1) if i >= 1 else None
    end = apo if apo and apo >= n else b
    return Draft((i, j), t.span(j, end), before, cue.stance, according=True) if before else None


def _noun_draft(t: Tokens, cue: Cue) -> Draft | None:
    """'Russia's claims that …': the possessor, if any, is the claimant."""
    claimant = None
    for x in (cue.i - 1, cue.i - 2):
        if x >= 0 and (possessive(t.low[x]) or t.low[x] in ("his", "her", "their", "its", "our")):
            a = np_back(t, x + 1)
            claimant = t.span(a, x + 1) if a is not None and np_ok(t, a, x + 1) else None
            break
    content = _content_after(t, cue.j, cue.stance)
    return Draft((cue.i, cue.j), claimant, content, cue.stance) if content else None


def _colon_draft(t: Tokens) -> Draft | None:
    """A speaker label: 'Mayor Lind: Budget Plan Defies Logic.' (a headline), 'Q: How did it go?' (a
    transcript), also after a dash before a quotation ('Ferry fare row - TransitWatch: "…"'). The cue is
    the colon, the source the name before it, the content the rest."""
    a, n = t.first, t.body_end()
    c = next((y for y in range(a, min(a + 9, n)) if t.word[y] == ":"), None)
    if c is None:
        c = next((y for y in range(a, n - 1) if t.word[y] == ":" and t.open_quote(y + 1)), None)
        dash = next((y for y in range(c - 1, max(a, c - 8), -1) if t.word[y] in "-—–"), None) if c else None
        a = dash + 1 if dash is not None else a
    if c is None or c == a or t.words_in(c + 1, n) < 2 or a in t.cues:
        return None
    names = 0
    for x in range(a, c):
        w = t.word[x]
        if x in t.cues or (
            t.is_word(x)
            and not w[0].isupper()
            and t.low[x] not in _W["np_prep"]
            and t.low[x] not in ("the", "and")
        ):
            return None
        if not t.is_word(x) and w not in "().-’'":
            return None
        names += t.is_word(x) and w[0].isupper()
    if not names or t.low[a] in _NP_STOP or t.low[a] in _W["subjects"]:
        return None
    if any(t.low[x].lower() in _W["colon_labels"] for x in range(a, c)):
        return None
    edge = a - 1 if a > t.first else None  # the dash ends an earlier content
    return Draft((c, c + 1), (t.start[a], t.end[c - 1]), (c + 1, n), "assert", edge=edge)


def sentence_drafts(t: Tokens) -> list[Draft]:
    """Claims of one sentence; a coordinated cue inherits the claimant of the one before it."""
    drafts: list[Draft] = []
    cues = find_cues(t)
    colon = _colon_draft(t)
    if colon:
        drafts.append(colon)
    for cue in cues:
        if cue.role == "according":
            draft = _according_draft(t, cue)
        elif cue.role == "noun":
            draft = _noun_draft(t, cue)
        elif cue.role == "asked":
            draft = _asked_draft(t, cue)
        else:
            draft = _verb_draft(t, cue, next((d for d in reversed(drafts) if d.claimant), None))
        drafts.extend([draft] if draft else [])
    for d in drafts:  # PolNeAR's cue takes "of"/"about", "in a statement", a weekday and a colon
        i, j = d.cue
        if t.low[j - 1] != "asked" and d.content[0] == j < d.content[1] - 1 and t.low[j] in ("of", "about"):
            d.content, j = (j + 1, d.content[1]), j + 1  # 'joked about X': the preposition is the cue's
        if j < t.n and t.low[j] in _W["weekdays"] and (d.content[0] > j or d.content[1] <= i):
            j += 1  # "said Tuesday that …"
        if j + 2 < t.n and t.low[j] == "in" and t.low[j + 1] in ("a", "an"):
            end = next((y + 1 for y in range(j + 2, min(j + 5, t.n)) if t.low[y] in _W["statement"]), j)
            j = end if d.content[0] >= end or d.content[1] <= i else j
        if j < t.n and t.word[j] == ":" and d.content[0] > j:
            j += 1
        d.cue = (i, j)
    edges = [e for e in drafts if e.edge is not None and not t.in_quote(e.cue[0])]  # not "… and I know"
    for d in drafts:  # a later coordinated claim ends an earlier content: "…, while X noted …"
        for e in edges:
            if e.edge is not None and d.cue[1] <= e.edge and d.content[0] <= e.edge < d.content[1]:
                d.content = (d.content[0], e.edge)
    return drafts
