"""Veivalg: retrieval, answers and decision tools over the indexed reports.

The names below are the package's public API (pinned by tests/test_public_api.py). They are
imported on first use, so that light modules (``assistant.decision``) load fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.answer.query import Query, make_query
    from assistant.answer.strategies import AnswerStrategy
    from assistant.core import Assistant
    from assistant.retrieval.hybrid import Filters
    from assistant.retrieval.rerank import Reranker, register_reranker
    from assistant.settings import AppSettings, RetrievalSettings, Settings
    from assistant.types import Answer, Passage

_EXPORTS = {
    "Answer": "assistant.types",
    "AnswerStrategy": "assistant.answer.strategies",
    "AppSettings": "assistant.settings",
    "Assistant": "assistant.core",
    "Filters": "assistant.retrieval.hybrid",
    "Passage": "assistant.types",
    "Query": "assistant.answer.query",
    "Reranker": "assistant.retrieval.rerank",
    "RetrievalSettings": "assistant.settings",
    "Settings": "assistant.settings",
    "make_query": "assistant.answer.query",
    "register_reranker": "assistant.retrieval.rerank",
}

__all__ = [
    "Answer",
    "AnswerStrategy",
    "AppSettings",
    "Assistant",
    "Filters",
    "Passage",
    "Query",
    "Reranker",
    "RetrievalSettings",
    "Settings",
    "make_query",
    "register_reranker",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
