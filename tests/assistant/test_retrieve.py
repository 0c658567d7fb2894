def test_a_recommendation_question_ranks_the_proposal_first(corpus_kb):
    """The staff-turnover proposal (no. 5 of chapter 5) answers this; before the lift the
    chapter's discussion of turnover came first."""
    top = corpus_kb.search("What does the OECD propose to reduce staff turnover?").passages
    assert top[0].passage.kind == "recommendation"
    assert "5. Certifying procurement officials to reduce turnover" in top[0].passage.text


def test_every_channel_returns_its_own_top_k_of_passage_ids(corpus_kb):
    """The one contract: top_k(query, k, where) -> [(passage_id, score)], best first, at most k."""
    from indexer.where import Where

    r = corpus_kb.retriever
    query = corpus_kb.analyse("¿Qué propone la OCDE para la capacitación de compradores?")
    ids = {p.id for p in corpus_kb.passages()}
    for name, channel in r.channels.items():
        ranked = channel.top_k(query, 7, Where(), "text" if name == "ml" else "english")
        assert len(ranked) <= 7 and all(pid in ids for pid, _ in ranked), name
        assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True), name
        assert ranked or name == "bm25", name  # the Spanish text has no English BM25 match


def test_filters_are_applied_inside_every_channel(corpus_kb):
    from indexer.where import Where

    r = corpus_kb.retriever
    query = corpus_kb.analyse("What does the OECD recommend on training and certification of buyers?")
    where = Where.of(countries=["Chile"])
    for name, channel in r.channels.items():
        for pid, _ in channel.top_k(query, 20, where, "english"):
            assert "Chile" in corpus_kb.store.passage(pid).countries, name
    boxes = Where.of(box_id=["5.2"])
    found = r.channels["dense"].top_k(query, 20, boxes, "english")
    assert found and {corpus_kb.store.passage(pid).box_id for pid, _ in found} == {"5.2"}


def test_sentence_channel_scores_a_passage_by_its_best_sentence(corpus_kb):
    import numpy as np

    from indexer.ids import passage_label
    from indexer.where import Where

    r = corpus_kb.retriever
    query = corpus_kb.analyse("How many employees does IMSS have?")
    best = r.channels["sentence"].top_k(query, 5, Where(), "english")
    pid, score = best[0]
    p = corpus_kb.store.passage(pid)
    labels = [(passage_label(pid) << 8) | i for i in range(len(p.sentences))]
    vecs = corpus_kb.store.sentence_vectors(labels)
    q = r.english_vector(query)
    assert abs(max(float(np.dot(v, q)) for v in vecs.values()) - score) < 1e-4


def test_spanish_questions_also_read_the_cross_lingual_best_sentence_english_ones_do_not(corpus_kb):
    es = corpus_kb.search("¿Qué propone la OCDE para reducir la rotación de personal?", k=3)
    en = corpus_kb.search("What does the OECD propose to reduce staff turnover?", k=3)
    assert es.lang == "es" and all("ml_sentence" in hit.scores for hit in es.passages)
    assert all("ml_sentence" not in hit.scores for hit in en.passages)
    assert corpus_kb.retriever.weights_for("es")["ml"] == 0.5 and corpus_kb.retriever.weights_for("en").get("ml", 1) == 1


def test_the_spanish_turnover_question_is_answered_from_the_proposal_not_declined(corpus_kb):
    answer = corpus_kb.ask("¿Qué propone la OCDE para reducir la rotación de personal?")
    assert not answer.abstained
    assert any("Certifying procurement officials to reduce turnover" in c.quote for c in answer.citations)
    assert ("rotación de personal", "staff turnover") in answer.terms  # said in Spanish: what the quotes use
    assert {"asked": "rotación de personal", "found": "staff turnover"} in answer.to_dict()["terms"]


def test_the_cross_lingual_channel_searches_for_spanish_questions_and_rescores_for_english_ones(corpus_kb):
    """For English questions BM25 and MiniLM bring the candidates and the cross-lingual encoder
    re-scores them (one graph search fewer); Spanish questions still get its own top-k."""
    from assistant.configs import get_config, rescoring_channels

    hybrid = get_config("hybrid")
    assert rescoring_channels(hybrid, "en") == {"sentence", "ml"}
    assert rescoring_channels(hybrid, "es") == {"sentence", "ml_sentence"}
    assert rescoring_channels(get_config("hybrid-lite"), "en") == {"sentence"}  # no cross-lingual channel at all
    store, spaces = corpus_kb.store, []
    real = store.vector_top_k

    def recording(space, *args):
        spaces.append(space)
        return real(space, *args)

    store.vector_top_k = recording
    try:
        en = corpus_kb.search("What does the OECD recommend on framework agreements?")
        asked_en, spaces[:] = list(spaces), []
        es = corpus_kb.search("¿Qué recomienda la OCDE sobre los acuerdos marco?")
    finally:
        del store.vector_top_k
    assert "ml" not in asked_en and "dense" in asked_en and "ml" in spaces
    assert all("ml" in hit.scores for hit in en.passages) and es.passages  # every candidate re-scored
