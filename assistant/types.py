"""What retrieval and answering hand to callers.

An ``Answer`` is a structure, not text: the direct answer (``short``), supporting excerpts, and
passages that are only close (``see_also``). ``assistant.render.markdown`` turns it into text in one place,
for the chat, the export, the API and eval alike; nothing parses that text back.
"""

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
    preview: str | None = None  # its sentence closest to the question, for "Se også" (else its start)

    def cite(self) -> str:
        """'Tittel, s. 12'; without pages, the section heading so a reader can find the place."""
        from assistant.render.markdown import cite

        return cite(self)


@dataclass(frozen=True)
class Statement:
    """One sentence of the answer with the citations ([n], 1-based) that support it.

    ``role`` is "answer" for a sentence that answers the question, "context" for the sentence it
    refers back to ("alternativ 2 ovenfor"), shown before it so the answer reads on its own.
    """

    text: str
    markers: tuple[int, ...]
    role: str = "answer"
    lead: str = " "  # what goes before it: a space, or a model's line break and bullet ("\n- ")


@dataclass(frozen=True)
class Excerpt:
    """Supporting text from citation ``marker``: whole sentences, in the report's order."""

    marker: int
    text: str


@dataclass(frozen=True)
class Answer:
    """An answer a user can trust: every statement carries markers [n] for citations[n-1]."""

    question: str
    short: tuple[Statement, ...] = ()  # the direct answer, first
    excerpts: tuple[Excerpt, ...] = ()  # support that adds something, grouped by report
    citations: tuple[Passage, ...] = ()  # what [n] points to; only passages that support a statement
    see_also: tuple[Passage, ...] = ()  # close passages, never presented as support
    language: str = "nb"  # the asker's language: nb, nn, da or en
    abstained: bool = False  # the reports do not answer this; see_also shows the closest passages
    mode: str = "extractive"  # "extractive" | "llm"
    search_query: str | None = None  # the question as searched (follow-ups are expanded)
    dropped: tuple[str, ...] = ()  # model sentences removed because no cited passage supports them
    quotes: tuple[str, ...] = ()  # per citation, the sentences of it the answer uses (to highlight)
    note: str | None = None  # why the assistant abstained, that the model was unavailable, …
    framing: str | None = None  # a model's own unmarked framing sentences, kept as written
    scope_note: str | None = None  # e.g. "Rapportene omtaler ikke Ringsaker spesielt."
    tentative: bool = False  # an uncertain match: the closest text, which may not answer the question

    @property
    def text(self) -> str:
        """The answer as plain Markdown with [n] markers and a source list (``assistant.render.markdown``)."""
        from assistant.render.markdown import answer_markdown

        return answer_markdown(self)
