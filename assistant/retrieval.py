"""Hybrid search over a loaded index: dense chunk vectors, dense sentence vectors and BM25, fused.

Each retriever nominates its best ``candidates`` chunks (a ``VectorIndex`` for the vectors, a
``LexicalIndex`` for BM25, filters applied inside both searches); every nominated
chunk is then scored exactly by every retriever, and the scores are fused (z-scores by default; reciprocal rank
fusion and a convex combination are there for comparison in eval/).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.fusion import convex_combination, reciprocal_rank_fusion, zscore_fusion
from assistant.indexes import Bm25Index, LexicalIndex, VectorIndex, open_vector_index
from assistant.settings import RetrievalSettings
from assistant.types import Passage
from ingest.documents import Chunk
from ingest.index_store import IndexData
from ingest.lexical import query_terms, skeleton


@dataclass(frozen=True)
class Filters:
    """Restrict a search to some reports, countries or languages (None = no restriction)."""

    sources: frozenset[str] | None = None
    countries: frozenset[str] | None = None
    languages: frozenset[str] | None = None

    def is_empty(self) -> bool:
        return not (self.sources or self.countries or self.languages)


class HybridSearcher:
    """Searches through the ``VectorIndex`` and ``LexicalIndex`` seams only (``assistant.indexes``);
    ``vector_index`` names the backend in ``VECTOR_INDEXES`` ("faiss", what ingest writes, by default)."""

    def __init__(self, data: IndexData, embed_query: Callable[[str], np.ndarray], settings: RetrievalSettings,
                 vector_index: str | None = None) -> None:
        self.chunks: list[Chunk] = data.chunks
        self.documents: dict[str, dict] = data.manifest["documents"]
        self.settings = settings
        self.vectors = data.vectors
        self.sentences = data.sentences if data.sentences is not None and len(data.sentences.owner) else None
        self._embed_query = embed_query
        vector_index = vector_index or settings.vector_index
        self._dense: VectorIndex = open_vector_index(vector_index, data.path, "dense", data.vectors)
        self._sentence_index: VectorIndex | None = (
            open_vector_index(vector_index, data.path, "sentences", self.sentences.vectors) if self.sentences is not None else None
        )
        # Sentences are stored in chunk order, so a chunk's sentences are one contiguous slice.
        owner = self.sentences.owner if self.sentences is not None else np.zeros(0, np.int32)
        rows = np.arange(len(self.chunks))
        self._sent_start = np.searchsorted(owner, rows, side="left")
        self._sent_end = np.searchsorted(owner, rows, side="right")
        self._lexical: LexicalIndex = Bm25Index.open(data.path, len(self.chunks))
        self._skeletons: frozenset[str] | None = None
        self._rows = {c.chunk_id: i for i, c in enumerate(self.chunks)}

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
        return float(np.log1p(len(self.chunks) / max(1, self._lexical.document_frequency(term))))

    def row_of(self, chunk_id: str) -> int | None:
        return self._rows.get(chunk_id)

    def embed(self, query: str) -> np.ndarray:
        return np.asarray(self._embed_query(query), dtype=np.float32).reshape(-1)

    def sentence_scores(self, row: int, q: np.ndarray) -> list[tuple[int, int, float]]:
        """(start, end, cosine) of each embedded sentence of chunk ``row``, in text order."""
        if self.sentences is None:
            return []
        a, b = self._sent_start[row], self._sent_end[row]
        sims = self.sentences.vectors[a:b] @ q
        return [(int(s), int(e), float(x)) for (s, e), x in zip(self.sentences.spans[a:b], sims, strict=True)]

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        return [p for p, _ in self.search_rows(query, self.embed(query), k, filters)]

    def search_rows(self, query: str, q: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[Passage, int]]:
        """Passages with their chunk rows, best first."""
        s = self.settings
        if not self.chunks:
            return []
        mask = self._mask(filters)
        depth = max(s.candidates, k)
        terms = [t for t in query_terms(query) if self._lexical.knows(t)]
        bm25 = self._lexical.scores(terms) if terms else None

        nominated: list[list[int]] = []
        scorers: list[tuple[Callable[[int], float], float]] = []
        if s.use_dense:
            nominated.append(self._nominate(self._dense, q, depth, mask, owner=None))
            scorers.append((lambda i: float(self.vectors[i] @ q), s.dense_weight))
        if s.use_sentences and self.sentences is not None and self._sentence_index is not None:
            nominated.append(self._nominate(self._sentence_index, q, depth, mask, owner=self.sentences.owner))
            scorers.append((lambda i: max((x for _, _, x in self.sentence_scores(i, q)), default=-1.0), s.sentence_weight))
        if s.use_sparse:
            nominated.append(self._lexical.search(terms, depth, mask) if terms else [])
            scorers.append((lambda i: 0.0 if bm25 is None else float(bm25[i]), s.sparse_weight))
        pool = list(dict.fromkeys(i for ranked in nominated for i in ranked))
        table = [{str(i): score(i) for i in pool} for score, _ in scorers]
        weights = [w for _, w in scorers]
        if s.fusion == "zscore":
            fused = zscore_fusion(table, weights)
        else:
            lists = [[(str(i), t[str(i)]) for i in ranked] for ranked, t in zip(nominated, table, strict=True)]
            if s.fusion == "convex" and len(lists) == 2:
                fused = convex_combination(lists[0], lists[1], alpha=s.alpha)
            else:
                fused = reciprocal_rank_fusion(lists, k=s.rrf_k, weights=weights)
        return [(self.passage(int(i), score), int(i)) for i, score in fused[:k]]

    def _nominate(self, index: VectorIndex, q: np.ndarray, depth: int, mask: np.ndarray | None,
                  owner: np.ndarray | None) -> list[int]:
        """Chunk rows whose vector (or one of whose sentences) is nearest the query; the filter
        ``mask`` goes into the index search, so the rows are the best of the filtered set."""
        if owner is None:
            return [int(r) for r in index.search(q, depth, mask)]
        allowed = None if mask is None else mask[owner]
        want = depth * 8  # several sentences of a chunk may rank together
        while True:
            found = index.search(q, want, allowed)
            rows = list(dict.fromkeys(int(owner[i]) for i in found))
            if len(rows) >= depth or len(found) < want:  # enough chunks, or every sentence read
                return rows[:depth]
            want *= 4

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
