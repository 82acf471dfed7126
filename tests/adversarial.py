"""A corpus of bad and odd raw inputs, each with the outcome a user should get from `newsds build`.

`write_corpus(folder)` writes every *kind* of input into `folder` (one or a few files per kind) and
returns, per kind, its `Expected` outcomes: one `Outcome` per input (a file, or a record of a JSON or
JSONL file), either a document (with its exact text, or substrings or a predicate on it) or a rejected
row (with its reason code). The build that reads the folder must be run with `--max-bytes MAX_BYTES`.

Expectations come from the README (input formats, decoding, reason codes, "inputs always equal documents
plus rejected") and from the issues being fixed; where the README says nothing or the product does
otherwise today and a user would want what is written here, the kind's `note` says why (`JUDGEMENT`
lists those kinds). Every document has text of its own (the kind's tag), so that no kind is another
kind's `duplicate` by accident.
"""

from __future__ import annotations

import base64
import codecs
import gzip
import io
import json
import os
import random
import socket
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The build's --max-bytes: the huge article is exactly this size, a file one byte larger is too large.
MAX_BYTES = 2_000_000

# Reason codes (README, "Rejection reason codes"; wrong_type: a JSON record whose text is not text).
UNREADABLE, TOO_LARGE, UNSUPPORTED, EMPTY = "unreadable", "too_large", "unsupported_format", "empty"
BINARY, UNDECODABLE, MALFORMED, NOT_OBJECT = "binary", "undecodable", "malformed_json", "not_an_object"
NO_BODY, NOT_ARTICLE, DUPLICATE, WRONG_TYPE = "no_body", "not_article", "duplicate", "wrong_type"
NO_TEXT = (NO_BODY, NOT_ARTICLE)  # a web page with nothing to read: either code is right

TextCheck = Callable[[str], str | None]  # a document's text -> None when right, else what is wrong


@dataclass(frozen=True)
class Outcome:
    """What one input (a file, or one record of a JSON/JSONL file) must become.

    `reasons` empty: a document, whose text must equal `text` (when given), contain every `contains`,
    none of `excludes`, and pass `check`. Else a rejected row whose reason is one of `reasons`."""

    path: str  # source_path as the release reports it (a non-UTF-8 name escaped as \xNN)
    record: int | None = None  # the record of a JSON/JSONL file; None for a whole file
    reasons: frozenset[str] = frozenset()
    text: str | None = None
    contains: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    check: TextCheck | None = None
    encodings: tuple[str, ...] = ()  # accepted prefixes of documents.encoding; empty: any
    decode_replacements: int | None = 0  # documents.decode_replacements; None: not checked
    duplicate_of: tuple[str, int | None] | None = None  # (path, record) of the kept document

    @property
    def document(self) -> bool:
        return not self.reasons

    @property
    def summary(self) -> str:
        if self.document:
            extra = f" ({self.decode_replacements} U+FFFD)" if self.decode_replacements else ""
            return "document" + extra
        return "rejected " + "|".join(sorted(self.reasons))


@dataclass(frozen=True)
class Expected:
    """One kind of input: what it is, and what each of the inputs it wrote must become."""

    kind: str
    description: str
    outcomes: tuple[Outcome, ...]
    absent: tuple[str, ...] = ()  # paths that must not be inputs at all (folders)
    note: str = ""  # why this expectation, where the README is silent or the product differs today

    @property
    def summary(self) -> str:
        """The expected outcomes in a few words, for a report table."""
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            counts[outcome.summary] = counts.get(outcome.summary, 0) + 1
        return ", ".join(s if n == 1 else f"{n} x {s}" for s, n in counts.items())


# Kinds whose expectation is a judgement (what a user would want where the README is silent or the
# product does otherwise today), as opposed to documented behaviour or a fix the lead is making.
JUDGEMENT = (
    "utf32le_nobom",
    "utf32be_nobom",
    "utf8_bom_with_invalid_byte",
    "cjk_one_paragraph",
    "cjk_first_paragraph_not_title",
    "json_lone_surrogate",
    "json_text_object",
)

Writer = Callable[[Path, str], "Expected | None"]
KINDS: dict[str, Writer] = {}


def kind(name: str) -> Callable[[Writer], Writer]:
    """Register a kind: a function (raw folder, kind name) -> Expected, or None when not applicable."""

    def register(writer: Writer) -> Writer:
        assert name not in KINDS, f"kind {name} registered twice"
        KINDS[name] = writer
        return writer

    return register


def write_corpus(folder: Path) -> dict[str, Expected]:
    """Write every applicable kind into `folder` (created if needed); kind name -> expected outcomes.

    A kind that cannot be made here (a file name the filesystem refuses; chmod 000 as root, who reads the
    file anyway) is left out. The files that links lead to outside the raw folder go to a sibling folder,
    `<folder>-outside`."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Expected] = {}
    for name, writer in KINDS.items():
        result = writer(folder, name)
        if result is not None:
            assert result.kind == name, (result.kind, name)
            expected[name] = result
    return expected


# --- helpers ---------------------------------------------------------------------------------------------


def tag_of(name: str) -> str:
    """A word unique to the kind, used as a place name in its text: "utf16le_bom" -> "Utf16leBom"."""
    return "".join(part.capitalize() for part in name.split("_"))


_ENGLISH = (
    "The council of {t} said on Tuesday that the old stone bridge over the river would reopen in March "
    "after repairs.",
    "Engineers from {t} found that the cracks in the bridge were much smaller than feared, according to a "
    "report published on Monday.",
    "Residents of {t} who had driven around the lake for months welcomed the news, the mayor told "
    "reporters at the town hall.",
)
_FRENCH = (
    "Le conseil de {t} a déclaré mardi que le vieux pont de pierre rouvrirait en mars, après des "
    "réparations coûteuses.",
    "Les ingénieurs de {t} ont constaté que les fissures étaient bien plus petites que prévu, selon le "
    "rapport publié à la mairie.",
    "Les habitants de {t}, qui contournaient le lac depuis des mois, ont salué la nouvelle, a précisé le "
    "maire à la presse.",
)
# Characters cp1252 has and latin-1 lacks: curly quotes and apostrophe, the dash, the euro sign.
_CP1252_ONLY = "« Nous avons dépensé 1,5 million d’euros — soit 2 € par habitant », a “confirmé” le maire."


def paragraphs(name: str, n: int = 2, french: bool = False) -> list[str]:
    source = _FRENCH if french else _ENGLISH
    return [source[i % len(source)].format(t=tag_of(name)) for i in range(n)]


def article(name: str, n: int = 2, french: bool = False) -> str:
    """Body text only (no title line): a .txt build keeps it whole, one blank line between paragraphs."""
    return "\n\n".join(paragraphs(name, n, french))


def html_page(name: str, body: str | None = None, head: str = "", charset: str = "utf-8") -> str:
    """A small saved article page (three paragraphs) with the kind's tag in its title and text."""
    title = f"Bridge in {tag_of(name)} to reopen in March"
    if body is None:
        body = "".join(f"<p>{p}</p>" for p in paragraphs(name, 3))
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>{head}</head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def record(name: str, i: int = 0, **extra: object) -> dict[str, object]:
    """A JSON record with the kind's i-th paragraph as its text."""
    return {"title": f"Bridge in {tag_of(name)}", "text": paragraphs(name, 3)[i % 3], **extra}


