"""Veivalg: retrieval, answers and decision tools over the indexed reports.

``Assistant`` is imported lazily so that light modules (``assistant.decision``) load fast.
"""

from __future__ import annotations

__all__ = ["Assistant", "Filters", "Passage"]


def __getattr__(name: str):
    if name == "Assistant":
        from assistant.core import Assistant

        return Assistant
    if name == "Filters":
        from assistant.retrieval import Filters

        return Filters
    if name == "Passage":
        from assistant.types import Passage

        return Passage
    raise AttributeError(name)
