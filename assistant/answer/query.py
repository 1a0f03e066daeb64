"""The question, read once at the entrance: language, what kind of answer it wants, its terms and
names, and the asker's own kommune. Everything downstream takes this ``Query``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.conversation import Turn, search_query
from assistant.answer.glossary import norwegian_words
from ingest.errors import VeivalgError
from ingest.text.language import detect_language
from ingest.text.lexical import query_terms, words

MAX_QUESTION_CHARS = 2000

# Words only nynorsk uses; langid alone calls many plain bokmål questions nynorsk.
_NYNORSK = frozenset(
    "ikkje kva korleis kvifor kven kor eg me dei deira vere frå berre noko nokon mykje meir sjå òg "
    "desse heile fleire kvar kommunane rapportane svarar seier tilrår anbefalar gjer "
    "vore vart ho verksemd høve eigen eige eigne".split()
)
_DANISH = frozenset(
    "hvad hvornår mellem af efter nogle nogen vores os sig bliver blevet kun sådan udvikling "
    "kommunerne ud op meget også samarbejde samarbejdet "
    "omkostninger virksomheder spørgsmål ønsker tager gøre gøres gør blev fælles inden nuværende forskellige "
    "fordele".split()
)
_NORWEGIAN = frozenset(
    "hva noen mye oss vår våre utvikling kommunene mellom samarbeid samarbeidet kostnader gjøre gjør å".split()
)

_KINDS = (
    (
        "quantity",
        re.compile(
            r"\b(hvor (mye|mange|stor|store|høy|høye|lang|meget)|kor (mykje|mange|stor|store|høg|lang)|"
            r"how (much|many|large|big|high|long)|what (share|percentage|proportion)|hva koster|kva kostar|"
            r"hvad koster|andel|prosent|procent|percent)\b",
            re.I,
        ),
    ),
    (
        "definition",
        re.compile(
            r"^\s*(hva|kva|hvad|what)\s+(er|betyr|betyder|menes med|is|are|means?)\b(?!.*\b(forskjell|skilnad|difference)\b)",
            re.I,
        ),
    ),
    ("reason", re.compile(r"\b(hvorfor|kvifor|korfor|why|begrunn\w*|grunnen|årsaken|reason)\b", re.I)),
    ("list", re.compile(r"\b(hvilke|kva for|hvilken|hvilket|which|what are the|nevn|list)\b", re.I)),
)

# "Vi i Ringsaker …", "for oss i Lesja", "We in Aarhus", "vår kommune, Vestby", "Lesja kommune".
_OWN_PLACE = re.compile(
    r"\b(?i:vi|oss|os|me|we|us|jeg|eg)\s+(?i:her\s+)?(?i:i|på|in|at|fra|frå|from)\s+([A-ZÆØÅ][\w\-æøåÆØÅ]+)"
    r"|\b(?i:vår|vores|our|min|mi)\s+(?i:kommune|municipality)[,:]?\s+([A-ZÆØÅ][\w\-æøåÆØÅ]+)"
    r"|\b([A-ZÆØÅ][\w\-æøåÆØÅ]+)\s+(?:kommune|[Kk]ommune|municipality)\b"
)
_FIRST_PERSON = re.compile(r"\b((?i:vi|oss|vår|våre|vårt|vores|we|us|our|jeg|eg|mitt)|I)\b")


@dataclass(frozen=True)
class Query:
    asked: str  # the question as asked, cleaned
    searched: str  # what is searched: a follow-up joined with the question it follows
    language: str  # nb, nn, da or en: the language of the answer's framing
    kind: str  # quantity | definition | reason | list | other: what would answer it
    terms: tuple[str, ...]  # content stems of the searched text, in every stemming
    own_places: tuple[str, ...]  # the asker's own kommune/place: context, not a topic
    subject: str | None = None  # what a definition question asks about: "K10" in "Hva er K10?"

    @property
    def content_words(self) -> list[str]:
        return words(self.asked)


def clean_question(question: str) -> str:
    """One line of text; raises a Norwegian message for what cannot be a question."""
    text = unicodedata.normalize("NFC", (question or "").encode("utf-8", "replace").decode("utf-8"))
    text = " ".join(text.split())
    if not text:
        raise VeivalgError("Skriv et spørsmål først.")
    return text[:MAX_QUESTION_CHARS]


def question_language(text: str) -> str:
    """nb, nn, da or en. Nynorsk only with a nynorsk word in it; short questions default to bokmål."""
    ws = re.findall(r"\w+", text.lower())
    if len(ws) < 3:
        return "nb"
    nn = sum(w in _NYNORSK for w in ws)
    da = sum(w in _DANISH for w in ws)
    no = sum(w in _NORWEGIAN for w in ws)
    guess = detect_language(text, default="nb")
    if guess in ("nb", "nn"):
        if nn and nn >= da:
            return "nn"
        return "da" if da > no + nn else "nb"
    if guess == "da" and (no > da or nn > da):
        return "nn" if nn > no else "nb"
    if guess == "da" and not da and len(ws) <= 8:
        # A short question in words the two languages share ("Hvilket alternativ anbefaler BCG for
        # Bærum kommune?") gives the guesser little to go on; without one Danish word, it is bokmål.
        return "nb"
    return guess


def question_kind(text: str) -> str:
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "other"


def own_places(text: str) -> tuple[str, ...]:
    """Places the asker names as their own context ("Vi i Ringsaker"), never a topic to look up."""
    found: list[str] = []
    first_person = bool(_FIRST_PERSON.search(text))
    for m in _OWN_PLACE.finditer(text):
        name = m.group(1) or m.group(2) or m.group(3)
        if m.group(3) and not first_person:
            continue  # "Hvor mange ansatte har Tromsø kommune?" asks about Tromsø
        found.append(name)
    return tuple(dict.fromkeys(found))


_SUBJECT = re.compile(
    r"^\s*(?:hva|kva|hvad|what)\s+(?:er|betyr|betyder|menes med|is|are|means?)\s+(?:an?|the|en|et|ei)?\s*(.+?)\s*\??\s*$",
    re.I,
)


def definition_subject(text: str) -> str | None:
    m = _SUBJECT.match(text)
    return m.group(1) if m and len(m.group(1).split()) <= 4 else None


def make_query(question: str, history: Sequence[Turn] = ()) -> Query:
    asked = clean_question(question)
    searched = search_query(asked, history)
    language = question_language(asked)
    if language == "en":  # the reports' own words for an English question's domain words
        searched = f"{searched} {norwegian_words(searched)}".strip()
    return Query(
        asked=asked,
        searched=searched,
        language=language,
        kind=question_kind(asked),
        terms=tuple(query_terms(searched)),
        own_places=own_places(asked),
        subject=definition_subject(asked) if question_kind(asked) == "definition" else None,
    )