def jsonl(*records: object) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def doc(
    path: str,
    text: str | None = None,
    *,
    record: int | None = None,
    contains: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
    check: TextCheck | None = None,
    encodings: tuple[str, ...] = (),
    decode_replacements: int | None = 0,
) -> Outcome:
    """A document is expected."""
    return Outcome(
        path,
        record,
        text=text,
        contains=contains,
        excludes=excludes,
        check=check,
        encodings=encodings,
        decode_replacements=decode_replacements,
    )


def rej(
    path: str, *reasons: str, record: int | None = None, duplicate_of: tuple[str, int | None] | None = None
) -> Outcome:
    """A rejected row with one of `reasons` is expected."""
    return Outcome(path, record, reasons=frozenset(reasons), duplicate_of=duplicate_of)


def single(
    root: Path, name: str, description: str, filename: str, data: bytes, outcome: Outcome, note: str = ""
) -> Expected:
    """A kind made of one file."""
    write(root / filename, data)
    return Expected(name, description, (outcome,), note=note)


def swap(text: str, old: str, new: str, count: int = -1) -> str:
    """text.replace(old, new), asserting that old is there: a kind must hold what it claims to."""
    assert old in text, f"{old!r} is not in {text[:80]!r}"
    return text.replace(old, new, count)


def visible(text: str) -> str:
    """The text without format characters (zero-width, bidi controls, soft hyphen: category Cf)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def visible_is(expected: str) -> TextCheck:
    def check(text: str) -> str | None:
        got = visible(text)
        return None if got == expected else f"visible text {got[:160]!r} != {expected[:160]!r}"

    return check


# --- encodings --------------------------------------------------------------------------------------------


def _text_kind(
    description: str,
    text_of: Callable[[str], str],
    encode: Callable[[str], bytes],
    *,
    expect: Callable[[str], str] | None = None,
    encodings: tuple[str, ...] = (),
    note: str = "",
) -> Writer:
    """A .txt kind: the text (made from the kind name) encoded somehow, expected back exactly (or as
    `expect` turns it)."""

    def writer(root: Path, name: str) -> Expected:
        text = text_of(name)
        wanted = text if expect is None else expect(text)
        outcome = doc(f"{name}.txt", wanted, encodings=encodings)
        return single(root, name, description, f"{name}.txt", encode(text), outcome, note)

    return writer


def _constant(text: str) -> Callable[[str], str]:
    return lambda name: text


def _french(n: int) -> Callable[[str], str]:
    return lambda name: article(name, n, french=True)


def _codec(codec: str, bom: bytes = b"") -> Callable[[str], bytes]:
    return lambda text: bom + text.encode(codec)


kind("utf8_baseline")(
    _text_kind("plain UTF-8 French text (the control)", _french(3), _codec("utf-8"), encodings=("utf-8",))
)
kind("utf8_bom")(
    _text_kind(
        "UTF-8 with BOM (not part of the text)",
        _french(2),
        _codec("utf-8", codecs.BOM_UTF8),
        encodings=("utf-8",),
    )
)
for _name, _codec_name, _bom, _prefix in (
    ("utf16le_bom", "utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ("utf16be_bom", "utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ("utf16le_nobom", "utf-16-le", b"", "utf-16"),
    ("utf16be_nobom", "utf-16-be", b"", "utf-16"),
    ("utf32le_bom", "utf-32-le", codecs.BOM_UTF32_LE, "utf-32"),
    ("utf32be_bom", "utf-32-be", codecs.BOM_UTF32_BE, "utf-32"),
    ("utf32le_nobom", "utf-32-le", b"", "utf-32"),
    ("utf32be_nobom", "utf-32-be", b"", "utf-32"),
):
    _note = (
        "README promises BOM-less UTF-16 only; a UTF-32 file is text (NULs at three of every four bytes "
        "say which), not binary. Today: binary"
        if "32" in _name and not _bom
        else ""
    )
    kind(_name)(
        _text_kind(
            f"{_codec_name.upper()} {'with' if _bom else 'without'} BOM",
            _french(2),
            _codec(_codec_name, _bom),
            encodings=(_prefix,),
            note=_note,
        )
    )
kind("utf16le_bom_astral")(
    _text_kind(
        "UTF-16-LE with BOM, characters beyond the BMP (surrogate pairs)",
        lambda name: swap(article(name), "bridge", "bridge 🌉 𝔅") + " 😀",
        _codec("utf-16-le", codecs.BOM_UTF16_LE),
    )
)
kind("cp1252")(
    _text_kind(
        "Windows-1252 with characters latin-1 lacks (curly quotes, dash, euro)",
        lambda name: article(name, 2, french=True) + "\n\n" + _CP1252_ONLY,
        _codec("cp1252"),
    )
)
kind("latin1")(_text_kind("ISO-8859-1 French text", _french(3), _codec("latin-1")))
kind("latin1_single_accent")(
    _text_kind(
        'ASCII English and one latin-1 "é" byte, no UTF-8 at all: read as a single-byte file, not U+FFFD',
        lambda name: swap(article(name, 3), "the town hall", "the café by the town hall"),
        _codec("latin-1"),
    )
)

_RUSSIAN = (
    "Мэр города {t} заявил во вторник, что мост через реку откроется в марте после ремонта. По словам "
    "инженеров, трещины оказались гораздо меньше, чем опасались жители города."
)
kind("cp1251_russian")(
    _text_kind(
        "Russian in windows-1251",
        lambda name: _RUSSIAN.format(t=tag_of(name)) + "\n\n" + _RUSSIAN.format(t="Москва"),
        _codec("cp1251"),
    )
)
kind("koi8r_russian")(
    _text_kind(
        "Russian in KOI8-R",
        lambda name: _RUSSIAN.format(t=tag_of(name)) + "\n\n" + _RUSSIAN.format(t="Тула"),
        _codec("koi8-r"),
    )
)

# First paragraphs over 200 characters: they read as prose whatever their punctuation.
_JAPANESE = (
    "東京都知事は火曜日、川に架かる橋が修理の後、三月に再開すると述べた。技術者によると、ひび割れは住民が恐れていた"
    "よりもずっと小さかったという。市議会は来週、追加の予算について話し合う予定で、住民の多くはこの決定を歓迎している。"
)
_CHINESE = (
    "市长周二表示，这座横跨河流的大桥将在维修后于三月重新开放。工程师表示，裂缝比居民担心的要小得多。"
    "市议会下周将讨论额外的预算，许多居民对这一决定表示欢迎。"
)
_TRADITIONAL = (
    "市長週二表示，這座橫跨河流的大橋將在維修後於三月重新開放。工程師表示，裂縫比居民擔心的要小得多。"
    "市議會下週將討論額外的預算，許多居民對這一決定表示歡迎。"
)
_KOREAN = (
    "서울시장은 화요일에 강을 가로지르는 다리가 보수 공사를 마치고 3월에 다시 개통될 것이라고 "
    "밝혔다. 기술자들에 따르면 균열은 주민들이 우려했던 것보다 훨씬 작았다."
)
for _name, _codec_name, _first, _last in (
    ("shift_jis_japanese", "shift_jis", _JAPANESE * 2, "橋の周辺では、三月まで迂回路が設けられる。"),
    ("gb18030_chinese", "gb18030", _CHINESE * 3, "桥梁周围将设置绕行路线，直到三月。"),
    ("big5_chinese", "big5", _TRADITIONAL * 3, "橋樑周圍將設置繞行路線，直到三月。"),
    ("euc_kr_korean", "euc_kr", _KOREAN, swap(swap(_KOREAN, "서울", "부산"), "3월", "4월")),
):
    kind(_name)(
        _text_kind(
            f"{_name.split('_')[-1].capitalize()} in {_codec_name}",
            _constant(_first + "\n\n" + _last),
            _codec(_codec_name),
        )
    )

_CJK_NOTE = (
    "README: a first line is a title only when it reads as one (no final punctuation); '。' is final "
    "punctuation, and a file of body text keeps all of it. Today: the line is taken as the title"
)
kind("cjk_one_paragraph")(
    _text_kind(
        'a one-paragraph Chinese article in UTF-8 (short, ends in "。"): a document, not no_body',
        lambda name: "市长周三表示，城东的新图书馆将在五月开放。",
        _codec("utf-8"),
        note=_CJK_NOTE + " and the file is rejected no_body",
    )
)
kind("cjk_first_paragraph_not_title")(
    _text_kind(
        'two short Japanese paragraphs in UTF-8: the first (ends in "。") stays in the text',
        lambda name: (
            "大阪市長は木曜日、新しい駅が六月に開業すると発表した。\n\n駅の建設費は予定よりも少なかったという。"
        ),
        _codec("utf-8"),
        note=_CJK_NOTE + " and dropped from the text",
    )
)


def _invalid_utf8(
    bad: bytes, decoded: str, count: int, description: str, bom: bytes = b"", note: str = ""
) -> Writer:
    """French UTF-8 text with `bad` bytes after "mardi": UTF-8, `decoded` in their place, `count` counted."""

    def writer(root: Path, name: str) -> Expected:
        before, after = article(name, 3, french=True).split("mardi", 1)
        data = bom + (before + "mardi").encode() + bad + after.encode()
        text = before + "mardi" + decoded + after
        outcome = doc(f"{name}.txt", text, encodings=("utf-8",), decode_replacements=count)
        return single(root, name, description, f"{name}.txt", data, outcome, note)

    return writer


kind("utf8_one_invalid_byte")(
    _invalid_utf8(b" \xff", " \ufffd", 1, "UTF-8 with one invalid byte (0xFF): UTF-8, one U+FFFD")
)
kind("utf8_mixed_cp1252_e")(
    _invalid_utf8(
        b" au caf\xe9",
        " au caf\ufffd",
        1,
        'UTF-8 text with one cp1252 "é" byte: UTF-8 with one U+FFFD, not cp1252',
    )
)
kind("utf8_three_invalid_sequences")(
    _invalid_utf8(
        b" \xc3( \x80 \xf0\x9f", " \ufffd( \ufffd \ufffd", 3, "UTF-8 with three separate invalid sequences"
    )
)
kind("utf8_bom_with_invalid_byte")(
    _invalid_utf8(
        b" \xfe",
        " \ufffd",
        1,
        "UTF-8 with BOM and one invalid byte: the BOM says UTF-8, so UTF-8 with one U+FFFD",
        bom=codecs.BOM_UTF8,
        note="as UTF-8 without BOM (the lead's fix); today: undecodable, the whole article lost",
    )
)


@kind("utf8_truncated_at_end")
def _truncated_utf8(root: Path, name: str) -> Expected:
    """UTF-8 cut in the middle of its last character (an interrupted download): one U+FFFD at the end."""
    text = article(name, 2, french=True) + "\n\nLe chantier a duré tout l’été"
    data = text.encode()[:-1]
    outcome = doc(f"{name}.txt", text[:-1] + "\ufffd", encodings=("utf-8",), decode_replacements=1)
    return single(root, name, _truncated_utf8.__doc__ or "", f"{name}.txt", data, outcome)


# --- normalisation, controls and invisible characters -------------------------------------------------------

kind("nfd_decomposed")(
    _text_kind(
        "decomposed (NFD) accents: NFC in the text",
        lambda name: unicodedata.normalize("NFD", article(name, 2, french=True)),
        _codec("utf-8"),
        expect=lambda text: unicodedata.normalize("NFC", text),
    )
)
kind("emoji_astral_utf8")(
    _text_kind(
        "UTF-8 emoji and mathematical letters (beyond the BMP) kept as they are",
        lambda name: swap(article(name), "bridge", "bridge 🎉👍🏽 𝔘𝔫𝔦"),
        _codec("utf-8"),
    )
)
kind("bom_inside_text")(
    _text_kind(
        "a U+FEFF (BOM) inside the text, as concatenated files have it: removed",
        lambda name: swap(article(name), "\n\n", "\n\n\ufeff"),
        _codec("utf-8"),
        expect=lambda text: text.replace("\ufeff", ""),
    )
)


def _rejected_file(
    description: str, data: bytes, *reasons: str, suffix: str = ".txt", note: str = ""
) -> Writer:
    def writer(root: Path, name: str) -> Expected:
        return single(
            root, name, description, f"{name}{suffix}", data, rej(f"{name}{suffix}", *reasons), note
        )

    return writer


kind("utf8_bom_only")(_rejected_file("a file that is only a UTF-8 BOM", codecs.BOM_UTF8, EMPTY))
kind("utf16_bom_only")(_rejected_file("a file that is only a UTF-16 BOM", codecs.BOM_UTF16_LE, EMPTY))
kind("bom_and_whitespace")(
    _rejected_file("a UTF-8 BOM and whitespace", codecs.BOM_UTF8 + b" \n\t\r\n  ", EMPTY)
)
kind("empty_file")(_rejected_file("an empty file (0 bytes)", b"", EMPTY))
kind("whitespace_only")(_rejected_file("spaces, tabs and newlines only", b"  \n\t\n\r\n   \n", EMPTY))
kind("unicode_whitespace_only")(
    _rejected_file(
        "no-break, ideographic and em spaces only", "\u00a0\u3000\u2003\n\u2009 \n".encode(), EMPTY
    )
)
kind("zero_width_only")(
    _rejected_file(
        "zero-width characters only: nothing to read",
        "\u200b\u200c\u200d\ufeff\n\u2060".encode(),
        EMPTY,
        NO_BODY,
    )
)


@kind("nul_bytes_scattered")
def _nul_bytes(root: Path, name: str) -> Expected:
    """UTF-8 text with NUL bytes in it: binary (README: NULs make a file binary, unless it is UTF-16)."""
    data = article(name, 3).encode().replace(b" the ", b" the\x00 ", 3)
    return single(root, name, _nul_bytes.__doc__ or "", f"{name}.txt", data, rej(f"{name}.txt", BINARY))


kind("png_named_txt")(
    _rejected_file(
        "a PNG image named .txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, BINARY
    )
)


@kind("zip_named_txt")
def _zip(root: Path, name: str) -> Expected:
    """A zip archive (holding an article) named .txt: binary, not unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", article(name))
    return single(
        root, name, _zip.__doc__ or "", f"{name}.txt", buffer.getvalue(), rej(f"{name}.txt", BINARY)
    )


