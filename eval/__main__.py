"""`python -m eval run --gold FILE [--k 10] [--out DIR]`, `python -m eval tools`, `python -m eval bench [ingest|query|scale|load|soak]`,
`python -m eval feedback [--db FILE] [--out FILE]`, `python -m eval fit-answers`, `python -m eval claims [--fit]`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from assistant.settings import Settings
from ingest.embed.embedders import load_plugins
from ingest.errors import VeivalgError
from ingest.logs import configure_logging

if TYPE_CHECKING:
    from tqdm import tqdm


class _Bar:
    def __init__(self) -> None:
        self.bar: tqdm[NoReturn] | None = None  # a bar that counts, iterating nothing
        self.stage: str | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage != self.stage or self.bar is None:
            if self.bar:
                self.bar.close()
            self.stage, self.bar = stage, tqdm(total=total, desc=stage, file=sys.stderr)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar:
            self.bar.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval")
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="score retrieval on a gold set, beside the baselines")
    run_p.add_argument("--gold", type=Path, required=True)
    run_p.add_argument("--k", type=int, default=10)
    run_p.add_argument("--out", type=Path, default=None, help="folder for report.md and results.json")
    run_p.add_argument("--index", type=Path, default=None)
    run_p.add_argument("--corpus", type=Path, default=Path("corpus"))
    run_p.add_argument("--no-baselines", action="store_true")
    tools_p = sub.add_parser("tools", help="agreement of the decision tools with eval/gold/tools.jsonl")
    tools_p.add_argument("--gold", type=Path, default=Path("eval/gold/tools.jsonl"))
    tools_p.add_argument("--out", type=Path, default=None, help="also write the report here (Markdown)")
    fit_p = sub.add_parser("fit-answers", help="fit the answer-sentence scorer and answerability on the tuning half")
    fit_p.add_argument("--gold", type=Path, default=Path("eval/gold/dev.jsonl"))
    fit_p.add_argument("--out", type=Path, default=Path("eval/results/answer_fit.md"))
    claims_p = sub.add_parser("claims", help="the model-answer citation checker on eval/gold/claims.jsonl")
    claims_p.add_argument("--gold", type=Path, default=Path("eval/gold/claims.jsonl"))
    claims_p.add_argument("--fit", action="store_true", help="fit the threshold on the tuning half first")
    claims_p.add_argument("--out", type=Path, default=Path("eval/results/claims.md"))
    bench_p = sub.add_parser("bench", help="speed benchmarks (print figures)")
    bench_p.add_argument(
        "which", nargs="?", default="all", choices=["all", "ingest", "query", "scale", "load", "soak", "server"]
    )
    fb_p = sub.add_parser(
        "feedback", help="summarise the app's thumbs up/down; export thumbs-down as candidate gold questions"
    )
    fb_p.add_argument(
        "--db",
        type=Path,
        default=None,
        help="the app's conversation store (default: VEIVALG_DATA or data/veivalg.sqlite3)",
    )
    fb_p.add_argument("--out", type=Path, default=Path("eval/gold/feedback_candidates.jsonl"))
    args = parser.parse_args(argv)
    configure_logging("WARNING", os.environ)
    try:
        load_plugins(os.environ)
    except VeivalgError as exc:
        print(f"Feil: {exc}", file=sys.stderr)
        return 2

    if args.command == "feedback":
        from assistant.chat.conversations import SQLiteConversationStore
        from assistant.chat.feedback import gold_candidates, summary, write_jsonl
        from assistant.settings import AppSettings

        db = args.db or AppSettings.from_env().store_path
        if not db.exists():
            print(f"Fant ingen samtalebase i {db}. Start appen og gi en tilbakemelding først.", file=sys.stderr)
            return 2
        records = SQLiteConversationStore(db).feedback()
        print(summary(records))
        candidates = gold_candidates(records)
        if candidates:
            write_jsonl(candidates, args.out)
            print(f"\n{len(candidates)} kandidatspørsmål (tommel ned) skrevet til {args.out}.")
        return 0

    if args.command == "tools":
        from eval.tools_eval import evaluate_tools, format_tools_report

        text = format_tools_report(evaluate_tools(args.gold))
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text, encoding="utf-8")
        print(text)
        return 0

    if args.command == "fit-answers":
        from eval.fit_answers import main as fit

        text = fit(args.gold)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
        print(text)
        return 0

    if args.command == "claims":
        from eval.claims import report

        text = report(args.gold, args.fit)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
        print(text)
        return 0

    if args.command == "bench":
        from eval.bench import run_benchmarks

        return run_benchmarks(args.which)

    from eval.runner import run, write_reports

    out = args.out or Path("eval/reports") / time.strftime("%Y%m%d-%H%M%S")
    bar = _Bar()
    try:
        results = run(
            args.gold,
            k=args.k,
            settings=Settings.from_env(index_dir=args.index),
            corpus_dir=args.corpus,
            baselines=not args.no_baselines,
            progress=bar,
        )
    except VeivalgError as exc:
        print(f"Feil: {exc}", file=sys.stderr)
        return 2
    finally:
        bar.close()
    md, js = write_reports(results, out)
    print(md.read_text(encoding="utf-8"))
    print(f"\nRapport: {md}\nJSON:    {js}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
