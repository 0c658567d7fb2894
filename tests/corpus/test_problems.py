"""Every reason a file is refused or passed over reads in English and in Spanish, details filled in."""

import string

import pytest

from corpus.problems import MESSAGES, Problem, describe


@pytest.mark.parametrize("problem", list(Problem))
def test_each_problem_has_both_languages_with_the_same_details(problem):
    en, es = MESSAGES[problem]["en"], MESSAGES[problem]["es"]
    fields = {name for _, name, _, _ in string.Formatter().parse(en) if name}
    assert fields == {name for _, name, _, _ in string.Formatter().parse(es) if name}
    assert en != es


def test_describe_fills_details_and_falls_back_to_english():
    assert describe(Problem.TOO_BIG, {"mb": "60.0", "limit": "50"}, "es").startswith("el archivo pesa 60.0 MB")
    assert describe("pdf_unreadable", {}, "fr") == describe(Problem.PDF_UNREADABLE)
