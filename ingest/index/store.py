"""Where index versions live: the ``IndexStore`` seam between ingestion and retrieval.

Embedded mode keeps each version in a folder of plain files (``FileIndexStore``, the default);
server mode keeps them in PostgreSQL (``server.pg_index:PgIndexStore``, chosen by a
``postgresql://`` URL). Both promise the same things: a version is written whole and only then
made live, one writer at a time, and a reader always sees one complete version.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from ingest.documents import Chunk, IndexManifest
from ingest.errors import VeivalgError
from ingest.index.files import (
    IndexData,
    Sentences,
    current_version,
    read_index,
    read_manifest,
    remove_stale_versions,
    write_index,
    writer_lock,
)


@runtime_checkable
class IndexStore(Protocol):
    """One place index versions are written to and read from."""

    @property
    def location(self) -> str:
        """Where it is, for messages: a folder, or a database without its password."""
        ...

    def current(self) -> str | None:
        """The live version's name, or None when there is no index; cheap (called per request)."""
        ...

    def read(self, tolerate_damage: bool = False) -> IndexData:
        """The live version, whole; ``IndexMissing`` when there is none."""
        ...

    def manifest(self) -> IndexManifest | None:
        """The live version's manifest without its chunks (None when there is no index)."""
        ...

    def write(
        self,
        manifest: IndexManifest,
        chunks: list[Chunk],
        vectors: np.ndarray,
        bm25_terms: list[list[str]],
        sentences: Sentences | None = None,
    ) -> str:
        """Write a complete new version, then make it live atomically; returns its name."""
        ...

    def lock(self, wait_s: float = 0.0) -> AbstractContextManager[None]:
        """Hold the one writer's lock (``VeivalgError`` if another writer keeps it past ``wait_s``)."""
        ...

    def cleanup(self) -> None:
        """Remove versions that are no longer live and anything half-written; call under the lock."""
        ...


class FileIndexStore:
    """Versions as folders under ``index_dir`` (see ``ingest.index.files`` for the layout)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)

    @property
    def location(self) -> str:
        return str(self.index_dir)

    def current(self) -> str | None:
        version = current_version(self.index_dir)
        return None if version is None else version.name

    def read(self, tolerate_damage: bool = False) -> IndexData:
        return read_index(self.index_dir, tolerate_damage=tolerate_damage)

    def manifest(self) -> IndexManifest | None:
        return read_manifest(self.index_dir)

    def write(
        self,
        manifest: IndexManifest,
        chunks: list[Chunk],
        vectors: np.ndarray,
        bm25_terms: list[list[str]],
        sentences: Sentences | None = None,
    ) -> str:
        return write_index(self.index_dir, manifest, chunks, vectors, bm25_terms, sentences=sentences).name

    def lock(self, wait_s: float = 0.0) -> AbstractContextManager[None]:
        return writer_lock(self.index_dir, wait_s=wait_s)

    def cleanup(self) -> None:
        remove_stale_versions(self.index_dir)


# URL scheme -> "module:factory"; the factory takes the URL. Imported only when asked for, so the
# embedded default never loads a database driver.
STORES: dict[str, str] = {
    "postgresql": "server.pg_index:PgIndexStore",
    "postgres": "server.pg_index:PgIndexStore",
}


def open_store(index_dir: Path, database_url: str | None = None) -> IndexStore:
    """The index store the settings name: the database when a URL is given, else the folder."""
    if not database_url:
        return FileIndexStore(index_dir)
    scheme = database_url.split(":", 1)[0].split("+", 1)[0]
    target = STORES.get(scheme)
    if target is None:
        raise VeivalgError(f"Ukjent database-adresse «{scheme}:…»; bruk postgresql://bruker@vert/database.")
    module, _, name = target.partition(":")
    factory: Callable[[str], IndexStore] = getattr(importlib.import_module(module), name)
    return factory(database_url)
