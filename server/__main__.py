"""``python -m server start|stop|worker``: server mode's processes (``make server`` calls start)."""

from __future__ import annotations

import argparse
import os
import sys

from ingest.embed.embedders import load_plugins
from ingest.errors import VeivalgError
from ingest.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server", description="Veivalg i servermodus.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("start", help="PostgreSQL, to arbeidere, to app-replikaer og nginx på 127.0.0.1")
    sub.add_parser("stop", help="stopp alt som «start» startet")
    worker = sub.add_parser("worker", help="én arbeider for innlesingsjobbene (VEIVALG_DATABASE_URL)")
    worker.add_argument("--name", help="arbeiderens navn i jobbtabellen")
    args = parser.parse_args(argv)
    # The launcher talks in plain lines; the workers log (to data/server/logs).
    configure_logging("INFO" if args.command == "worker" else "WARNING", os.environ)
    from server import launch

    try:
        load_plugins(os.environ)  # embedders registered by name (tests register a hashing one)
        if args.command == "start":
            launch.start()
        elif args.command == "stop":
            launch.stop()
        else:
            url = os.environ.get("VEIVALG_DATABASE_URL")
            if not url:
                print("Feil: VEIVALG_DATABASE_URL må være satt for en arbeider.", file=sys.stderr)
                return 2
            from server.worker import main as run_worker

            run_worker(url, args.name)
    except VeivalgError as exc:
        print(f"Feil: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
