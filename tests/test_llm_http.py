"""End to end over HTTP against a local OpenAI-compatible stub (and a closed port); no internet."""

from __future__ import annotations

import socket

import pytest
from langchain_core.messages import HumanMessage
from stub_openai import StubOpenAI

from assistant.llm.generate import generate_answer, stream_answer
from assistant.llm.models import LLMSettings, make_chat_model
from assistant.llm.prompting import load_prompt
from assistant.types import Answer, Passage
from ingest.errors import VeivalgError

PROMPT = load_prompt()
PASSAGES = [
    Passage(
        chunk_id="skole#0",
        source="skole.txt",
        title="Skolerapporten",
        page=3,
        score=1.0,
        text="Kommunen skal gi alle elever egne nettbrett innen 2025. Lærerne får opplæring i digitale verktøy.",
    ),
]
CANNED = "Alle elever får egne nettbrett innen 2025 [1]. Kommunen kjøper også 500 nye skjermer [1]."


def openai_model(url: str, **changes):
    return make_chat_model(LLMSettings(provider="openai", base_url=url, model="stub", timeout_s=5, **changes))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_streamed_answer_over_http_is_verified() -> None:
    with StubOpenAI(CANNED) as stub:
        items = list(stream_answer(openai_model(stub.url), PROMPT, "Får elevene nettbrett?", PASSAGES))
    answer = items[-1]
    assert isinstance(answer, Answer) and answer.mode == "llm"
    assert items[:-1] == ["Alle elever får egne nettbrett innen 2025 [1]."]
    assert answer.citations == tuple(PASSAGES)
    assert answer.dropped == ("Kommunen kjøper også 500 nye skjermer.",)
    # What went over the wire: one streamed chat completion with the prompt and the passages.
    [request] = stub.requests
    assert request["path"] == "/v1/chat/completions"
    body = request["body"]
    assert body["model"] == "stub" and body["stream"] is True and body["temperature"] == 0.0
    assert body["messages"][0] == {"role": "system", "content": PROMPT.system}
    user = body["messages"][-1]["content"]
    assert "<kilder>\n[1] «Skolerapporten», s. 3:\nKommunen skal gi alle elever" in user
    assert user.endswith("Spørsmål: Får elevene nettbrett?")


def test_the_stub_also_answers_without_streaming() -> None:
    with StubOpenAI(CANNED) as stub:
        reply = openai_model(stub.url).invoke([HumanMessage(content="Hei")])
    assert reply.content == CANNED
    assert stub.requests[0]["body"].get("stream") in (None, False)


def test_a_server_error_is_a_clear_user_error() -> None:
    with StubOpenAI(CANNED, status=500) as stub, pytest.raises(VeivalgError) as caught:
        generate_answer(openai_model(stub.url), PROMPT, "Får elevene nettbrett?", PASSAGES)
    message = str(caught.value)
    assert message.startswith(f"Språkmodellen på {stub.url} svarer ikke")
    assert "HTTP 500" in message
    assert len(stub.requests) == 2  # max_retries=1: one retry, then give up


def test_a_wrong_model_name_points_at_the_setting() -> None:
    with StubOpenAI(CANNED, status=404) as stub, pytest.raises(VeivalgError, match="VEIVALG_LLM_MODEL"):
        generate_answer(openai_model(stub.url), PROMPT, "Får elevene nettbrett?", PASSAGES)


def test_a_closed_port_is_a_clear_user_error() -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    with pytest.raises(VeivalgError) as caught:
        generate_answer(openai_model(url), PROMPT, "Får elevene nettbrett?", PASSAGES)
    assert str(caught.value).startswith(f"Språkmodellen på {url} svarer ikke (fikk ikke kontakt)")
    assert "VEIVALG_LLM_BASE_URL" in str(caught.value)


def test_ollama_on_a_closed_port_is_a_clear_user_error() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    chat = make_chat_model(LLMSettings(provider="ollama", base_url=url, model="llama3.1:8b", timeout_s=5))
    with pytest.raises(VeivalgError, match=f"Språkmodellen på {url} svarer ikke"):
        generate_answer(chat, PROMPT, "Får elevene nettbrett?", PASSAGES)
