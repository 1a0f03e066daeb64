"""The loopback OpenAI-compatible stub lives in eval/ (the load benchmark uses it too)."""

from eval.stub_openai import StubOpenAI

__all__ = ["StubOpenAI"]
