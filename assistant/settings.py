"""Settings for reading the index and answering, read once in an entry point and passed down."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.llm.models import LLMSettings
from ingest.errors import VeivalgError
from ingest.index.store import IndexStore, open_store
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
    vector_index: str = "faiss"  # the backend in assistant.retrieval.indexes.VECTOR_INDEXES ("memory" for tests)
    reranker: str = "none"  # a name in assistant.retrieval.rerank.RERANKERS; "none" keeps the fused order


@dataclass(frozen=True, kw_only=True)
class Settings:
    index_dir: Path = DEFAULT_INDEX_DIR
    # None: use the embedder the index was built with. Set: must match it.
    embedder: str | None = None
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)  # no provider: extractive answers
    prompt: str = "answer_with_citations.v1"
    # postgresql://… reads the index from the shared database (server mode); None: files in index_dir.
    database_url: str | None = None

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    def store(self) -> IndexStore:
        """Where the index is kept: the database when ``database_url`` is set, else ``index_dir``."""
        return open_store(self.index_dir, self.database_url)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """VEIVALG_INDEX, VEIVALG_EMBEDDER, VEIVALG_FUSION (zscore | rrf | convex), VEIVALG_RERANKER (none),
        VEIVALG_DATABASE_URL."""
        env = os.environ if environ is None else environ
        values: dict = {}
        if "VEIVALG_INDEX" in env:
            values["index_dir"] = Path(env["VEIVALG_INDEX"])
        if "VEIVALG_EMBEDDER" in env:
            values["embedder"] = env["VEIVALG_EMBEDDER"]
        if env.get("VEIVALG_DATABASE_URL"):
            values["database_url"] = env["VEIVALG_DATABASE_URL"]
        if "VEIVALG_FUSION" in env or "VEIVALG_RERANKER" in env:
            values["retrieval"] = RetrievalSettings(
                fusion=env.get("VEIVALG_FUSION", DEFAULT_FUSION), reranker=env.get("VEIVALG_RERANKER", "none")
            )
        values["llm"] = LLMSettings.from_env(env)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "index_dir" in values:
            values["index_dir"] = Path(values["index_dir"])
        return cls(**values)


DEFAULT_CONCURRENCY = 8  # questions answered at once; a model call waits on the network, not the CPU
# Gradio keeps a copy of the whole page's configuration per browser session (about 200 KB here),
# 10 000 sessions by default: that was the app's memory growth. The oldest sessions beyond this
# many are dropped (their conversation restarts), which bounds memory to ~100 MB.
DEFAULT_SESSIONS = 500
_LOGIN_VARIABLES = ("VEIVALG_USER", "VEIVALG_PASSWORD")


@dataclass(frozen=True, kw_only=True)
class AppSettings:
    """Where the app listens, who may use it, and how many questions it answers at once."""

    host: str = "127.0.0.1"
    port: int = 7860
    user: str | None = None
    password: str | None = None
    store_path: Path = Path("data/veivalg.sqlite3")  # saved conversations and feedback (SQLite)
    concurrency: int = DEFAULT_CONCURRENCY
    sessions: int = DEFAULT_SESSIONS

    def __post_init__(self) -> None:
        if bool(self.user) != bool(self.password):
            missing = "VEIVALG_PASSWORD" if self.user else "VEIVALG_USER"
            raise VeivalgError.of("LOGIN_HALF_SET", missing=missing)
        if self.concurrency < 1 or self.sessions < 1:
            raise VeivalgError.of("APP_AT_LEAST_ONE", concurrency=self.concurrency, sessions=self.sessions)

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.user, self.password) if self.user and self.password else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AppSettings:
        """VEIVALG_HOST, VEIVALG_PORT, VEIVALG_USER, VEIVALG_PASSWORD, VEIVALG_CONCURRENCY, VEIVALG_SESSIONS,
        VEIVALG_DATA (the conversation store).

        A misspelt login variable (VEIVALG_USERNAME, VEIVALG_PASS …) would leave the app open
        without a word, so any VEIVALG_ variable that looks like one stops the start instead.
        """
        env = os.environ if environ is None else environ
        lookalikes = sorted(
            name
            for name in env
            if name.upper().startswith("VEIVALG")
            and name not in _LOGIN_VARIABLES
            and re.search(r"USER|BRUKER|PASS|PWD|PASSORD|LOGIN", name.upper())
        )
        if lookalikes:
            raise VeivalgError.of("LOGIN_LOOKALIKE", names=", ".join(lookalikes))
        try:
            port, concurrency = (
                int(env.get("VEIVALG_PORT", "7860")),
                int(env.get("VEIVALG_CONCURRENCY", DEFAULT_CONCURRENCY)),
            )
            sessions = int(env.get("VEIVALG_SESSIONS", DEFAULT_SESSIONS))
        except ValueError as exc:
            raise VeivalgError.of("APP_NOT_WHOLE", reason=exc) from exc
        return cls(
            host=env.get("VEIVALG_HOST", "127.0.0.1"),
            port=port,
            user=env.get("VEIVALG_USER") or None,
            password=env.get("VEIVALG_PASSWORD") or None,
            concurrency=concurrency,
            sessions=sessions,
            store_path=Path(env.get("VEIVALG_DATA") or "data/veivalg.sqlite3"),
        )
