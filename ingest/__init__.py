"""Veivalg's ingestion: reports in ``corpus/`` to a versioned index (``python -m ingest``).

The names below are the package's public API (pinned by tests/test_public_api.py); they are
imported on first use, so ``import ingest.errors`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest.embed.embedders import Embedder, from_langchain, make_embedder, register_embedder
    from ingest.errors import IndexMissing, IndexProblem, LoadError, VeivalgError
    from ingest.index.files import index_exists
    from ingest.library import (
        DuplicateReport,
        LibraryChange,
        NotIndexed,
        ReportExists,
        add_report,
        delete_report,
        edit_metadata,
    )
    from ingest.pipeline import RefreshReport, refresh
    from ingest.settings import IngestSettings

_EXPORTS = {
    "DuplicateReport": "ingest.library",
    "Embedder": "ingest.embed.embedders",
    "IndexMissing": "ingest.errors",
    "IndexProblem": "ingest.errors",
    "IngestSettings": "ingest.settings",
    "LibraryChange": "ingest.library",
    "LoadError": "ingest.errors",
    "NotIndexed": "ingest.library",
    "RefreshReport": "ingest.pipeline",
    "ReportExists": "ingest.library",
    "VeivalgError": "ingest.errors",
    "add_report": "ingest.library",
    "delete_report": "ingest.library",
    "edit_metadata": "ingest.library",
    "from_langchain": "ingest.embed.embedders",
    "index_exists": "ingest.index.files",
    "make_embedder": "ingest.embed.embedders",
    "refresh": "ingest.pipeline",
    "register_embedder": "ingest.embed.embedders",
}

__all__ = [
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
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
