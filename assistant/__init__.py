"""Veivalg: retrieval, answers and decision tools over the indexed reports.

The names below are the package's public API (pinned by tests/test_public_api.py). They are
imported on first use, so that light modules (``assistant.decision``) load fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.query import Query, make_query
    from assistant.rerank import Reranker, register_reranker
    from assistant.retrieval import Filters
    from assistant.settings import AppSettings, RetrievalSettings, Settings
    from assistant.strategies import AnswerStrategy
    from assistant.types import Answer, Passage

_EXPORTS = {
    "Answer": "assistant.types",
    "AnswerStrategy": "assistant.strategies",
    "AppSettings": "assistant.settings",
    "Assistant": "assistant.core",
    "Filters": "assistant.retrieval",
    "Passage": "assistant.types",
    "Query": "assistant.query",
    "Reranker": "assistant.rerank",
    "RetrievalSettings": "assistant.settings",
    "Settings": "assistant.settings",
    "make_query": "assistant.query",
    "register_reranker": "assistant.rerank",
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
