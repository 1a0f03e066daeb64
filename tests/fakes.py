"""Test doubles that production code must never ship: the hashing embedder behind ``hash:<dim>``.

conftest registers it in the test process and names ``tests.fakes:register`` in
``VEIVALG_EMBEDDER_PLUGINS``, so a command line a test starts (``python -m ingest ...``) has it too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from ingest.embed.embedders import Embedder, register_embedder

PLUGIN = "tests.fakes:register"


class HashEmbeddings(Embedder):
    """Word-hashing vectors: same words, similar vectors. Fast and deterministic; no model at all."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.embedder_id = f"hash:{dim}"

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
            vec[int.from_bytes(digest[:4], "little") % self.dim] += 1.0 if digest[4] & 1 else -1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray([self._one(t) for t in texts], dtype=np.float32).reshape(-1, self.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_passages(texts)


def register() -> None:
    """The ``hash:<dim>`` embedder kind (64 wide when no width is given)."""
    register_embedder("hash", lambda arg: HashEmbeddings(int(arg or 64)))
