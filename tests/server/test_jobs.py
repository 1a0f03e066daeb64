"""Ingestion jobs on procrastinate with real worker processes on a real PostgreSQL (hash embedder).

Covers: two uploads at once both land; a job is a no-op when its report is already indexed; a
worker killed with SIGKILL mid-job leaves nothing half-written and the job completes on the other
worker; an embedder switch while questions are answered.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import make_pdf

pytest.importorskip("procrastinate")

ENV = {
    "VEIVALG_EMBEDDER": "hash:64",
    "VEIVALG_CHUNK_WORDS": "40",
    "VEIVALG_WORKER_HEARTBEAT_S": "1",
    "VEIVALG_WORKER_STALLED_S": "4",
}


def report_text(topic: str, n: int = 6) -> bytes:
    body = " ".join(
        f"Kommunen arbeider med {topic} i tiltak nummer {i}, og {topic} skal gi bedre tjenester." for i in range(n)
    )
    return f"{topic.upper()}\n\n{body}\n".encode()


class Workers:
    """Worker processes (``python -m server worker``) for one test's database."""

    def __init__(self, url: str, folder: Path, extra: dict[str, str] | None = None) -> None:
        from server.launch import Cluster

        self.url = url
        self.cluster = Cluster(folder=folder, env={**ENV, **(extra or {})})
        self.procs: dict[str, object] = {}

    def start(self, n: int):
        from server.launch import start_worker

        proc = start_worker(self.cluster, self.url, n)
        self.procs[f"worker-{n}"] = proc
        return proc

    def stop(self) -> None:
        from server.launch import stop_processes

        stop_processes(self.cluster, grace_s=5)

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.cluster.logs.glob("*.log")))


@pytest.fixture
def queue_db(fresh_db: str) -> str:
    from server.jobs import install

    install(fresh_db)
    return fresh_db


@pytest.fixture
def workers(queue_db: str, tmp_path: Path):
    running = Workers(queue_db, tmp_path / "cluster")
    yield running
    running.stop()


def defer_add(url: str, name: str, data: bytes, meta: dict[str, str] | None = None) -> int:
    from server.files import ReportFiles
    from server.jobs import add_report, make_app

    ReportFiles(url).put(name, data, meta or {})
    with make_app(url).open():
        return add_report.defer(name=name, content_hash=hashlib.sha256(data).hexdigest())


def wait_jobs(url: str, ids: list[int], workers: Workers, timeout_s: float = 120) -> list:
    from server.jobs import recent_jobs

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        rows = [r for r in recent_jobs(url, 100) if r.id in ids]
        if len(rows) == len(ids) and all(r.finished for r in rows):
            return rows
        time.sleep(0.5)
    raise AssertionError(f"jobs {ids} did not finish: {recent_jobs(url, 10)}\n{workers.log()}")


def assert_consistent(url: str) -> dict:
    """The live version is whole: every stored report indexed, chunk counts matching the manifest."""
    from server.files import ReportFiles
    from server.pg_index import PgIndexStore

    store = PgIndexStore(url)
    data = store.read()
    documents = data.manifest["documents"]
    assert set(documents) == set(ReportFiles(url).names())
    by_source: dict[str, int] = {}
    for chunk in data.chunks:
        by_source[chunk.source] = by_source.get(chunk.source, 0) + 1
    assert by_source == {name: doc["chunks"] for name, doc in documents.items()}
    assert len(data.vectors) == len(data.chunks)
    return documents


def test_two_uploads_at_once_both_land_and_a_repeat_is_a_no_op(queue_db, workers):
    from server.jobs import recent_jobs
    from server.pg_index import PgIndexStore

    workers.start(1)
    workers.start(2)
    skole, helse = report_text("skole"), report_text("helse")
    ids = [defer_add(queue_db, "skole.txt", skole), defer_add(queue_db, "helse.txt", helse)]
    rows = wait_jobs(queue_db, ids, workers)
    assert all(r.status == "succeeded" for r in rows), rows
    documents = assert_consistent(queue_db)
    assert documents["skole.txt"]["content_hash"] == hashlib.sha256(skole).hexdigest()
    assert documents["helse.txt"]["content_hash"] == hashlib.sha256(helse).hexdigest()

    version = PgIndexStore(queue_db).current()
    from server.jobs import add_report, make_app

    with make_app(queue_db).open():
        again = add_report.defer(name="skole.txt", content_hash=hashlib.sha256(skole).hexdigest())
    (row,) = wait_jobs(queue_db, [again], workers)
    assert row.status == "succeeded" and "Allerede" in row.message
    assert PgIndexStore(queue_db).current() == version  # nothing written
    assert len(recent_jobs(queue_db)) == 3


