"""Decisions keyed by the line with only its incidentals folded (years, places, 文号, amounts), as README says.

The first schema keyed a decision by the line as the ranking reads it, which also folds 外包, 购买, 项目 and the
scope reader's set-aside parts: a decision on 人力资源服务外包 reached 人力资源服务. This revision recomputes every
entry's key from its text with ``classifier.key_text``, and empties the queue of open lines (a count of recent
checks, rebuilt by the next ones) rather than merge its rows under keys they were not counted by.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from classifier import key_text

    connection = op.get_bind()
    entries = sa.table(
        "review_entries",
        sa.column("id", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("department", sa.Text),
        sa.column("normalized", sa.Text),
        sa.column("key_hash", sa.String(64)),
    )
    rows = connection.execute(sa.select(entries.c.id, entries.c.text, entries.c.department)).all()
    for entry_id, text, department in rows:
        normalized = key_text(text) or text
        connection.execute(
            entries.update()
            .where(entries.c.id == entry_id)
            .values(normalized=normalized, key_hash=key_hash(normalized, department or ""))
        )
    connection.execute(sa.text("DELETE FROM review_queue"))


def key_hash(normalized: str, department: str) -> str:
    """The lookup key of a (key text, department) pair, as the schema computes it (kept here: a migration must not
    change when the application's code does)."""
    return hashlib.sha256(f"{normalized}\x00{department}".encode()).hexdigest()


def downgrade() -> None:
    """The old keys cannot be recomputed here (they came from the model's reading of each line): keep the new."""
