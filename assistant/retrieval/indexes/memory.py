"""A vector index that is just the numpy array: exact, no files. For tests and as the template for
a new backend (one class with ``search`` and ``__len__``, then one line in ``VECTOR_INDEXES``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.retrieval.indexes.base import top_rows


class NumpyVectorIndex:
    def __init__(self, vectors: np.ndarray) -> None:
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)

    @classmethod
    def open(cls, folder: Path, name: str, vectors: np.ndarray) -> NumpyVectorIndex:
        return cls(vectors)

    def __len__(self) -> int:
        return len(self._vectors)

    def search(self, q: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
        if not len(self._vectors):
            return np.zeros(0, np.int64)
        return top_rows(self._vectors @ np.asarray(q, np.float32).reshape(-1), k, allowed)
