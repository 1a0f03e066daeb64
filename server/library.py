"""The report library in server mode: the same checks as ``ingest.library``, but a change stores the
original in the database and enqueues a job instead of refreshing the index in the request.

Only admins change the library (checked here, on the server, whatever the page shows). The app's
library tab calls these methods when the session has a ``ServerLibrary``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ingest.error_catalogue import message
from ingest.errors import VeivalgError
from ingest.library import (
    COUNTRIES,
    EDITABLE_FIELDS,
    LANGUAGES,
    DuplicateReport,
    NotIndexed,
    ReportExists,
    safe_name,
)
from ingest.pipeline import corpus_files, load_document
from ingest.settings import IngestSettings

JOB_HEADERS = ["Jobb", "Hva", "Rapport", "Status", "Forsøk", "Fremdrift", "Melding"]  # JobRow.as_list()


class NotAllowed(VeivalgError):
    """A reader (or an unknown user) tried to change the library."""

    code = "LIBRARY_ADMIN_ONLY"

    def __init__(self) -> None:
        super().__init__(message(self.code))


@dataclass(frozen=True)
class Submitted:
    """A change stored and queued: the job that brings it into the index."""

    action: str  # "added" | "replaced" | "deleted" | "edited"
    name: str
    job_id: int

    def message(self) -> str:
        verb = {"added": "legges til", "replaced": "erstattes", "deleted": "slettes", "edited": "oppdateres"}[
            self.action
        ]
        return (
            f"«{self.name}» {verb} i indeksen av jobb {self.job_id}; følg den i jobbtabellen under. "
            "Endringen vises i alle app-replikaene når jobben er ferdig."
        )


class ServerLibrary:
    """Report originals in the database, changes as jobs, roles from the user store."""

    def __init__(self, url: str, ingest: IngestSettings) -> None:
        from server.files import ReportFiles
        from server.jobs import make_app
        from server.users import UserStore

        self.url, self.ingest = url, ingest
        self.files = ReportFiles(url)
        self.users = UserStore(url)
        self.queue = make_app(url).open()  # a sync pool for deferring jobs
        self.cache = Path(tempfile.mkdtemp(prefix="veivalg-originals-"))

    # --- who may ---------------------------------------------------------------------------
    def verify(self, name: str, password: str) -> bool:
        """Gradio's login check."""
        return self.users.verify(name, password) is not None

    def is_admin(self, username: str | None) -> bool:
        user = self.users.get(username) if username else None
        return user is not None and user.role == "admin"

    def check_admin(self, username: str | None) -> None:
        if not self.is_admin(username):
            raise NotAllowed()

    # --- changes -----------------------------------------------------------------------------
    def add(self, username: str | None, upload: Path, original_name: str, on_conflict: str = "ask") -> Submitted:
        """Check the file as ``ingest.library.add_report`` does, store it, enqueue its job."""
        from server.jobs import add_report

        self.check_admin(username)
        name = safe_name(original_name)
        if not _is_indexed_name(name):
            raise NotIndexed(name)
        data = Path(upload).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        existing = self._same_content(digest)
        if existing:
            raise DuplicateReport(name, existing)
        names = set(self.files.names())
        action = "added"
        if name in names:
            if on_conflict == "replace":
                action = "replaced"
            elif on_conflict == "keep_both":
                name = _free_name(name, names)
            else:
                raise ReportExists(name, _free_name(name, names))
        meta = self._meta(name) if action == "replaced" else {}
        with tempfile.TemporaryDirectory() as tmp:
            staged = Path(tmp) / name
            staged.write_bytes(data)
            load_document(staged, meta or None, self.ingest)  # raises LoadError naming the problem; nothing stored yet
        self.files.put(name, data, meta)
        return Submitted(action, name, add_report.defer(name=name, content_hash=digest))

    def delete(self, username: str | None, name: str) -> Submitted:
        from server.jobs import delete_report

        self.check_admin(username)
        self._existing(name)
        self.files.delete(name)
        return Submitted("deleted", name, delete_report.defer(name=name))

    def edit(self, username: str | None, name: str, **fields: str | None) -> Submitted:
        from server.jobs import refresh_library

        self.check_admin(username)
        self._existing(name)
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise VeivalgError(f"Ukjent felt: {', '.join(sorted(unknown))}. Ingenting er endret.")
        country = (fields.get("country") or "").strip()
        if country and country not in COUNTRIES:
            raise VeivalgError(f"Land må være {' eller '.join(COUNTRIES)} (eller tomt). Ingenting er endret.")
        language = (fields.get("language") or "").strip()
        if language and language not in LANGUAGES:
            raise VeivalgError(f"Språk må være en av {', '.join(LANGUAGES)} (eller tomt). Ingenting er endret.")
        year = (fields.get("year") or "").strip()
        if year and not re.fullmatch(r"\d{4}", year):
            raise VeivalgError("Året må ha fire sifre, for eksempel 2020. Ingenting er endret.")
        meta = self._meta(name)
        for key, value in fields.items():
            value = (value or "").strip()
            if value:
                meta[key] = value
            else:
                meta.pop(key, None)
        self.files.set_meta(name, meta)
        return Submitted("edited", name, refresh_library.defer())

    def switch_embedder(self, username: str | None, embedder: str) -> int:
        """Rebuild the index with another embedder (a new version; the old one serves until it is live)."""
        from server.jobs import refresh_library

        self.check_admin(username)
        return refresh_library.defer(embedder=embedder)

    # --- reading -----------------------------------------------------------------------------
    def jobs(self, limit: int = 8) -> list:
        from server.jobs import recent_jobs

        return recent_jobs(self.url, limit)

    def original(self, name: str) -> Path | None:
        """A local copy of a stored original (for the page image and the download)."""
        stored = self.files.get(name)
        if stored is None:
            return None
        data = stored
        folder = self.cache / hashlib.sha256(data).hexdigest()[:16]
        path = folder / Path(name).name
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return path

    def _existing(self, name: str) -> bytes:
        stored = self.files.get(name) if name and Path(name).name == name else None
        if stored is None:
            raise VeivalgError(f"Fant ingen rapport med filnavnet «{name}». Ingenting er endret.")
        return stored

    def _meta(self, name: str) -> dict[str, str]:
        found = next((f for f in self.files.files() if f.name == name), None)
        return dict(found.meta) if found is not None else {}

    def _same_content(self, digest: str) -> str | None:
        from server.pg_index import PgIndexStore

        manifest = PgIndexStore(self.url).manifest()
        for name, doc in (manifest or {}).get("documents", {}).items():
            if doc.get("content_hash") == digest:
                return name
        return next((f.name for f in self.files.files() if f.sha256 == digest), None)


def _is_indexed_name(name: str) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / name).write_bytes(b"")
        return bool(corpus_files(Path(tmp)))


def _free_name(name: str, taken: set[str]) -> str:
    stem, ext = os.path.splitext(name)
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem} ({n}){ext}"
    return candidate
