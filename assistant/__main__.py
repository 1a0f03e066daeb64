"""Command line: `python -m assistant search "spørsmål" [-k 5]`, and in server mode
`python -m assistant users add NAVN --role admin|reader` (password asked for, or read from
VEIVALG_NEW_PASSWORD or a pipe on stdin)."""

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
    users = sub.add_parser("users", help="brukere i servermodus (VEIVALG_DATABASE_URL)")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="legg til en bruker (eller sett nytt passord og rolle)")
    add.add_argument("name")
    add.add_argument("--role", choices=("admin", "reader"), default="reader")
    args = parser.parse_args(argv)
    configure_logging("WARNING", os.environ)
    if args.command == "users":
        return _add_user(args.name, args.role)
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


def _add_user(name: str, role: str) -> int:
    url = os.environ.get("VEIVALG_DATABASE_URL")
    if not url:
        print("Feil: brukere finnes bare i servermodus; sett VEIVALG_DATABASE_URL=postgresql://…", file=sys.stderr)
        return 2
    password = os.environ.get("VEIVALG_NEW_PASSWORD")
    if not password:
        if sys.stdin.isatty():
            import getpass

            password = getpass.getpass(f"Passord for {name}: ")
            if password != getpass.getpass("Gjenta passordet: "):
                print("Feil: passordene er ikke like.", file=sys.stderr)
                return 2
        else:
            password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        print("Feil: passordet må ha minst 8 tegn.", file=sys.stderr)
        return 2
    from server.db import migrate
    from server.users import UserStore

    try:
        migrate(url)
        UserStore(url).add(name, password, role)
    except VeivalgError as exc:
        print(f"Feil: {exc}", file=sys.stderr)
        return 2
    print(f"Brukeren «{name}» ({'administrator' if role == 'admin' else 'leser'}) er lagret.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
