"""`python -m eval fit-answers`: fit the answer-sentence scorer and the answerability model on the
TUNING half of the dev set, write them beside the code, and print the answerability trade-off.

The held-out half is never read here. Labels: a candidate sentence is positive when it overlaps
an evidence string of its question (at least half of the shorter one's word 3-grams shared).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answer.abstain import MODEL_FILE as ANSWERABILITY_FILE
from assistant.answer.abstain import SIGNALS, hard_refusal
from assistant.answer.answering import gather, newest_year, signals
from assistant.answer.query import make_query
from assistant.answer.sentence_scorer import FEATURES
from assistant.answer.sentence_scorer import MODEL_FILE as SCORER_FILE
from assistant.core import Assistant
from eval.answers import fact_found
from eval.gold import GoldQuestion, load_gold
from eval.metrics import tokens

MAX_FALSE_REFUSALS = 0.02
MAX_TENTATIVE = 0.10  # answerable questions marked "uncertain match" (or refused), at most


def _grams(text: str, n: int = 3) -> set[tuple[str, ...]]:
    t = tokens(text)
    return {tuple(t[i : i + n]) for i in range(len(t) - n + 1)}


def overlaps_evidence(sentence: str, evidence: Sequence[str]) -> bool:
    mine = _grams(sentence)
    for ev in evidence:
        theirs = _grams(ev)
        if mine and theirs and len(mine & theirs) / min(len(mine), len(theirs)) >= 0.5:
            return True
    return False


def has_fact(sentence: str, facts: Sequence[str]) -> bool:
    """The sentence states one of the question's answer facts (the answer-eval rule)."""
    found = set(tokens(sentence))
    return any(fact_found(f, found) for f in facts)


@dataclass(frozen=True)
class Fitted:
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 3000, balance: bool = True, monotone: bool = False
) -> Fitted:
    """L2-regularised logistic regression by gradient descent on standardised features. ``monotone``
    keeps every weight ≥ 0 (more similarity or coverage never makes a question less answerable),
    which a small, collinear sample would otherwise violate."""
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / scale
    w, b = np.zeros(z.shape[1]), 0.0
    weight = (
        np.where(y == 1, len(y) / (2 * max(1, y.sum())), len(y) / (2 * max(1, (1 - y).sum())))
        if balance
        else np.ones(len(y))
    )
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = (p - y) * weight
        w -= 0.1 * (z.T @ g / len(y) + l2 * w)
        b -= 0.1 * g.mean()
        if monotone:
            w = np.maximum(w, 0.0)
    return Fitted(mean.tolist(), scale.tolist(), w.tolist(), float(b))


def _retrieved(assistant: Assistant, question: str):
    """The question read, its ranked passages and their scored candidate sentences, as ``ask`` sees them."""
    query = make_query(question)
    return (query, *gather(assistant.searcher, query, reranker=assistant.answerer.reranker))


def sentence_rows(assistant: Assistant, questions: Sequence[GoldQuestion]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for g in questions:
        _, _, cands = _retrieved(assistant, g.question)
        for c in cands:
            xs.append(c.features)
            ys.append(float(overlaps_evidence(c.text, g.evidence) or has_fact(c.text, g.answer_facts)))
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def signal_rows(assistant: Assistant, questions: Sequence[GoldQuestion]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    searcher = assistant.searcher
    for g in questions:
        query, ranked, cands = _retrieved(assistant, g.question)
        s = signals(query, cands, ranked, searcher.knows_form)
        if s is None or hard_refusal(query, searcher.knows, newest_year(searcher.documents)):
            continue  # refused by the rules whatever the score: not what the score must learn
        xs.append(s.for_query(query).vector())
        ys.append(float(g.answerable))
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def trade_off(scores: np.ndarray, y: np.ndarray) -> list[tuple[float, float, float]]:
    """(threshold, share of answerable refused, share of unanswerable refused) for each cut."""
    out = []
    for t in sorted(set(np.round(scores, 4).tolist())):
        refused = scores < t
        out.append((t, float(refused[y == 1].mean()), float(refused[y == 0].mean())))
    return out


def main(gold: Path, assistant: Assistant | None = None) -> str:
    assistant = assistant or Assistant.load()
    embedder = assistant.manifest["embedder"].split(":")[0]
    tuning = [q for q in load_gold(gold) if q.split == "tune"]
    answerable = [q for q in tuning if q.answerable and q.evidence]

    x, y = sentence_rows(assistant, answerable)
    f = fit_logistic(x, y)
    SCORER_FILE.write_text(
        json.dumps(
            {
                "features": list(FEATURES),
                **f.__dict__,
                "fitted_on": f"{gold} tune half",
                "sentences": len(y),
                "positives": int(y.sum()),
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    from assistant.answer import abstain, sentence_scorer

    sentence_scorer.load_model.cache_clear()
    abstain.load_model.cache_clear()

    xs, ys = signal_rows(assistant, tuning)
    a = fit_logistic(xs, ys, monotone=True)
    scores = 1 / (1 + np.exp(-(((xs - np.asarray(a.mean)) / np.asarray(a.scale)) @ np.asarray(a.weights) + a.bias)))
    curve = trade_off(scores, ys)
    ok = [c for c in curve if c[1] <= MAX_FALSE_REFUSALS]
    threshold, false_refusals, refusals = max(ok, key=lambda c: (c[2], -c[0])) if ok else (0.0, 0.0, 0.0)
    # The uncertain-match cut: the most unanswerable questions below it while at most MAX_TENTATIVE
    # of the answerable ones are (refused or) marked uncertain.
    loose = [c for c in curve if c[1] <= MAX_TENTATIVE and c[0] >= threshold]
    tentative, marked, caught = (
        max(loose, key=lambda c: (c[2], -c[0])) if loose else (threshold, false_refusals, refusals)
    )
    models = json.loads(ANSWERABILITY_FILE.read_text(encoding="utf-8")) if ANSWERABILITY_FILE.exists() else {}
    models[embedder] = {
        "signals": list(SIGNALS),
        **a.__dict__,
        "threshold": threshold,
        "tentative_below": tentative,
        "fitted_on": f"{gold} tune half",
    }
    ANSWERABILITY_FILE.write_text(json.dumps(models, indent=1), encoding="utf-8")
    abstain.load_model.cache_clear()

    lines = [
        f"Sentence scorer: {len(y)} candidate sentences, {int(y.sum())} positive; weights "
        + ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURES, f.weights, strict=True)),
        f"Answerability ({embedder}): {int(ys.sum())} answerable, {int((1 - ys).sum())} unanswerable tuning questions; "
        + ", ".join(f"{n} {w:+.2f}" for n, w in zip(SIGNALS, a.weights, strict=True)),
        f"Chosen threshold {threshold:.3f}: answerable refused {false_refusals:.3f}, unanswerable refused {refusals:.3f}",
        f"Uncertain-match cut {tentative:.3f}: answerable refused or marked uncertain {marked:.3f}, "
        f"unanswerable refused or marked uncertain {caught:.3f}",
        "",
        "| threshold | answerable refused | unanswerable refused |",
        "|---:|---:|---:|",
    ]
    step = max(1, len(curve) // 20)
    lines += [f"| {t:.3f} | {fr:.3f} | {r:.3f} |" for t, fr, r in curve[::step]]
    return "\n".join(lines)
