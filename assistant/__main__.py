"""Command line: `python -m assistant search "spørsmål" [-k 5]`."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap

from assistant.core import Assistant
from assistant.settings import Settings
from ingest.embed.embedders import load_plugins
from ingest.errors import VeivalgError
from ingest.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Søk i Veivalg-indeksen.")
    sub = parser.add_subparsers(dest="command", required=True)
    search = sub.add_parser("search", help="vis de best rangerte tekstbitene for et spørsmål")
    search.add_argument("question")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--index", help="mappen med indeksen (standard: index)")
    args = parser.parse_args(argv)
    configure_logging("WARNING", os.environ)
    try:
        load_plugins(os.environ)
        assistant = Assistant.load(Settings.from_env(index_dir=args.index))
        hits = assistant.retrieve(args.question, k=args.k)
    except VeivalgError as exc:
        print(f"Feil: {exc}", file=sys.stderr)
        return 2
    if not hits:
        print("Ingen treff.")
    for rank, p in enumerate(hits, start=1):
        print(f"{rank}. {p.cite()}  [{p.source}, score {p.score:.4f}]")
        print(textwrap.indent(textwrap.shorten(p.text, 400), "   "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
