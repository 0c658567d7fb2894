"""The evidence-based relevance rule: normalisation and the 60 % contiguous-run test."""

import random

from eval.relevance import (MIN_SHARE, is_relevant, judge, longest_run, needed_run, normalise,
                            quote_matches)


def test_normalise_unifies_typography_and_drops_emphasis():
    raw = "The \u201cBest\u2011Value\u201d\u00a0rule \u2013 it\u2019s **bold**\n\t and *italic*  "
    assert normalise(raw) == "the \"best-value\" rule - it's bold and italic"


def test_normalised_quote_matches_typographic_variant():
    passage = "IMSS\u2019s \u201cconsolidated\u201d purchase \u2014 run by **CompraNet**\u00a0rules."
    assert is_relevant(["IMSS's \"consolidated\" purchase - run by CompraNet rules."], passage)


def test_needs_sixty_percent_as_one_run():
    quote = "abcdefghij" * 5  # 50 characters: 30 must match contiguously
    assert needed_run(quote) == 30 and MIN_SHARE == 0.6
    assert quote_matches(quote, "xx " + quote[:30] + " yy")
    assert not quote_matches(quote, "xx " + quote[:29] + " yy")


def test_pieces_that_are_not_contiguous_do_not_count():
    quote = normalise("procurement officials must hold a certificate before they can award contracts")
    half = len(quote) // 2
    passage = quote[:half] + " [something else entirely] " + quote[half:]
    assert longest_run(quote, passage) < needed_run(quote)
    assert not quote_matches(quote, passage)


def test_quote_cut_by_a_passage_boundary_still_counts():
    text = ("The certification programme started in 2014. Buyers who complete it receive a diploma from "
            "the ministry, valid for three years.")
    quote = "Buyers who complete it receive a diploma from the ministry, valid for three years."
    cut = text.index("valid for")  # the chunker split the quote: about 70 % / 30 %
    first, second = text[:cut], text[cut:]
    assert is_relevant([quote], first)
    assert not is_relevant([quote], second)


def test_judge_lists_relevant_passages_and_matched_quotes():
    evidence = {"q1": ["alpha beta gamma delta", "epsilon zeta eta theta"], "q2": ["nothing like this here"]}
    passages = {"p1": "... Alpha  beta gamma delta ...", "p2": "epsilon zeta eta theta", "p3": "unrelated"}
    got = judge(evidence, passages)
    assert got == {"q1": {"p1": frozenset({0}), "p2": frozenset({1})}, "q2": {}}


def test_prefilter_never_changes_the_answer():
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice("abcd ") for _ in range(rng.randint(0, 80)))
        start = rng.randint(0, max(0, len(text) - 1))
        quote = (text[start:start + rng.randint(1, 30)] + "".join(rng.choice("abcd") for _ in range(rng.randint(0, 8))))
        quote = quote.strip() or "a"
        expected = longest_run(quote, text) >= needed_run(quote)
        assert quote_matches(quote, text) == expected, (quote, text)
