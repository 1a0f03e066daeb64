"""The report library's original files in the server store, so every worker and replica, on any
machine, reads the same reports: ``materialize`` writes them (and the corpus ``manifest.toml``) into
a local folder for the ingest pipeline, which then runs exactly as in embedded mode."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import VeivalgError
from ingest.library import _write_atomically, _write_manifest
from ingest.load.manifest import MANIFEST_NAME, read_corpus_manifest
from server import db


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    meta: dict[str, str]
    size: int


def _safe(name: str) -> str:
    if not name or name != Path(name).name or name.startswith(".") or name == MANIFEST_NAME:
        raise VeivalgError(f"Ugyldig filnavn «{name}».")
    return name


class ReportFiles:
    def __init__(self, url: str) -> None:
        self.url = url

    def _pool(self):
        return db.pool(self.url)

    def put(self, name: str, data: bytes, meta: dict[str, str] | None = None) -> str:
        """Store (or replace) a report; returns its SHA-256 (the ingest jobs' idempotency key)."""
        digest = hashlib.sha256(data).hexdigest()
        clean = {k: str(v) for k, v in (meta or {}).items() if v not in (None, "")}
        with self._pool().connection() as conn:
            conn.execute(
                "INSERT INTO report_files (name, data, sha256, meta) VALUES (%s, %s, %s, %s::jsonb) "
                "ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data, sha256 = EXCLUDED.sha256, meta = EXCLUDED.meta, "
                "updated_at = now()",
                (_safe(name), data, digest, _json(clean)),
            )
        return digest

    def set_meta(self, name: str, meta: dict[str, str]) -> None:
        clean = {k: str(v) for k, v in meta.items() if v not in (None, "")}
        with self._pool().connection() as conn:
            if not conn.execute(
                "UPDATE report_files SET meta = %s::jsonb, updated_at = now() WHERE name = %s", (_json(clean), name)
            ).rowcount:
                raise KeyError(name)

    def get(self, name: str) -> bytes | None:
        with self._pool().connection() as conn:
            row = conn.execute("SELECT data FROM report_files WHERE name = %s", (name,)).fetchone()
        return None if row is None else bytes(row[0])

    def delete(self, name: str) -> bool:
        with self._pool().connection() as conn:
            return bool(conn.execute("DELETE FROM report_files WHERE name = %s", (name,)).rowcount)

    def names(self) -> list[str]:
        with self._pool().connection() as conn:
            return [r[0] for r in conn.execute("SELECT name FROM report_files ORDER BY name").fetchall()]

    def files(self) -> list[StoredFile]:
        with self._pool().connection() as conn:
            rows = conn.execute(
                "SELECT name, sha256, meta, octet_length(data) FROM report_files ORDER BY name"
            ).fetchall()
        return [StoredFile(n, h, dict(m), int(size)) for n, h, m, size in rows]

    def fingerprint(self) -> str:
        """One hash over every file's name, content hash and metadata: equal means the library is unchanged."""
        with self._pool().connection() as conn:
            rows = conn.execute("SELECT name, sha256, meta::text FROM report_files ORDER BY name").fetchall()
        return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()

    def materialize(self, folder: Path) -> list[str]:
        """Make ``folder`` hold exactly the stored reports and their manifest entries; files already
        there with the same content are left alone. Returns the report names."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stored = {f.name: f for f in self.files()}
        for path in folder.iterdir():
            if (
                path.is_file()
                and path.name != MANIFEST_NAME
                and not path.name.startswith(".")
                and path.name not in stored
            ):
                path.unlink()
        with self._pool().connection() as conn:
            for f in stored.values():
                target = folder / f.name
                if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == f.sha256:
                    continue
                (data,) = conn.execute("SELECT data FROM report_files WHERE name = %s", (f.name,)).fetchone()
                _write_atomically(target, bytes(data))
        _write_manifest(folder, {name: f.meta for name, f in stored.items() if f.meta})
        return sorted(stored)

    def seed(self, corpus_dir: Path) -> int:
        """Store every report of a corpus folder with its manifest entry (``make server``'s first start)."""
        entries = read_corpus_manifest(corpus_dir)
        count = 0
        for path in sorted(Path(corpus_dir).iterdir()):
            if path.is_file() and path.name != MANIFEST_NAME and not path.name.startswith("."):
                self.put(path.name, path.read_bytes(), entries.get(path.name, {}))
                count += 1
        return count


def _json(value: dict) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
