"""Markdown emphasis of document text: dropped for plain text, kept as runs for display, offsets mapped."""

from assistant.markup import parse, plain


def test_emphasis_markers_are_dropped_and_remembered():
    m = parse("**Certification:** it is *per se* a _good_ idea.")
    assert m.plain == "Certification: it is per se a good idea."
    assert [(m.plain[s:e], kind) for s, e, kind in m.runs] == [("Certification:", "strong"), ("per se", "em"),
                                                                ("good", "em")]


def test_what_is_not_emphasis_stays():
    for text in ("3 * 4 = 12", "file_name and snake_case", "a ** b", "mid*word*x", "COVID-19"):
        assert plain(text) == text


def test_source_spans_map_onto_the_plain_text():
    text = "Staff (*honorarios*) is hired. Then **April 2018**."
    m = parse(text)
    start, end = m.span(text.index("Staff"), text.index(" Then"))
    assert m.plain[start:end] == "Staff (honorarios) is hired."
    assert m.span(0, 10_000) == (0, len(m.plain))  # clamped
