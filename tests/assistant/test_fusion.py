from assistant.fusion import minmax, ranks, rrf


def test_rrf_rewards_agreement_between_channels():
    fused = rrf({"bm25": [("a", 3.0), ("b", 2.0), ("c", 1.0)], "dense": [("c", .9), ("a", .8), ("d", .7)]}, k=60)
    assert [p for p, _ in fused][:2] == ["a", "c"]
    assert abs(dict(fused)["a"] - (1 / 61 + 1 / 62)) < 1e-12


def test_minmax_keeps_score_gaps_that_rrf_throws_away():
    bm25 = [("p0", 9.0), ("p1", 1.0), ("p2", 0.9)]  # one clear lexical winner
    dense = [("p1", 0.58), ("p2", 0.57), ("p3", 0.56), ("p4", 0.55), ("p5", 0.54), ("p0", 0.50), ("p6", 0.10)]
    assert rrf({"bm25": bm25, "dense": dense})[0][0] == "p1"  # RRF sees only that p0 is sixth by dense
    fused = minmax({"bm25": bm25, "dense": dense})
    assert fused[0][0] == "p0" and abs(fused[0][1] - (1.0 + 0.4 / 0.48)) < 1e-9
    assert minmax({"bm25": bm25, "dense": dense}, weights={"bm25": 0.0})[0][0] == "p1"


def test_minmax_works_on_candidates_scaled_from_each_channels_floor():
    runs = {"dense": [("a", 0.9), ("b", 0.5)], "recommendation": [("b", 1.0)]}
    fused = dict(minmax(runs, weights={"recommendation": 0.5}, floors={"recommendation": 0.0}))
    assert fused == {"a": 1.0, "b": 0.5}  # the lowest candidate scales to 0 without a floor; the lift to its weight
    assert dict(minmax(runs, floors={"dense": 0.1}))["b"] == 0.5  # (0.5 - 0.1) / (0.9 - 0.1)
    assert dict(minmax(runs))["b"] == 0.0  # a flat channel without a floor adds nothing
    extra = dict(minmax({"dense": [("a", 0.9)], "bm25": [("b", 2.0)]}, floors={"dense": 0.1, "bm25": 0.0},
                        extra={"dense": {"b": 0.5}}))
    assert extra == {"a": 1.0, "b": 1.5}  # a candidate another channel found is scored by this one too
    assert minmax({}) == [] and minmax({"bm25": []}) == []


def test_ranks_per_channel():
    assert ranks({"bm25": [("a", 2), ("b", 1)], "dense": [("b", .5)]}) == {"a": {"bm25": 1}, "b": {"bm25": 2, "dense": 1}}
