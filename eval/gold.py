"""Gold question sets: one JSON object per line (schema in eval/gold/README.md)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

LANGS = {"nb", "nn", "da", "en"}
TYPES = {"factoid", "list", "reasoning", "paraphrase", "crosslingual", "near-miss", "own-kommune"}


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    lang: str
    doc: str | None
    evidence: tuple[str, ...]
    answer_facts: tuple[str, ...]
    type: str
    answerable: bool

    @property
    def split(self) -> str:
        return split_of(self.id)


def split_of(question_id: str) -> str:
    """'tune' or 'heldout', fixed by a hash of the id so it never depends on file order."""
    return "tune" if hashlib.sha256(question_id.encode()).digest()[0] % 2 == 0 else "heldout"


def load_gold(path: Path) -> list[GoldQuestion]:
    out: list[GoldQuestion] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            q = GoldQuestion(
                id=str(row["id"]),
                question=str(row["question"]),
                lang=row["lang"],
                doc=row.get("doc"),
                evidence=tuple(row.get("evidence") or ()),
                answer_facts=tuple(row.get("answer_facts") or ()),
                type=row["type"],
                answerable=bool(row["answerable"]),
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: ugyldig gulllinje ({exc})") from exc
        if q.lang not in LANGS or q.type not in TYPES:
            raise ValueError(f"{path}:{n}: ukjent lang «{q.lang}» eller type «{q.type}»")
        if q.answerable and not q.evidence:
            raise ValueError(f"{path}:{n}: et besvarbart spørsmål trenger evidence")
        out.append(q)
    ids = [q.id for q in out]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: id-ene er ikke unike")
    return out
