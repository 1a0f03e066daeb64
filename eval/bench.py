"""Speed benchmarks. They print figures (quoted in the README); they are not timed tests.

python -m eval bench ingest   # full build, no-op refresh, one changed report
python -m eval bench query    # warm retrieve p50/p95 on the gold questions; memory of a loaded assistant
python -m eval bench scale    # synthetic 100k / 1M chunk indexes: flat vs HNSW vs IVF
python -m eval bench load     # the running app: 1/4/8 clients, with and without a hung model call, then the soak
python -m eval bench soak     # the running app: 5 000 questions, memory at start and end
python -m eval bench server   # PostgreSQL beside embedded mode: quality, latency, 200k-chunk HNSW;
                              # then workers' ingestion throughput and 16 users through nginx
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from eval.metrics import percentile

GOLD = Path("eval/gold/dev.jsonl")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_ingest(corpus: Path = Path("corpus")) -> None:
    from ingest.pipeline import refresh
    from ingest.settings import IngestSettings

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "corpus"
        shutil.copytree(corpus, work)
        settings = IngestSettings.from_env(corpus_dir=work, index_dir=Path(tmp) / "index")
        full = refresh(settings)
        size = sum(f.stat().st_size for f in settings.index_dir.rglob("*") if f.is_file())
        print(f"embedder {settings.embedder}, chunk_words {settings.chunk_words}, overlap {settings.overlap_words}")
        print(
            f"full build: {full.chunks} chunks in {full.seconds:.1f} s ({full.chunks / full.seconds:.1f} chunks/s), index {size / 1e6:.1f} MB"
        )
        noop = refresh(settings)
        print(f"no-op refresh: {noop.seconds:.2f} s, {noop.embedded} embedded")
        target = sorted(work.glob("*.txt"))[-1]
        target.write_text(
            target.read_text(encoding="utf-8") + "\n\nEt nytt avsnitt lagt til for målingen.", encoding="utf-8"
        )
        changed = refresh(settings)
        print(
            f"one changed report ({target.name}): {changed.seconds:.1f} s, {changed.embedded} of {changed.chunks} chunks and {changed.embedded_sentences} sentences embedded"
        )


def bench_query(index: Path = Path("index")) -> None:
    from assistant.core import Assistant
    from assistant.settings import Settings
    from eval.gold import load_gold

    before = _rss_mb()
    started = time.perf_counter()
    assistant = Assistant.load(Settings(index_dir=index))
    assistant.retrieve("oppvarming")
    print(f"load + first query: {time.perf_counter() - started:.2f} s; peak RSS {before:.0f} -> {_rss_mb():.0f} MB")
    questions = [q.question for q in load_gold(GOLD)]
    times = []
    for _ in range(3):
        for q in questions:
            t = time.perf_counter()
            assistant.retrieve(q, k=10)
            times.append((time.perf_counter() - t) * 1000)
    print(
        f"retrieve k=10, warm, {len(times)} calls: p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms"
    )
    assistant.ask("oppvarming")  # the answer layer's lexicons and scorer load once
    times = []
    for _ in range(2):
        for q in questions:
            t = time.perf_counter()
            assistant.ask(q)
            times.append((time.perf_counter() - t) * 1000)
    print(
        f"ask (extractive), warm, {len(times)} calls: p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms"
    )


def _synthetic(n: int, dim: int = 384, clusters: int = 2000, seed: int = 0) -> np.ndarray:
    """Clustered unit vectors: closer to real embeddings than uniform noise, so ANN recall means something."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dim)).astype(np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    step = 100_000
    for i in range(0, n, step):
        m = min(step, n - i)
        out[i : i + m] = centres[rng.integers(0, clusters, m)] + 0.6 * rng.standard_normal((m, dim)).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def _time_search(index, queries: np.ndarray, k: int = 10) -> tuple[float, float, np.ndarray]:
    times, ids = [], []
    for q in queries:
        t = time.perf_counter()
        _, found = index.search(q.reshape(1, -1), k)
        times.append((time.perf_counter() - t) * 1000)
        ids.append(found[0])
    return percentile(times, 50), percentile(times, 95), np.array(ids)


def bench_scale(sizes: tuple[int, ...] = (100_000, 1_000_000)) -> None:
    import faiss

    for n in sizes:
        vectors = _synthetic(n)
        # Queries near real points (a question close to one passage), so the true neighbours are
        # well defined; queries drawn from the mixture itself only measure how near-ties are ordered.
        rng = np.random.default_rng(1)
        queries = vectors[rng.choice(n, 200, replace=False)] + 0.05 * rng.standard_normal((200, 384)).astype(np.float32)
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        print(f"\n{n:,} chunks x 384 dims ({vectors.nbytes / 1e9:.2f} GB of float32)")
        flat = faiss.IndexFlatIP(384)
        flat.add(vectors)
        p50, p95, truth = _time_search(flat, queries)
        print(f"  flat (exact)   build 0.0 s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  recall@10 1.000")
        for name in ("IVF", "HNSW32,ef128"):
            t = time.perf_counter()
            if name.startswith("IVF"):
                from ingest.index.files import build_dense_index

                index = build_dense_index(vectors, force="ivf")  # exactly what Veivalg builds past the threshold
                name = f"IVF{index.nlist},nprobe{index.nprobe}"
            else:
                if n > 200_000:
                    print("  HNSW32         skipped at this size: build time on 2 cores grows past 10 minutes")
                    continue
                index = faiss.IndexHNSWFlat(384, 32, faiss.METRIC_INNER_PRODUCT)
                index.hnsw.efConstruction = 80
                index.add(vectors)
                index.hnsw.efSearch = 128
            build = time.perf_counter() - t
            p50, p95, found = _time_search(index, queries)
            recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth, strict=True)])
            print(f"  {name:14s} build {build:5.1f} s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  recall@10 {recall:.3f}")
        del vectors, flat
    print(f"\npeak RSS {_rss_mb():.0f} MB")


def run_benchmarks(which: str) -> int:
    if which in ("all", "ingest"):
        bench_ingest()
    if which in ("all", "query"):
        bench_query()
    if which in ("all", "scale"):
        bench_scale()
    if which == "server":  # starts PostgreSQL and builds a 200 000-chunk index: only when asked for
        from eval.bench_cluster import run_cluster_bench
        from eval.bench_server import bench_server

        bench_server()
        run_cluster_bench()
    if which in ("load", "soak"):  # minutes of a running app: only when asked for
        from eval.load import bench_load, bench_soak

        if which == "load":
            bench_load()
        bench_soak()
    return 0
