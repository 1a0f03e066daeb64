"""Ingestion as jobs on procrastinate, the PostgreSQL task queue, on the same database as the index.

The app stores a report's original in the database (``server.files.ReportFiles``) and defers a job;
a worker (``python -m server worker``) materialises every original into a private temp folder and
runs the ordinary ingest pipeline over it, which writes a new index version through ``PgIndexStore``
(whole or nothing, under the store's advisory lock). So:

- a job is idempotent: a report whose content hash the live index already holds is a no-op, and a
  refresh over an unchanged library writes nothing;
- a worker killed mid-job has written nothing (the version's transaction dies with its connection)
  and its job, stalled once its heartbeat stops, is put back in the queue by the other workers'
  watchdog (``recover_stalled``) and runs again;
- two jobs embed side by side: a job's folder holds the reports the live index has plus its own
  (not the ones other jobs are still embedding), so two workers share the work; the write is
  ordered by the store's lock, and the folder is materialised again once the lock is held, so a
  job never writes an index without a report that another job wrote meanwhile.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import procrastinate

from ingest.documents import Chunk, IndexManifest
from ingest.embed.embedders import spec_of
from ingest.index.files import IndexData, Sentences
from ingest.index.store import IndexStore
from ingest.pipeline import RefreshReport, refresh
from ingest.settings import IngestSettings

log = logging.getLogger(__name__)
QUEUE = "ingest"
_SCHEMA_LOCK = 0x7665_6976_616C_6702  # pg_advisory_lock key: installing procrastinate's schema
RETRY = procrastinate.RetryStrategy(max_attempts=5, wait=2)  # a lock timeout or a dropped connection

# One app and one database per process (the worker's or the app's); ``make_app`` points both at the
# URL (the tasks hold a link to their app, so there is one app and its connector is swapped).
_state: dict[str, str] = {}
tasks = procrastinate.App(connector=procrastinate.PsycopgConnector())


def make_app(url: str) -> procrastinate.App:
    """The procrastinate app, with the ingestion tasks, on this database."""
    from server.db import plain_url

    if _state.get("url") != url:
        _state["url"] = url
        connector = procrastinate.PsycopgConnector(conninfo=plain_url(url))
        tasks.connector = connector
        tasks.job_manager.connector = connector
    return tasks


def install(url: str) -> None:
    """Our migrations (the job progress table among them) and procrastinate's schema, once (safe from
    several processes)."""
    from server.db import connect, migrate

    migrate(url)
    with connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            have = conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
            if not (have and have[0]):
                app = make_app(url)
                with app.open():
                    app.schema_manager.apply_schema()
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))


# --- what a job does -------------------------------------------------------------------------


@tasks.task(name="veivalg.add_report", queue=QUEUE, pass_context=True, retry=RETRY)
def add_report(context: procrastinate.JobContext, name: str, content_hash: str) -> None:
    """Bring ``name`` (already stored with this hash) into the index; a no-op when it is there."""
    run_job(
        _job_id(context),
        lambda live: live.get(name, {}).get("content_hash") == content_hash,
        target=name,
        select=lambda live, stored: (live & stored) | ({name} & stored),
    )


@tasks.task(name="veivalg.delete_report", queue=QUEUE, pass_context=True, retry=RETRY)
def delete_report(context: procrastinate.JobContext, name: str) -> None:
    """Drop ``name`` (already removed from the stored files) from the index; a no-op when it is gone."""
    run_job(_job_id(context), lambda live: name not in live, select=lambda live, stored: live & stored)


@tasks.task(name="veivalg.refresh", queue=QUEUE, pass_context=True, retry=RETRY)
def refresh_library(context: procrastinate.JobContext, embedder: str | None = None, full: bool = False) -> None:
    """Bring the index in line with the stored files (an edit, or a switch to ``embedder``)."""
    run_job(_job_id(context), lambda live: False, embedder=embedder, full=full)


def _job_id(context: procrastinate.JobContext) -> int:
    job = context.job
    assert job is not None and job.id is not None
    return job.id


Select = Callable[[set[str], set[str]], set[str]]  # (live report names, stored names) -> the job's folder


def run_job(
    job_id: int,
    already_done: Callable[[dict], bool],
    target: str | None = None,
    embedder: str | None = None,
    full: bool = False,
    select: Select | None = None,
) -> RefreshReport | None:
    """Materialise the library, skip if ``already_done(live documents)``, else refresh the index."""
    from server.files import ReportFiles
    from server.pg_index import PgIndexStore

    url = _state["url"]
    progress = _Progress(url, job_id)
    inner = PgIndexStore(url)
    live = (inner.manifest() or {}).get("documents", {})
    if already_done(live) and not full and embedder is None:
        progress.finish("Allerede i indeksen; ingenting å gjøre.")
        return None
    files = ReportFiles(url)
    folder = Path(tempfile.mkdtemp(prefix="veivalg-job-"))
    try:
        store = _ResyncingStore(inner, files, folder, select)
        store.materialize()
        if pause_s := float(os.environ.get("VEIVALG_JOB_PAUSE_S", "0")):  # tests: a job long enough to kill mid-way
            progress("Venter", 0, 1)
            time.sleep(pause_s)
        settings = JobIngestSettings.from_env(corpus_dir=folder, database_url=url, job_store=store)
        settings = settings.with_(embedder=embedder or _live_embedder(inner) or settings.embedder)
        report = refresh(settings, progress=progress, full=full, allow_empty=True)
    except Exception as exc:
        progress.finish(f"Feilet ({type(exc).__name__}); prøves igjen.")
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    failure = next((f for f in report.failed if f.name == target), None)
    progress.finish(failure.line() if failure else report.summary())
    return report


def _live_embedder(store: IndexStore) -> str | None:
    """The live index's embedder: a job keeps it unless it is a switch (the workers' env may differ)."""
    manifest = store.manifest()
    return spec_of(str(manifest["embedder"])) if manifest and manifest.get("embedder") else None


@dataclass(frozen=True, kw_only=True)
class JobIngestSettings(IngestSettings):
    """Ingest settings whose ``store()`` is the job's own (re-materialising) store."""

    job_store: IndexStore | None = field(default=None, compare=False, repr=False)

    def store(self) -> IndexStore:
        return self.job_store if self.job_store is not None else super().store()


