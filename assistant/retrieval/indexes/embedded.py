"""The embedded backend: an index version read from its folder into memory (``IndexData``), searched
with FAISS (or numpy) and bm25s. Filters become a boolean mask over rows, applied inside each search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from assistant.retrieval.indexes.base import Filters, MaskOf, RowVectorIndex
from ingest.documents import Chunk, DocumentRecord
from ingest.index.files import IndexData


class MemoryChunkStore:
    """``ChunkStore`` over an ``IndexData``: chunks, vectors and sentence vectors in memory."""

    def __init__(self, data: IndexData) -> None:
        self._chunks = data.chunks
        self._documents: Mapping[str, DocumentRecord] = data.manifest["documents"]
        self._vectors = data.vectors
        self._rows = {c.chunk_id: i for i, c in enumerate(self._chunks)}
        sentences = data.sentences if data.sentences is not None and len(data.sentences.owner) else None
        self._sentences = sentences
        # Sentences are stored in chunk order, so a chunk's sentences are one contiguous slice.
        self.owner = sentences.owner if sentences is not None else np.zeros(0, np.int32)
        rows = np.arange(len(self._chunks))
        self._start = np.searchsorted(self.owner, rows, side="left")
        self._end = np.searchsorted(self.owner, rows, side="right")

    @property
    def documents(self) -> Mapping[str, DocumentRecord]:
        return self._documents

    def __len__(self) -> int:
        return len(self._chunks)

    def chunk(self, row: int) -> Chunk:
        return self._chunks[row]

    def row_of(self, chunk_id: str) -> int | None:
        return self._rows.get(chunk_id)

    def vectors(self, rows: Sequence[int]) -> np.ndarray:
        return self._vectors[np.asarray(rows, dtype=np.int64)]

    def has_sentences(self) -> bool:
        return self._sentences is not None

    def sentences(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        if self._sentences is None:
            return np.zeros((0, 2), np.int32), np.zeros((0, self._vectors.shape[1]), np.float32)
        a, b = self._start[row], self._end[row]
        return self._sentences.spans[a:b], self._sentences.vectors[a:b]

    def mask(self, filters: Filters) -> np.ndarray:
        """Bool per chunk row: whether it passes the filters."""

        def keep(c: Chunk) -> bool:
            doc = self._documents.get(c.source, {})
            return (
                (not filters.sources or c.source in filters.sources)
                and (not filters.countries or doc.get("country") in filters.countries)
                and (not filters.languages or c.language in filters.languages)
            )

        return np.fromiter((keep(c) for c in self._chunks), dtype=bool, count=len(self._chunks))


def _mask(mask_of: MaskOf, filters: Filters | None) -> np.ndarray | None:
    return None if filters is None or filters.is_empty() else mask_of(filters)


class ChunkVectors:
    """``VectorIndex`` over chunk vectors: a ``RowVectorIndex`` whose rows are the chunk rows."""

    def __init__(self, index: RowVectorIndex, mask_of: MaskOf) -> None:
        self._index = index
        self._mask_of = mask_of

    def search(self, q: np.ndarray, k: int, filters: Filters | None = None) -> list[int]:
        return [int(r) for r in self._index.search(q, k, _mask(self._mask_of, filters))]


class SentenceVectors:
    """``VectorIndex`` ranking chunks by their nearest sentence, over a ``RowVectorIndex`` of sentence
    vectors whose ``owner[i]`` is the chunk row of sentence ``i``."""

    def __init__(self, index: RowVectorIndex, owner: np.ndarray, mask_of: MaskOf) -> None:
        self._index = index
        self._owner = owner
        self._mask_of = mask_of

    def search(self, q: np.ndarray, k: int, filters: Filters | None = None) -> list[int]:
        mask = _mask(self._mask_of, filters)
        allowed = None if mask is None else mask[self._owner]
        want = k * 8  # several sentences of a chunk may rank together
        while True:
            found = self._index.search(q, want, allowed)
            rows = list(dict.fromkeys(int(self._owner[i]) for i in found))
            if len(rows) >= k or len(found) < want:  # enough chunks, or every sentence read
                return rows[:k]
            want *= 4
