import pytest

from assistant.retrieval.fusion import convex_combination, reciprocal_rank_fusion


def test_rrf_rewards_agreement_between_lists():
    dense = [("a", 0.9), ("b", 0.8), ("c", 0.7)]
    sparse = [("c", 12.0), ("a", 9.0), ("d", 1.0)]
    fused = reciprocal_rank_fusion([dense, sparse], k=60)
    assert [d for d, _ in fused] == ["a", "c", "b", "d"]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[-1][1] == pytest.approx(1 / 63)


def test_rrf_weights_tilt_the_order():
    dense = [("a", 1.0), ("b", 0.5)]
    sparse = [("b", 3.0), ("a", 2.0)]
    assert [d for d, _ in reciprocal_rank_fusion([dense, sparse], weights=[2.0, 1.0])][0] == "a"
    assert [d for d, _ in reciprocal_rank_fusion([dense, sparse], weights=[1.0, 2.0])][0] == "b"


def test_rrf_ignores_raw_scores():
    fused = reciprocal_rank_fusion([[("x", 1e9), ("y", 1e-9)]])
    assert [d for d, _ in fused] == ["x", "y"]
    assert [s for _, s in fused] == pytest.approx([1 / 61, 1 / 62])


def test_convex_combination_normalises_each_list():
    dense = [("a", 0.90), ("b", 0.80), ("c", 0.70)]  # a=1, b=0.5, c=0
    sparse = [("c", 30.0), ("b", 20.0), ("d", 10.0)]  # c=1, b=0.5, d=0
    fused = dict(convex_combination(dense, sparse, alpha=0.5))
    assert fused == pytest.approx({"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.0})
    assert [d for d, _ in convex_combination(dense, sparse, alpha=0.8)][0] == "a"
    assert [d for d, _ in convex_combination(dense, sparse, alpha=0.2)][0] == "c"


def test_fusion_of_empty_lists():
    assert reciprocal_rank_fusion([[], []]) == []
    assert convex_combination([], [("a", 2.0)], alpha=0.5) == [("a", 0.5)]
