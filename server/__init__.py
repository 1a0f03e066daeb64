"""Server mode: PostgreSQL (pgvector + full-text search) as the shared store for several app replicas
and ingestion workers. Chosen by ``VEIVALG_DATABASE_URL=postgresql://…``; embedded mode needs none of it."""
