"""Hybrid search over a loaded index: dense chunk vectors, dense sentence vectors and BM25, fused.

Each retriever nominates its best ``candidates`` chunks (``VectorIndex``es for the chunk and
sentence vectors, a ``LexicalIndex`` for BM25, filters applied inside every search); every
nominated chunk is then scored exactly by every retriever, and the scores are fused (z-scores by default; reciprocal rank
fusion and a convex combination are there for comparison in eval/).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from assistant.retrieval.fusion import convex_combination, reciprocal_rank_fusion, zscore_fusion
from assistant.retrieval.indexes import (
    ChunkStore,
    Filters,
    LexicalIndex,
    OpenedIndex,
    VectorIndex,
    open_embedded,
)
from assistant.settings import RetrievalSettings
from assistant.types import Passage
from ingest.documents import DocumentRecord
from ingest.index.files import IndexData
from ingest.text.lexical import query_terms, skeleton


class HybridSearcher:
    """Searches through the seams only (``assistant.retrieval.indexes``): a ``ChunkStore`` for the chunks and
    their vectors, ``VectorIndex``es for chunk and sentence vectors, a ``LexicalIndex``. ``over()``
    takes them from an ``OpenedIndex`` (files or database alike); ``embedded()`` from a folder's data."""

    def __init__(
        self,
        store: ChunkStore,
        dense: VectorIndex,
        sentences: VectorIndex | None,
        lexical: LexicalIndex,
        embed_query: Callable[[str], np.ndarray],
        settings: RetrievalSettings,
    ) -> None:
        self.store = store
        self.settings = settings
        self._dense = dense
        self._sentence_index = sentences if store.has_sentences() else None
        self._lexical = lexical
        self._embed_query = embed_query
        self._skeletons: frozenset[str] | None = None

    @classmethod
    def over(
        cls, index: OpenedIndex, embed_query: Callable[[str], np.ndarray], settings: RetrievalSettings
    ) -> HybridSearcher:
        return cls(index.chunks, index.dense, index.sentences, index.lexical, embed_query, settings)

    @classmethod
    def embedded(
        cls,
        data: IndexData,
        embed_query: Callable[[str], np.ndarray],
        settings: RetrievalSettings,
        vector_index: str | None = None,
    ) -> HybridSearcher:
        """Over an index version read from its folder; ``vector_index`` names the backend in
        ``VECTOR_INDEXES`` ("faiss", what ingest writes, by default)."""
        return cls.over(open_embedded(data, vector_index or settings.vector_index), embed_query, settings)

    @property
    def documents(self) -> Mapping[str, DocumentRecord]:
        return self.store.documents

    @property
    def embed_query(self) -> Callable[[str], np.ndarray]:
        """The query embedder this index was built for (to open the same index with other settings)."""
        return self._embed_query

    def knows(self, term: str) -> bool:
        """Whether a (stemmed) term occurs anywhere in the indexed text."""
        return self._lexical.knows(term)

    def knows_form(self, term: str) -> bool:
        """Like ``knows``, but also in the spelling skeleton shared by Norwegian and Danish (fælles/felles)."""
        if self._lexical.knows(term):
            return True
        if self._skeletons is None:
            self._skeletons = frozenset(skeleton(t) for t in self._lexical.vocabulary())
        return skeleton(term) in self._skeletons

    def idf(self, term: str) -> float:
        """How rare a (stemmed) term is in the index: log(1 + chunks / chunks containing it); 0 if absent."""
        if not self._lexical.knows(term):
            return 0.0
        return float(np.log1p(len(self.store) / max(1, self._lexical.document_frequency(term))))

    def row_of(self, chunk_id: str) -> int | None:
        return self.store.row_of(chunk_id)

    def embed(self, query: str) -> np.ndarray:
        return np.asarray(self._embed_query(query), dtype=np.float32).reshape(-1)

    def sentence_scores(self, row: int, q: np.ndarray) -> list[tuple[int, int, float]]:
        """(start, end, cosine) of each embedded sentence of chunk ``row``, in text order."""
        spans, vectors = self.store.sentences(row)
        if not len(spans):
            return []
        sims = vectors @ q
        return [(int(s), int(e), float(x)) for (s, e), x in zip(spans, sims, strict=True)]

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        return [p for p, _ in self.search_rows(query, self.embed(query), k, filters)]

    def search_rows(
        self, query: str, q: np.ndarray, k: int, filters: Filters | None = None
    ) -> list[tuple[Passage, int]]:
        """Passages with their chunk rows, best first. Each retriever nominates its best chunks from
        the filtered set; every nominated chunk is then scored exactly by every retriever, and fused."""
        s = self.settings
        if not len(self.store):
            return []
        filters = None if filters is None or filters.is_empty() else filters
        depth = max(s.candidates, k)
        terms = [t for t in query_terms(query) if self._lexical.knows(t)]

        nominated: list[list[int]] = []
        if s.use_dense:
            nominated.append(self._dense.search(q, depth, filters))
        use_sentences = s.use_sentences and self._sentence_index is not None
        if use_sentences and self._sentence_index is not None:
            nominated.append(self._sentence_index.search(q, depth, filters))
        if s.use_sparse:
            nominated.append(self._lexical.search(terms, depth, filters) if terms else [])
        pool = list(dict.fromkeys(i for ranked in nominated for i in ranked))

        columns: list[tuple[np.ndarray, float]] = []
        if s.use_dense:
            columns.append((self.store.vectors(pool) @ q if pool else np.zeros(0), s.dense_weight))
        if use_sentences:
            best = [max((x for _, _, x in self.sentence_scores(i, q)), default=-1.0) for i in pool]
            columns.append((np.asarray(best, dtype=np.float64), s.sentence_weight))
        if s.use_sparse:
            bm25 = self._lexical.scores(terms, pool) if terms and pool else np.zeros(len(pool))
            columns.append((bm25, s.sparse_weight))
        table = [{str(i): float(v) for i, v in zip(pool, values, strict=True)} for values, _ in columns]
        weights = [w for _, w in columns]
        if s.fusion == "zscore":
            fused = zscore_fusion(table, weights)
        else:
            lists = [[(str(i), t[str(i)]) for i in ranked] for ranked, t in zip(nominated, table, strict=True)]
            if s.fusion == "convex" and len(lists) == 2:
                fused = convex_combination(lists[0], lists[1], alpha=s.alpha)
            else:
                fused = reciprocal_rank_fusion(lists, k=s.rrf_k, weights=weights)
        return [(self.passage(int(i), score), int(i)) for i, score in fused[:k]]

    def passage(self, i: int, score: float) -> Passage:
        c = self.store.chunk(i)
        doc = self.store.documents.get(c.source, {})
        return Passage(
            chunk_id=c.chunk_id,
            text=c.text,
            source=c.source,
            title=c.title,
            page=c.page,
            score=score,
            heading=c.heading,
            language=c.language,
            publisher=doc.get("publisher"),
            year=doc.get("year"),
            country=doc.get("country"),
            start=c.start,
            end=c.end,
        )
