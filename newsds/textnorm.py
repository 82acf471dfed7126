"""Decode raw bytes and normalise text the same way everywhere, before any offset is taken."""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple

import charset_normalizer

from newsds.errors import ParseError

# C0/C1 control characters except tab and newline; DEL too. Removed, not replaced, so that
# offsets are taken on the cleaned text only.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BINARY_SNIFF = 8192
_PREFERRED = ("cp1252", "latin_1", "iso8859_15", "utf_16", "cp1250", "cp1251")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_utf32(sample: bytes) -> str | None:
    """'utf-32-le'/'utf-32-be' when three bytes of every four are NUL, as in BOM-less UTF-32 text (of
    characters below U+10000: the high byte is always NUL, the next one mostly)."""
    if len(sample) < 8 or len(sample) % 4:
        return None
    lanes = [sample[i::4] for i in range(4)]
    nul = [lane.count(0) / len(lane) for lane in lanes]
    if nul[3] == 1 and nul[2] > 0.9 and nul[0] < 0.05:
        return "utf-32-le"
    if nul[0] == 1 and nul[1] > 0.9 and nul[3] < 0.05:
        return "utf-32-be"
    return None


def _looks_utf16(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit at alternate positions, as in BOM-less UTF-16 text."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _control_share(sample: bytes) -> float:
    """Share of C0 control bytes other than tab, newline, form feed and carriage return."""
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / max(1, len(sample))


class Decoded(NamedTuple):
    text: str
    encoding: str
    replacements: int = 0  # invalid UTF-8 sequences read as U+FFFD


_HIGH_BYTES = bytes(range(0x80, 0x100))
_REPLACEMENT = "\ufffd"


def _mostly_utf8(data: bytes) -> Decoded | None:
    """The bytes as UTF-8 with each invalid sequence as U+FFFD, when that damages fewer characters than
    a single-byte codec would; else None.

    A single-byte reading turns every valid multi-byte character into two to four wrong ones ("é" ->
    "Ã©"); the UTF-8 reading loses one character per invalid sequence. So UTF-8 is kept when its valid
    multi-byte characters are at least as many as the invalid sequences (and there is one at all: a
    file with none gives no sign of being UTF-8, and cp1252 or latin-1 then reads it whole)."""
    text = data.decode("utf-8", "replace")  # one U+FFFD per invalid sequence, never for an ASCII byte
    replaced = text.count(_REPLACEMENT) - data.count(_REPLACEMENT.encode())
    ascii_chars = len(data.translate(None, _HIGH_BYTES))
    multibyte = len(text) - ascii_chars - replaced
    if multibyte == 0 or replaced > multibyte:
        return None
    return Decoded(text, "utf-8", replaced)


def decode(data: bytes) -> Decoded:
    """Decode raw file bytes; return (text, encoding name, replacements). Raise ParseError with a
    reason code.

    Order: a byte-order mark; BOM-less UTF-16 (NULs at alternate positions); strict UTF-8
    (most files); UTF-8 with a few invalid sequences replaced by U+FFFD and counted (`_mostly_utf8`);
    otherwise charset-normalizer's detection (cp1252, latin-1, ...). Bytes that hold NULs or many
    control characters are `binary`; bytes no encoding explains are `undecodable`.
    """
    if not data:
        raise ParseError("empty", "the file is empty (0 bytes); remove it or add the article text")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), name)
            except UnicodeDecodeError as exc:
                mostly = _mostly_utf8(data[len(bom) :]) if name == "utf-8-sig" else None
                if mostly is not None:
                    return mostly._replace(encoding=name)
                raise ParseError(
                    "undecodable",
                    f"the file starts with a {name} byte-order mark but is not valid {name}: {exc}",
                ) from exc
    sample = data[:_BINARY_SNIFF]
    if b"\x00" in sample:
        for wide in (_looks_utf32(sample[: len(sample) - len(sample) % 4]), _looks_utf16(sample)):
            if wide is not None:
                try:
                    return Decoded(data.decode(wide), wide)
                except UnicodeDecodeError:
                    pass
        raise ParseError(
            "binary",
            "the file holds NUL bytes and looks binary, not text; raw inputs must be text, HTML or JSON",
        )
    if _control_share(sample) > 0.05:
        raise ParseError("binary", "the file is mostly control bytes and looks binary, not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise ParseError("undecodable", "no text encoding explains these bytes; re-save the file as UTF-8")
    # Equally good candidates are common for Western text (cp1250/cp1252/cp1257 decode ASCII alike):
    # prefer the encodings browsers assume for such pages (WHATWG maps latin-1 to windows-1252).
    top = min((m.chaos, -m.coherence) for m in matches)
    tied = [m for m in matches if (m.chaos, -m.coherence) == top]
    # Each match also lists the encodings that decode the bytes to the very same text.
    names = [(name, m) for m in tied for name in (m.encoding, *m.could_be_from_charset)]
    rank = {name: i for i, name in enumerate(_PREFERRED)}
    name, best = min(names, key=lambda pair: rank.get(pair[0], len(rank)))
    return Decoded(str(best), name)


# NFC works on the whole string once one character might change (its quick check says "maybe"): a 3 MB
# page with a few accented letters costs 40 ms. An ASCII character never composes with what precedes
# it and stops any reordering, so the text can be cut before one and each piece composed alone, only
# the pieces that fail the quick check paying for the full pass.
_NFC_PIECE = 16_384
_ASCII = re.compile(r"[\x00-\x7f]")


def compose(text: str) -> str:
    """unicodedata.normalize("NFC", text), piece by piece: the same result, faster on long pages."""
    if text.isascii():
        return text
    if len(text) <= _NFC_PIECE:
        return unicodedata.normalize("NFC", text)
    pieces: list[str] = []
    start = 0
    while start < len(text):
        cut = _ASCII.search(text, start + _NFC_PIECE) if start + _NFC_PIECE < len(text) else None
        end = cut.start() if cut is not None else len(text)
        # normalize() hands a piece back as it is when its quick check passes
        pieces.append(unicodedata.normalize("NFC", text[start:end]))
        start = end
    return "".join(pieces)


# Anything a reader would see: not whitespace, and not an invisible format character (zero-width
# spaces and joiners, word joiner, soft hyphen, BOM, direction marks).
_VISIBLE = re.compile(r"[^\s\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def is_blank(text: str) -> bool:
    """True when the text holds nothing a reader would see."""
    return _VISIBLE.search(text) is None


def normalize(text: str) -> str:
    """Unify line endings, compose to NFC and drop control characters (keeping tab and newline)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    # Controls first: removing one can bring a base letter and a combining mark together.
    return compose(_CONTROL.sub("", text))