kind("control_bytes_mostly")(
    _rejected_file("mostly C0 control bytes, no NUL", bytes(range(1, 9)) * 40 + b"The end.", BINARY)
)
kind("control_chars_sparse")(
    _text_kind(
        "a long article with a few stray control characters (BEL, ESC, VT): removed, the rest kept",
        lambda name: (
            swap(swap(article(name, 3), "council", "coun\x07cil"), "bridge", "bri\x1bdge", 1) + "\x0b"
        ),
        _codec("utf-8"),
        expect=lambda text: text.replace("\x07", "").replace("\x1b", "").replace("\x0b", ""),
    )
)
kind("c1_controls")(
    _text_kind(
        "C1 control characters (U+0080, U+0085 NEL, U+009B) in UTF-8: removed",
        lambda name: swap(swap(article(name), "council", "coun\u0085cil"), "bridge", "bri\u009bd\u0080ge"),
        _codec("utf-8"),
        expect=lambda text: text.replace("\u0085", "").replace("\u009b", "").replace("\u0080", ""),
    )
)
kind("dos_ctrl_z_eof")(
    _text_kind(
        "a DOS end-of-file mark (Ctrl-Z) after the text: removed",
        lambda name: swap(article(name), "\n\n", "\r\n\r\n") + "\r\n\x1a",
        _codec("utf-8"),
        expect=lambda text: text.replace("\r\n\r\n", "\n\n").removesuffix("\r\n\x1a"),
    )
)


