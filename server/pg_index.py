"""Index versions in PostgreSQL: ``PgIndexStore`` is the server mode's ``IndexStore`` and ``SearchableStore``.

Each version is a table set of its own, in a schema ``ix_<id>``:

    chunks(row, chunk_id, source, title, text, page, page_end, heading, language, start, "end",
           country, embedding vector(dim), tsv)   -- HNSW (inner product) on embedding, GIN on tsv
    sentences(id, row, start, "end", source, language, country, embedding vector(dim))  -- HNSW
    terms(term, df)                 -- our stemmed terms (ingest.text.lexical), as the answer layer knows them
    postings(term, row, score)      -- each term's BM25 weight in each row, as bm25s computes it

``index_versions`` holds each version's manifest (JSONB) and ``index_live`` the one-row pointer to the
live one. ``write`` builds the whole set and flips the pointer in ONE transaction: PostgreSQL's DDL is
transactional, so a write that fails midway leaves nothing behind, and readers see the old version
until the commit and the new one after it. The version it replaced is kept (readers that opened it
move on at their next ``current()`` check, within a second); older ones are dropped.
"""

from __future__ import annotations

import contextlib
import math
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from psycopg import sql

from assistant.retrieval.indexes.base import OpenedIndex
from ingest.documents import Chunk, IndexManifest
from ingest.errors import IndexMissing, IndexProblem, VeivalgError
from ingest.index.files import FORMAT_VERSION, IndexData, Sentences
from server import db
from server.pg_search import (
    PgChunkStore,
    PgChunkVectors,
    PgLexicalIndex,
    PgSentenceVectors,
    as_array,
)

_WRITER_LOCK = 0x7665_6976_616C_6702  # pg_advisory_lock key: one index writer per database
BM25_K1, BM25_B = 1.5, 0.75  # bm25s's defaults (method "lucene"), so scores match embedded mode
HNSW_M, HNSW_EF_CONSTRUCTION = 16, 64

_CHUNK_COLUMNS = (
    "row",
    "chunk_id",
    "source",
    "title",
    "text",
    "page",
    "page_end",
    "heading",
    "language",
    "start",
    "end",
    "country",
    "embedding",
)
_CHUNK_TYPES = [
    "int4",
    "text",
    "text",
    "text",
    "text",
    "int4",
    "int4",
    "text",
    "text",
    "int4",
    "int4",
    "text",
    "vector",
]


def _tables(dim: int) -> list[str]:
    vec = f"vector({dim})" if dim else "vector"
    return [
        f"""CREATE TABLE {{s}}.chunks (
            row integer PRIMARY KEY, chunk_id text NOT NULL UNIQUE, source text NOT NULL, title text NOT NULL,
            text text NOT NULL, page integer, page_end integer, heading text, language text NOT NULL,
            start integer NOT NULL, "end" integer NOT NULL, country text, embedding {vec} NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (to_tsvector(
                CASE language WHEN 'da' THEN 'danish'::regconfig ELSE 'norwegian'::regconfig END,
                coalesce(title, '') || ' ' || coalesce(heading, '') || ' ' || text)) STORED)""",
        f"""CREATE TABLE {{s}}.sentences (
            id integer PRIMARY KEY, row integer NOT NULL, start integer NOT NULL, "end" integer NOT NULL,
            source text NOT NULL, language text NOT NULL, country text, embedding {vec} NOT NULL)""",
        "CREATE TABLE {s}.terms (term text PRIMARY KEY, df integer NOT NULL)",
        "CREATE TABLE {s}.postings (term text NOT NULL, row integer NOT NULL, score real NOT NULL, PRIMARY KEY (term, row))",
    ]


