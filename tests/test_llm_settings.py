"""LLM settings from the environment, and chat models built without touching the network."""

from __future__ import annotations

import pytest

from assistant.llm.models import LLMSettings, endpoint_of, make_chat_model
from ingest.errors import VeivalgError


def test_from_env_reads_the_four_variables() -> None:
    s = LLMSettings.from_env(
        {
            "VEIVALG_LLM_PROVIDER": "OpenAI",
            "VEIVALG_LLM_BASE_URL": "http://gpu:8000/v1",
            "VEIVALG_LLM_MODEL": "qwen2.5-7b",
            "VEIVALG_LLM_API_KEY": "hemmelig",
        }
    )
    assert (s.provider, s.base_url, s.model, s.api_key) == ("openai", "http://gpu:8000/v1", "qwen2.5-7b", "hemmelig")
    assert (s.temperature, s.timeout_s) == (0.0, 60.0)


@pytest.mark.parametrize(
    "env", [{}, {"VEIVALG_LLM_PROVIDER": ""}, {"VEIVALG_LLM_PROVIDER": "none", "VEIVALG_LLM_MODEL": "x"}]
)
def test_no_provider_means_no_model(env: dict) -> None:
    s = LLMSettings.from_env(env)
    assert s.provider is None and s.api_key == "not-needed"
    assert make_chat_model(s) is None


def test_bad_settings_say_what_to_set() -> None:
    with pytest.raises(VeivalgError, match="VEIVALG_LLM_PROVIDER"):
        LLMSettings.from_env({"VEIVALG_LLM_PROVIDER": "gpt"})
    with pytest.raises(VeivalgError, match="VEIVALG_LLM_MODEL"):
        LLMSettings.from_env({"VEIVALG_LLM_PROVIDER": "ollama"})


def test_models_are_built_offline_with_the_settings() -> None:
    # Port 9 (discard) on localhost: nothing listens, and construction must not notice.
    openai = make_chat_model(LLMSettings(provider="openai", base_url="http://127.0.0.1:9/v1", model="m", timeout_s=7))
    assert type(openai.inner).__name__ == "ChatOpenAI" and openai.deadline_s == 30.0
    assert (openai.model_name, openai.temperature, openai.request_timeout, openai.max_retries) == ("m", 0.0, 7, 1)
    assert endpoint_of(openai) == "http://127.0.0.1:9/v1"
    ollama = make_chat_model(LLMSettings(provider="ollama", model="llama3.1:8b"))
    assert type(ollama.inner).__name__ == "ChatOllama"
    assert (ollama.model, ollama.temperature) == ("llama3.1:8b", 0.0)
    assert endpoint_of(ollama) == "http://localhost:11434"


def test_settings_are_frozen() -> None:
    s = LLMSettings()
    with pytest.raises(AttributeError):
        s.model = "x"  # type: ignore[misc]
    assert s.with_(timeout_s=5).timeout_s == 5 and s.timeout_s == 60.0
