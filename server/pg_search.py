"""The searcher's seams over one index version in PostgreSQL (see ``server.pg_index`` for the tables).

Filters become a WHERE clause inside every search (sources, languages, and countries from the
manifest's document records, stored per row), so a filtered query gets its k best from the filtered
set. Vector searches use the HNSW index with iterative scans (pgvector 0.8) and fall back to an exact
scan when a narrow filter leaves the index scan short.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from psycopg import sql

from assistant.retrieval.indexes.base import Filters
from ingest.documents import Chunk, DocumentRecord, IndexManifest
from server.db import SESSION_EF_SEARCH

CACHE_ROWS = 20_000  # chunks (with vectors and sentences) kept per opened version: the real corpus whole


def conditions(filters: Filters | None, alias: str = "") -> tuple[list[sql.Composable], dict]:
    """The SQL conditions for these filters (none when there are none), and their parameters."""
    prefix = alias + "." if alias else ""
    parts: list[sql.Composable] = []
    params: dict = {}
    if filters is not None:
        for column, values in (
            ("source", filters.sources),
            ("country", filters.countries),
            ("language", filters.languages),
        ):
            if values:
                parts.append(sql.SQL(prefix + column + " = ANY(%(" + column + ")s)"))
                params[column] = sorted(values)
    return parts, params


def where(filters: Filters | None, alias: str = "", also: sql.Composable | None = None) -> tuple[sql.Composable, dict]:
    """`` WHERE …`` for these filters (and ``also``), or nothing; with its parameters."""
    parts, params = conditions(filters, alias)
    if also is not None:
        parts.insert(0, also)
    if not parts:
        return sql.SQL(""), params
    return sql.SQL(" WHERE ") + sql.SQL(" AND ").join(parts), params


class _Lru:
    """A small thread-safe LRU map (Gradio serves requests from several threads)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)


