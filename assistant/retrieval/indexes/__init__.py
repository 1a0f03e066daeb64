"""Index seams (``ChunkStore``, ``VectorIndex``, ``LexicalIndex``, keyed by row) and their backends.

A new embedded vector backend is one class with ``search`` and ``__len__`` over rows (a
``RowVectorIndex``) and one entry in ``VECTOR_INDEXES``; ``vector_index="name"`` in the retrieval
settings then uses it for the chunk and sentence vectors. A database backend implements the seams
itself and hands them over as an ``OpenedIndex`` (``SearchableStore``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.retrieval.indexes.base import (
    ChunkStore,
    Filters,
    LexicalIndex,
    OpenedIndex,
    RowVectorIndex,
    SearchableStore,
    VectorIndex,
    top_rows,
)
from assistant.retrieval.indexes.bm25_index import Bm25Index
from assistant.retrieval.indexes.embedded import ChunkVectors, MemoryChunkStore, SentenceVectors
from assistant.retrieval.indexes.faiss_index import FaissVectorIndex
from assistant.retrieval.indexes.memory import NumpyVectorIndex
from ingest.errors import VeivalgError
from ingest.index.files import IndexData
from ingest.index.store import IndexStore

# (index version folder, "dense" or "sentences", the stored vectors) -> index
VectorIndexOpener = Callable[[Path, str, np.ndarray], RowVectorIndex]

VECTOR_INDEXES: dict[str, VectorIndexOpener] = {
    "faiss": FaissVectorIndex.open,  # what ingest writes: exact up to ANN_THRESHOLD vectors, IVF past it
    "memory": NumpyVectorIndex.open,  # exact, from vectors.npy / sentences.npz alone
}


def open_vector_index(kind: str, folder: Path, name: str, vectors: np.ndarray) -> RowVectorIndex:
    try:
        opener = VECTOR_INDEXES[kind]
    except KeyError:
        raise VeivalgError(f"Ukjent vektorindeks «{kind}»; velg en av {', '.join(VECTOR_INDEXES)}.") from None
    return opener(folder, name, vectors)


def open_embedded(data: IndexData, vector_index: str = "faiss") -> OpenedIndex:
    """An index version read from its folder, searched in memory."""
    chunks = MemoryChunkStore(data)
    dense = ChunkVectors(open_vector_index(vector_index, data.path, "dense", data.vectors), chunks.mask)
    sentences = None
    if data.sentences is not None and chunks.has_sentences():
        raw = open_vector_index(vector_index, data.path, "sentences", data.sentences.vectors)
        sentences = SentenceVectors(raw, chunks.owner, chunks.mask)
    lexical = Bm25Index.open(data.path, len(chunks), chunks.mask)
    return OpenedIndex(
        name=data.path.name, manifest=data.manifest, chunks=chunks, dense=dense, sentences=sentences, lexical=lexical
    )


def open_index(store: IndexStore, vector_index: str = "faiss") -> OpenedIndex:
    """The live version of ``store``, ready to search (``IndexMissing`` when there is none)."""
    if isinstance(store, SearchableStore):
        return store.open_index()
    return open_embedded(store.read(), vector_index)


__all__ = [
    "VECTOR_INDEXES",
    "Bm25Index",
    "ChunkStore",
    "ChunkVectors",
    "FaissVectorIndex",
    "Filters",
    "LexicalIndex",
    "MemoryChunkStore",
    "NumpyVectorIndex",
    "OpenedIndex",
    "RowVectorIndex",
    "SearchableStore",
    "SentenceVectors",
    "VectorIndex",
    "VectorIndexOpener",
    "open_embedded",
    "open_index",
    "open_vector_index",
    "top_rows",
]
