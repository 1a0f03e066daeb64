"""A writer killed with SIGKILL in the middle of writing a version leaves the old version live, no
half-written table set, and the writer's lock free for the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np

from server.db import connect
from server.pg_index import PgIndexStore

CHILD = """
import sys, numpy as np
import server.pg_index as pg_index
from ingest.documents import Chunk
from server.pg_index import PgIndexStore

original = pg_index._indexes
pg_index._indexes = lambda *a: ["SELECT pg_sleep(120)"] + original(*a)  # hold the transaction open mid-write
n = 500
chunks = [Chunk(f"r.txt#{i}", "r.txt", "R", f"tekst {i}", None, None, None, "nb", 0, 8) for i in range(n)]
vectors = np.random.default_rng(0).standard_normal((n, 16)).astype(np.float32)
store = PgIndexStore(sys.argv[1])
with store.lock():
    store.write({"embedder": "test", "documents": {"r.txt": {}}}, chunks, vectors, [["tekst"]] * n)
"""


def _chunks(n: int):
    from ingest.documents import Chunk

    return [Chunk(f"a.txt#{i}", "a.txt", "A", f"alt {i}", None, None, None, "nb", 0, 5) for i in range(n)]


def test_a_writer_killed_mid_write_leaves_the_old_version(fresh_db):
    store = PgIndexStore(fresh_db)
    vectors = np.eye(8, dtype=np.float32)
    first = store.write({"embedder": "test", "documents": {"a.txt": {}}}, _chunks(8), vectors, [["alt"]] * 8)
    child = subprocess.Popen([sys.executable, "-c", CHILD, fresh_db], start_new_session=True)
    try:
        with connect(fresh_db, autocommit=True) as conn:
            deadline = time.monotonic() + 60
            while not conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(120)%'"
            ).fetchone()[0]:  # type: ignore[index]
                assert time.monotonic() < deadline and child.poll() is None, "the writer never got to the middle"
                time.sleep(0.1)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
    with store.lock(wait_s=20):  # freed when the database notices the writer is gone
        pass
    assert store.current() == first and len(store.read().chunks) == 8
    with connect(fresh_db) as conn:
        schemas = conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ix\\_%'").fetchone()[0]  # type: ignore[index]
        versions = conn.execute("SELECT count(*) FROM index_versions").fetchone()[0]  # type: ignore[index]
    assert schemas == 1 and versions == 1
