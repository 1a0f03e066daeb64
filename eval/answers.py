"""Scoring answers on a gold set.

* citation precision: share of cited passages (not "Se også") that carry an evidence span of the
  question (the retrieval hit rule); false refusals: answerable questions refused;
  answer length: words of the short answer and excerpts (before sources and "Se også").

* answer-fact recall: share of a question's ``answer_facts`` found in ``answer.text``. A fact is
  found when at least 80 % of its words, and every number in it, occur in the answer
  (lower-cased, NFKC ``\\w+`` tokens), so "50 %" matches "50 prosent" but "40" never matches "50".
* citation support: share of citations that are hits for the question's evidence (the
  retrieval hit rule), or that support every sentence marked with them (assistant.answer.verify).
* abstention: abstains on unanswerable questions, answers answerable ones; how many answers of each
  kind are marked as an uncertain match.
* latency of ``ask``, warm.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from assistant.answer.verify import supports
from assistant.types import Answer
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
            " ".join(s.split()) in " ".join(passage.text.split()) or supports(s, passage.text, passage.language)
            for s in sentences
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
        row = {
            "id": q.id,
            "split": q.split,
            "lang": q.lang,
            "answerable": q.answerable,
            "abstained": answer.abstained,
            "tentative": answer.tentative and not answer.abstained,
            "latency_ms": latency,
        }
        if q.answerable and not answer.abstained:
            matcher = EvidenceMatcher(q.evidence)
            row["precise"] = [matcher.is_hit(p.text) for p in answer.citations]
            row["words"] = len(answer_body(answer).split())
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
    def part(split: str | None, lang: str | None = None) -> dict:
        rs = [r for r in rows if (split is None or r["split"] == split) and (lang is None or r.get("lang") == lang)]
        answerable = [r for r in rs if r["answerable"]]
        unanswerable = [r for r in rs if not r["answerable"]]
        recalls = [r["fact_recall"] for r in answerable if r.get("fact_recall") is not None]
        support = [ok for r in answerable for ok in r.get("supported", [])]
        precise = [ok for r in answerable for ok in r.get("precise", [])]
        lengths = [r["words"] for r in answerable if "words" in r]
        return {
            "citation_precision": sum(precise) / len(precise) if precise else float("nan"),
            "false_refusals": sum(r["abstained"] for r in answerable),
            "median_words": percentile(lengths, 50) if lengths else float("nan"),
            "n": len(rs),
            "fact_recall": sum(recalls) / len(recalls) if recalls else float("nan"),
            "citation_support": sum(support) / len(support) if support else float("nan"),
            "citations": len(support),
            "abstained_when_unanswerable": sum(r["abstained"] for r in unanswerable),
            "unanswerable": len(unanswerable),
            "answered_when_answerable": sum(not r["abstained"] for r in answerable),
            # Uncertain matches: answered, but marked as possibly not answering the question.
            "tentative_when_answerable": sum(bool(r.get("tentative")) for r in answerable),
            "tentative_when_unanswerable": sum(bool(r.get("tentative")) for r in unanswerable),
            "answerable": len(answerable),
        }

    latencies = [r["latency_ms"] for r in rows]
    return {
        "all": part(None),
        "tune": part("tune"),
        "heldout": part("heldout"),
        "heldout_by_lang": {lang: part("heldout", lang) for lang in ("nb", "nn", "da", "en")},
        "latency_ms": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)},
    }


# Operating points of the offline answer, from terse to generous, for the recall/precision curve:
# (short-answer sentences, sentences after each, excerpts from further passages, excerpt bar,
# fill-up words from the best passage). The default is (2, 1, 0, -, 120).
OPERATING_POINTS = (
    (1, 0, 0, 1.0, 0),
    (2, 1, 0, 1.0, 0),
    (2, 1, 0, 1.0, 120),
    (3, 1, 1, 0.9, 0),
    (3, 1, 1, 0.9, 120),
    (3, 1, 1, 0.5, 120),
    (3, 1, 2, 0.5, 120),
    (3, 2, 3, 0.3, 0),
)


def answer_curve(assistant, questions: Sequence[GoldQuestion], split: str = "heldout") -> list[dict]:
    """Fact recall, citation precision and median length of the answer at each operating point,
    and of quoting the whole top-k passages (k = 1, 2, 3) for comparison."""
    from assistant.answer.answering import gather
    from assistant.answer.extractive import build_answer
    from assistant.answer.query import make_query

    cached = []
    for q in questions:
        if q.split != split or not q.answerable:
            continue
        query = make_query(q.question)
        cached.append((q, query, *gather(assistant.searcher, query, reranker=assistant.answerer.reranker)))

    def measure(name: str, texts_and_cited) -> dict:
        recalls, precise, lengths = [], [], []
        for q, (body, cited) in zip([c[0] for c in cached], texts_and_cited, strict=True):
            found = [fact_found(f, set(tokens(body))) for f in q.answer_facts]
            recalls.append(sum(found) / len(found) if found else 0.0)
            matcher = EvidenceMatcher(q.evidence)
            precise += [matcher.is_hit(t) for t in cited]
            lengths.append(len(body.split()))
        return {
            "system": name,
            "fact_recall": sum(recalls) / len(recalls),
            "citation_precision": sum(precise) / max(1, len(precise)),
            "median_words": percentile(lengths, 50),
            "citations": len(precise),
        }

    rows = []
    for short, after, excerpts, bar, fill in OPERATING_POINTS:
        out = []
        for _, query, ranked, cands in cached:
            a = build_answer(
                query,
                ranked,
                cands,
                with_next=after,
                max_short=short,
                max_excerpts=excerpts,
                excerpt_within=bar,
                fill_words=fill,
            )
            out.append(("", []) if a is None else (answer_body(a), [p.text for p in a.citations]))
        name = f"answer: {short} sentences (+{after} after), {excerpts} excerpts ≥ {bar:.0%} of best, filled to {fill} words"
        rows.append(measure(name, out))
    for k in (1, 2, 3):
        out = [(" ".join(p.text for p, _ in ranked[:k]), [p.text for p, _ in ranked[:k]]) for _, _, ranked, _ in cached]
        rows.append(measure(f"whole top-{k} passages", out))
    return rows
