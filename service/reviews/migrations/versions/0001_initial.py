"""The review record's first schema: reviewers, the append-only entries, and the queue of open lines.

Revision ID: 0001
Revises: none
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviewers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reviewers"),
        sa.UniqueConstraint("token_hash", name="uq_reviewers_token_hash"),
    )
    op.create_index(
        "uq_reviewers_active_name",
        "reviewers",
        ["name"],
        unique=True,
        sqlite_where=sa.column("revoked_at").is_(None),
        postgresql_where=sa.column("revoked_at").is_(None),
    )

    op.create_table(
        "review_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("normalized", sa.Text, nullable=False),
        sa.Column("department", sa.Text, nullable=False),
        sa.Column("department_written", sa.Text, nullable=True),
        sa.Column("verdict", sa.String(16), nullable=True),
        sa.Column("code", sa.String(64), nullable=True),
        sa.Column("pinmu_code", sa.String(64), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("reviewer_id", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("model_verdict", sa.String(64), nullable=True),
        sa.Column("model_code", sa.String(64), nullable=True),
        sa.Column("catalog_version", sa.String(200), nullable=True),
        sa.Column("model_version", sa.String(200), nullable=True),
        sa.Column("undoes", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_review_entries"),
        sa.ForeignKeyConstraint(["reviewer_id"], ["reviewers.id"], name="fk_review_entries_reviewer_id"),
        sa.ForeignKeyConstraint(["undoes"], ["review_entries.id"], name="fk_review_entries_undoes"),
        sa.UniqueConstraint("undoes", name="uq_review_entries_undoes"),
    )
    # the standing decision of a key is its newest row: (key, id) answers that from the index alone
    op.create_index("ix_review_entries_key", "review_entries", ["key_hash", "id"])
    op.create_index("ix_review_entries_created_at", "review_entries", ["created_at"])
    op.create_index("ix_review_entries_reviewer", "review_entries", ["reviewer_id"])

    op.create_table(
        "review_queue",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("normalized", sa.Text, nullable=False),
        sa.Column("department", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("units", sa.JSON, nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_source", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_queue"),
        sa.UniqueConstraint("key_hash", name="uq_review_queue_key_hash"),
    )


def downgrade() -> None:
    op.drop_table("review_queue")
    op.drop_index("ix_review_entries_reviewer", table_name="review_entries")
    op.drop_index("ix_review_entries_created_at", table_name="review_entries")
    op.drop_index("ix_review_entries_key", table_name="review_entries")
    op.drop_table("review_entries")
    op.drop_index("uq_reviewers_active_name", table_name="reviewers")
    op.drop_table("reviewers")
