"""Decoding and normalisation: every text is decoded and normalised the same way before offsets."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsds import textnorm
from newsds.errors import ParseError
from newsds.textnorm import decode, normalize


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Café said".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Café said".encode(), "utf-8-sig"),
        ("Café said".encode("utf-16"), "utf-16"),
    ],
)
def test_decode_accepts_utf8_and_bom_marked_unicode(data: bytes, encoding: str) -> None:
    assert decode(data) == ("Café said", encoding, 0)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        (b"\x01\x02\x03\x04 mostly control bytes \x05\x06\x07\x08\x0e\x0f\x10\x11", "binary"),
        (codecs.BOM_UTF8 + b"Caf\xe9", "undecodable"),  # a UTF-8 mark on bytes that are not UTF-8
    ],
)
def test_decode_rejects_with_reason_code(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        decode(data)
    assert info.value.reason == reason
    assert info.value.message  # says what to do


def test_normalize_unifies_line_endings_composes_and_drops_controls() -> None:
    text = "Cafe\u0301\r\nline two\rthree\x00\x07\tend\ufeff"
    assert normalize(text) == "Café\nline two\nthree\tend"


@given(st.text())
def test_normalize_is_idempotent_nfc_and_control_free(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once
    assert not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in once)


# Letters that compose with a following mark, the marks themselves (with different combining classes,
# so reordering is exercised), Hangul jamo that compose into syllables, and ASCII where pieces are cut.
_COMPOSING = st.text(
    alphabet=st.sampled_from(
        list("aeAoOuIn c.\n\u0301\u0300\u0308\u0323\u031b\u0327\u05b0\u1100\u1161\u11a8\u00e9e\u0301")
    )
    | st.characters(),
    max_size=200,
)


@given(text=_COMPOSING, piece=st.integers(min_value=1, max_value=40))
def test_compose_piece_by_piece_equals_nfc_of_the_whole(text: str, piece: int) -> None:
    """A long page is composed in pieces cut before ASCII characters: the result must be the NFC of the
    whole text, whatever the piece size and wherever marks fall."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textnorm, "_NFC_PIECE", piece)
        assert textnorm.compose(text) == unicodedata.normalize("NFC", text)


@given(
    chars=st.lists(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=80),
    data=st.data(),
)
def test_utf8_with_a_few_invalid_bytes_stays_utf8_and_counts_them(
    chars: list[str], data: st.DataObject
) -> None:
    """Invalid bytes inserted into UTF-8 text, no more of them than the text has multi-byte characters:
    the text decodes as UTF-8 with one U+FFFD per invalid byte, and the count is reported."""
    multibyte = sum(len(c.encode()) > 1 for c in chars)
    if multibyte == 0:
        chars = [*chars, "é"]
        multibyte = 1
    k = data.draw(st.integers(min_value=1, max_value=multibyte))
    where = sorted(data.draw(st.lists(st.integers(0, len(chars)), min_size=k, max_size=k)), reverse=True)
    raw, expected = [c.encode() for c in chars], list(chars)
    for position in where:
        raw.insert(position, b"\xff")
        expected.insert(position, "\ufffd")
    decoded = decode(b"".join(raw))
    assert decoded == ("".join(expected), "utf-8", k)


@pytest.mark.parametrize(
    ("data", "text", "encoding", "replaced"),
    [
        ("Un été à la café".encode() + b" caf\xe9", "Un été à la café caf\ufffd", "utf-8", 1),  # mixed
        ("année, café, où".encode("cp1252"), "année, café, où", "cp1252", 0),  # no UTF-8 at all
        (b"plain caf\xe9 text", "plain café text", "cp1252", 0),  # nothing says UTF-8: read whole
    ],
)
def test_a_single_byte_codec_is_chosen_only_when_utf8_does_not_fit(
    data: bytes, text: str, encoding: str, replaced: int
) -> None:
    assert decode(data) == (text, encoding, replaced)
