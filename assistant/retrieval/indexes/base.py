"""The seams the searcher talks to: the chunks of one index version (``ChunkStore``), nearest
vectors (``VectorIndex``) and lexical scores (``LexicalIndex``).

All are keyed by row: the position of a chunk in the order it was indexed (its line in
``chunks.jsonl``, its ``row`` column in the database). ``Filters`` go into every search and act
before the top-k cut, so a filtered query gets its k best from the filtered set and never the
survivors of an unfiltered top-k. Embedded backends turn the filters into a boolean mask over
rows (``RowVectorIndex`` searches with it); a database backend turns them into a WHERE clause.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from ingest.documents import Chunk, DocumentRecord, IndexManifest


@dataclass(frozen=True)
class Filters:
    """Restrict a search to some reports, countries or languages (None = no restriction)."""

    sources: frozenset[str] | None = None
    countries: frozenset[str] | None = None
    languages: frozenset[str] | None = None

    def is_empty(self) -> bool:
        return not (self.sources or self.countries or self.languages)


@runtime_checkable
class ChunkStore(Protocol):
    """The chunks of one index version by row, with what exact scoring needs."""

    @property
    def documents(self) -> Mapping[str, DocumentRecord]:
        """The manifest's record of each report (title, publisher, year, country …) by file name."""
        ...

    def __len__(self) -> int: ...

    def chunk(self, row: int) -> Chunk: ...

    def row_of(self, chunk_id: str) -> int | None: ...

    def vectors(self, rows: Sequence[int]) -> np.ndarray:
        """The chunk vectors of these rows, in order (float32 [len(rows), dim])."""
        ...

    def sentences(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """The embedded sentences of a chunk: spans (int32 [m, 2], offsets in its text, in text order)
        and their vectors (float32 [m, dim]); m = 0 when the index has no sentence vectors."""
        ...

    def has_sentences(self) -> bool: ...


@runtime_checkable
class RowVectorIndex(Protocol):
    """An embedded vector index over rows of one array, filtered by a boolean mask."""

    def __len__(self) -> int: ...

    def search(self, q: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
        """Rows of the ``k`` vectors nearest ``q``, best first (int64).

        With ``allowed`` (bool per row) only allowed rows count, and the answer has
        ``min(k, allowed.sum())`` rows: a narrow filter does not come back short.
        """
        ...


@runtime_checkable
class VectorIndex(Protocol):
    """Chunks nearest a question vector, by inner product (cosine on normalised vectors); for the
    sentence index, chunks ranked by their nearest sentence."""

    def search(self, q: np.ndarray, k: int, filters: Filters | None = None) -> list[int]:
        """Chunk rows, best first, ``min(k, rows passing the filters)`` of them."""
        ...


@runtime_checkable
class LexicalIndex(Protocol):
    """Term-based scores (BM25 over stemmed terms) per row."""

    def __len__(self) -> int: ...

    def knows(self, term: str) -> bool:
        """Whether a (stemmed) term occurs in any row."""
        ...

    def vocabulary(self) -> Iterable[str]: ...

    def document_frequency(self, term: str) -> int:
        """How many rows contain the term (0 if none)."""
        ...

    def scores(self, terms: Sequence[str], rows: Sequence[int]) -> np.ndarray:
        """The score of these rows for these terms, in order (float32, 0 where none occurs)."""
        ...

    def search(self, terms: Sequence[str], k: int, filters: Filters | None = None) -> list[int]:
        """Rows with a positive score, best first, at most ``k``, only rows passing the filters."""
        ...


MaskOf = Callable[[Filters], np.ndarray]  # filters -> bool per row (embedded backends)


def top_rows(values: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
    """The ``k`` rows with the highest values, best first (ties in row order); the mask comes first."""
    if allowed is not None:
        values = np.where(allowed, values, -np.inf)
        k = min(k, int(allowed.sum()))
    return np.argsort(-values, kind="stable")[:k].astype(np.int64)


@dataclass(frozen=True)
class OpenedIndex:
    """One live index version, opened for searching: its name, manifest and the seams over it."""

    name: str
    manifest: IndexManifest
    chunks: ChunkStore
    dense: VectorIndex
    sentences: VectorIndex | None
    lexical: LexicalIndex


@runtime_checkable
class SearchableStore(Protocol):
    """An ``ingest.index.store.IndexStore`` that opens its live version for searching itself (a database
    searches in place); a file store is read into memory instead (``assistant.retrieval.indexes.open_index``)."""

    def open_index(self) -> OpenedIndex: ...