class _ResyncingStore:
    """``PgIndexStore`` that materialises the files again once the writer's lock is held.

    The pipeline embeds without the lock, then reads the corpus again under it; reading the
    database's files at that moment means the version it writes holds every report stored so far,
    not only those there when this job started (vectors for a report added meanwhile are computed
    then, and reused by the other job if it writes second)."""

    def __init__(self, inner: IndexStore, files: Any, folder: Path, select: Select | None) -> None:
        self.inner, self.files, self.folder, self.select = inner, files, folder, select

    def materialize(self) -> None:
        """The stored originals (and manifest.toml) in the folder, less those ``select`` leaves out."""
        self.files.materialize(self.folder)
        if self.select is None:
            return
        live = set((self.inner.manifest() or {}).get("documents", {}))
        stored = set(self.files.names())
        keep = self.select(live, stored)
        for name in stored - keep:
            (self.folder / name).unlink(missing_ok=True)

    @property
    def location(self) -> str:
        return self.inner.location

    def current(self) -> str | None:
        return self.inner.current()

    def read(self, tolerate_damage: bool = False) -> IndexData:
        return self.inner.read(tolerate_damage=tolerate_damage)

    def manifest(self) -> IndexManifest | None:
        return self.inner.manifest()

    def write(
        self,
        manifest: IndexManifest,
        chunks: list[Chunk],
        vectors: np.ndarray,
        bm25_terms: list[list[str]],
        sentences: Sentences | None = None,
    ) -> str:
        return self.inner.write(manifest, chunks, vectors, bm25_terms, sentences=sentences)

    def lock(self, wait_s: float = 0.0) -> AbstractContextManager[None]:
        return self._locked(wait_s)

    @contextmanager
    def _locked(self, wait_s: float) -> Iterator[None]:
        with self.inner.lock(wait_s=wait_s):
            self.materialize()
            yield

    def cleanup(self) -> None:
        self.inner.cleanup()


