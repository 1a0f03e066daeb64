"""Veivalg's evaluation: retrieval, answer and decision-tool quality on gold sets, and benchmarks
(``python -m eval``).

The names below are the package's public API (pinned by tests/test_public_api.py), imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eval.gold import GoldQuestion, load_gold
    from eval.runner import run, write_reports
    from eval.tools_eval import evaluate_tools, format_tools_report

_EXPORTS = {
    "GoldQuestion": "eval.gold",
    "evaluate_tools": "eval.tools_eval",
    "format_tools_report": "eval.tools_eval",
    "load_gold": "eval.gold",
    "run": "eval.runner",
    "write_reports": "eval.runner",
}

__all__ = ["GoldQuestion", "evaluate_tools", "format_tools_report", "load_gold", "run", "write_reports"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'eval' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