class PgChunkStore:
    """``ChunkStore`` fetching by row, with the hot rows cached. ``vectors(pool)`` is the searcher's first
    look at a candidate pool, so it loads the pool's chunks and sentences too, in two queries: the
    per-row ``chunk``/``sentences`` calls that follow are then served from memory."""

    def __init__(self, pool, schema: str, manifest: IndexManifest) -> None:
        self._pool = pool
        self._s = sql.Identifier(schema)
        self._documents: Mapping[str, DocumentRecord] = manifest.get("documents", {})
        self._n = int(manifest.get("chunks", 0))
        self._dim = int(manifest.get("dim", 0))
        self._rows = _Lru(CACHE_ROWS)  # row -> (Chunk, vector)
        self._sentences = _Lru(CACHE_ROWS)  # row -> (spans, vectors)
        self._ids = _Lru(CACHE_ROWS)  # chunk_id -> row
        with pool.connection() as conn:
            self._has_sentences = conn.execute(
                sql.SQL("SELECT EXISTS (SELECT 1 FROM {}.sentences)").format(self._s)
            ).fetchone()[0]

    @property
    def documents(self) -> Mapping[str, DocumentRecord]:
        return self._documents

    def __len__(self) -> int:
        return self._n

    def has_sentences(self) -> bool:
        return bool(self._has_sentences)

    def _load(self, rows: Sequence[int]) -> None:
        missing = sorted({int(r) for r in rows if self._rows.get(int(r)) is None})
        if not missing:
            return
        with self._pool.connection() as conn:
            found = conn.execute(
                sql.SQL(
                    'SELECT row, chunk_id, source, title, text, page, page_end, heading, language, start, "end", embedding '
                    "FROM {}.chunks WHERE row = ANY(%s)"
                ).format(self._s),
                (missing,),
            ).fetchall()
            sent = (
                conn.execute(
                    sql.SQL(
                        'SELECT row, start, "end", embedding FROM {}.sentences WHERE row = ANY(%s) ORDER BY id'
                    ).format(self._s),
                    (missing,),
                ).fetchall()
                if self._has_sentences
                else []
            )
        by_row: dict[int, list] = {}
        for r in sent:
            by_row.setdefault(r[0], []).append(r)
        for r in found:
            self._ids.put(r[1], r[0])
            self._rows.put(r[0], (Chunk(*r[1:11]), as_array(r[11])))
            mine = by_row.get(r[0], [])
            spans = np.array([[x[1], x[2]] for x in mine], np.int32).reshape(-1, 2)
            vecs = (
                np.stack([as_array(x[3]) for x in mine]).astype(np.float32)
                if mine
                else np.zeros((0, self._dim), np.float32)
            )
            self._sentences.put(r[0], (spans, vecs))

    def _row(self, row: int) -> tuple[Chunk, np.ndarray]:
        hit = self._rows.get(int(row))
        if hit is None:
            self._load([row])
            hit = self._rows.get(int(row))
            if hit is None:
                raise IndexError(row)
        return hit

    def chunk(self, row: int) -> Chunk:
        return self._row(row)[0]

    def row_of(self, chunk_id: str) -> int | None:
        hit = self._ids.get(chunk_id)
        if hit is not None:
            return hit
        with self._pool.connection() as conn:
            found = conn.execute(
                sql.SQL("SELECT row FROM {}.chunks WHERE chunk_id = %s").format(self._s), (chunk_id,)
            ).fetchone()
        if found is None:
            return None
        self._ids.put(chunk_id, found[0])
        return int(found[0])

    def vectors(self, rows: Sequence[int]) -> np.ndarray:
        if not len(rows):
            return np.zeros((0, self._dim), np.float32)
        self._load(rows)
        return np.stack([self._row(r)[1] for r in rows])

    def sentences(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        hit = self._sentences.get(int(row))
        if hit is None:
            self._load([row])
            hit = self._sentences.get(int(row))
        if hit is None:
            return np.zeros((0, 2), np.int32), np.zeros((0, self._dim), np.float32)
        return hit


def as_array(value) -> np.ndarray:
    """A vector as pgvector hands it back (``Vector`` from binary results, else numpy) as float32."""
    to_numpy = getattr(value, "to_numpy", None)
    return np.asarray(to_numpy() if to_numpy is not None else value, dtype=np.float32)


EF_SEARCH_MAX = 1000  # pgvector's bound; iterative scans go past it when a LIMIT asks for more


def _nearest(conn, ef_search: int, query: sql.Composable, params: dict) -> list[tuple]:
    """Run an ORDER BY distance LIMIT query on the HNSW index; the pool's connections scan iteratively
    (on past rows the filters drop) with ``SESSION_EF_SEARCH``; another ef_search is set for this query."""
    ef = min(EF_SEARCH_MAX, int(ef_search))
    if ef == SESSION_EF_SEARCH:
        return conn.execute(query, params).fetchall()
    with conn.transaction():  # the searcher's connections autocommit: SET LOCAL needs a transaction
        conn.execute(sql.SQL("SET LOCAL hnsw.ef_search = {}").format(sql.Literal(ef)))
        return conn.execute(query, params).fetchall()


def _filtered_rows(conn, table: sql.Composable, clause: sql.Composable, params: dict, cap: int) -> int:
    """How many rows pass the filters, counted up to ``cap`` + 1 (a bounded index scan)."""
    query = sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {}{} LIMIT {}) AS f").format(
        table, clause, sql.Literal(cap + 1)
    )
    return int(conn.execute(query, params).fetchone()[0])


class _PgVectors:
    """What the chunk and sentence vector searches share: the table, the HNSW breadth, the filter
    size under which a search is exact, and the query's parameters with its filters' clause."""

    TABLE = ""
    EXACT_BELOW = 0

    def __init__(self, pool, schema: str, ef_search: int = SESSION_EF_SEARCH, exact_below: int | None = None) -> None:
        self._pool = pool
        self._s = sql.Identifier(schema)
        self.ef_search = ef_search
        self.exact_below = self.EXACT_BELOW if exact_below is None else exact_below

    def _query(
        self, q: np.ndarray, k: int, filters: Filters | None
    ) -> tuple[sql.Composable, sql.Composable, dict, bool]:
        """The table, the filters' WHERE clause, the parameters (filters, q, k), and whether it filters."""
        clause, params = where(filters)
        filtered = bool(params)
        params |= {"q": np.asarray(q, np.float32).reshape(-1), "k": int(k)}
        return sql.SQL("{}.{}").format(self._s, sql.Identifier(self.TABLE)), clause, params, filtered


