"""The language model behind the LLM answer path: settings read once, a LangChain chat model out.

With no provider the assistant answers extractively, so ``make_chat_model`` returns None rather
than failing. Nothing here touches the network: a wrong URL shows up on the first question,
as a ``VeivalgError`` raised by ``assistant.llm.generate``.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ingest.errors import VeivalgError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

PROVIDERS = ("openai", "ollama")
DEFAULT_API_KEY = "not-needed"  # local OpenAI-compatible servers ignore the key, the client wants one
DEFAULT_TEMPERATURE = 0.0  # the answer should follow the passages, not vary between runs
DEFAULT_TIMEOUT_S = 60.0  # per HTTP request read; a server that trickles keep-alives never trips it
# The whole model answer must be done within this; then the extractive answer is shown with a note.
DEFAULT_DEADLINE_S = 30.0
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
    deadline_s: float = DEFAULT_DEADLINE_S

    def __post_init__(self) -> None:
        if not self.deadline_s > 0:
            raise VeivalgError.of("LLM_DEADLINE", deadline=self.deadline_s)
        if self.provider is not None and self.provider not in PROVIDERS:
            raise VeivalgError.of("LLM_PROVIDER_UNKNOWN", provider=self.provider)
        if self.provider is not None and not self.model:
            raise VeivalgError.of("LLM_MODEL_MISSING", provider=self.provider)

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
        """VEIVALG_LLM_PROVIDER, VEIVALG_LLM_BASE_URL, VEIVALG_LLM_MODEL, VEIVALG_LLM_API_KEY,
        VEIVALG_LLM_TIMEOUT_S (the whole answer's deadline in seconds).

        Empty values count as unset, and the provider «none» turns the model off, so a
        deployment can switch it off without removing the variable.
        """
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = (env.get(name) or "").strip()
            return value or None

        provider = get("VEIVALG_LLM_PROVIDER")
        provider = None if provider is None or provider.lower() == "none" else provider.lower()
        values: dict = {
            "provider": provider,
            "base_url": get("VEIVALG_LLM_BASE_URL"),
            "model": get("VEIVALG_LLM_MODEL"),
        }
        if get("VEIVALG_LLM_API_KEY"):
            values["api_key"] = get("VEIVALG_LLM_API_KEY")
        if (deadline := get("VEIVALG_LLM_TIMEOUT_S")) is not None:
            try:
                values["deadline_s"] = float(deadline.replace(",", "."))
            except ValueError as exc:
                raise VeivalgError.of("LLM_DEADLINE_NOT_NUMBER", deadline=deadline) from exc
            values["timeout_s"] = min(DEFAULT_TIMEOUT_S, values["deadline_s"])
        return cls(**values)


class DeadlineExceeded(TimeoutError):
    """The model did not finish its answer within the deadline."""

    def __init__(self, deadline_s: float) -> None:
        super().__init__(f"no complete answer within {deadline_s:g} s")
        self.deadline_s = deadline_s


class Deadlined:
    """A chat model whose whole streamed answer must arrive within ``deadline_s``.

    HTTP timeouts bound each read, not the answer: a server that trickles keep-alives, or one
    token a minute, never trips them. The model is read on a worker thread and the caller waits
    on a queue with the time left, so the caller is free at the deadline whatever the socket
    does. The worker stops at its next chunk; no lock is held while it waits.
    """

    def __init__(self, inner: BaseChatModel, deadline_s: float = DEFAULT_DEADLINE_S) -> None:
        self.inner = inner
        self.deadline_s = deadline_s

    def stream(self, messages) -> Iterator:
        chunks: queue.SimpleQueue = queue.SimpleQueue()
        wanted = threading.Semaphore(0)  # the worker reads one chunk per request: no read-ahead
        stop = threading.Event()

        def read() -> None:
            try:
                stream = iter(self.inner.stream(messages))
                while True:
                    while not wanted.acquire(timeout=0.5):
                        if stop.is_set():
                            return
                    if stop.is_set():
                        return
                    try:
                        chunk = next(stream)
                    except StopIteration:
                        chunks.put(("end", None))
                        return
                    chunks.put(("chunk", chunk))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, who decides
                chunks.put(("error", exc))

        threading.Thread(target=read, name="veivalg-llm", daemon=True).start()
        end = time.monotonic() + self.deadline_s
        try:
            while True:
                wanted.release()
                try:
                    kind, item = chunks.get(timeout=max(0.0, end - time.monotonic()))
                except queue.Empty:
                    raise DeadlineExceeded(self.deadline_s) from None
                if kind == "end":
                    return
                if kind == "error":
                    raise item
                yield item
        finally:
            stop.set()

    def __getattr__(self, name: str):
        if name == "inner":  # not set yet (copy, unpickle): no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)  # base_url, model_name … for messages and logs


def make_chat_model(settings: LLMSettings) -> Deadlined | None:
    """A LangChain chat model for ``settings`` behind the answer deadline, or None without a provider."""
    if settings.provider is None:
        return None
    return Deadlined(_client(settings), settings.deadline_s)


def _client(settings: LLMSettings) -> BaseChatModel:
    assert settings.model is not None  # __post_init__ refuses a provider without a model
    if settings.provider == "openai":
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        return ChatOpenAI(
            base_url=settings.base_url,
            model=settings.model,
            api_key=SecretStr(settings.api_key),
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
    chat_model = chat_model.inner if isinstance(chat_model, Deadlined) else chat_model
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
