"""The language model at the edge: LangChain chat models, prompts, streaming, the LangChain retriever."""
