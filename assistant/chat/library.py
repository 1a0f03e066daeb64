"""What the app shows about the report library: table rows, filter choices and the welcome list,
all read from the current index's manifest (never cached at start-up).

Changing the library (add, replace, delete, edit metadata) is ``ingest.library``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ingest.documents import DocumentRecord
from ingest.library import (
    DuplicateReport,
    NotIndexed,
    ReportExists,
    add_report,
    delete_report,
    edit_metadata,
    safe_name,
)

__all__ = [
    "COUNTRY_NAMES",
    "EDITABLE_LANGUAGES",
    "LANGUAGE_NAMES",
    "TABLE_HEADERS",
    "UNKNOWN",
    "DuplicateReport",
    "NotIndexed",
    "ReportExists",
    "ReportRow",
    "add_report",
    "country_choices",
    "delete_report",
    "edit_metadata",
    "filter_values",
    "language_choices",
    "report_choices",
    "report_rows",
    "safe_name",
    "welcome_markdown",
]

COUNTRY_NAMES = {"NO": "Norge", "DK": "Danmark"}
LANGUAGE_NAMES = {"nb": "bokmål", "nn": "nynorsk", "da": "dansk", "en": "engelsk"}
UNKNOWN = "ukjent"  # the filter choice for a report without a country or language: never silently dropped
EDITABLE_LANGUAGES = [
    (f"{UNKNOWN} (finn ut fra teksten)", ""),
    *((name, code) for code, name in LANGUAGE_NAMES.items()),
]


@dataclass(frozen=True)
class ReportRow:
    source: str
    title: str
    publisher: str
    year: str
    country: str
    language: str
    chunks: int
    indexed_at: str

    def as_list(self) -> list:
        return [
            self.title,
            self.publisher,
            self.year,
            self.country,
            self.language,
            self.chunks,
            self.source,
            self.indexed_at,
        ]


TABLE_HEADERS = ["Tittel", "Utgiver", "År", "Land", "Språk", "Tekstbiter", "Fil", "Indeksert"]


def report_rows(documents: Mapping[str, DocumentRecord]) -> list[ReportRow]:
    return [
        ReportRow(
            source=name,
            title=d.get("title") or name,
            publisher=d.get("publisher") or UNKNOWN,
            year=d.get("year") or UNKNOWN,
            country=COUNTRY_NAMES.get(d.get("country") or "", d.get("country") or UNKNOWN),
            language=LANGUAGE_NAMES.get(d.get("language") or "", d.get("language") or UNKNOWN),
            chunks=int(d.get("chunks", 0)),
            indexed_at=str(d.get("indexed_at", "")).replace("T", " "),
        )
        for name, d in sorted(documents.items(), key=lambda item: (item[1].get("year") or "", item[0]))
    ]


def report_choices(documents: Mapping[str, DocumentRecord]) -> list[tuple[str, str]]:
    return [
        ((d.get("title") or name) + (f" ({d['year']})" if d.get("year") else ""), name)
        for name, d in sorted(documents.items())
    ]


def country_choices(documents: Mapping[str, DocumentRecord]) -> list[tuple[str, str]]:
    """Every country some report has, plus "ukjent" when a report has none."""
    present = {d.get("country") or "" for d in documents.values()}
    return [(COUNTRY_NAMES.get(c, c) if c else UNKNOWN, c) for c in sorted(present, key=lambda c: (c == "", c))]


def language_choices(documents: Mapping[str, DocumentRecord]) -> list[tuple[str, str]]:
    present = {d.get("language") or "" for d in documents.values()}
    return [(LANGUAGE_NAMES.get(c, c) if c else UNKNOWN, c) for c in sorted(present, key=lambda c: (c == "", c))]


def filter_values(chosen) -> frozenset | None:
    """A filter choice list as the search takes it; "" (ukjent) matches reports without a value."""
    if not chosen:
        return None
    return frozenset(chosen) | (frozenset({None}) if "" in chosen else frozenset())


def welcome_markdown(documents: Mapping[str, DocumentRecord]) -> str:
    """The welcome panel: what is covered (title, publisher, year) and what the assistant does and does not do."""
    from assistant.render.presenter import escape_text

    rows = report_rows(documents)
    years = sorted(r.year for r in rows if r.year != UNKNOWN)
    span = f" ({years[0]}–{years[-1]})" if len(years) > 1 else ""
    lines = [
        "### Velkommen til Veivalg",
        f"Spør om kommunal IT- og digitaliseringsstrategi. Svarene bygger bare på {len(rows)} rapporter{span}:",
        "",
    ]
    lines += [
        f"- **{escape_text(r.title)}**" + "".join(f", {escape_text(x)}" for x in (r.publisher, r.year) if x != UNKNOWN)
        for r in rows
    ]
    lines += [
        "",
        "Assistenten finner og siterer det rapportene sier, med side eller avsnitt for hver påstand. Den gir ikke råd "
        "utover rapportene, kjenner ikke til nyere tall, og sier fra når rapportene ikke svarer. Klikk på [1] for å se kilden.",
    ]
    return "\n".join(lines)
