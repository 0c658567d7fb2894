"""Property tests (hypothesis) for the relevance rule: a quote held whole always matches, the
normal form is stable, and a run is never longer than the quote."""

from hypothesis import given, settings
from hypothesis import strategies as st

from eval.relevance import longest_run, normalise, quote_matches


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.text(min_size=1, max_size=120), st.text(max_size=200))
def test_a_quote_inside_a_passage_matches(before, quote, after):
    q, text = normalise(quote), normalise(before + " " + quote + " " + after)
    if q:
        assert quote_matches(q, text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_normalise_is_stable(text):
    assert normalise(normalise(text)) == normalise(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=150), st.text(max_size=300))
def test_longest_run_is_bounded(quote, text):
    run = longest_run(quote, text)
    assert 0 <= run <= min(len(quote), len(text))
    if quote:
        assert (run == len(quote)) == (quote in text)
