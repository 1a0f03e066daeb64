"""Score retrieval on a gold set for Veivalg and the baselines; write a Markdown and a JSON report."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from assistant.core import Assistant
from assistant.settings import Settings
from eval.gold import GoldQuestion, load_gold
from eval.metrics import (
    EvidenceMatcher,
    first_hit_rank,
    ndcg,
    ngrams,
    percentile,
    summarise,
    tokens,
)
from eval.systems import CACHE_DIR, System, textbook_system, variant, veivalg_system
from ingest.index.files import index_exists
from ingest.pipeline import refresh
from ingest.settings import IngestSettings

Progress = Callable[[str, int, int], None]


def score_system(
    system: System, questions: Sequence[GoldQuestion], k: int, progress: Progress | None = None
) -> list[dict]:
    """One row per answerable question: rank of the first hit, nDCG, latency."""
    passage_grams = [ngrams(tokens(t)) for t in system.passages]
    rows = []
    answerable = [q for q in questions if q.answerable]
    for i, q in enumerate(answerable):
        if progress:
            progress(system.name, i, len(answerable))
        matcher = EvidenceMatcher(q.evidence)
        relevant = sum(1 for g in passage_grams if matcher.covers(g))
        started = time.perf_counter()
        results = system.search(q.question, k)
        latency = (time.perf_counter() - started) * 1000
        hits = [matcher.is_hit(text) for text, _ in results]
        rows.append(
            {
                "id": q.id,
                "split": q.split,
                "lang": q.lang,
                "type": q.type,
                "doc": q.doc,
                "rank": first_hit_rank(hits),
                "ndcg": ndcg(hits, relevant, k),
                "relevant_in_index": relevant,
                "latency_ms": latency,
                "top_sources": [s for _, s in results[:3]],
            }
        )
    if progress:
        progress(system.name, len(answerable), len(answerable))
    return rows


def breakdown(rows: list[dict], key: str, k: int) -> dict[str, dict]:
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(str(r[key]), []).append(r)
    return {name: summarise(group, k) for name, group in sorted(groups.items())}


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, check=True
        ).stdout.strip()
        return out + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def ensure_index(ingest: IngestSettings, progress: Progress | None = None) -> None:
    if not index_exists(ingest.index_dir):
        refresh(ingest, progress=progress)


def run(
    gold_path: Path,
    k: int = 10,
    settings: Settings | None = None,
    corpus_dir: Path = Path("corpus"),
    baselines: bool = True,
    progress: Progress | None = None,
    ingest_settings: IngestSettings | None = None,
    cache_dir: Path = CACHE_DIR,
) -> dict:
    """Score Veivalg (and the baselines) on ``gold_path``; builds the index first if missing."""
    settings = settings or Settings()
    ensure_index(ingest_settings or IngestSettings(corpus_dir=corpus_dir, index_dir=settings.index_dir), progress)
    questions = load_gold(gold_path)
    assistant = Assistant.load(settings)
    systems = [veivalg_system(assistant)]
    if baselines:
        systems += [
            variant(assistant, "BM25 alene", use_dense=False, use_sentences=False),
            variant(assistant, "Dense alene (tekstbiter)", use_sparse=False, use_sentences=False),
            variant(assistant, "Veivalg med RRF", fusion="rrf"),
            textbook_system(corpus_dir, assistant.searcher_embedder_spec(), cache_dir=cache_dir),
        ]
    assistant.retrieve("oppvarming", k=k)  # warm-up: first call pays for lazy loading
    results: dict = {"systems": {}}
    for system in systems:
        rows = score_system(system, questions, k, progress)
        results["systems"][system.name] = {
            "all": summarise(rows, k),
            "tune": summarise([r for r in rows if r["split"] == "tune"], k),
            "heldout": summarise([r for r in rows if r["split"] == "heldout"], k),
            "rows": rows,
        }
    from eval.answers import answer_curve, score_answers

    assistant.ask("oppvarming")
    answers = score_answers(assistant.ask, questions, progress)
    results["answers"] = answers
    if not assistant.uses_language_model:
        results["answer_curve"] = answer_curve(assistant, questions)
    main = results["systems"]["Veivalg"]
    latencies = [r["latency_ms"] for r in main["rows"]]
    results["latency_ms"] = {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}
    results["breakdown"] = {key: breakdown(main["rows"], key, k) for key in ("lang", "type", "doc")}
    results["config"] = {
        "commit": git_commit(),
        "gold": str(gold_path),
        "questions": len(questions),
        "answerable": sum(q.answerable for q in questions),
        "k": k,
        "embedder": assistant.manifest["embedder"],
        "chunking": assistant.manifest["chunking"],
        "retrieval": asdict(settings.retrieval),
        "answer_mode": "llm" if assistant.uses_language_model else "extractive",
        "prompt": settings.prompt if assistant.uses_language_model else None,
        "index_chunks": len(assistant.searcher.store),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    return results


def write_reports(results: dict, out_dir: Path) -> tuple[Path, Path]:
    from eval.report import markdown_report

    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "results.json", out_dir / "report.md"
    json_path.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    md_path.write_text(markdown_report(results), encoding="utf-8")
    return md_path, json_path
