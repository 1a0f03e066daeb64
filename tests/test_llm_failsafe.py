"""A model that hangs, trickles or sends garbage never fails a question or blocks another one."""

from __future__ import annotations

import threading
import time

import pytest
from stub_openai import StubOpenAI

from assistant.core import Assistant
from assistant.llm.generate import generate_answer
from assistant.llm.models import LLMSettings, make_chat_model
from assistant.llm.prompting import load_prompt
from assistant.settings import Settings
from assistant.types import Answer, Passage
from ingest.errors import VeivalgError
from ingest.pipeline import refresh

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
GOOD = "Alle elever får egne nettbrett innen 2025 [1]."
HANG_S = 60.0  # the stub would hang this long; every test must be done long before


def _model(url: str, deadline_s: float = 30.0):
    return make_chat_model(LLMSettings(provider="openai", base_url=url, model="stub", deadline_s=deadline_s))


def _model_failures(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "assistant.llm.generate" and r.levelname == "WARNING"]


def test_a_trickling_server_is_cut_off_at_the_deadline(caplog) -> None:
    with StubOpenAI(GOOD, mode="hang", hang_s=HANG_S) as stub:
        started = time.monotonic()
        with pytest.raises(VeivalgError, match="ble ikke ferdig innen 1 sekunder"):
            generate_answer(_model(stub.url, deadline_s=1.0), PROMPT, "Får elevene nettbrett?", PASSAGES)
        assert time.monotonic() - started < HANG_S / 2  # it did not wait for the server
    assert any(stub.url in m and "svarer uten den" in m for m in _model_failures(caplog))  # the server log tells why


@pytest.mark.parametrize("mode", ["html", "garbage", "empty"])
def test_a_malformed_reply_is_a_model_failure_not_a_crash(mode: str, caplog) -> None:
    with StubOpenAI(GOOD, mode=mode) as stub, pytest.raises(VeivalgError) as caught:
        generate_answer(_model(stub.url), PROMPT, "Får elevene nettbrett?", PASSAGES)
    assert caught.value.__class__ is VeivalgError and "Svaret vises derfor uten språkmodell" in str(caught.value)
    assert any(stub.url in m and "svarer uten den" in m for m in _model_failures(caplog))


def test_the_deadline_is_read_from_the_environment() -> None:
    env = {"VEIVALG_LLM_PROVIDER": "openai", "VEIVALG_LLM_MODEL": "m", "VEIVALG_LLM_TIMEOUT_S": "12,5"}
    assert LLMSettings.from_env(env).deadline_s == 12.5
    assert LLMSettings.from_env({}).deadline_s == 30.0
    with pytest.raises(VeivalgError, match="VEIVALG_LLM_TIMEOUT_S"):
        LLMSettings.from_env({**env, "VEIVALG_LLM_TIMEOUT_S": "lenge"})
    with pytest.raises(VeivalgError, match="over 0"):
        LLMSettings.from_env({**env, "VEIVALG_LLM_TIMEOUT_S": "0"})


@pytest.fixture
def index(settings):
    refresh(settings)
    return settings.index_dir


def _assistant(index, url: str, deadline_s: float) -> Assistant:
    llm = LLMSettings(provider="openai", base_url=url, model="stub", deadline_s=deadline_s)
    return Assistant.load(Settings(index_dir=index, llm=llm))


@pytest.mark.parametrize("mode", ["hang", "html"])
def test_the_user_gets_the_extractive_answer_with_a_note(index, mode: str) -> None:
    with StubOpenAI(GOOD, mode=mode, hang_s=HANG_S) as stub:
        answer = _assistant(index, stub.url, deadline_s=1.0).ask("Hva skal elevene få innen 2025?")
    assert isinstance(answer, Answer) and answer.mode == "extractive" and not answer.abstained
    assert "nettbrett" in answer.text and answer.note and "Svaret under er hentet direkte fra rapportene" in answer.note


def test_one_hung_model_call_does_not_block_another_question(index) -> None:
    with StubOpenAI(GOOD, mode="hang", hang_s=HANG_S, hang_when="trenger skolene") as stub:
        assistant = _assistant(index, stub.url, deadline_s=HANG_S / 2)
        hung_done = threading.Event()

        def hung() -> None:
            assistant.ask("Hva trenger skolene?")
            hung_done.set()

        worker = threading.Thread(target=hung, daemon=True)
        worker.start()
        for _ in range(200):  # until the hung call has reached the model
            if stub.requests:
                break
            time.sleep(0.05)
        assert stub.requests
        answer = assistant.ask("Hva skal elevene få innen 2025?")
        assert answer.mode == "llm" and not hung_done.is_set()  # answered while the other still hangs
        stub.release()
        worker.join(timeout=HANG_S)