class PgChunkVectors(_PgVectors):
    """``VectorIndex`` over the chunk vectors: ``ORDER BY embedding <#> q LIMIT k`` with the filters.

    A filter that leaves at most ``exact_below`` rows is searched exactly over those rows (a few ms
    through the filter columns' indexes): HNSW with a selective filter finds k rows that pass it, but
    not reliably the k nearest (recall@10 0.71 at a 1 % filter in ``eval/results/bench_server.md``)."""

    TABLE = "chunks"
    EXACT_BELOW = 20_000

    def search(self, q: np.ndarray, k: int, filters: Filters | None = None) -> list[int]:
        if k <= 0:
            return []
        table, clause, params, filtered = self._query(q, k, filters)
        with self._pool.connection() as conn:
            if filtered and _filtered_rows(conn, table, clause, params, self.exact_below) <= self.exact_below:
                return self._exact(conn, clause, params)
            # Relaxed order may swap near neighbours: a materialised CTE puts them back in exact order.
            query = sql.SQL(
                "WITH hits AS MATERIALIZED (SELECT row, embedding <#> %(q)s AS d FROM {}{} "
                "ORDER BY embedding <#> %(q)s LIMIT %(k)s) SELECT row FROM hits ORDER BY d, row"
            ).format(table, clause)
            rows = [r[0] for r in _nearest(conn, max(self.ef_search, k), query, params)]
            if len(rows) < k and filtered:  # the iterative scan stopped early (hnsw.max_scan_tuples)
                rows = self._exact(conn, clause, params)
        return rows

    def _exact(self, conn, clause: sql.Composable, params: dict) -> list[int]:
        # Materialised first, so the HNSW index cannot be used: every filtered row is compared.
        query = sql.SQL(
            "WITH f AS MATERIALIZED (SELECT row, embedding FROM {}.chunks{}) "
            "SELECT row FROM f ORDER BY embedding <#> %(q)s, row LIMIT %(k)s"
        ).format(self._s, clause)
        return [r[0] for r in conn.execute(query, params).fetchall()]


class PgSentenceVectors(_PgVectors):
    """``VectorIndex`` ranking chunks by their nearest sentence (HNSW over the sentence vectors; exact
    over the filtered sentences when a filter leaves at most ``exact_below`` of them)."""

    TABLE = "sentences"
    EXACT_BELOW = 50_000

    def search(self, q: np.ndarray, k: int, filters: Filters | None = None) -> list[int]:
        if k <= 0:
            return []
        table, clause, params, filtered = self._query(q, k, filters)
        want = k * 8  # several sentences of a chunk may rank together
        available = None
        with self._pool.connection() as conn:
            if filtered:
                available = _filtered_rows(conn, table, clause, params, self.exact_below)
                if available <= self.exact_below:
                    query = sql.SQL(
                        "WITH f AS MATERIALIZED (SELECT row, embedding <#> %(q)s AS d FROM {}{}) "
                        "SELECT row, min(d) AS d FROM f GROUP BY row ORDER BY d, row LIMIT %(k)s"
                    ).format(table, clause)
                    return [r[0] for r in conn.execute(query, params).fetchall()]
            while True:
                params["want"] = want
                query = sql.SQL(
                    "WITH hits AS MATERIALIZED (SELECT row, embedding <#> %(q)s AS d FROM {}{} "
                    "ORDER BY embedding <#> %(q)s LIMIT %(want)s) "
                    "SELECT row, min(d) AS d FROM hits GROUP BY row ORDER BY d, row"
                ).format(table, clause)
                rows = [r[0] for r in _nearest(conn, max(self.ef_search, want), query, params)]
                if len(rows) >= k:
                    return rows[:k]
                if available is None:
                    (available,) = conn.execute(
                        sql.SQL("SELECT count(*) FROM {}{}").format(table, clause), params
                    ).fetchone()
                if available <= want:  # every sentence passing the filters was read
                    return rows
                want *= 4


