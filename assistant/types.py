"""What retrieval and answering hand to callers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with everything a citation needs."""

    chunk_id: str
    text: str
    source: str  # corpus file name
    title: str
    page: int | None
    score: float
    heading: str | None = None
    language: str = "nb"
    publisher: str | None = None
    year: str | None = None
    country: str | None = None
    start: int = 0
    end: int = 0

    def cite(self) -> str:
        """'Tittel, s. 12' (or just the title when the source has no pages)."""
        return f"{self.title}, s. {self.page}" if self.page is not None else self.title


@dataclass(frozen=True)
class Answer:
    """An answer a user can trust: every sentence carries a marker [n] for citations[n-1]."""

    question: str
    text: str  # Markdown with inline markers [1], [2] … and a source list
    citations: tuple[Passage, ...]
    abstained: bool = False  # the reports do not answer this; text shows the closest passages
    mode: str = "extractive"  # "extractive" | "llm"
    search_query: str | None = None  # the question as searched (follow-ups are expanded)
    dropped: tuple[str, ...] = ()  # model sentences removed because no cited passage supports them
    quotes: tuple[str, ...] = ()  # per citation, the sentences of it the answer uses (to highlight)
    note: str | None = None  # e.g. why the assistant abstained, or that the model was unavailable
