"""Retrieval: the hybrid searcher, fusion, the index seams and their backends, the reranker slot."""
