"""The language model behind the LLM answer path: settings read once, a LangChain chat model out.

With no provider the assistant answers extractively, so ``make_chat_model`` returns None rather
than failing. Nothing here touches the network: a wrong URL shows up on the first question,
as a ``VeivalgError`` raised by ``assistant.generate``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ingest.errors import VeivalgError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

PROVIDERS = ("openai", "ollama")
DEFAULT_API_KEY = "not-needed"  # local OpenAI-compatible servers ignore the key, the client wants one
DEFAULT_TEMPERATURE = 0.0  # the answer should follow the passages, not vary between runs
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_OLLAMA_URL = "http://localhost:11434"
DEFAULT_OPENAI_URL = "https://api.openai.com/v1"


@dataclass(frozen=True, kw_only=True)
class LLMSettings:
    provider: str | None = None  # None | "openai" | "ollama"
    base_url: str | None = None
    model: str | None = None
    api_key: str = DEFAULT_API_KEY
    temperature: float = DEFAULT_TEMPERATURE
    timeout_s: float = DEFAULT_TIMEOUT_S

    def __post_init__(self) -> None:
        if self.provider is not None and self.provider not in PROVIDERS:
            raise VeivalgError(
                f"Ukjent språkmodell-leverandør «{self.provider}». "
                "Sett VEIVALG_LLM_PROVIDER til «openai» (OpenAI-kompatibel tjener) eller «ollama», "
                "eller fjern den for å svare uten språkmodell."
            )
        if self.provider is not None and not self.model:
            raise VeivalgError(
                f"Språkmodell-leverandøren er «{self.provider}», men ingen modell er valgt. "
                "Sett VEIVALG_LLM_MODEL (for eksempel «llama3.1:8b»)."
            )

    def with_(self, **changes) -> LLMSettings:
        return replace(self, **changes)

    @property
    def endpoint(self) -> str:
        """The URL the model is reached at, for messages a person can act on."""
        if self.base_url:
            return self.base_url
        return DEFAULT_OLLAMA_URL if self.provider == "ollama" else DEFAULT_OPENAI_URL

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LLMSettings:
        """VEIVALG_LLM_PROVIDER, VEIVALG_LLM_BASE_URL, VEIVALG_LLM_MODEL, VEIVALG_LLM_API_KEY.

        Empty values count as unset, and the provider «none» turns the model off, so a
        deployment can switch it off without removing the variable.
        """
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = (env.get(name) or "").strip()
            return value or None

        provider = get("VEIVALG_LLM_PROVIDER")
        provider = None if provider is None or provider.lower() == "none" else provider.lower()
        values: dict = {"provider": provider, "base_url": get("VEIVALG_LLM_BASE_URL"), "model": get("VEIVALG_LLM_MODEL")}
        if get("VEIVALG_LLM_API_KEY"):
            values["api_key"] = get("VEIVALG_LLM_API_KEY")
        return cls(**values)


def make_chat_model(settings: LLMSettings) -> BaseChatModel | None:
    """A LangChain chat model for ``settings``, or None when no provider is configured."""
    if settings.provider is None:
        return None
    if settings.provider == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            base_url=settings.base_url,
            model=settings.model,
            api_key=settings.api_key,
            temperature=settings.temperature,
            timeout=settings.timeout_s,
            max_retries=1,
            # OpenAI-compatible servers (vLLM, llama.cpp, LM Studio) speak chat completions only.
            use_responses_api=False,
        )
    from langchain_ollama import ChatOllama

    return ChatOllama(
        base_url=settings.endpoint,
        model=settings.model,
        temperature=settings.temperature,
        client_kwargs={"timeout": settings.timeout_s},
    )


def endpoint_of(chat_model: object) -> str:
    """Where a chat model sends its requests, as far as it can be told; for error messages."""
    for attr in ("openai_api_base", "base_url"):
        value = getattr(chat_model, attr, None)
        if isinstance(value, str) and value:
            return value
    name = type(chat_model).__name__
    if name == "ChatOpenAI":
        return DEFAULT_OPENAI_URL
    if name == "ChatOllama":
        return DEFAULT_OLLAMA_URL
    return name
