"""Decoding and normalisation: every text is decoded and normalised the same way before offsets."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
