"""The one object callers hold: ``Assistant.load()`` opens the index; ``retrieve`` searches it."""

from __future__ import annotations

from assistant.retrieval import Filters, HybridSearcher
from assistant.settings import Settings
from assistant.types import Passage
from ingest.embedders import make_embedder, spec_of
from ingest.errors import IndexProblem, VeivalgError
from ingest.index_store import read_index

MAX_QUESTION_CHARS = 2000


class Assistant:
    def __init__(self, searcher: HybridSearcher, settings: Settings, manifest: dict) -> None:
        self.searcher = searcher
        self.settings = settings
        self.manifest = manifest

    @classmethod
    def load(cls, settings: Settings | None = None) -> Assistant:
        settings = settings or Settings.from_env()
        data = read_index(settings.index_dir)
        built_with = spec_of(data.manifest["embedder"])
        if settings.embedder and settings.embedder != built_with:
            raise IndexProblem(
                f"Indeksen er bygget med «{data.manifest['embedder']}», men innstillingene ber om "
                f"«{settings.embedder}». Kjør `python -m ingest refresh --embedder {settings.embedder}` "
                "for å bygge den på nytt, eller fjern innstillingen."
            )
        embedder = make_embedder(built_with)
        searcher = HybridSearcher(data, lambda q: embedder.embed_queries([q])[0], settings.retrieval)
        return cls(searcher, settings, data.manifest)

    def searcher_embedder_spec(self) -> str:
        """The spec of the embedder this index was built with (for baselines that must match it)."""
        return spec_of(self.manifest["embedder"])

    @property
    def documents(self) -> dict[str, dict]:
        return self.manifest["documents"]

    def retrieve(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Passage]:
        """Ranked passages for ``question``, best first."""
        return self.searcher.search(clean_question(question), k=k, filters=filters)


def clean_question(question: str) -> str:
    text = " ".join((question or "").split())
    if not text:
        raise VeivalgError("Skriv et spørsmål først.")
    return text[:MAX_QUESTION_CHARS]
