"""Text decoding: byte-order marks, damaged UTF-8, Windows-1252, stray NULs, binary refused.
Property tests (hypothesis): any bytes give text or a plain refusal, never a crash; text survives
every encoding we claim to read."""

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.decoding import NotText, decode_text

PROSE = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff\ufffd"),
                min_size=1, max_size=400)


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                          ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-8", codecs.BOM_UTF8)])
def test_byte_order_marks_decide(encoding, bom):
    text = "Revisión de compras: «formación» de funcionarios."
    assert decode_text(bom + text.encode(encoding)).text == text


def test_damaged_utf8_stays_utf8_and_windows_1252_is_read():
    decoded = decode_text("café".encode() + b"\xff\xc3( ok")
    assert decoded.text == "café( ok" and decoded.encoding == "utf-8" and decoded.dropped == 2
    assert decode_text("señal €".encode("cp1252")).text == "señal €"


def test_stray_nuls_dropped_binary_refused():
    assert decode_text(b"plain \x00text " * 40).text == "plain text " * 40
    for raw in (bytes(range(256)) * 20, b"\x00" * 100, "no mark".encode("utf-16-le") * 30):
        with pytest.raises(NotText, match="binary"):
            decode_text(raw)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_are_refused_plainly(raw):
    try:
        decoded = decode_text(raw)
    except NotText as exc:
        assert "Error" not in str(exc)
    else:
        assert "\x00" not in decoded.text


@settings(max_examples=200, deadline=None)
@given(PROSE, st.sampled_from(["utf-8", "utf-16", "utf-32", "utf-8-sig"]))
def test_text_survives_every_encoding_read(text, encoding):
    assert decode_text(text.encode(encoding)).text == text
