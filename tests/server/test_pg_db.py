"""The local PostgreSQL starts with pgvector and the Scandinavian text-search configurations, and
migrations are idempotent and safe to run from several processes at once."""

from __future__ import annotations

import subprocess
import sys

from server.db import connect, migrate


def test_pgvector_and_scandinavian_configs(pg_url):
    with connect(pg_url) as conn:
        version = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()
        configs = {r[0] for r in conn.execute("SELECT cfgname FROM pg_ts_config").fetchall()}
        lexemes = conn.execute(
            "SELECT to_tsvector('norwegian', 'kommunene'), to_tsvector('danish', 'kommunerne')"
        ).fetchone()
    assert version is not None and tuple(int(x) for x in version[0].split(".")[:2]) >= (0, 7)
    assert {"norwegian", "danish"} <= configs
    assert "kommun" in lexemes[0] and "kommun" in lexemes[1]


def test_migrate_from_several_processes_at_once(fresh_db):
    code = "import sys; from server.db import migrate; migrate(sys.argv[1])"
    procs = [subprocess.Popen([sys.executable, "-c", code, fresh_db]) for _ in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    migrate(fresh_db)
    with connect(fresh_db) as conn:
        (head,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()}
    assert head == "0001"
    assert {"index_versions", "index_live", "users", "conversations", "turns", "feedback", "report_files"} <= tables
