"""One ingestion worker: ``python -m server worker`` (VEIVALG_DATABASE_URL names the database).

It runs procrastinate's worker on the ``ingest`` queue, one job at a time (one embedding thread),
and beside it a watchdog that puts back in the queue the jobs of workers whose heartbeat stopped
(a worker killed with SIGKILL never says it is gone). Heartbeat and stall times come from
VEIVALG_WORKER_HEARTBEAT_S (default 5) and VEIVALG_WORKER_STALLED_S (default 30).
"""

from __future__ import annotations

import asyncio
import logging
import os

from server import jobs

log = logging.getLogger(__name__)


async def _watchdog(app, stalled_s: float, every_s: float) -> None:
    while True:
        try:
            await jobs.recover_stalled(app, stalled_s)
        except Exception:  # a database hiccup must not end the worker; the next round tries again
            log.exception("Stalled-job check failed")
        await asyncio.sleep(every_s)


async def _run(url: str, name: str, heartbeat_s: float, stalled_s: float) -> None:
    app = jobs.make_app(url)
    async with app.open_async():
        watchdog = asyncio.create_task(_watchdog(app, stalled_s, max(1.0, heartbeat_s)))
        try:
            await app.run_worker_async(
                queues=[jobs.QUEUE],
                concurrency=1,
                name=name,
                wait=True,
                update_heartbeat_interval=heartbeat_s,
                stalled_worker_timeout=stalled_s,
                fetch_job_polling_interval=2.0,
            )
        finally:
            watchdog.cancel()


def main(url: str, name: str | None = None) -> None:
    heartbeat_s = float(os.environ.get("VEIVALG_WORKER_HEARTBEAT_S", "5"))
    stalled_s = float(os.environ.get("VEIVALG_WORKER_STALLED_S", "30"))
    jobs.install(url)
    log.info("Worker %s started (heartbeat %.0f s, stalled after %.0f s)", name, heartbeat_s, stalled_s)
    asyncio.run(_run(url, name or f"veivalg-worker-{os.getpid()}", heartbeat_s, stalled_s))
