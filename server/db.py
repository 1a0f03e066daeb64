"""Connections and schema migrations (Alembic, raw SQL) for the server store.

``connect`` gives a psycopg connection with pgvector's types registered; ``pool`` one shared pool per
database per process (the app's request threads and the searcher share it). ``migrate`` brings the
schema to the newest revision; several processes may call it at once (an advisory lock orders them).
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg_pool import ConnectionPool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATE_LOCK = 0x7665_6976_616C_6701  # "veivalg" + 1: pg_advisory_lock key for migrations
_migrated: set[str] = set()
_pools: dict[tuple[str, bool], ConnectionPool] = {}
_guard = threading.Lock()


def plain_url(url: str) -> str:
    """The URL psycopg takes (``postgresql+psycopg://`` -> ``postgresql://``)."""
    scheme, rest = url.split(":", 1)
    return scheme.split("+", 1)[0] + ":" + rest


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(plain_url(url))
    if parts.password is None:
        return urlunsplit(parts)
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def _register(conn: psycopg.Connection) -> None:
    from pgvector.psycopg import register_vector

    register_vector(conn)


def connect(url: str, autocommit: bool = False) -> psycopg.Connection:
    """A new connection with pgvector's ``vector`` type registered (migrates the database first)."""
    migrate(url)
    conn = psycopg.connect(plain_url(url), autocommit=autocommit)
    try:
        _register(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def one(conn: psycopg.Connection, query, params=None) -> tuple:
    """The single row a query returns (an error if it returns none)."""
    row = conn.execute(query, params).fetchone()
    if row is None:
        raise LookupError("the query returned no row")
    return row


def pool(url: str, autocommit: bool = False) -> ConnectionPool:
    """The process's pool for this database (created on first use; migrates first). ``autocommit``
    pools serve the searcher: single reads need no COMMIT round trip when a connection is returned."""
    key = (url, autocommit)
    with _guard:
        found = _pools.get(key)
        if found is not None:
            return found
    migrate(url)
    with _guard:
        if key not in _pools:
            _pools[key] = ConnectionPool(
                plain_url(url),
                min_size=1,
                max_size=8,
                configure=_configure,
                open=True,
                kwargs={"autocommit": autocommit},
            )
        return _pools[key]


SESSION_EF_SEARCH = 100  # hnsw.ef_search on pooled connections; a search asking for another sets it locally


def _configure(conn: psycopg.Connection) -> None:
    """Pooled connections: pgvector's types, and iterative HNSW scans for every search (set once per
    connection instead of per query: two round trips fewer for each vector search)."""
    _register(conn)
    conn.execute("SELECT '[1]'::vector")  # loads pgvector, so its settings below are its own, not placeholders
    conn.execute("SET hnsw.iterative_scan = relaxed_order")
    conn.execute(f"SET hnsw.ef_search = {SESSION_EF_SEARCH}")
    conn.commit()


def close_pools(url: str | None = None) -> None:
    """Close this database's pool (every pool without a URL)."""
    with _guard:
        for key in [k for k in _pools if url is None or k[0] == url]:
            _pools.pop(key).close()


def migrate(url: str) -> None:
    """``alembic upgrade head`` under an advisory lock, once per process per database."""
    if url in _migrated:
        return
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    engine = create_engine("postgresql+psycopg://" + plain_url(url).split("://", 1)[1], poolclass=_null_pool())
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATE_LOCK})
            try:
                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                conn.commit()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATE_LOCK})
                conn.commit()
    finally:
        engine.dispose()
    _migrated.add(url)


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool
