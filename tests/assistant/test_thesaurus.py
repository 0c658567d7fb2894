from assistant.thesaurus import expand, expansions, load_thesaurus, parse_thesaurus


def test_expansion_keeps_the_question_and_adds_review_terms():
    t = parse_thesaurus("bid\ttender; proposal\nwin\taward\nbuying office\tpurchasing unit\nbuying\tprocurement\n")
    q = "Who wins the bids at the buying office?"
    assert expand(q, t) == q + " award tender proposal purchasing unit"  # longest phrase first, stems match
    assert expand("Nothing known here", t) == "Nothing known here"


def test_bundled_thesaurus_maps_plain_words_and_recommendations(tmp_path):
    t = load_thesaurus()
    assert "turnover" in expansions("Why is staff attrition so high?", t)
    assert "proposals for action" in expansions("What does the OECD recommend on training?", t)
    extra = tmp_path / "extra.tsv"
    extra.write_text("# trainers' words\nmedical kit\tmedical devices\n", encoding="utf-8")
    from assistant.thesaurus import DEFAULT_THESAURUS

    merged = load_thesaurus((str(DEFAULT_THESAURUS), str(extra)))
    assert expansions("Who buys medical kits?", merged)[-1] == "medical devices"