class _Progress:
    """The pipeline's progress callback, written to ``job_progress`` at most twice a second."""

    def __init__(self, url: str, job_id: int) -> None:
        self.url, self.job_id, self._last = url, job_id, 0.0
        self._write("Startet", 0, 0, "")

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last >= 0.5 or done >= total:
            self._last = now
            self._write(stage, done, total, "")

    def finish(self, message: str) -> None:
        self._write("Ferdig", 1, 1, message)

    def _write(self, stage: str, done: int, total: int, message: str) -> None:
        from server.db import connect

        try:
            with connect(self.url, autocommit=True) as conn:
                conn.execute(
                    """INSERT INTO job_progress (job_id, stage, done, total, message, updated_at)
                       VALUES (%s, %s, %s, %s, %s, now())
                       ON CONFLICT (job_id) DO UPDATE SET stage = EXCLUDED.stage, done = EXCLUDED.done,
                           total = EXCLUDED.total, message = EXCLUDED.message, updated_at = now()""",
                    (self.job_id, stage, done, total, message),
                )
        except Exception:  # progress is for people; a failed write must not fail the job
            log.exception("Could not record progress of job %s", self.job_id)


# --- what the app shows ---------------------------------------------------------------------

STATUS_NB = {
    "todo": "i kø",
    "doing": "kjører",
    "succeeded": "ferdig",
    "failed": "feilet",
    "cancelled": "avbrutt",
    "aborting": "avbrytes",
    "aborted": "avbrutt",
}
TASK_NB = {"veivalg.add_report": "legg til", "veivalg.delete_report": "slett", "veivalg.refresh": "oppdater"}


@dataclass(frozen=True)
class JobRow:
    id: int
    task: str
    report: str
    status: str
    attempts: int
    stage: str
    done: int
    total: int
    message: str
    updated_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed", "cancelled", "aborted")

    def as_list(self) -> list:
        if self.finished:
            progress = ""
        else:
            progress = f"{self.stage} {self.done}/{self.total}" if self.total else self.stage
        return [
            self.id,
            TASK_NB.get(self.task, self.task),
            self.report,
            STATUS_NB.get(self.status, self.status),
            self.attempts,
            progress,
            self.message,
        ]


def recent_jobs(url: str, limit: int = 10) -> list[JobRow]:
    """The newest ingestion jobs with their progress, newest first."""
    from server.db import connect

    with connect(url, autocommit=True) as conn:
        rows = conn.execute(
            """SELECT j.id, j.task_name, coalesce(j.args->>'name', ''), j.status::text, j.attempts,
                      coalesce(p.stage, ''), coalesce(p.done, 0), coalesce(p.total, 0), coalesce(p.message, ''),
                      p.updated_at
                 FROM procrastinate_jobs j LEFT JOIN job_progress p ON p.job_id = j.id
                WHERE j.queue_name = %s ORDER BY j.id DESC LIMIT %s""",
            (QUEUE, limit),
        ).fetchall()
    return [JobRow(*row) for row in rows]


def job(url: str, job_id: int) -> JobRow | None:
    return next((r for r in recent_jobs(url, limit=1000) if r.id == job_id), None)


async def recover_stalled(app: procrastinate.App, stalled_s: float) -> list[int]:
    """Put the jobs of workers whose heartbeat stopped ``stalled_s`` ago back in the queue."""
    retried = []
    for stalled in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=stalled_s):
        log.warning("Job %s (%s) stalled on a worker that stopped; retrying it", stalled.id, stalled.task_name)
        await app.job_manager.retry_job(stalled)
        assert stalled.id is not None
        retried.append(stalled.id)
    return retried
