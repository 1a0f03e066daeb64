"""FAISS as a ``VectorIndex``: the flat or IVF index ``ingest.index.files`` writes (``dense.faiss``,
``sentences.faiss``), searched with an ``IDSelector`` so filters act inside the search."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ingest.index.files import IVF_NPROBE


class FaissVectorIndex:
    def __init__(self, index, nprobe: int = IVF_NPROBE) -> None:
        import faiss

        self._index = index
        self._ivf = faiss.try_extract_index_ivf(index)  # None for a flat index
        self._nprobe = nprobe

    @classmethod
    def open(cls, folder: Path, name: str, vectors: np.ndarray | None = None) -> FaissVectorIndex:
        import faiss

        return cls(faiss.read_index(str(folder / f"{name}.faiss")))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def search(self, q: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
        import faiss

        total = len(self)
        want = min(k, total if allowed is None else int(allowed.sum()))
        if want <= 0:
            return np.zeros(0, np.int64)
        query = np.ascontiguousarray(np.asarray(q, np.float32).reshape(1, -1))
        bits = sel = None  # the selector points into ``bits``: both live until this returns
        if allowed is not None:
            bits = np.packbits(allowed, bitorder="little")
            sel = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
        if self._ivf is None:
            params = None
            if sel is not None:
                params = faiss.SearchParameters()
                params.sel = sel
            return self._found(query, want, params)
        # IVF reads only the lists nearest the query; a narrow filter may leave too few of its rows
        # there, so widen the probe until the filtered set gives k (all lists = exact over the set).
        nprobe = min(self._nprobe, self._ivf.nlist)
        while True:
            ivf_params = faiss.SearchParametersIVF()
            ivf_params.nprobe = nprobe  # per search: the index object is shared between threads
            if sel is not None:
                ivf_params.sel = sel
            rows = self._found(query, want, ivf_params)
            if len(rows) >= want or nprobe >= self._ivf.nlist:
                return rows
            nprobe = min(self._ivf.nlist, nprobe * 4)

    def _found(self, query: np.ndarray, k: int, params) -> np.ndarray:
        _, ids = self._index.search(query, k) if params is None else self._index.search(query, k, params=params)
        return ids[0][ids[0] >= 0].astype(np.int64)
