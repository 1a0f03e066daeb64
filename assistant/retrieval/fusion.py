"""Fusing ranked lists. Pure functions over (id, score) lists, best first; tested by hand."""

from __future__ import annotations

from collections.abc import Sequence

Ranked = Sequence[tuple[str, float]]

DEFAULT_RRF_K = 60


def reciprocal_rank_fusion(
    lists: Sequence[Ranked], k: int = DEFAULT_RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[str, float]]:
    """score(d) = sum_i w_i / (k + rank_i(d)), rank from 1. Ties keep first-seen order."""
    weights = weights or [1.0] * len(lists)
    scores: dict[str, float] = {}
    for ranked, weight in zip(lists, weights, strict=True):
        for rank, (doc_id, _) in enumerate(ranked, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: -item[1])


def _min_max(ranked: Ranked) -> dict[str, float]:
    if not ranked:
        return {}
    values = [s for _, s in ranked]
    lo, hi = min(values), max(values)
    span = hi - lo
    return {d: ((s - lo) / span if span > 0 else 1.0) for d, s in ranked}


def convex_combination(dense: Ranked, sparse: Ranked, alpha: float = 0.5) -> list[tuple[str, float]]:
    """alpha * dense + (1 - alpha) * sparse, each min-max normalised over its own list.

    A document missing from one list gets 0 from it.
    """
    d, s = _min_max(dense), _min_max(sparse)
    ids = list(dict.fromkeys([*d, *s]))
    fused = {i: alpha * d.get(i, 0.0) + (1 - alpha) * s.get(i, 0.0) for i in ids}
    return sorted(fused.items(), key=lambda item: -item[1])


def zscore_fusion(score_lists: Sequence[dict[str, float]], weights: Sequence[float]) -> list[tuple[str, float]]:
    """Sum of weighted z-scores, each list standardised over the pooled candidates.

    Every list must score every candidate (the caller fills in exact scores), so a strong
    signal in one list is not lost because the document ranked low in another, which is
    what reciprocal rank fusion does to a passage only one retriever finds.
    A list whose scores are all equal (e.g. BM25 with no matching words) contributes nothing.
    """
    ids = list(dict.fromkeys(i for scores in score_lists for i in scores))
    fused = dict.fromkeys(ids, 0.0)
    for scores, weight in zip(score_lists, weights, strict=True):
        values = [scores.get(i, 0.0) for i in ids]
        n = len(values)
        mean = sum(values) / n if n else 0.0
        sd = (sum((v - mean) ** 2 for v in values) / n) ** 0.5 if n else 0.0
        if sd == 0:
            continue
        for i, v in zip(ids, values, strict=True):
            fused[i] += weight * (v - mean) / sd
    return sorted(fused.items(), key=lambda item: -item[1])
