"""Scoring answers on a gold set.

* answer-fact recall: share of a question's ``answer_facts`` found in ``answer.text``. A fact is
  found when at least 80 % of its words, and every number in it, occur in the answer
  (lower-cased, NFKC ``\\w+`` tokens), so "50 %" matches "50 prosent" but "40" never matches "50".
* citation support: share of citations that are hits for the question's evidence (the
  retrieval hit rule), or that support every sentence marked with them (assistant.verify).
* abstention: abstains on unanswerable questions, answers answerable ones.
* latency of ``ask``, warm.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from assistant.types import Answer
from assistant.verify import supports
from eval.gold import GoldQuestion
from eval.metrics import EvidenceMatcher, percentile, tokens


def fact_found(fact: str, answer_tokens: set[str]) -> bool:
    words = tokens(fact)
    if not words:
        return False
    numbers = [w for w in words if any(ch.isdigit() for ch in w)]
    if any(n not in answer_tokens for n in numbers):
        return False
    return sum(w in answer_tokens for w in words) / len(words) >= 0.8


def marked_sentences(answer: Answer) -> dict[int, list[str]]:
    """The statements each citation number vouches for."""
    out: dict[int, list[str]] = {}
    for statement in answer.short:
        for n in statement.markers:
            out.setdefault(n, []).append(statement.text)
    for excerpt in answer.excerpts:
        out.setdefault(excerpt.marker, []).append(excerpt.text)
    return out


def answer_body(answer: Answer) -> str:
    """What the answer says before its sources and "Se også": the statements and excerpts."""
    return " ".join([s.text for s in answer.short] + [e.text for e in answer.excerpts])


def citation_support(answer: Answer, evidence: Sequence[str]) -> list[bool]:
    matcher = EvidenceMatcher(evidence)
    marked = marked_sentences(answer)
    result = []
    for n, passage in enumerate(answer.citations, start=1):
        sentences = [s for s in marked.get(n, []) if s]
        sentence_ok = bool(sentences) and all(
            " ".join(s.split()) in " ".join(passage.text.split()) or supports(s, passage.text, passage.language) for s in sentences
        )
        result.append(matcher.is_hit(passage.text) or sentence_ok)
    return result


def score_answers(ask: Callable[[str], Answer], questions: Sequence[GoldQuestion], progress=None) -> dict:
    rows = []
    for i, q in enumerate(questions):
        if progress:
            progress("Svar", i, len(questions))
        started = time.perf_counter()
        answer = ask(q.question)
        latency = (time.perf_counter() - started) * 1000
        row = {"id": q.id, "split": q.split, "answerable": q.answerable, "abstained": answer.abstained, "latency_ms": latency}
        if q.answerable and not answer.abstained:
            answer_tokens = set(tokens(answer_body(answer)))
            found = [fact_found(f, answer_tokens) for f in q.answer_facts]
            row["fact_recall"] = sum(found) / len(found) if found else None
            row["missing_facts"] = [f for f, ok in zip(q.answer_facts, found, strict=True) if not ok]
            row["supported"] = citation_support(answer, q.evidence)
        elif q.answerable:
            row["fact_recall"] = 0.0
        rows.append(row)
    if progress:
        progress("Svar", len(questions), len(questions))
    return {"rows": rows, **summarise_answers(rows)}


def summarise_answers(rows: Sequence[dict]) -> dict:
    def part(split: str | None) -> dict:
        rs = [r for r in rows if split is None or r["split"] == split]
        answerable = [r for r in rs if r["answerable"]]
        unanswerable = [r for r in rs if not r["answerable"]]
        recalls = [r["fact_recall"] for r in answerable if r.get("fact_recall") is not None]
        support = [ok for r in answerable for ok in r.get("supported", [])]
        return {
            "n": len(rs),
            "fact_recall": sum(recalls) / len(recalls) if recalls else float("nan"),
            "citation_support": sum(support) / len(support) if support else float("nan"),
            "citations": len(support),
            "abstained_when_unanswerable": sum(r["abstained"] for r in unanswerable),
            "unanswerable": len(unanswerable),
            "answered_when_answerable": sum(not r["abstained"] for r in answerable),
            "answerable": len(answerable),
        }

    latencies = [r["latency_ms"] for r in rows]
    return {
        "all": part(None), "tune": part("tune"), "heldout": part("heldout"),
        "latency_ms": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)},
    }
