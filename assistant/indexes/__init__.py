"""Index seams: ``VectorIndex`` and ``LexicalIndex`` keyed by row, and the backends that implement them.

A new vector backend is one class with ``search`` and ``__len__`` and one entry in ``VECTOR_INDEXES``;
``HybridSearcher(..., vector_index="name")`` then uses it for the chunk and sentence vectors.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.indexes.base import LexicalIndex, VectorIndex, top_rows
from assistant.indexes.bm25_index import Bm25Index
from assistant.indexes.faiss_index import FaissVectorIndex
from assistant.indexes.memory import NumpyVectorIndex
from ingest.errors import VeivalgError

# (index version folder, "dense" or "sentences", the stored vectors) -> index
VectorIndexOpener = Callable[[Path, str, np.ndarray], VectorIndex]

VECTOR_INDEXES: dict[str, VectorIndexOpener] = {
    "faiss": FaissVectorIndex.open,  # what ingest writes: exact up to ANN_THRESHOLD vectors, IVF past it
    "memory": NumpyVectorIndex.open,  # exact, from vectors.npy / sentences.npz alone
}


def open_vector_index(kind: str, folder: Path, name: str, vectors: np.ndarray) -> VectorIndex:
    try:
        opener = VECTOR_INDEXES[kind]
    except KeyError:
        raise VeivalgError(f"Ukjent vektorindeks «{kind}»; velg en av {', '.join(VECTOR_INDEXES)}.") from None
    return opener(folder, name, vectors)


__all__ = [
    "VECTOR_INDEXES",
    "Bm25Index",
    "FaissVectorIndex",
    "LexicalIndex",
    "NumpyVectorIndex",
    "VectorIndex",
    "VectorIndexOpener",
    "open_vector_index",
    "top_rows",
]