def _invisible(description: str, insert: Callable[[str], str]) -> Writer:
    def writer(root: Path, name: str) -> Expected:
        text = insert(article(name))
        outcome = doc(f"{name}.txt", check=visible_is(visible(text)))
        return single(root, name, description, f"{name}.txt", text.encode(), outcome)

    return writer


kind("zero_width_chars")(
    _invisible(
        "zero-width space, joiners, word joiner and soft hyphen inside words: the visible text intact",
        lambda t: swap(
            swap(swap(t, "council", "coun\u200bcil"), "bridge", "bri\u00addge"),
            "Tuesday",
            "Tues\u200d\u200cday\u2060",
        ),
    )
)
kind("bidi_controls")(
    _invisible(
        "bidi controls (RLO, isolates, RLM) and a Hebrew word: the visible text intact",
        lambda t: swap(
            swap(swap(t, "bridge", "\u202ebridge\u202c"), "river", "\u2067river \u05e0\u05d4\u05e8\u2069"),
            "March",
            "\u200fMarch",
        ),
    )
)


# --- line endings and layout ------------------------------------------------------------------------------

kind("crlf_line_endings")(
    _text_kind(
        "CRLF line endings",
        lambda name: swap(article(name, 3), "\n", "\r\n") + "\r\n",
        _codec("utf-8"),
        expect=lambda text: text.replace("\r\n", "\n").strip(),
    )
)
kind("cr_only_line_endings")(
    _text_kind(
        "CR-only line endings (classic Mac)",
        lambda name: swap(article(name, 3), "\n", "\r") + "\r",
        _codec("utf-8"),
        expect=lambda text: text.replace("\r", "\n").strip(),
    )
)
kind("mixed_line_endings")(
    _text_kind(
        "CRLF, CR and LF in one file, one paragraph per line",
        lambda name: "\r\n".join(paragraphs(name, 2)) + "\r" + paragraphs(name, 3)[2] + "\n",
        _codec("utf-8"),
        expect=lambda text: "\n\n".join(
            p for p in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if p
        ),
    )
)
kind("blank_line_flood")(
    _text_kind(
        "5,000 blank lines between two paragraphs",
        lambda name: paragraphs(name)[0] + "\n" * 5000 + paragraphs(name)[1] + "\n",
        _codec("utf-8"),
        expect=lambda text: "\n\n".join(p for p in text.split("\n") if p),
    )
)
kind("indented_lines")(
    _text_kind(
        "paragraphs indented with spaces and tabs, trailing blanks",
        lambda name: "   " + paragraphs(name)[0] + "   \n\n\t\t" + paragraphs(name)[1] + "\t \n",
        _codec("utf-8"),
        expect=lambda text: "\n\n".join(p.strip() for p in text.split("\n") if p.strip()),
    )
)


@kind("unicode_line_separators")
def _line_separators(root: Path, name: str) -> Expected:
    """U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR between paragraphs: all three kept."""
    parts = paragraphs(name, 3)
    data = (parts[0] + "\u2028" + parts[1] + "\u2029" + parts[2]).encode()
    outcome = doc(f"{name}.txt", contains=tuple(parts))
    return single(root, name, _line_separators.__doc__ or "", f"{name}.txt", data, outcome)


kind("txt_title_only")(
    _rejected_file("a .txt file holding a headline and nothing else", b"Bridge to reopen in March\n", NO_BODY)
)
kind("txt_boilerplate_only")(
    _rejected_file(
        "a .txt file of share and newsletter prompts only",
        b"Share this article\nSubscribe to our newsletter\nFollow us on Twitter\n",
        NO_BODY,
    )
)


# --- sizes ------------------------------------------------------------------------------------------------


def huge_article(name: str, size: int) -> str:
    """One paragraph of `size` ASCII characters (many sentences, no newline), ending with a full stop."""
    rng = random.Random(name)
    words = (
        "the council said on Tuesday that bridge would reopen in March after repairs engineers found cracks "
        "were much smaller than feared according to a report residents welcomed news mayor told reporters"
    ).split()
    sentences = [paragraphs(name)[0]]
    length = len(sentences[0])
    while length < size:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 24))).capitalize() + "."
        sentences.append(sentence)
        length += len(sentence) + 1
    text = " ".join(sentences)[: size - 1].rstrip()
    return text + "." * (size - len(text))


@kind("huge_one_paragraph_at_limit")
def _huge(root: Path, name: str) -> Expected:
    """A 2 MB one-paragraph article, exactly --max-bytes: a document, whole (and built reasonably fast)."""
    text = huge_article(name, MAX_BYTES)
    assert len(text.encode()) == MAX_BYTES
    return single(root, name, _huge.__doc__ or "", f"{name}.txt", text.encode(), doc(f"{name}.txt", text))


@kind("too_large_by_one_byte")
def _too_large(root: Path, name: str) -> Expected:
    """One byte over --max-bytes: too_large."""
    data = huge_article(name, MAX_BYTES + 1).encode()
    return single(root, name, _too_large.__doc__ or "", f"{name}.txt", data, rej(f"{name}.txt", TOO_LARGE))


@kind("huge_token")
def _huge_token(root: Path, name: str) -> Expected:
    """A 200 KB run of base64 (no spaces) pasted between two sentences: a document, all of it kept."""
    blob = base64.b64encode(random.Random(name).randbytes(150_000)).decode()
    first, second = paragraphs(name)
    text = f"{first} {blob} {second}"
    outcome = doc(f"{name}.txt", text)
    return single(root, name, _huge_token.__doc__ or "", f"{name}.txt", text.encode(), outcome)


# --- gzip ---------------------------------------------------------------------------------------------------


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