def test_worker_killed_mid_job_the_other_worker_completes_it(queue_db, tmp_path):
    from server.pg_index import PgIndexStore

    first = defer_add(queue_db, "skole.txt", report_text("skole"))
    slow = Workers(queue_db, tmp_path / "slow", {"VEIVALG_JOB_PAUSE_S": "30"})
    fast = Workers(queue_db, tmp_path / "fast")
    try:
        fast.start(1)
        wait_jobs(queue_db, [first], fast)
        fast.stop()
        before = PgIndexStore(queue_db).current()

        victim = slow.start(2)
        job_id = defer_add(queue_db, "helse.txt", report_text("helse"))
        _wait_status(queue_db, job_id, "doing", slow)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(10)
        assert PgIndexStore(queue_db).current() == before  # nothing half-written, nothing new live

        fast.start(3)
        (row,) = wait_jobs(queue_db, [job_id], fast, timeout_s=120)
        assert row.status == "succeeded" and row.attempts >= 1, row
        documents = assert_consistent(queue_db)
        assert set(documents) == {"skole.txt", "helse.txt"}
    finally:
        slow.stop()
        fast.stop()


def _until(condition, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _wait_status(url: str, job_id: int, status: str, workers: Workers, timeout_s: float = 60) -> None:
    from server.jobs import job

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        row = job(url, job_id)
        if row is not None and row.status == status and row.stage == "Venter":
            return
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} never reached {status}\n{workers.log()}")


def test_embedder_switch_while_questions_are_answered(queue_db, workers, tmp_path):
    from assistant.core import Assistant
    from assistant.settings import Settings
    from server.jobs import make_app, refresh_library

    workers.start(1)
    pdf = make_pdf(
        tmp_path / "okonomi.pdf",
        ["IKT-kostnadene per innbygger var 1 050 kroner i 2012.", "Kostnadene har økt med fem prosent i året."],
    )
    ids = [defer_add(queue_db, "skole.txt", report_text("skole")), defer_add(queue_db, "okonomi.pdf", pdf.read_bytes())]
    wait_jobs(queue_db, ids, workers)
    assistant = Assistant.load(Settings(database_url=queue_db))
    assert assistant.manifest["embedder"] == "hash:64"

    answered, errors, stop = [], [], threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                answered.append(
                    (assistant.manifest["embedder"], assistant.retrieve("Hva skal kommunen gjøre med skole?", k=3))
                )
            except Exception as exc:  # any failure while the version changes is the bug
                errors.append(exc)
            time.sleep(0.05)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        _until(lambda: len(answered) >= 3, 60)  # questions are being answered on the old version
        with make_app(queue_db).open():
            switch = refresh_library.defer(embedder="hash:32")
        (row,) = wait_jobs(queue_db, [switch], workers)
        assert row.status == "succeeded", row
        from server.pg_index import PgIndexStore

        assert PgIndexStore(queue_db).manifest()["embedder"] == "hash:32", row.message
        # The askers' own questions move the assistant to the new version (follow_index, once a second).
        _until(lambda: sum(e == "hash:32" for e, _ in answered) >= 3, 60)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors[:3]
    embedders = [e for e, _ in answered]
    assert embedders[0] == "hash:64" and embedders[-1] == "hash:32", (
        embedders[:3],
        embedders[-3:],
        assistant.manifest["embedder"],
    )
    assert all(hits and hits[0].source == "skole.txt" for _, hits in answered)
    assert_consistent(queue_db)
