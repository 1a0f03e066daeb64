"""The one object callers hold: ``Assistant.load()`` opens the index; ``retrieve`` searches it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence

from assistant.answer.answering import Answerer
from assistant.answer.conversation import Turn
from assistant.answer.meaning import MeaningChecker, checker_for, has_fitted_threshold
from assistant.answer.query import clean_question
from assistant.answer.strategies import answer_strategy
from assistant.retrieval.hybrid import Filters, HybridSearcher
from assistant.retrieval.indexes import OpenedIndex, open_index
from assistant.retrieval.rerank import make_reranker
from assistant.settings import Settings
from assistant.types import Answer, Passage
from ingest.documents import DocumentRecord, IndexManifest
from ingest.embed.embedders import Embedder, make_embedder, spec_of
from ingest.errors import IndexProblem, VeivalgError

RELOAD_CHECK_S = 1.0
log = logging.getLogger(__name__)


class Assistant:
    def __init__(
        self,
        searcher: HybridSearcher,
        settings: Settings,
        manifest: IndexManifest,
        chat_model=None,
        loaded_from: str | None = None,
        checker: MeaningChecker | None = None,
    ) -> None:
        self.searcher = searcher
        self.settings = settings
        self.manifest = manifest
        self.chat_model = chat_model
        prompt = None
        if chat_model is not None:
            from assistant.llm.prompting import load_prompt

            prompt = load_prompt(settings.prompt)
        self.checker = checker
        # The one place the seams are assembled: the reranker and answer strategy the settings name.
        self.answerer = Answerer(
            searcher,
            answer_strategy(chat_model, prompt, checker),
            embedder_id=manifest["embedder"],
            reranker=make_reranker(settings.retrieval.reranker),
        )
        # The index version in use; a refresh makes a new one live (CURRENT, or the database's pointer).
        self.loaded_from = loaded_from
        self._store = settings.store()
        self._reloading = threading.Lock()
        self._checked_at = time.monotonic()

    @classmethod
    def load(cls, settings: Settings | None = None) -> Assistant:
        settings = settings or Settings.from_env()
        index, searcher, embedder = _open(settings)
        from assistant.llm.models import make_chat_model

        chat_model = make_chat_model(settings.llm)
        return cls(
            searcher,
            settings,
            index.manifest,
            chat_model=chat_model,
            loaded_from=index.name,
            checker=_checker(embedder, index.manifest["embedder"], chat_model),
        )

    def follow_index(self) -> bool:
        """Switch to a newer index version if CURRENT names one; True when it switched.

        Cheap enough for every request (one small file read, at most once a second). The new
        version is opened beside the old one and swapped in at the end, so questions already
        running finish on the old one and none waits; one reload runs at a time, and if the new
        version cannot be read the old one stays in use.
        """
        if self.loaded_from is None or time.monotonic() - self._checked_at < RELOAD_CHECK_S:
            return False
        self._checked_at = time.monotonic()
        latest = self._store.current()
        if latest is None or latest == self.loaded_from or not self._reloading.acquire(blocking=False):
            return False
        try:
            index, searcher, embedder = _open(self.settings)
        except VeivalgError as exc:
            log.warning("Ny indeksversjon %s kunne ikke åpnes; beholder den gamle: %s", latest, exc)
            return False
        finally:
            self._reloading.release()
        fresh = Assistant(
            searcher,
            self.settings,
            index.manifest,
            chat_model=self.chat_model,
            loaded_from=index.name,
            checker=_checker(embedder, index.manifest["embedder"], self.chat_model),
        )
        self.searcher, self.manifest, self.answerer = fresh.searcher, fresh.manifest, fresh.answerer
        self.loaded_from = index.name
        log.info("Indeksen er lastet på nytt (%s, versjon %s)", self._store.location, index.name)
        return True

    def searcher_embedder_spec(self) -> str:
        """The spec of the embedder this index was built with (for baselines that must match it)."""
        return spec_of(self.manifest["embedder"])

    @property
    def documents(self) -> dict[str, DocumentRecord]:
        return self.manifest["documents"]

    @property
    def uses_language_model(self) -> bool:
        return self.answerer.strategy.uses_language_model

    def retrieve(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Passage]:
        """Ranked passages for ``question``, best first."""
        self.follow_index()
        return self.searcher.search(clean_question(question), k=k, filters=filters)

    def source_view(self, answer: Answer, n: int):
        """Citation ``n`` (1-based) of ``answer`` with the text around it in its report."""
        from assistant.render.presenter import SourceView

        passage = answer.citations[n - 1]
        quote = answer.quotes[n - 1] if len(answer.quotes) >= n else ""
        row = self.searcher.row_of(passage.chunk_id)
        before = after = ""
        if row is not None:
            chunks = self.searcher.store
            if row > 0 and (prev := chunks.chunk(row - 1)).source == passage.source:
                before = prev.text[: max(0, passage.start - prev.start)] if prev.end > passage.start else prev.text
            if row + 1 < len(chunks) and (nxt := chunks.chunk(row + 1)).source == passage.source:
                after = nxt.text[max(0, passage.end - nxt.start) :] if nxt.start < passage.end else nxt.text
        return SourceView(passage=passage, quote=quote, before=before, after=after)

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None) -> Answer:
        """An answer with citations; history holds earlier (question, answer text) turns."""
        self.follow_index()
        return self.answerer.ask(clean_question(question), list(history), filters)

    def stream_ask(
        self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        """Verified text pieces as they are ready, then the final Answer (which replaces them)."""
        self.follow_index()
        yield from self.answerer.stream(clean_question(question), list(history), filters)


def _open(settings: Settings) -> tuple[OpenedIndex, HybridSearcher, Embedder]:
    """The live index version and a searcher over it."""
    index = open_index(settings.store(), settings.retrieval.vector_index)
    built_with = spec_of(index.manifest["embedder"])
    if settings.embedder and settings.embedder != built_with:
        raise IndexProblem(
            f"Indeksen er bygget med «{index.manifest['embedder']}», men innstillingene ber om "
            f"«{settings.embedder}». Kjør `python -m ingest refresh --embedder {settings.embedder}` "
            "for å bygge den på nytt, eller fjern innstillingen."
        )
    embedder = make_embedder(built_with)
    return index, HybridSearcher.over(index, lambda q: embedder.embed_queries([q])[0], settings.retrieval), embedder


def _checker(embedder, embedder_id: str, chat_model) -> MeaningChecker | None:
    """Model sentences are checked by meaning where the threshold was fitted for this embedder."""
    if chat_model is None:
        return None
    if not has_fitted_threshold(embedder_id):
        log.warning(
            "Ingen tilpasset terskel for %s: modellens setninger sjekkes mot ordene i utdraget, ikke meningen",
            embedder_id,
        )
        return None
    return checker_for(embedder)
