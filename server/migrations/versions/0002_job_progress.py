"""How far each ingestion job has come: procrastinate keeps a job's status, not its progress.

Created by ``server.jobs.install`` before migrations held it, hence ``IF NOT EXISTS``: a database
from that time upgrades without a change.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE IF NOT EXISTS job_progress (
            job_id bigint PRIMARY KEY,
            stage text NOT NULL DEFAULT '',
            done integer NOT NULL DEFAULT 0,
            total integer NOT NULL DEFAULT 0,
            message text NOT NULL DEFAULT '',
            updated_at timestamptz NOT NULL DEFAULT now())""")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS job_progress")
