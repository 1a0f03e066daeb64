"""Tuning on the 'tune' split only: build index variants once, then sweep retrieval settings.

    python -m eval.tune build --chunk-words 90 --overlap 20 [--no-context]
    python -m eval.tune grid [--gold eval/gold/dev.jsonl]

Variant indexes live in eval/cache/ (git-ignored). The held-out split is never read here.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from assistant.core import Assistant
from assistant.settings import RetrievalSettings, Settings
from eval.gold import load_gold
from eval.metrics import summarise
from eval.runner import score_system
from eval.systems import veivalg_system
from ingest.pipeline import refresh
from ingest.settings import IngestSettings

CACHE = Path("eval/cache")


def variant_dir(chunk_words: int, overlap: int, context: bool) -> Path:
    return CACHE / f"idx-cw{chunk_words}-ov{overlap}-ctx{int(context)}"


def build(chunk_words: int, overlap: int, context: bool) -> Path:
    out = variant_dir(chunk_words, overlap, context)
    report = refresh(
        IngestSettings(index_dir=out, chunk_words=chunk_words, overlap_words=overlap, context_in_embedding=context)
    )
    print(out, report.summary().splitlines()[0])
    return out


def retrieval_grid() -> list[RetrievalSettings]:
    grid = [RetrievalSettings(use_sparse=False), RetrievalSettings(use_dense=False)]
    for k, wd in itertools.product((10, 30, 60), (1.0, 1.5, 2.0)):
        grid.append(RetrievalSettings(fusion="rrf", rrf_k=k, dense_weight=wd))
    for alpha in (0.4, 0.5, 0.6, 0.7, 0.8):
        grid.append(RetrievalSettings(fusion="convex", alpha=alpha))
    return grid


def grid(gold: Path) -> None:
    questions = [q for q in load_gold(gold) if q.split == "tune"]
    rows = []
    for index_dir in sorted(CACHE.glob("idx-*")):
        for rs in retrieval_grid():
            assistant = Assistant.load(Settings(index_dir=index_dir, retrieval=rs))
            m = summarise(score_system(veivalg_system(assistant), questions, 10), 10)
            label = (
                "dense"
                if not rs.use_sparse
                else "bm25"
                if not rs.use_dense
                else (f"rrf k={rs.rrf_k} wd={rs.dense_weight}" if rs.fusion == "rrf" else f"convex a={rs.alpha}")
            )
            rows.append((m["mrr@10"], m["hit@5"], m["hit@1"], index_dir.name, label))
    for mrr, h5, h1, idx, label in sorted(rows, reverse=True):
        print(f"{idx:28s} {label:22s} hit@1 {h1:.3f} hit@5 {h5:.3f} mrr@10 {mrr:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.tune")
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--chunk-words", type=int, required=True)
    b.add_argument("--overlap", type=int, required=True)
    b.add_argument("--no-context", action="store_true")
    g = sub.add_parser("grid")
    g.add_argument("--gold", type=Path, default=Path("eval/gold/dev.jsonl"))
    args = parser.parse_args()
    if args.cmd == "build":
        build(args.chunk_words, args.overlap, not args.no_context)
    else:
        grid(args.gold)


if __name__ == "__main__":
    main()
