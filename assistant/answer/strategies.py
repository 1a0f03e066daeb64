"""How an answer is written once the passages are found and judged to answer the question: an
``AnswerStrategy``. ``ExtractiveAnswers`` quotes the reports' own sentences; ``ModelAnswers`` lets the
configured language model write, checks its every citation, and falls back to the extractive
answer when the model fails. ``answer_strategy`` picks one from what the settings configured.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, runtime_checkable

from assistant.answer.abstain import reason
from assistant.answer.conversation import Turn
from assistant.answer.extractive import Candidate, build_answer, readable
from assistant.answer.meaning import MeaningChecker
from assistant.answer.query import Query
from assistant.llm.generate import stream_answer
from assistant.llm.prompting import Prompt
from assistant.types import Answer, Passage
from ingest.errors import VeivalgError

CLOSEST_SHOWN = 3

_FALLBACK = {
    "nb": "Svaret under er hentet direkte fra rapportene.",
    "nn": "Svaret under er henta direkte frå rapportane.",
    "da": "Svaret nedenfor er hentet direkte fra rapporterne.",
    "en": "The answer below is taken directly from the reports.",
}


@runtime_checkable
class AnswerStrategy(Protocol):
    uses_language_model: bool

    def answer(
        self, query: Query, ranked: list[tuple[Passage, int]], cands: list[Candidate], history: Sequence[Turn]
    ) -> Iterator[str | Answer]:
        """Text pieces as they are ready, then the final ``Answer`` (which replaces the pieces)."""
        ...


class ExtractiveAnswers:
    uses_language_model = False

    def answer(
        self, query: Query, ranked: list[tuple[Passage, int]], cands: list[Candidate], history: Sequence[Turn]
    ) -> Iterator[str | Answer]:
        yield extractive(query, ranked, cands)


@dataclass(frozen=True)
class ModelAnswers:
    chat_model: Any  # a LangChain chat model (behind the answer deadline)
    prompt: Prompt
    checker: MeaningChecker | None = None  # checks the model's sentences against what they cite, by meaning
    uses_language_model = True

    def answer(
        self, query: Query, ranked: list[tuple[Passage, int]], cands: list[Candidate], history: Sequence[Turn]
    ) -> Iterator[str | Answer]:
        try:
            for piece in stream_answer(
                self.chat_model,
                self.prompt,
                query.asked,
                [p for p, _ in ranked],
                history,
                lang=query.language,
                checker=self.checker,
            ):
                yield replace(piece, search_query=query.searched) if isinstance(piece, Answer) else piece
        except VeivalgError as exc:
            fallback = extractive(query, ranked, cands)
            yield replace(fallback, note=f"{exc} {_FALLBACK[query.language]}")


def answer_strategy(
    chat_model: Any = None, prompt: Prompt | None = None, checker: MeaningChecker | None = None
) -> AnswerStrategy:
    """The language model's answers when the settings configured one (``make_chat_model``), else the extractive ones."""
    if chat_model is None:
        return ExtractiveAnswers()
    if prompt is None:
        from assistant.llm.prompting import load_prompt

        prompt = load_prompt()
    return ModelAnswers(chat_model, prompt, checker)


def extractive(query: Query, ranked: list[tuple[Passage, int]], cands: list[Candidate]) -> Answer:
    answer = build_answer(query, ranked, cands)
    if answer is None:
        return abstain(query, readable(ranked, cands)[:CLOSEST_SHOWN], reason("far", query.language))
    return answer


def abstain(query: Query, closest: list[Passage], why: str) -> Answer:
    """Say plainly that the reports do not answer, and show what they cover that is closest (not as support)."""
    return Answer(
        question=query.asked,
        see_also=tuple(closest),
        language=query.language,
        abstained=True,
        search_query=query.searched,
        note=why,
    )
