"""bm25s as a ``LexicalIndex``: the ``bm25/`` folder ``ingest.index.files`` writes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from assistant.retrieval.indexes.base import Filters, MaskOf, top_rows


class Bm25Index:
    def __init__(self, bm25, rows: int, mask_of: MaskOf | None = None) -> None:
        self._bm25 = bm25
        self._rows = rows  # an empty index is stored with one placeholder document; it is not a row
        self._mask_of = mask_of
        self._vocab = bm25.vocab_dict
        self._last: tuple[tuple[str, ...], np.ndarray] | None = None

    @classmethod
    def open(cls, folder: Path, rows: int, mask_of: MaskOf | None = None) -> Bm25Index:
        import bm25s

        return cls(bm25s.BM25.load(str(folder / "bm25"), show_progress=False), rows, mask_of)

    def __len__(self) -> int:
        return self._rows

    def knows(self, term: str) -> bool:
        return term in self._vocab

    def vocabulary(self) -> Iterable[str]:
        return self._vocab.keys()

    def document_frequency(self, term: str) -> int:
        tid = self._vocab.get(term)
        if tid is None:
            return 0
        indptr = self._bm25.scores["indptr"]
        return int(indptr[tid + 1] - indptr[tid])

    def scores(self, terms: Sequence[str], rows: Sequence[int]) -> np.ndarray:
        return self.all_scores(terms)[np.asarray(rows, dtype=np.int64)]

    def all_scores(self, terms: Sequence[str]) -> np.ndarray:
        """The score of every row (cached for the last terms: a search and its scoring share it)."""
        key = tuple(terms)
        last = self._last  # one read: other threads may replace it meanwhile
        if last is not None and last[0] == key:
            return last[1]
        known = [t for t in key if t in self._vocab]
        values = (
            np.asarray(self._bm25.get_scores(known), dtype=np.float32)[: self._rows]
            if known
            else np.zeros(self._rows, np.float32)
        )
        values.flags.writeable = False  # shared through the cache
        self._last = (key, values)
        return values

    def search(self, terms: Sequence[str], k: int, filters: Filters | None = None) -> list[int]:
        allowed = None
        if filters is not None and not filters.is_empty():
            if self._mask_of is None:
                raise ValueError("this BM25 index was opened without a way to filter")
            allowed = self._mask_of(filters)
        values = self.all_scores(terms)
        return [int(i) for i in top_rows(values, k, allowed) if values[i] > 0]
