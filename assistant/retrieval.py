"""Hybrid search over a loaded index: dense chunk vectors, dense sentence vectors and BM25, fused.

Each retriever nominates its best ``candidates`` chunks (FAISS for the vectors); every nominated
chunk is then scored exactly by every retriever, and the scores are fused (z-scores by default; reciprocal rank
fusion and a convex combination are there for comparison in eval/).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.fusion import convex_combination, reciprocal_rank_fusion, zscore_fusion
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


def _read_faiss(path):
    import faiss

    from ingest.index_store import IVF_NPROBE

    index = faiss.read_index(str(path))
    if hasattr(index, "nprobe"):
        index.nprobe = IVF_NPROBE  # an IVF index (large corpora) searches this many lists
    return index


class HybridSearcher:
    def __init__(self, data: IndexData, embed_query: Callable[[str], np.ndarray], settings: RetrievalSettings) -> None:
        import bm25s

        self.chunks: list[Chunk] = data.chunks
        self.documents: dict[str, dict] = data.manifest["documents"]
        self.settings = settings
        self.vectors = data.vectors
        self.sentences = data.sentences if data.sentences is not None and len(data.sentences.owner) else None
        self._embed_query = embed_query
        self._dense = _read_faiss(data.path / "dense.faiss")
        self._sentence_index = _read_faiss(data.path / "sentences.faiss") if self.sentences is not None else None
        # Sentences are stored in chunk order, so a chunk's sentences are one contiguous slice.
        owner = self.sentences.owner if self.sentences is not None else np.zeros(0, np.int32)
        rows = np.arange(len(self.chunks))
        self._sent_start = np.searchsorted(owner, rows, side="left")
        self._sent_end = np.searchsorted(owner, rows, side="right")
        self._bm25 = bm25s.BM25.load(str(data.path / "bm25"), show_progress=False)
        self._vocab = set(self._bm25.vocab_dict)
        self._skeletons: frozenset[str] | None = None
        self._rows = {c.chunk_id: i for i, c in enumerate(self.chunks)}

    @property
    def embed_query(self) -> Callable[[str], np.ndarray]:
        """The query embedder this index was built for (to open the same index with other settings)."""
        return self._embed_query

    def knows(self, term: str) -> bool:
        """Whether a (stemmed) term occurs anywhere in the indexed text."""
        return term in self._vocab

    def knows_form(self, term: str) -> bool:
        """Like ``knows``, but also in the spelling skeleton shared by Norwegian and Danish (fælles/felles)."""
        if term in self._vocab:
            return True
        if self._skeletons is None:
            self._skeletons = frozenset(skeleton(t) for t in self._vocab)
        return skeleton(term) in self._skeletons

    def idf(self, term: str) -> float:
        """How rare a (stemmed) term is in the index: log(1 + chunks / chunks containing it); 0 if absent."""
        tid = self._bm25.vocab_dict.get(term)
        if tid is None:
            return 0.0
        indptr = self._bm25.scores["indptr"]
        df = int(indptr[tid + 1] - indptr[tid])
        return float(np.log1p(len(self.chunks) / max(1, df)))

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
        terms = [t for t in query_terms(query) if t in self._vocab]
        bm25 = np.asarray(self._bm25.get_scores(terms), dtype=np.float32)[: len(self.chunks)] if terms else None

        nominated: list[list[int]] = []
        scorers: list[tuple[Callable[[int], float], float]] = []
        if s.use_dense:
            nominated.append(self._nominate(self._dense, q, depth, mask, owner=None))
            scorers.append((lambda i: float(self.vectors[i] @ q), s.dense_weight))
        if s.use_sentences and self.sentences is not None:
            nominated.append(self._nominate(self._sentence_index, q, depth, mask, owner=self.sentences.owner))
            scorers.append((lambda i: max((x for _, _, x in self.sentence_scores(i, q)), default=-1.0), s.sentence_weight))
        if s.use_sparse:
            nominated.append(self._top_bm25(bm25, depth, mask))
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

    def _nominate(self, index, q: np.ndarray, depth: int, mask: np.ndarray | None, owner: np.ndarray | None) -> list[int]:
        """Chunk rows whose vector (or one of whose sentences) is nearest the query."""
        total = index.ntotal
        want = depth if owner is None else depth * 8  # several sentences of a chunk may rank together
        if mask is not None:
            want = total  # filtered search: read the whole list, then keep what passes
        _, ids = index.search(q.reshape(1, -1), min(want, total))
        rows = [int(i) if owner is None else int(owner[i]) for i in ids[0] if i >= 0]
        rows = [r for r in dict.fromkeys(rows) if mask is None or mask[r]]
        return rows[:depth]

    @staticmethod
    def _top_bm25(bm25: np.ndarray | None, depth: int, mask: np.ndarray | None) -> list[int]:
        if bm25 is None:
            return []
        values = bm25 if mask is None else np.where(mask, bm25, 0.0)
        top = np.argsort(-values, kind="stable")[:depth]
        return [int(i) for i in top if values[i] > 0]

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
