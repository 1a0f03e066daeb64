"""Settings for reading the index and answering, read once in an entry point and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.llm import LLMSettings
from ingest.settings import DEFAULT_INDEX_DIR

DEFAULT_FUSION = "zscore"  # "zscore" | "rrf" | "convex"; zscore won on the tuning questions (eval/)
DEFAULT_RRF_K = 60
DEFAULT_ALPHA = 0.5  # weight of the dense list in a convex combination
DEFAULT_CANDIDATES = 50  # how deep each list is read before fusing


@dataclass(frozen=True, kw_only=True)
class RetrievalSettings:
    fusion: str = DEFAULT_FUSION
    rrf_k: int = DEFAULT_RRF_K
    dense_weight: float = 1.0
    sparse_weight: float = 1.0
    sentence_weight: float = 1.3  # the best sentence of a chunk, when the index has sentence vectors
    alpha: float = DEFAULT_ALPHA
    candidates: int = DEFAULT_CANDIDATES
    use_dense: bool = True
    use_sparse: bool = True
    use_sentences: bool = True


@dataclass(frozen=True, kw_only=True)
class Settings:
    index_dir: Path = DEFAULT_INDEX_DIR
    # None: use the embedder the index was built with. Set: must match it.
    embedder: str | None = None
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)  # no provider: extractive answers
    prompt: str = "answer_with_citations.v1"

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """VEIVALG_INDEX, VEIVALG_EMBEDDER, VEIVALG_FUSION (zscore | rrf | convex)."""
        env = os.environ if environ is None else environ
        values: dict = {}
        if "VEIVALG_INDEX" in env:
            values["index_dir"] = Path(env["VEIVALG_INDEX"])
        if "VEIVALG_EMBEDDER" in env:
            values["embedder"] = env["VEIVALG_EMBEDDER"]
        if "VEIVALG_FUSION" in env:
            values["retrieval"] = RetrievalSettings(fusion=env["VEIVALG_FUSION"])
        values["llm"] = LLMSettings.from_env(env)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "index_dir" in values:
            values["index_dir"] = Path(values["index_dir"])
        return cls(**values)


@dataclass(frozen=True, kw_only=True)
class AppSettings:
    """Where the app listens and who may use it. Loopback only unless told otherwise."""

    host: str = "127.0.0.1"
    port: int = 7860
    user: str | None = None
    password: str | None = None
    store_path: Path = Path("data/veivalg.sqlite3")  # saved conversations and feedback (SQLite)

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.user, self.password) if self.user and self.password else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AppSettings:
        """VEIVALG_HOST, VEIVALG_PORT, VEIVALG_USER, VEIVALG_PASSWORD, VEIVALG_DATA (the conversation store)."""
        env = os.environ if environ is None else environ
        return cls(
            host=env.get("VEIVALG_HOST", "127.0.0.1"),
            port=int(env.get("VEIVALG_PORT", "7860")),
            user=env.get("VEIVALG_USER") or None,
            password=env.get("VEIVALG_PASSWORD") or None,
            store_path=Path(env.get("VEIVALG_DATA") or "data/veivalg.sqlite3"),
        )
