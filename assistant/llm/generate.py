"""The LLM answer: stream the model, show each sentence only after a cited passage supports it.

Passages are neutralised before the model sees them and verified against in that same form, so
a claim planted by an instruction in a report can neither steer the model nor be "supported" by
the planted text. The caller falls back to the extractive answer on ``VeivalgError``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answer.meaning import MeaningChecker
from assistant.answer.verify import MARKER, Verified, Verifier, split_units
from assistant.llm.models import Deadlined, DeadlineExceeded, endpoint_of
from assistant.llm.prompting import Prompt, build_messages, neutralise
from assistant.types import Answer, Passage
from ingest.errors import VeivalgError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

_NOT_VERIFIED = {
    "nb": "Språkmodellens svar kunne ikke kontrolleres mot rapportene, så det vises ikke. Se utdragene under, eller spør på en annen måte.",
    "nn": "Svaret frå språkmodellen kunne ikkje kontrollerast mot rapportane, så det blir ikkje vist. Sjå utdraga under, eller spør på ein annan måte.",
    "da": "Sprogmodellens svar kunne ikke kontrolleres mod rapporterne, så det vises ikke. Se uddragene nedenfor, eller spørg på en anden måde.",
    "en": "The language model's answer could not be checked against the reports, so it is not shown. See the passages below, or rephrase the question.",
}
_NO_PASSAGES = {
    "nb": "Fant ingen utdrag i rapportene som kan svare på dette.",
    "nn": "Fann ingen utdrag i rapportane som kan svare på dette.",
    "da": "Fandt ingen uddrag i rapporterne, der kan besvare dette.",
    "en": "No passages in the reports could answer this.",
}
log = logging.getLogger(__name__)
_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL)  # reasoning models' scratchpad


def stream_answer(
    chat_model: BaseChatModel,
    prompt: Prompt,
    question: str,
    passages: Sequence[Passage],
    history: Sequence[tuple[str, str]] = (),
    *,
    lang: str | None = None,
    checker: MeaningChecker | None = None,
) -> Iterator[str | Answer]:
    """Verified pieces of text as the model writes them, then the final ``Answer``.

    When the answer cites anything, the pieces joined are exactly the final answer's text before
    its source list. Unmarked framing ("Rapportene sier følgende:") is held back until a cited
    sentence follows it, so a stream never shows an introduction to nothing.
    """
    lang = lang or _language(question)
    lang = lang if lang in _NOT_VERIFIED else "nb"
    if not passages:
        yield Answer(question=question, language=lang, abstained=True, mode="llm", framing=_NO_PASSAGES[lang])
        return
    safe = tuple(replace(p, text=neutralise(p.text, p.language)) for p in passages)
    verifier = Verifier(safe, checker)
    held: list[str] = []

    def release(units) -> Iterator[str]:
        for unit in units:
            piece = verifier.feed(unit)
            if piece and MARKER.search(piece):
                yield "".join(held) + piece
                held.clear()
            elif piece:
                held.append(piece)

    raw, done = "", 0
    for token in _tokens(chat_model, build_messages(prompt, question, safe, history)):
        raw += token
        units = split_units(_THINK.sub("", raw))
        # The last unit may still grow; every one before it is finished.
        yield from release(units[done : len(units) - 1])
        done = max(done, len(units) - 1)
    yield from release(split_units(_THINK.sub("", raw))[done:])
    result = verifier.result()
    if result.citations and held:
        yield "".join(held)
    # Citations point at the passages as retrieved; the neutralised copies were only for checking.
    original = {id(s): p for s, p in zip(safe, passages, strict=True)}
    yield _final(question, lang, replace(result, citations=tuple(original[id(c)] for c in result.citations)))


def generate_answer(
    chat_model: BaseChatModel,
    prompt: Prompt,
    question: str,
    passages: Sequence[Passage],
    history: Sequence[tuple[str, str]] = (),
    *,
    lang: str | None = None,
) -> Answer:
    """``stream_answer`` without the stream: the final ``Answer`` only."""
    answer = None
    for item in stream_answer(chat_model, prompt, question, passages, history, lang=lang):
        answer = item
    assert isinstance(answer, Answer)  # stream_answer always ends with one
    return answer


def _final(question: str, lang: str, result: Verified) -> Answer:
    dropped = tuple(d.sentence for d in result.dropped)
    citations = result.citations
    if citations:
        return Answer(
            question=question,
            short=result.statements,
            citations=citations,
            language=lang,
            mode="llm",
            dropped=dropped,
            framing=result.framing or None,
        )
    # Nothing cited: either an honest "the reports do not say" (kept as written), or claims that
    # failed the check, whose framing alone would mislead.
    text = result.framing if result.framing and not dropped else _NOT_VERIFIED[lang]
    return Answer(question=question, language=lang, abstained=True, mode="llm", dropped=dropped, framing=text)


def _language(question: str) -> str:
    from ingest.text.language import detect_language

    return detect_language(question)


def _tokens(chat_model: BaseChatModel, messages) -> Iterator[str]:
    """The model's text as it streams; its failures as one ``VeivalgError`` naming the endpoint.

    Every model answer runs under a deadline (``Deadlined``), and anything the client raises
    (a proxy's HTML page, a reply that is not JSON, an empty body) is a failed model, never a
    failed question: the caller then shows the extractive answer.
    """
    model = chat_model if isinstance(chat_model, Deadlined) else Deadlined(chat_model)
    errors = _model_errors()
    try:
        for chunk in model.stream(messages):
            text = getattr(chunk, "text", None)
            if not isinstance(text, str):
                raise ValueError(f"model chunk without text: {type(chunk).__name__}")
            yield text
    except DeadlineExceeded as exc:
        log.warning(
            "Språkmodellen på %s ble ikke ferdig innen %g s; svarer uten den", endpoint_of(chat_model), exc.deadline_s
        )
        raise VeivalgError(
            f"Språkmodellen på {endpoint_of(chat_model)} ble ikke ferdig innen {exc.deadline_s:g} sekunder. "
            "Svaret vises derfor uten språkmodell."
        ) from exc
    except errors as exc:
        log.warning(
            "Språkmodellen på %s feilet; svarer uten den: %s: %s", endpoint_of(chat_model), type(exc).__name__, exc
        )
        raise VeivalgError(_explain(exc, endpoint_of(chat_model))) from exc
    except Exception as exc:  # noqa: BLE001 - a malformed reply must not fail the question
        log.warning("Uleselig svar fra språkmodellen på %s; svarer uten den: %r", endpoint_of(chat_model), exc)
        raise VeivalgError(
            f"Språkmodellen på {endpoint_of(chat_model)} sendte et svar som ikke kan leses. "
            "Svaret vises derfor uten språkmodell."
        ) from exc


def _model_errors() -> tuple[type[BaseException], ...]:
    """What a model client raises when the server is down, slow or refuses; not programming errors."""
    from langchain_core.exceptions import ModelError

    errors: list[type[BaseException]] = [ModelError, ConnectionError, TimeoutError]
    try:
        import httpx

        errors.append(httpx.HTTPError)
    except ImportError:
        pass
    try:
        import openai

        errors.append(openai.APIError)
    except ImportError:
        pass
    try:
        import ollama

        errors.extend((ollama.ResponseError, ollama.RequestError))
    except ImportError:
        pass
    return tuple(errors)


def _explain(exc: BaseException, url: str) -> str:
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    fallback = "Svaret vises derfor uten språkmodell."
    if isinstance(status, int) and status > 0:
        hint = {
            401: "Sjekk nøkkelen i VEIVALG_LLM_API_KEY.",
            403: "Sjekk nøkkelen i VEIVALG_LLM_API_KEY.",
            404: "Sjekk modellnavnet i VEIVALG_LLM_MODEL og adressen i VEIVALG_LLM_BASE_URL (for OpenAI-kompatible tjenere slutter den ofte på /v1).",
            429: "Tjeneren har for mye å gjøre; prøv igjen om litt.",
        }.get(status, "Sjekk loggen til tjeneren.")
        return f"Språkmodellen på {url} svarer ikke som den skal (HTTP {status}). {hint} {fallback}"
    if isinstance(exc, TimeoutError) or "timeout" in type(exc).__name__.lower():
        return (
            f"Språkmodellen på {url} svarer ikke innen tidsfristen. Prøv igjen, eller bruk en mindre modell. {fallback}"
        )
    return (
        f"Språkmodellen på {url} svarer ikke (fikk ikke kontakt). Sjekk at tjeneren kjører og at "
        f"VEIVALG_LLM_BASE_URL er riktig. {fallback}"
    )