kind("gzip_bomb")(
    _rejected_file(
        "a 20 KB .txt.gz that inflates to 20 MB (over --max-bytes)",
        gz(b"A" * 20_000_000),
        TOO_LARGE,
        suffix=".txt.gz",
    )
)
kind("gzip_bomb_multimember")(
    _rejected_file(
        "three gzip members, each under --max-bytes, together over it",
        b"".join(gz(b"B" * (MAX_BYTES // 2 + 1)) for _ in range(3)),
        TOO_LARGE,
        suffix=".txt.gz",
    )
)


@kind("gzip_truncated")
def _gzip_truncated(root: Path, name: str) -> Expected:
    """A .txt.gz cut in half: undecodable."""
    data = gz(article(name, 3).encode())
    return single(
        root,
        name,
        _gzip_truncated.__doc__ or "",
        f"{name}.txt.gz",
        data[: len(data) // 2],
        rej(f"{name}.txt.gz", UNDECODABLE),
    )


@kind("gzip_not_gzip")
def _not_gzip(root: Path, name: str) -> Expected:
    """Plain text named .txt.gz: undecodable (not valid gzip)."""
    return single(
        root,
        name,
        _not_gzip.__doc__ or "",
        f"{name}.txt.gz",
        article(name).encode(),
        rej(f"{name}.txt.gz", UNDECODABLE),
    )


@kind("gzip_txt")
def _gzip_txt(root: Path, name: str) -> Expected:
    """A valid article as .txt.gz: a document."""
    text = article(name, 3)
    return single(
        root, name, _gzip_txt.__doc__ or "", f"{name}.txt.gz", gz(text.encode()), doc(f"{name}.txt.gz", text)
    )


@kind("gzip_uppercase_suffix")
def _gzip_upper(root: Path, name: str) -> Expected:
    """A valid article as .TXT.GZ (upper-case suffixes): a document."""
    text = article(name, 2)
    return single(
        root,
        name,
        _gzip_upper.__doc__ or "",
        f"{name}.TXT.GZ",
        gz(text.encode()),
        doc(f"{name}.TXT.GZ", text),
    )


@kind("gzip_utf16_inside")
def _gzip_utf16(root: Path, name: str) -> Expected:
    """A .txt.gz whose content is UTF-16 with BOM: decompressed, then decoded."""
    text = article(name, 2, french=True)
    data = gz(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return single(root, name, _gzip_utf16.__doc__ or "", f"{name}.txt.gz", data, doc(f"{name}.txt.gz", text))


@kind("gzip_html")
def _gzip_html(root: Path, name: str) -> Expected:
    """A saved article page as .html.gz: a document."""
    data = gz(html_page(name).encode())
    outcome = doc(f"{name}.html.gz", contains=tuple(paragraphs(name, 3)), excludes=("<p>",))
    return single(root, name, _gzip_html.__doc__ or "", f"{name}.html.gz", data, outcome)


@kind("gzip_jsonl")
def _gzip_jsonl(root: Path, name: str) -> Expected:
    """Two records as .jsonl.gz: two documents."""
    write(root / f"{name}.jsonl.gz", gz(jsonl(record(name, 0), record(name, 1))))
    texts = paragraphs(name, 2)
    path = f"{name}.jsonl.gz"
    return Expected(
        name, _gzip_jsonl.__doc__ or "", (doc(path, texts[0], record=0), doc(path, texts[1], record=1))
    )


kind("gzip_empty_payload")(_rejected_file("a valid gzip of zero bytes", gz(b""), EMPTY, suffix=".txt.gz"))


@kind("gzip_double")
def _gzip_double(root: Path, name: str) -> Expected:
    """A gzip inside a gzip (.txt.gz): one layer is undone; what is left is not text."""
    data = gz(gz(article(name).encode()))
    return single(
        root,
        name,
        _gzip_double.__doc__ or "",
        f"{name}.txt.gz",
        data,
        rej(f"{name}.txt.gz", BINARY, UNDECODABLE),
    )


kind("gzip_unknown_inner_suffix")(
    _rejected_file("a gzip named .csv.gz", gz(b"a,b\n1,2\n"), UNSUPPORTED, suffix=".csv.gz")
)
kind("gzip_without_inner_suffix")(
    _rejected_file(
        "an article gzipped as NAME.gz (no inner suffix)",
        gz(b"The council said the bridge would reopen."),
        UNSUPPORTED,
        suffix=".gz",
    )
)


# --- names and suffixes -------------------------------------------------------------------------------------


def _named(
    description: str, filename: Callable[[str], str | bytes], fmt: str = "txt", reasons: tuple[str, ...] = ()
) -> Writer:
    """An article (text, or a page for html) under an odd name; None when the filesystem refuses it."""

    def writer(root: Path, name: str) -> Expected | None:
        raw_name = filename(name)
        data = (html_page(name) if fmt == "html" else article(name)).encode()
        shown = raw_name if isinstance(raw_name, str) else raw_name.decode("utf-8", "backslashreplace")
        target = os.path.join(
            os.fsencode(root), raw_name if isinstance(raw_name, bytes) else os.fsencode(raw_name)
        )
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(data)
        except (OSError, UnicodeError):
            return None
        if reasons:
            outcome = rej(shown, *reasons)
        elif fmt == "html":
            outcome = doc(shown, contains=tuple(paragraphs(name, 3)))
        else:
            outcome = doc(shown, article(name))
        return Expected(name, description, (outcome,))

    return writer


kind("unknown_suffix")(_named("an article named .pdf", lambda n: f"{n}.pdf", reasons=(UNSUPPORTED,)))
kind("no_suffix")(_named("an article with no suffix", lambda n: n.upper(), reasons=(UNSUPPORTED,)))
kind("backup_suffix")(_named("an article named .txt.bak", lambda n: f"{n}.txt.bak", reasons=(UNSUPPORTED,)))
kind("nested_sources_csv")(
    _named(
        "a SOURCES.csv in a subfolder: an input (only the root's is provenance)",
        lambda n: f"{n}/SOURCES.csv",
        reasons=(UNSUPPORTED,),
    )
)
kind("uppercase_suffix")(_named("an article named .TXT", lambda n: f"{n}.TXT"))
kind("text_suffix")(_named("an article named .text", lambda n: f"{n}.text"))
kind("htm_suffix")(_named("a page named .htm", lambda n: f"{n}.htm", fmt="html"))
kind("mixed_case_html_suffix")(_named("a page named .Html", lambda n: f"{n}.Html", fmt="html"))
kind("hidden_dotfile")(_named("a hidden file (.NAME.txt): an input like any other", lambda n: f".{n}.txt"))
kind("unicode_filename")(_named("a name with accents, a snowman and spaces", lambda n: f"Ünïcödé ☃ {n}.txt"))
kind("newline_in_filename")(_named("a name with a newline in it", lambda n: f"line\nbreak {n}.txt"))
kind("glob_chars_filename")(_named("a name with glob characters", lambda n: f"[{n}]*?.txt"))
kind("dash_filename")(_named("a name starting with dashes", lambda n: f"--{n}.txt"))
kind("long_filename")(_named("a 250-byte name", lambda n: (n + "_" + "x" * 250)[:246] + ".txt"))
kind("nested_folders")(_named("an article six folders deep", lambda n: f"{n}/a/b/c/d/e/story.txt"))
kind("non_utf8_filename")(
    _named(
        "a file name that is not valid UTF-8: unreadable, its name escaped",
        lambda n: os.fsencode(n) + b"_\xff\xfe.txt",
        reasons=(UNREADABLE,),
    )
)


@kind("folder_named_like_file")
def _folder_named(root: Path, name: str) -> Expected:
    """A folder named NAME.txt (with an article inside) and an empty folder named NAME_empty.txt: folders are
    not inputs, the file inside is."""
    inner = f"{name}.txt/inner.txt"
    write(root / inner, article(name).encode())
    (root / f"{name}_empty.txt").mkdir()
    return Expected(
        name,
        _folder_named.__doc__ or "",
        (doc(inner, article(name)),),
        absent=(f"{name}.txt", f"{name}_empty.txt"),
    )


# --- special files and links -------------------------------------------------------------------------------


@kind("fifo")
def _fifo(root: Path, name: str) -> Expected:
    """A named pipe (nobody writes to it): unreadable, and the build does not hang."""
    os.mkfifo(root / f"{name}.txt")
    return Expected(name, _fifo.__doc__ or "", (rej(f"{name}.txt", UNREADABLE),))


@kind("unix_socket")
def _socket(root: Path, name: str) -> Expected | None:
    """A Unix socket named .txt: unreadable."""
    path = root / f"{name}.txt"
    if len(os.fsencode(path)) > 100:  # the limit of a socket address
        return None
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
    return Expected(name, _socket.__doc__ or "", (rej(f"{name}.txt", UNREADABLE),))


@kind("symlink_loop")
def _loop(root: Path, name: str) -> Expected:
    """Two links pointing at each other (a.txt -> b.txt -> a.txt): two unreadable rows, not a crash."""
    a, b = f"{name}_a.txt", f"{name}_b.txt"
    (root / a).symlink_to(b)
    (root / b).symlink_to(a)
    return Expected(name, _loop.__doc__ or "", (rej(a, UNREADABLE), rej(b, UNREADABLE)))


@kind("self_link")
def _self_link(root: Path, name: str) -> Expected:
    """A link to itself: unreadable, not a crash."""
    (root / f"{name}.txt").symlink_to(f"{name}.txt")
    return Expected(name, _self_link.__doc__ or "", (rej(f"{name}.txt", UNREADABLE),))


@kind("dangling_symlink")
def _dangling(root: Path, name: str) -> Expected:
    """A link to a file that does not exist: unreadable."""
    (root / f"{name}.txt").symlink_to("no-such-file.txt")
    return Expected(name, _dangling.__doc__ or "", (rej(f"{name}.txt", UNREADABLE),))


@kind("symlink_outside")
def _outside(root: Path, name: str) -> Expected:
    """A link to an article outside the raw folder: unreadable (never read)."""
    outside = root.parent / f"{root.name}-outside"
    write(outside / "secret.txt", article(name).encode())
    (root / f"{name}.txt").symlink_to(outside / "secret.txt")
    return Expected(name, _outside.__doc__ or "", (rej(f"{name}.txt", UNREADABLE),))


@kind("symlink_dev_zero")
def _dev_zero(root: Path, name: str) -> Expected | None:
    """A link to /dev/zero (endless bytes): unreadable, and the build neither hangs nor fills memory."""
    if not os.path.exists("/dev/zero"):
        return None
    (root / f"{name}.txt").symlink_to("/dev/zero")
    return Expected(name, _dev_zero.__doc__ or "", (rej(f"{name}.txt", UNREADABLE),))


@kind("symlink_inside")
def _inside(root: Path, name: str) -> Expected:
    """A link to an article inside the raw folder: read, and so a duplicate of its target (listed first)."""
    target, link = f"{name}_a_target.txt", f"{name}_b_link.txt"
    write(root / target, article(name).encode())
    (root / link).symlink_to(target)
    return Expected(
        name,
        _inside.__doc__ or "",
        (doc(target, article(name)), rej(link, DUPLICATE, duplicate_of=(target, None))),
    )


@kind("symlink_to_folder")
def _folder_link(root: Path, name: str) -> Expected:
    """A link to a folder inside the raw folder: unreadable (not followed); the folder's file is read once."""
    inner = f"{name}_dir/inner.txt"
    write(root / inner, article(name).encode())
    (root / f"{name}_link.txt").symlink_to(f"{name}_dir", target_is_directory=True)
    outcomes = (doc(inner, article(name)), rej(f"{name}_link.txt", UNREADABLE))
    return Expected(name, _folder_link.__doc__ or "", outcomes, absent=(f"{name}_link.txt/inner.txt",))


@kind("hard_link")
def _hard_link(root: Path, name: str) -> Expected:
    """A hard link to an article: the same text twice, so a duplicate."""
    first, second = f"{name}_a.txt", f"{name}_b.txt"
    write(root / first, article(name).encode())
    os.link(root / first, root / second)
    return Expected(
        name,
        _hard_link.__doc__ or "",
        (doc(first, article(name)), rej(second, DUPLICATE, duplicate_of=(first, None))),
    )


@kind("unreadable_permissions")
def _chmod(root: Path, name: str) -> Expected | None:
    """A file with mode 000: unreadable (not applicable as root, who reads it anyway)."""
    if os.geteuid() == 0:
        return None
    path = root / f"{name}.txt"
    write(path, article(name).encode())
    path.chmod(0)
    return Expected(name, _chmod.__doc__ or "", (rej(f"{name}.txt", UNREADABLE),))


# --- duplicates ---------------------------------------------------------------------------------------------


def _duplicate(description: str, encode_second: Callable[[str], bytes]) -> Writer:
    def writer(root: Path, name: str) -> Expected:
        first, second = f"{name}_a.txt", f"{name}_b.txt"
        text = article(name)
        write(root / first, text.encode())
        write(root / second, encode_second(text))
        return Expected(
            name, description, (doc(first, text), rej(second, DUPLICATE, duplicate_of=(first, None)))
        )

    return writer


kind("duplicate_files")(_duplicate("two files with the same bytes", lambda t: t.encode()))
kind("duplicate_after_normalisation")(
    _duplicate(
        "the same article with LF and with CRLF line endings", lambda t: swap(t, "\n", "\r\n").encode()
    )
)
kind("duplicate_across_encodings")(
    _duplicate(
        "the same article in UTF-8 and in UTF-16 with BOM",
        lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    )
)


# --- JSON ---------------------------------------------------------------------------------------------------


def _json_kind(
    description: str,
    value: Callable[[str], bytes],
    *outcomes: tuple[str, ...] | str,
    suffix: str = ".json",
    note: str = "",
) -> Writer:
    """A JSON(L) file; each outcome is a reason tuple (rejected) or "doc:I" (a document with paragraph I
    as its text), one per record in order."""

    def writer(root: Path, name: str) -> Expected:
        path = f"{name}{suffix}"
        write(root / path, value(name))
        expected: list[Outcome] = []
        for i, outcome in enumerate(outcomes):
            if isinstance(outcome, str):
                expected.append(doc(path, paragraphs(name, 3)[int(outcome.split(":")[1])], record=i))
            else:
                expected.append(rej(path, *outcome, record=i))
        return Expected(name, description, tuple(expected), note=note)

    return writer


def _dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


kind("json_deep_nesting")(
    _json_kind(
        "an array nested 100,000 deep: malformed_json, not a crash",
        lambda n: b"[" * 100_000 + b"]" * 100_000,
        (MALFORMED,),
    )
)
kind("json_nan_infinity")(
    _json_kind(
        "NaN, Infinity and -Infinity in fields other than the text: a document",
        lambda n: _dumps(record(n, 0))[:-1] + b', "score": NaN, "ratio": Infinity, "low": -Infinity}',
        "doc:0",
    )
)
kind("json_text_nan")(
    _json_kind('{"text": NaN}: wrong_type', lambda n: b'{"title": "x", "text": NaN}', (WRONG_TYPE,))
)
kind("json_text_number")(
    _json_kind('{"text": 12345}: wrong_type', lambda n: _dumps({"text": 12345}), (WRONG_TYPE,))
)
kind("json_text_bool")(
    _json_kind('{"text": true}: wrong_type', lambda n: _dumps({"text": True}), (WRONG_TYPE,))
)
kind("json_text_object")(
    _json_kind(
        '{"text": {...}} (an object where the text should be): wrong_type',
        lambda n: _dumps({"text": {"value": paragraphs(n)[0]}}),
        (WRONG_TYPE,),
        note="like a number or boolean, an object is not text; today: no_body ('has no article text')",
    )
)
kind("json_text_null")(
    _json_kind('{"text": null}: no_body', lambda n: _dumps({"title": tag_of(n), "text": None}), (NO_BODY,))
)
kind("json_text_blank")(
    _json_kind('{"text": "   "}: no_body', lambda n: _dumps({"title": tag_of(n), "text": " \n "}), (NO_BODY,))
)
kind("json_missing_text")(
    _json_kind(
        "a record with a title and no text field: no_body", lambda n: _dumps({"title": tag_of(n)}), (NO_BODY,)
    )
)
kind("json_empty_object")(_json_kind("{}: no_body", lambda n: b"{}", (NO_BODY,)))
kind("json_top_level_string")(
    _json_kind('a JSON string ("hello"): not_an_object', lambda n: b'"hello"', (NOT_OBJECT,))
)
kind("json_top_level_number")(_json_kind("a JSON number: not_an_object", lambda n: b"42", (NOT_OBJECT,)))
kind("json_top_level_null")(_json_kind("JSON null: not_an_object", lambda n: b"null", (NOT_OBJECT,)))
kind("json_top_level_bool")(_json_kind("JSON true: not_an_object", lambda n: b"true", (NOT_OBJECT,)))
kind("json_empty_array")(_json_kind("[]: empty", lambda n: b"[]", (EMPTY,)))
kind("json_array_mixed")(
    _json_kind(
        "an array of an object, a number and an object: two documents and not_an_object",
        lambda n: _dumps([record(n, 0), 5, record(n, 2)]),
        "doc:0",
        (NOT_OBJECT,),
        "doc:2",
    )
)
kind("json_truncated")(
    _json_kind("a JSON file cut mid-string", lambda n: _dumps(record(n, 0))[:40], (MALFORMED,))
)
kind("json_trailing_comma")(
    _json_kind("a trailing comma", lambda n: _dumps(record(n, 0))[:-1] + b",}", (MALFORMED,))
)
kind("json_concatenated_objects")(
    _json_kind(
        "two objects on two lines in a .json file", lambda n: jsonl(record(n, 0), record(n, 1)), (MALFORMED,)
    )
)
kind("json_utf8_bom")(
    _json_kind("JSON with a UTF-8 BOM", lambda n: codecs.BOM_UTF8 + _dumps(record(n, 0)), "doc:0")
)
kind("json_utf16_bom")(
    _json_kind(
        "JSON in UTF-16 with BOM",
        lambda n: codecs.BOM_UTF16_LE + json.dumps(record(n, 1)).encode("utf-16-le"),
        "doc:1",
    )
)
kind("json_whitespace_only")(_rejected_file("a .json file of whitespace", b" \n\t \n", EMPTY, suffix=".json"))


@kind("json_text_list")
def _json_list(root: Path, name: str) -> Expected:
    """The text as a list of paragraphs: one document, the paragraphs separated by a blank line."""
    parts = paragraphs(name, 3)
    write(root / f"{name}.json", _dumps({"title": tag_of(name), "text": parts}))
    return Expected(name, _json_list.__doc__ or "", (doc(f"{name}.json", "\n\n".join(parts), record=0),))


@kind("json_lone_surrogate")
def _lone_surrogate(root: Path, name: str) -> Expected:
    """A JSON text with a lone surrogate escape (\\ud800): a document, the surrogate as U+FFFD."""
    first, second = paragraphs(name)
    write(root / f"{name}.json", ('{"text": "' + first + " \\ud800 " + second + '"}').encode())
    outcome = doc(f"{name}.json", f"{first} \ufffd {second}", record=0, decode_replacements=None)
    note = "U+FFFD is Unicode's replacement character; today the surrogate becomes '?', which reads as text"
    return Expected(name, _lone_surrogate.__doc__ or "", (outcome,), note=note)


@kind("json_escaped_controls")
def _json_controls(root: Path, name: str) -> Expected:
    """Escaped NUL and BEL (\\u0000, \\u0007) inside a JSON text: removed, the rest kept."""
    first, second = paragraphs(name)
    write(root / f"{name}.json", ('{"text": "' + first + "\\u0000 \\u0007" + second + '"}').encode())
    return Expected(name, _json_controls.__doc__ or "", (doc(f"{name}.json", f"{first} {second}", record=0),))


# --- JSONL ------------------------------------------------------------------------------------------------

kind("jsonl_one_bad_line")(
    _json_kind(
        "three good lines and one cut mid-record (the third): three documents and malformed_json",
        lambda n: jsonl(record(n, 0), record(n, 1)) + _dumps(record(n, 2))[:30] + b"\n" + jsonl(record(n, 2)),
        "doc:0",
        "doc:1",
        (MALFORMED,),
        "doc:2",
        suffix=".jsonl",
    )
)
kind("jsonl_blank_lines")(
    _json_kind(
        "blank and whitespace lines between records: not records",
        lambda n: b"\n" + jsonl(record(n, 0)) + b"\n   \n\t\n" + jsonl(record(n, 1)) + b"\n\n",
        "doc:0",
        "doc:1",
        suffix=".jsonl",
    )
)
kind("jsonl_crlf")(
    _json_kind(
        "CRLF line endings",
        lambda n: jsonl(record(n, 0), record(n, 1)).replace(b"\n", b"\r\n"),
        "doc:0",
        "doc:1",
        suffix=".jsonl",
    )
)
kind("jsonl_non_object_lines")(
    _json_kind(
        "lines that are an array, null and a string: not_an_object each",
        lambda n: jsonl(record(n, 0), [1, 2], None, "text"),
        "doc:0",
        (NOT_OBJECT,),
        (NOT_OBJECT,),
        (NOT_OBJECT,),
        suffix=".jsonl",
    )
)
kind("jsonl_pretty_printed")(
    _json_kind(
        "one pretty-printed object in a .jsonl file: three lines, each malformed_json",
        lambda n: json.dumps({"text": paragraphs(n)[0]}, indent=1).encode() + b"\n",
        (MALFORMED,),
        (MALFORMED,),
        (MALFORMED,),
        suffix=".jsonl",
    )
)
kind("jsonl_truncated_last_line")(
    _json_kind(
        "the last line cut off mid-record, with no final newline",
        lambda n: jsonl(record(n, 0)) + _dumps(record(n, 1))[:25],
        "doc:0",
        (MALFORMED,),
        suffix=".jsonl",
    )
)
kind("jsonl_deep_line")(
    _json_kind(
        "a good line and a line nested 100,000 deep",
        lambda n: jsonl(record(n, 0)) + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "doc:0",
        (MALFORMED,),
        suffix=".jsonl",
    )
)
kind("jsonl_nan_fields")(
    _json_kind(
        "NaN and Infinity in fields other than the text",
        lambda n: (
            _dumps(record(n, 1))[:-1]
            + b', "score": NaN}\n'
            + _dumps(record(n, 2))[:-1]
            + b', "x": -Infinity}\n'
        ),
        "doc:1",
        "doc:2",
        suffix=".jsonl",
    )
)
kind("ndjson_suffix")(
    _json_kind(
        "two records named .ndjson",
        lambda n: jsonl(record(n, 0), record(n, 1)),
        "doc:0",
        "doc:1",
        suffix=".ndjson",
    )
)


@kind("jsonl_duplicate_id")
def _dup_id(root: Path, name: str) -> Expected:
    """Two records with the same id and different texts: the first kept, the second a duplicate of it."""
    path = f"{name}.jsonl"
    write(root / path, jsonl(record(name, 0, id="same-id"), record(name, 1, id="same-id")))
    outcomes = (
        doc(path, paragraphs(name)[0], record=0),
        rej(path, DUPLICATE, record=1, duplicate_of=(path, 0)),
    )
    return Expected(name, _dup_id.__doc__ or "", outcomes)


@kind("jsonl_same_text_two_ids")
def _dup_text(root: Path, name: str) -> Expected:
    """Two records with different ids and the same text: the second a duplicate."""
    path = f"{name}.jsonl"
    write(root / path, jsonl(record(name, 0, id="first"), record(name, 0, id="second")))
    outcomes = (
        doc(path, paragraphs(name)[0], record=0),
        rej(path, DUPLICATE, record=1, duplicate_of=(path, 0)),
    )
    return Expected(name, _dup_text.__doc__ or "", outcomes)


# --- HTML ---------------------------------------------------------------------------------------------------


def _page_kind(
    description: str,
    page: Callable[[str], bytes],
    suffix: str = ".html",
    words: Callable[[str], tuple[str, ...]] | None = None,
) -> Writer:
    """A page that is an article: a document holding `words` (default: its three paragraphs), no markup."""

    def writer(root: Path, name: str) -> Expected:
        wanted = paragraphs(name, 3) if words is None else list(words(name))
        outcome = doc(f"{name}{suffix}", contains=tuple(wanted), excludes=("<p>", "</", "&amp;", "&#"))
        return single(root, name, description, f"{name}{suffix}", page(name), outcome)

    return writer


def _french_page(name: str) -> str:
    return html_page(name, "".join(f"<p>{p}</p>" for p in paragraphs(name, 3, french=True)))


kind("html_article")(_page_kind("a plain saved article page (the control)", lambda n: html_page(n).encode()))
kind("html_latin1_meta_charset")(
    _page_kind(
        "a page in ISO-8859-1 that says so in <meta charset>",
        lambda n: swap(_french_page(n), 'charset="utf-8"', 'charset="iso-8859-1"').encode("latin-1"),
        words=lambda n: tuple(paragraphs(n, 3, french=True)),
    )
)
kind("html_entities")(
    _page_kind(
        "named and numeric entities (&eacute; &#8220; &nbsp; &amp;)",
        lambda n: swap(html_page(n), "the news", "the &#8220;caf&eacute;&#8221; news &amp; more").encode(),
        words=lambda n: ("the “café” news & more", paragraphs(n, 3)[1]),
    )
)
kind("html_unclosed_tags")(
    _page_kind(
        "no </p>, no </body>, no </html>",
        lambda n: ("<html><body><div>" + "".join(f"<p>{p}" for p in paragraphs(n, 3))).encode(),
    )
)
kind("html_inline_image_1mb")(
    _page_kind(
        "a 1.3 MB inline base64 image before the article",
        lambda n: html_page(
            n,
            '<img src="data:image/png;base64,'
            + base64.b64encode(bytes(range(256)) * 4000).decode()
            + '">'
            + "".join(f"<p>{p}</p>" for p in paragraphs(n, 3)),
        ).encode(),
    )
)
kind("html_utf16_bom")(
    _page_kind(
        "a page saved as UTF-16 with BOM",
        lambda n: codecs.BOM_UTF16_LE + html_page(n, charset="utf-16").encode("utf-16-le"),
    )
)
kind("html_script_only")(
    _rejected_file(
        "a page that is only a <script>",
        b"<html><head><script>document.write('The council said the bridge would reopen in March.');"
        b"</script></head></html>",
        *NO_TEXT,
        suffix=".html",
    )
)
kind("html_head_only")(
    _rejected_file(
        "a page with a <head> and no <body>",
        b"<html><head><title>Bridge to reopen</title></head></html>",
        *NO_TEXT,
        suffix=".html",
    )
)
kind("html_empty_body")(
    _rejected_file(
        "a page with an empty <body>",
        b"<html><head><title>Bridge</title></head><body></body></html>",
        *NO_TEXT,
        suffix=".html",
    )
)
kind("html_only_comments")(
    _rejected_file(
        "a page whose only text is in comments",
        b"<html><body><!-- The council said on Tuesday that the bridge would reopen in March. -->"
        b"</body></html>",
        *NO_TEXT,
        suffix=".html",
    )
)
kind("html_frameset")(
    _rejected_file(
        "a frameset page",
        b'<html><frameset><frame src="a.html"><frame src="b.html"></frameset></html>',
        *NO_TEXT,
        suffix=".html",
    )
)
kind("html_binary_garbage")(
    _rejected_file(
        "random bytes named .html", random.Random(7).randbytes(4096) + b"\x00", BINARY, suffix=".html"
    )
)
kind("html_redirect_stub")(
    _rejected_file(
        "a meta-refresh redirect stub",
        b'<html><head><meta http-equiv="refresh" content="0; url=https://example.org/news/1">'
        b"<title>Redirecting</title></head><body><p>Redirecting to "
        b'<a href="https://example.org/news/1">the article</a>.</p></body></html>',
        NOT_ARTICLE,
        suffix=".html",
    )
)


@kind("html_homepage_of_links")
def _homepage(root: Path, name: str) -> Expected:
    """A homepage: sixty headline links and nothing else: not_article."""
    links = "".join(
        f'<li><a href="/news/{i}">Story {i} about the council of {tag_of(name)} and its bridge</a></li>'
        for i in range(60)
    )
    head = f"<head><title>{tag_of(name)} News - Home</title></head>"
    page = f"<html>{head}<body><nav><ul>{links}</ul></nav></body></html>"
    return single(
        root, name, _homepage.__doc__ or "", f"{name}.html", page.encode(), rej(f"{name}.html", NOT_ARTICLE)
    )
