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
    assert head == "0002"
    assert {"index_versions", "index_live", "users", "conversations", "turns", "feedback", "report_files"} <= tables
    assert "job_progress" in tables  # a migration's, not created beside them by the job queue


def test_a_database_with_the_progress_table_made_before_migrations_held_it_upgrades(fresh_db):
    """Before 0002 the job queue created ``job_progress`` itself; such a database must still upgrade."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from server.db import MIGRATIONS, plain_url

    engine = create_engine("postgresql+psycopg://" + plain_url(fresh_db).split("://", 1)[1])
    with engine.connect() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")  # the fixture's database is at head: back to before 0002
        conn.exec_driver_sql("CREATE TABLE job_progress (job_id bigint PRIMARY KEY, stage text NOT NULL DEFAULT '')")
        conn.commit()
    engine.dispose()
    migrate(fresh_db)
    with connect(fresh_db) as conn:
        (head,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert head == "0002"