def _indexes(has_vectors: bool, has_sentences: bool) -> list[str]:
    out = [
        "CREATE INDEX ON {s}.chunks (source)",  # the filter columns: exact search over a narrow filter
        "CREATE INDEX ON {s}.chunks (country)",
        "CREATE INDEX ON {s}.chunks (language)",
        "CREATE INDEX ON {s}.sentences (source)",
        "CREATE INDEX ON {s}.sentences (country)",
        "CREATE INDEX ON {s}.sentences (language)",
        "CREATE INDEX ON {s}.chunks USING gin (tsv)",
        "CREATE INDEX ON {s}.sentences (row)",
        "CREATE INDEX ON {s}.postings (row)",
    ]
    hnsw = f"USING hnsw (embedding vector_ip_ops) WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
    if has_vectors:
        out.append("CREATE INDEX ON {s}.chunks " + hnsw)
    if has_sentences:
        out.append("CREATE INDEX ON {s}.sentences " + hnsw)
    return out


def bm25_postings(bm25_terms: list[list[str]]) -> tuple[Counter[str], list[tuple[str, int, float]]]:
    """Document frequencies and each (term, row, weight): bm25s's "lucene" BM25, precomputed per row as
    bm25s does, so a query's score is the sum of its terms' weights."""
    counts = [Counter(t for t in terms if t) for terms in bm25_terms]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = max(1, len(bm25_terms))
    avgdl = (sum(len(t) for t in bm25_terms) / n) or 1.0
    idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
    postings: list[tuple[str, int, float]] = []
    for row, (terms, c) in enumerate(zip(bm25_terms, counts, strict=True)):
        norm = BM25_K1 * ((1 - BM25_B) + BM25_B * len(terms) / avgdl)
        postings.extend((t, row, idf[t] * tf / (norm + tf)) for t, tf in c.items())
    return df, postings


