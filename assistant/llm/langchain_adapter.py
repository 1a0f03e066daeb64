"""The hybrid search as a LangChain retriever, for chains that expect one."""

from __future__ import annotations

from dataclasses import asdict

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.core import Assistant


class VeivalgRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Assistant
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(page_content=p.text, metadata={k: v for k, v in asdict(p).items() if k != "text"})
            for p in self.assistant.retrieve(query, k=self.k)
        ]
