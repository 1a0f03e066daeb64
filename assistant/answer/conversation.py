"""Follow-up questions ("Hva med kostnadene?", "og i Danmark?") read in the light of the last turn.

Offline and rule-based: a question that is short, or opens like a follow-up, is searched
together with the previous question, so "Hva med kostnadene?" after a question about the
Formidler scenario finds the costs of that scenario.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.text.lexical import words

Turn = tuple[str, str]  # (question, answer text)

_FOLLOW_UP_OPENERS = re.compile(
    r"^(og|men|hva med|hvordan med|hva så med|og hva med|også|kva med|"
    r"hvad med|og hvad med|hvordan med|"
    r"and|but|what about|how about|also)\b",
    re.IGNORECASE,
)
_REFERRING = re.compile(r"\b(det|dette|den|denne|disse|dem|de|der|it|this|that|these|those|them)\b", re.IGNORECASE)
MAX_CONTENT_WORDS_FOR_FOLLOW_UP = 3


def is_follow_up(question: str) -> bool:
    q = question.strip()
    content = words(q)
    if _FOLLOW_UP_OPENERS.match(q):
        return True
    return len(content) <= MAX_CONTENT_WORDS_FOR_FOLLOW_UP and bool(_REFERRING.search(q) or len(content) <= 2)


# Question words that say nothing about the topic a follow-up inherits.
_ASKING = frozenset(
    "hva hvilke hvilken hvilket hvordan hvorfor hvor når kva korleis kvifor kor hvad hvornår what which how "
    "why where when innebærer betyr sier anbefaler anbefalte mener rapporten rapportene report".split()
)


def topic(question: str) -> str:
    """The content words of a question, without its question words: "scenario 2 formidler"."""
    return " ".join(w for w in words(question) if w not in _ASKING)


def search_query(question: str, history: Sequence[Turn]) -> str:
    """The text to search for: the question itself, or a follow-up with the topic of the question
    it follows ("Hva med kostnadene? scenario 2 formidler"): the new ask leads, the topic narrows."""
    if not history or not is_follow_up(question):
        return question
    # The last turn that was a question of its own (a chain of follow-ups keeps the first topic).
    previous = history[-1][0]
    return f"{question} {topic(previous)}".strip()
