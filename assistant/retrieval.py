"""Hybrid search over a loaded index: dense (FAISS) and BM25 (bm25s) lists, fused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.fusion import convex_combination, reciprocal_rank_fusion
from assistant.settings import RetrievalSettings
from assistant.types import Passage
from ingest.documents import Chunk
from ingest.index_store import IndexData
from ingest.lexical import query_terms


@dataclass(frozen=True)
class Filters:
    """Restrict a search to some reports, countries or languages (None = no restriction)."""

    sources: frozenset[str] | None = None
    countries: frozenset[str] | None = None
    languages: frozenset[str] | None = None

    def is_empty(self) -> bool:
        return not (self.sources or self.countries or self.languages)


class HybridSearcher:
    def __init__(self, data: IndexData, embed_query: Callable[[str], np.ndarray], settings: RetrievalSettings) -> None:
        import bm25s
        import faiss

        self.chunks: list[Chunk] = data.chunks
        self.documents: dict[str, dict] = data.manifest["documents"]
        self.settings = settings
        self._embed_query = embed_query
        self._dense = faiss.read_index(str(data.path / "dense.faiss"))
        self._bm25 = bm25s.BM25.load(str(data.path / "bm25"), show_progress=False)
        self._vocab = set(self._bm25.vocab_dict)

    def dense_ranking(self, query: str, depth: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
        if not self.chunks:
            return []
        q = np.asarray(self._embed_query(query), dtype=np.float32).reshape(1, -1)
        n = len(self.chunks) if mask is not None else min(depth, len(self.chunks))
        scores, ids = self._dense.search(q, n)
        ranked = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        if mask is not None:
            ranked = [(i, s) for i, s in ranked if mask[i]]
        return ranked[:depth]

    def sparse_ranking(self, query: str, depth: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
        terms = [t for t in query_terms(query) if t in self._vocab]
        if not terms or not self.chunks:
            return []
        scores = np.asarray(self._bm25.get_scores(terms), dtype=np.float32)[: len(self.chunks)]
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[:depth]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        s = self.settings
        mask = self._mask(filters)
        depth = max(s.candidates, k)
        lists, weights = [], []
        if s.use_dense:
            lists.append(self.dense_ranking(query, depth, mask))
            weights.append(s.dense_weight)
        if s.use_sparse:
            lists.append(self.sparse_ranking(query, depth, mask))
            weights.append(s.sparse_weight)
        as_ids = [[(str(i), score) for i, score in ranked] for ranked in lists]
        if len(as_ids) == 2 and s.fusion == "convex":
            fused = convex_combination(as_ids[0], as_ids[1], alpha=s.alpha)
        else:
            fused = reciprocal_rank_fusion(as_ids, k=s.rrf_k, weights=weights)
        return [self.passage(int(i), score) for i, score in fused[:k]]

    def passage(self, i: int, score: float) -> Passage:
        c = self.chunks[i]
        doc = self.documents.get(c.source, {})
        return Passage(
            chunk_id=c.chunk_id, text=c.text, source=c.source, title=c.title, page=c.page, score=score,
            heading=c.heading, language=c.language, publisher=doc.get("publisher"), year=doc.get("year"),
            country=doc.get("country"), start=c.start, end=c.end,
        )

    def _mask(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or filters.is_empty():
            return None

        def keep(c: Chunk) -> bool:
            doc = self.documents.get(c.source, {})
            return (
                (not filters.sources or c.source in filters.sources)
                and (not filters.countries or doc.get("country") in filters.countries)
                and (not filters.languages or c.language in filters.languages)
            )

        return np.fromiter((keep(c) for c in self.chunks), dtype=bool, count=len(self.chunks))