class PgIndexStore:
    """Index versions in one PostgreSQL database (``postgresql://…``); see the module docstring."""

    def __init__(self, url: str, lexical: str = "bm25", ef_search: int = 100) -> None:
        self.url = url
        self.lexical = lexical  # "bm25" (as embedded mode scores) or "fts" (PostgreSQL's ts_rank_cd)
        self.ef_search = ef_search
        self.last_write_s: dict[str, float] = {}  # seconds per stage of the last write (for the benchmark)

    @property
    def location(self) -> str:
        return db.redacted(self.url)

    def _pool(self):
        return db.pool(self.url, autocommit=True)  # reads only: a version's tables never change once live

    def current(self) -> str | None:
        with self._pool().connection() as conn:
            row = conn.execute("SELECT version FROM index_live").fetchone()
        return None if row is None else row[0]

    def manifest(self) -> IndexManifest | None:
        live = self._live()
        return None if live is None else live[2]

    def _live(self) -> tuple[str, str, IndexManifest] | None:
        with self._pool().connection() as conn:
            row = conn.execute(
                "SELECT v.name, v.schema_name, v.manifest FROM index_live l JOIN index_versions v ON v.name = l.version"
            ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def _require_live(self) -> tuple[str, str, IndexManifest]:
        live = self._live()
        if live is None:
            raise IndexMissing(f"Fant ingen indeks i databasen {self.location}. Bygg den med `python -m ingest build`.")
        if live[2].get("format_version") != FORMAT_VERSION:
            raise IndexProblem(f"Indeksen i databasen {self.location} har et annet format; bygg den på nytt.")
        return live

    def read(self, tolerate_damage: bool = False) -> IndexData:
        name, schema, manifest = self._require_live()
        s = sql.Identifier(schema)
        with self._pool().connection() as conn:
            rows = conn.execute(
                sql.SQL(
                    'SELECT chunk_id, source, title, text, page, page_end, heading, language, start, "end", embedding '
                    "FROM {}.chunks ORDER BY row"
                ).format(s)
            ).fetchall()
            sent = conn.execute(
                sql.SQL('SELECT row, start, "end", embedding FROM {}.sentences ORDER BY id').format(s)
            ).fetchall()
        chunks = [Chunk(*r[:10]) for r in rows]
        dim = _dim(rows, sent, manifest)
        vectors = (
            np.stack([as_array(r[10]) for r in rows]).astype(np.float32) if rows else np.zeros((0, dim), np.float32)
        )
        sentences = None
        if sent:
            sentences = Sentences(
                owner=np.array([r[0] for r in sent], np.int32),
                spans=np.array([[r[1], r[2]] for r in sent], np.int32).reshape(-1, 2),
                vectors=np.stack([as_array(r[3]) for r in sent]).astype(np.float32),
            )
        if len(chunks) != manifest.get("chunks", len(chunks)):
            raise IndexProblem(f"Indeksen i databasen {self.location} er inkonsistent; bygg den på nytt.")
        return IndexData(manifest=manifest, chunks=chunks, vectors=vectors, path=Path(name), sentences=sentences)

    def write(
        self,
        manifest: IndexManifest,
        chunks: list[Chunk],
        vectors: np.ndarray,
        bm25_terms: list[list[str]],
        sentences: Sentences | None = None,
    ) -> str:
        name = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        schema = "ix_" + uuid.uuid4().hex[:16]
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = int(vectors.shape[1]) if vectors.ndim == 2 else 0
        manifest = {**manifest, "format_version": FORMAT_VERSION, "chunks": len(chunks), "dim": dim}
        if len(bm25_terms) != len(chunks):
            raise VeivalgError("Antall termlister stemmer ikke med antall tekstbiter.")
        countries = {src: (doc or {}).get("country") for src, doc in manifest.get("documents", {}).items()}
        df, postings = bm25_postings(bm25_terms)
        s = sql.Identifier(schema)
        has_sentences = sentences is not None and len(sentences.owner) > 0
        started = time.perf_counter()
        with db.connect(self.url) as conn:  # its own connection: one long transaction, committed once
            conn.execute("SET LOCAL maintenance_work_mem = '1GB'")  # the HNSW graph builds in memory
            # A writer killed mid-build (a worker's SIGKILL) is noticed within a second, not after the
            # index build: its transaction is rolled back and its advisory lock freed.
            conn.execute("SET LOCAL client_connection_check_interval = '1s'")
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(s))
            for statement in _tables(dim):
                conn.execute(sql.SQL(statement).format(s=s))
            with conn.cursor() as cur:
                columns = sql.SQL(", ").join(sql.Identifier(c) for c in _CHUNK_COLUMNS)
                with cur.copy(
                    sql.SQL("COPY {}.chunks ({}) FROM STDIN WITH (FORMAT BINARY)").format(s, columns)
                ) as copy:
                    copy.set_types(_CHUNK_TYPES)
                    for row, (c, v) in enumerate(zip(chunks, vectors, strict=True)):
                        copy.write_row(
                            (
                                row,
                                c.chunk_id,
                                c.source,
                                c.title,
                                c.text,
                                c.page,
                                c.page_end,
                                c.heading,
                                c.language,
                                c.start,
                                c.end,
                                countries.get(c.source),
                                v,
                            )
                        )
                if has_sentences and sentences is not None:
                    with cur.copy(
                        sql.SQL(
                            'COPY {}.sentences (id, row, start, "end", source, language, country, embedding) '
                            "FROM STDIN WITH (FORMAT BINARY)"
                        ).format(s)
                    ) as copy:
                        copy.set_types(["int4", "int4", "int4", "int4", "text", "text", "text", "vector"])
                        for i, (owner, (a, b), v) in enumerate(
                            zip(sentences.owner.tolist(), sentences.spans.tolist(), sentences.vectors, strict=True)
                        ):
                            c = chunks[owner]
                            copy.write_row((i, owner, a, b, c.source, c.language, countries.get(c.source), v))
                with cur.copy(sql.SQL("COPY {}.terms (term, df) FROM STDIN WITH (FORMAT BINARY)").format(s)) as copy:
                    copy.set_types(["text", "int4"])
                    for term, count in df.items():
                        copy.write_row((term, count))
                with cur.copy(
                    sql.SQL("COPY {}.postings (term, row, score) FROM STDIN WITH (FORMAT BINARY)").format(s)
                ) as copy:
                    copy.set_types(["text", "int4", "float4"])
                    for posting in postings:
                        copy.write_row(posting)
            copied = time.perf_counter()
            for statement in _indexes(len(chunks) > 0 and dim > 0, has_sentences):
                conn.execute(sql.SQL(statement).format(s=s))
            indexed = time.perf_counter()
            conn.execute(sql.SQL("ANALYZE {}.chunks").format(s))
            conn.execute(sql.SQL("ANALYZE {}.sentences").format(s))
            conn.execute(
                "INSERT INTO index_versions (name, schema_name, manifest) VALUES (%s, %s, %s::jsonb)",
                (name, schema, _json(manifest)),
            )
            # The switch: in this same transaction, so it is visible exactly when the whole set is.
            conn.execute("UPDATE index_live SET previous = version, version = %s, changed_at = now()", (name,))
        committed = time.perf_counter()
        self.cleanup()
        self.last_write_s = {
            "copy": copied - started,
            "indexes": indexed - copied,
            "commit": committed - indexed,
            "cleanup": time.perf_counter() - committed,
        }
        return name

    @contextlib.contextmanager
    def lock(self, wait_s: float = 0.0) -> Iterator[None]:
        """The one writer's lock: a session-level advisory lock on a connection of its own (released if
        the process dies, so a killed worker never leaves it held)."""
        conn = db.connect(self.url, autocommit=True)
        try:
            deadline = time.monotonic() + wait_s
            while not conn.execute("SELECT pg_try_advisory_lock(%s)", (_WRITER_LOCK,)).fetchone()[0]:  # type: ignore[index]
                if time.monotonic() >= deadline:
                    raise VeivalgError(f"En annen oppdatering av indeksen i {self.location} pågår; prøv igjen om litt.")
                time.sleep(0.2)
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_WRITER_LOCK,))
        finally:
            conn.close()

    def cleanup(self) -> None:
        """Drop every version but the live one and the one it replaced (readers may still hold that one
        for up to a second), and any ``ix_`` schema no version names."""
        with db.connect(self.url) as conn:
            keep = conn.execute("SELECT version, previous FROM index_live").fetchone() or (None, None)
            stale = conn.execute(
                "SELECT name, schema_name FROM index_versions WHERE name <> ALL(%s)", ([k for k in keep if k],)
            ).fetchall()
            orphans = conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ix\\_%' "
                "AND nspname NOT IN (SELECT schema_name FROM index_versions)"
            ).fetchall()
            for (schema,) in [(sch,) for _, sch in stale] + orphans:
                conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
            if stale:
                conn.execute("DELETE FROM index_versions WHERE name = ANY(%s)", ([n for n, _ in stale],))

    def open_index(self) -> OpenedIndex:
        name, schema, manifest = self._require_live()
        pool = db.pool(self.url, autocommit=True)
        chunks = PgChunkStore(pool, schema, manifest)
        dense = PgChunkVectors(pool, schema, self.ef_search)
        sentences = PgSentenceVectors(pool, schema, self.ef_search) if chunks.has_sentences() else None
        lexical = PgLexicalIndex(pool, schema, len(chunks), self.lexical)
        return OpenedIndex(
            name=name, manifest=manifest, chunks=chunks, dense=dense, sentences=sentences, lexical=lexical
        )


def _dim(rows: list, sent: list, manifest: IndexManifest) -> int:
    if rows:
        return len(as_array(rows[0][10]))
    if sent:
        return len(as_array(sent[0][3]))
    return int(manifest.get("dim", 0))


def _json(value: IndexManifest | dict) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
