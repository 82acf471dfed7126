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
    assert decode(data) == ("Café said", encoding)


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
