"""What the app's handlers call: the loaded assistant, the conversation store, the report library.

app.py wires Gradio events to these methods and turns their results into components; nothing
here imports Gradio, so it is tested without a browser.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.chat.conversations import (
    ConversationStore,
    Feedback,
    SQLiteConversationStore,
    Turn,
    citation_records,
)
from assistant.chat.feedback import current_commit, feedback_for
from assistant.chat.library import filter_values
from assistant.core import Assistant
from assistant.render.export import conversation_docx, conversation_markdown
from assistant.render.presenter import display_markdown, escape_text, source_view_html
from assistant.retrieval.hybrid import Filters
from assistant.settings import Settings
from assistant.types import Answer
from ingest.documents import DocumentRecord
from ingest.errors import VeivalgError
from ingest.settings import IngestSettings

if TYPE_CHECKING:
    from server.library import ServerLibrary

log = logging.getLogger(__name__)
HISTORY_TURNS = 6  # follow-up questions read this many earlier turns


@dataclass(frozen=True)
class OpenedSource:
    html: str
    page_image: Path | None  # the cited PDF page with the passage highlighted
    original: Path | None  # a copy of the report's file, for download
    page: int | None = None


class Session:
    """The loaded assistant (reloaded after the corpus changes) and the conversation store."""

    def __init__(
        self,
        settings: Settings,
        ingest: IngestSettings,
        store: ConversationStore | None = None,
        commit: str | None = None,
        server: ServerLibrary | None = None,
    ) -> None:
        self.settings = settings
        self.server = server  # server mode: originals in the database, library changes as jobs, roles
        self.ingest = ingest
        self.store = store if store is not None else SQLiteConversationStore(":memory:")
        self.commit = commit or current_commit()
        self.assistant = Assistant.load(settings)
        self.files = Path(tempfile.mkdtemp(prefix="veivalg-app-"))

    def reload(self) -> None:
        self.assistant = Assistant.load(self.settings)

    def warm_up(self) -> None:
        """Load the embedder, spaCy and the lexicons now, not during the first person's question."""
        self.assistant.ask("Hva anbefaler rapportene om IKT-samarbeid?")

    @property
    def documents(self) -> Mapping[str, DocumentRecord]:
        return self.assistant.documents

    # --- asking -------------------------------------------------------------------------
    def stream(
        self, question: str, turns: Sequence[Turn], reports=None, countries=None, languages=None
    ) -> Iterator[str | Answer]:
        history = [(t.question, t.reply) for t in turns][-HISTORY_TURNS:]
        filters = Filters(
            sources=filter_values(reports), countries=filter_values(countries), languages=filter_values(languages)
        )
        yield from self.assistant.stream_ask(question, history, filters)

    def remember(self, owner: str, conversation_id: str | None, turn: Turn) -> str:
        """Store the turn, creating the conversation on its first question; returns its id."""
        ids = {c.id for c in self.store.conversations(owner)}
        if not conversation_id or conversation_id not in ids:
            conversation_id = self.store.create(owner).id
        self.store.add_turn(owner, conversation_id, turn)
        return conversation_id

    # --- showing ------------------------------------------------------------------------
    @staticmethod
    def messages(turns: Sequence[Turn]) -> list[dict]:
        """The chat's messages: the user's question escaped, the answer with clickable [n]."""
        out = []
        for i, turn in enumerate(turns):
            out.append({"role": "user", "content": escape_text(turn.question)})
            out.append(
                {"role": "assistant", "content": display_markdown(turn.answer, turn=i) if turn.answer else turn.reply}
            )
        return out

    def open_source(self, turns: Sequence[Turn], key: str) -> OpenedSource | None:
        """Source ``n`` of answer ``turn`` from a citation link's key "turn-n"; None for a stale key."""
        try:
            turn, n = (int(x) for x in key.split("-"))
            answer = turns[turn].answer
        except (ValueError, IndexError, AttributeError):
            return None
        if answer is None or not 1 <= n <= len(answer.citations):
            return None
        view = self.assistant.source_view(answer, n)
        passage = view.passage
        original = self.ingest.corpus_dir / passage.source
        if self.server is not None:  # no corpus folder on a replica: a local copy of the stored original
            original = self.server.original(passage.source) or original
        image = None
        if original.suffix.lower() == ".pdf" and passage.page is not None and original.exists():
            try:
                from assistant.render.pdfpage import render_page

                png = render_page(original, passage.page, view.quote or passage.text)
            except Exception:  # a page that cannot be drawn still has its text view
                log.exception("Kunne ikke tegne side %s av %s", passage.page, passage.source)
                png = None
            if png:  # named by what it shows, so reopening a source reuses the file instead of adding one
                key = hashlib.sha1(f"{passage.source}|{passage.page}|{view.quote}".encode()).hexdigest()[:16]
                image = self.files / f"side-{key}.png"
                image.write_bytes(png)
        copy = None
        if original.exists():
            folder = self.files / "original"
            folder.mkdir(exist_ok=True)
            copy = folder / original.name
            if not copy.exists() or copy.stat().st_mtime < original.stat().st_mtime:
                copy.write_bytes(original.read_bytes())
        return OpenedSource(source_view_html(view, n), image, copy, passage.page)

    # --- conversations ------------------------------------------------------------------
    def export(self, owner: str, conversation_id: str, kind: str) -> Path:
        turns = self.store.turns(owner, conversation_id) if conversation_id else []
        if not turns:
            raise VeivalgError.of("EXPORT_EMPTY")
        title = next((c.title for c in self.store.conversations(owner) if c.id == conversation_id), "Samtale")
        folder = Path(tempfile.mkdtemp(prefix="veivalg-eksport-", dir=self.files))
        if kind == "docx":
            return conversation_docx(title, turns, folder / "veivalg-samtale.docx")
        path = folder / "veivalg-samtale.md"
        path.write_text(conversation_markdown(title, turns), encoding="utf-8")
        return path

    # --- feedback -----------------------------------------------------------------------
    def feedback(self, owner: str, conversation_id: str, turns: Sequence[Turn], turn: int, liked: bool) -> int | None:
        """Store a thumbs up or down on answer ``turn``; returns the record's id (for a comment)."""
        if not 0 <= turn < len(turns):
            return None
        t = turns[turn]
        if t.answer is not None:
            record = feedback_for(
                t.answer,
                owner=owner,
                conversation_id=conversation_id or "",
                liked=liked,
                embedder=str(self.assistant.manifest.get("embedder", "")),
                settings=self.settings_record(),
                commit=self.commit,
            )
        else:
            record = Feedback(
                owner=owner,
                conversation_id=conversation_id or "",
                question=t.question,
                answer=t.reply,
                rating=1 if liked else -1,
                embedder=str(self.assistant.manifest.get("embedder", "")),
                settings=self.settings_record(),
                commit=self.commit,
            )
        return self.store.add_feedback(record)

    def settings_record(self) -> dict:
        llm = self.settings.llm
        return {
            "retrieval": dataclasses.asdict(self.settings.retrieval),
            "llm": {k: v for k, v in dataclasses.asdict(llm).items() if "key" not in k.lower()},  # never a secret
            "prompt": self.settings.prompt,
        }

    # --- the API ------------------------------------------------------------------------
    def api_ask(self, owner: str, question: str, conversation_id: str = "") -> tuple[str, list[dict], str]:
        """(answer text with [n] markers, citations, conversation id) for scripts."""
        turns = self.store.turns(owner, conversation_id) if conversation_id else []
        answer = None
        for piece in self.stream(question, turns):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        conversation_id = self.remember(owner, conversation_id, Turn(question, answer.text, answer))
        return answer.text, list(citation_records(answer)), conversation_id