class PgLexicalIndex:
    """``LexicalIndex`` in SQL. ``knows``/``vocabulary``/``document_frequency`` are over our stemmed terms
    (the ``terms`` table, read once). Scoring is BM25 over the stored postings ("bm25": the weights
    bm25s gives, so server and embedded rank alike) or PostgreSQL full-text search ("fts": ``ts_rank_cd``
    of the chunk's tsvector, stemmed in its own language's configuration)."""

    def __init__(self, pool, schema: str, rows: int, mode: str = "bm25") -> None:
        if mode not in ("bm25", "fts"):
            raise ValueError(f"unknown lexical mode {mode!r}")
        self._pool = pool
        self._s = sql.Identifier(schema)
        self._rows = rows
        self.mode = mode
        self._df: dict[str, int] | None = None
        self._guard = threading.Lock()

    def _terms(self) -> dict[str, int]:
        if self._df is None:
            with self._guard:
                if self._df is None:
                    with self._pool.connection() as conn:
                        self._df = dict(
                            conn.execute(sql.SQL("SELECT term, df FROM {}.terms").format(self._s)).fetchall()
                        )
        return self._df

    def __len__(self) -> int:
        return self._rows

    def knows(self, term: str) -> bool:
        return term in self._terms()

    def vocabulary(self) -> Iterable[str]:
        return self._terms().keys()

    def document_frequency(self, term: str) -> int:
        return self._terms().get(term, 0)

    # The query's stems are already made (ingest.text.lexical.query_terms): as a tsquery they are ORed
    # lexemes in the 'simple' configuration, matched against each chunk's language-stemmed tsvector.
    _TSQUERY = "to_tsquery('simple', (SELECT string_agg(quote_literal(t), ' | ') FROM unnest(%(terms)s::text[]) AS t))"

    def scores(self, terms: Sequence[str], rows: Sequence[int]) -> np.ndarray:
        out = np.zeros(len(rows), np.float32)
        if not terms or not len(rows):
            return out
        params = {"terms": list(terms), "rows": [int(r) for r in rows]}
        if self.mode == "bm25":
            query = sql.SQL(
                "SELECT row, sum(score) FROM {}.postings WHERE term = ANY(%(terms)s) AND row = ANY(%(rows)s) "
                "GROUP BY row"
            ).format(self._s)
        else:
            query = sql.SQL(
                "SELECT row, ts_rank_cd(tsv, q) FROM {}.chunks, " + self._TSQUERY + " AS q "
                "WHERE row = ANY(%(rows)s) AND tsv @@ q"
            ).format(self._s)
        with self._pool.connection() as conn:
            found = dict(conn.execute(query, params).fetchall())
        for i, r in enumerate(rows):
            out[i] = found.get(int(r), 0.0)
        return out

    def search(self, terms: Sequence[str], k: int, filters: Filters | None = None) -> list[int]:
        if not terms or k <= 0:
            return []
        if self.mode == "bm25":
            clause, params = where(filters, "c", also=sql.SQL("p.term = ANY(%(terms)s)"))
            join = sql.SQL(" JOIN {}.chunks c ON c.row = p.row").format(self._s) if params else sql.SQL("")
            query = sql.SQL(
                "SELECT p.row, sum(p.score) AS s FROM {}.postings p{}{} "
                "GROUP BY p.row HAVING sum(p.score) > 0 ORDER BY s DESC, p.row LIMIT %(k)s"
            ).format(self._s, join, clause)
        else:
            clause, params = where(filters, also=sql.SQL("tsv @@ q"))
            query = sql.SQL(
                "SELECT row FROM {}.chunks, " + self._TSQUERY + " AS q{} "
                "ORDER BY ts_rank_cd(tsv, q) DESC, row LIMIT %(k)s"
            ).format(self._s, clause)
        params |= {"terms": list(terms), "k": int(k)}
        with self._pool.connection() as conn:
            return [r[0] for r in conn.execute(query, params).fetchall()]
