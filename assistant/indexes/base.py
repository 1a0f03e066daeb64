"""The two index seams the searcher talks to: nearest vectors and lexical (BM25) scores.

Both are keyed by row: the position of a chunk (or sentence) in the order it was indexed, which is
also its line in ``chunks.jsonl``. A filter is a boolean mask over those rows and is applied inside
the search, before the top-k cut, so a filtered query gets its k best from the filtered set and
never the survivors of an unfiltered top-k.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class VectorIndex(Protocol):
    """Nearest vectors by inner product (cosine on the normalised vectors Veivalg stores)."""

    def __len__(self) -> int: ...

    def search(self, q: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
        """Rows of the ``k`` vectors nearest ``q``, best first (int64).

        With ``allowed`` (bool per row) only allowed rows count, and the answer has
        ``min(k, allowed.sum())`` rows: a narrow filter does not come back short.
        """
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

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """The score of every row for these terms (float32, 0 where none occurs)."""
        ...

    def search(self, terms: Sequence[str], k: int, allowed: np.ndarray | None = None) -> list[int]:
        """Rows with a positive score, best first, at most ``k``, only ``allowed`` ones when given."""
        ...


def top_rows(values: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
    """The ``k`` rows with the highest values, best first (ties in row order); the mask comes first."""
    if allowed is not None:
        values = np.where(allowed, values, -np.inf)
        k = min(k, int(allowed.sum()))
    return np.argsort(-values, kind="stable")[:k].astype(np.int64)
