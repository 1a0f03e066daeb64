"""Feedback on answers: what to store with a thumbs up or down, and the summary `python -m eval feedback` prints."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from assistant.chat.conversations import Feedback, citation_records
from assistant.types import Answer

ROOT = Path(__file__).resolve().parents[2]


def current_commit(root: Path = ROOT) -> str:
    """The git commit the app runs from ("ukjent" outside a checkout); read once at start-up."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return "ukjent"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "ukjent"


def feedback_for(
    answer: Answer,
    *,
    owner: str,
    conversation_id: str,
    liked: bool,
    embedder: str,
    settings: dict,
    commit: str,
    comment: str = "",
) -> Feedback:
    return Feedback(
        owner=owner,
        conversation_id=conversation_id,
        question=answer.question,
        answer=answer.text,
        rating=1 if liked else -1,
        comment=comment,
        citations=citation_records(answer),
        embedder=embedder,
        settings=settings,
        commit=commit,
    )


def summary(records: Sequence[Feedback]) -> str:
    """Counts of thumbs up and down, per embedder and commit, and the latest comments."""
    if not records:
        return "Ingen tilbakemeldinger ennå."
    up = sum(1 for r in records if r.rating > 0)
    lines = [f"{len(records)} tilbakemeldinger: {up} tommel opp, {len(records) - up} tommel ned.", ""]
    groups: dict[tuple[str, str], list[Feedback]] = {}
    for r in records:
        groups.setdefault((r.embedder, r.commit), []).append(r)
    lines += ["| Embedder | Commit | Opp | Ned |", "|---|---|---:|---:|"]
    for (embedder, commit), rs in sorted(groups.items()):
        ups = sum(1 for r in rs if r.rating > 0)
        lines.append(f"| {embedder or 'ukjent'} | {commit or 'ukjent'} | {ups} | {len(rs) - ups} |")
    comments = [r for r in records if r.comment][-10:]
    if comments:
        lines += ["", "Siste kommentarer:"]
        lines += [f"- {'👍' if r.rating > 0 else '👎'} «{r.question}»: {r.comment}" for r in comments]
    return "\n".join(lines)


def gold_candidates(records: Sequence[Feedback]) -> list[dict]:
    """Thumbs-down answers as candidate gold questions (the sources the answer used, to be checked by a person)."""
    seen, out = set(), []
    for r in records:
        if r.rating >= 0 or r.question in seen:
            continue
        seen.add(r.question)
        out.append(
            {
                "question": r.question,
                "comment": r.comment,
                "answer": r.answer,
                "cited_sources": sorted({c["source"] for c in r.citations}),
                "embedder": r.embedder,
                "commit": r.commit,
                "needs_review": True,
            }
        )
    return out


def write_jsonl(rows: Sequence[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def as_dict(record: Feedback) -> dict:
    return asdict(record)
