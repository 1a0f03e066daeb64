"""Each package's public API is pinned: a name added, renamed or dropped shows up here first."""

from __future__ import annotations

import importlib

import pytest

PINNED = {
    "ingest": [
        "DuplicateReport",
        "Embedder",
        "IndexMissing",
        "IndexProblem",
        "IngestSettings",
        "LibraryChange",
        "LoadError",
        "NotIndexed",
        "RefreshReport",
        "ReportExists",
        "VeivalgError",
        "add_report",
        "delete_report",
        "edit_metadata",
        "from_langchain",
        "index_exists",
        "make_embedder",
        "refresh",
        "register_embedder",
    ],
    "assistant": [
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
    ],
    "assistant.decision": [
        "AmbitionResult",
        "BenchmarkInputs",
        "BenchmarkResult",
        "KommuneProfile",
        "Memo",
        "ProfileError",
        "ScenarioResult",
        "ToolReply",
        "ToolResult",
        "assess_ambition",
        "assess_scenarios",
        "benchmark",
        "benchmark_chart",
        "build_memo",
        "detect_tool",
        "extract_profile_facts",
        "missing_essentials",
    ],
    "eval": ["GoldQuestion", "evaluate_tools", "format_tools_report", "load_gold", "run", "write_reports"],
}


@pytest.mark.parametrize("package", sorted(PINNED))
def test_the_public_names_are_pinned_and_all_resolve(package: str):
    module = importlib.import_module(package)
    assert sorted(module.__all__) == sorted(PINNED[package])
    for name in module.__all__:
        value = getattr(module, name)
        assert getattr(value, "__name__", name) == name, f"{package}.{name} is {value!r}"


@pytest.mark.parametrize("package", sorted(PINNED))
def test_an_unlisted_name_is_not_public(package: str):
    assert not hasattr(importlib.import_module(package), "not_a_public_name")
