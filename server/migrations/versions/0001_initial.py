"""The server store: index versions and the live pointer, report files, users, conversations, feedback.

Each index version's chunks, sentences and terms live in a schema of their own, created by
``server.pg_index.PgIndexStore.write`` (a table set per version, so a new embedder builds beside the
one that serves); only what every version shares is here.

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.execute("""
        CREATE TABLE index_versions (
            name text PRIMARY KEY,
            schema_name text NOT NULL UNIQUE,
            manifest jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now())""")
    # One row: the live version. Flipped in the same transaction that writes the new version.
    op.execute("""
        CREATE TABLE index_live (
            one boolean PRIMARY KEY DEFAULT true CHECK (one),
            version text REFERENCES index_versions(name),
            previous text REFERENCES index_versions(name),
            changed_at timestamptz NOT NULL DEFAULT now())""")
    op.execute("INSERT INTO index_live (one) VALUES (true)")
    op.execute("""
        CREATE TABLE report_files (
            name text PRIMARY KEY,
            data bytea NOT NULL,
            sha256 text NOT NULL,
            meta jsonb NOT NULL DEFAULT '{}'::jsonb,
            updated_at timestamptz NOT NULL DEFAULT now())""")
    op.execute("""
        CREATE TABLE users (
            name text PRIMARY KEY,
            password_hash text NOT NULL,
            role text NOT NULL CHECK (role IN ('admin', 'reader')),
            created_at timestamptz NOT NULL DEFAULT now())""")
    op.execute("""
        CREATE TABLE conversations (
            id text PRIMARY KEY,
            owner text NOT NULL,
            title text NOT NULL,
            created_at double precision NOT NULL,
            updated_at double precision NOT NULL)""")
    op.execute("CREATE INDEX conversations_owner ON conversations (owner, updated_at)")
    op.execute("""
        CREATE TABLE turns (
            conversation_id text NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            position integer NOT NULL,
            question text NOT NULL,
            reply text NOT NULL,
            answer jsonb,
            created_at double precision NOT NULL,
            PRIMARY KEY (conversation_id, position))""")
    op.execute("""
        CREATE TABLE feedback (
            id bigserial PRIMARY KEY,
            owner text NOT NULL,
            conversation_id text NOT NULL,
            record jsonb NOT NULL,
            created_at double precision NOT NULL)""")


def downgrade() -> None:
    for table in ("feedback", "turns", "conversations", "users", "report_files", "index_live", "index_versions"):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
