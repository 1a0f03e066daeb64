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
