"""The tables of the review record, as typed SQLAlchemy models.

Migrations (``migrations/versions``) create and change these tables; a test checks that the migrated schema
matches these models on SQLite and PostgreSQL, so a change here without a migration fails.

Lookups go by ``key_hash`` (sha256 of the normalized text and the department) rather than by an index on the
texts themselves: a PostgreSQL b-tree entry is limited to about 2,700 bytes, less than a 2,000-character
Chinese line in UTF-8, and one fixed-width column keeps the unique and IN-list logic the same on both databases.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

SHORT = 64  # codes, verdicts, sources, hashes
VERSION_CHARS = 200
NAME_CHARS = 100
# constraint names fixed by convention, so that migrations can name (and later drop) them on both databases
NAMING = {
    "pk": "pk_%(table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "ix": "ix_%(table_name)s_%(column_0_name)s",
}


def key_hash(normalized: str, department: str) -> str:
    """The lookup key of a (normalized text, department) pair; ``department`` is "" when there is none.

    >>> key_hash("热线外包", "") == key_hash("热线外包", "")
    True
    >>> key_hash("热线外包", "民政局") != key_hash("热线外包民政局", "")
    True
    """
    return hashlib.sha256(f"{normalized}\x00{department}".encode()).hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ReviewerRow(Base):
    """A person allowed to record decisions; a revoked reviewer keeps their row so old entries keep a name."""

    __tablename__ = "reviewers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_CHARS))
    token_hash: Mapped[str] = mapped_column(String(SHORT), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        # one active reviewer per name, even when two officers add the same name at once
        Index(
            "uq_reviewers_active_name",
            "name",
            unique=True,
            sqlite_where=revoked_at.is_(None),
            postgresql_where=revoked_at.is_(None),
        ),
    )


class EntryRow(Base):
    """One decision or undo; rows are only ever added."""

    __tablename__ = "review_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(SHORT))
    text: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(Text, default="")  # "" when the line has no department
    department_written: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str | None] = mapped_column(String(16))
    code: Mapped[str | None] = mapped_column(String(SHORT))
    pinmu_code: Mapped[str | None] = mapped_column(String(SHORT))
    note: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    model_verdict: Mapped[str | None] = mapped_column(String(SHORT))
    model_code: Mapped[str | None] = mapped_column(String(SHORT))
    catalog_version: Mapped[str | None] = mapped_column(String(VERSION_CHARS))
    model_version: Mapped[str | None] = mapped_column(String(VERSION_CHARS))
    # unique: a decision is undone at most once, also when two undo requests race
    undoes: Mapped[int | None] = mapped_column(ForeignKey("review_entries.id"), unique=True)

    __table_args__ = (
        Index("ix_review_entries_key", "key_hash", "id"),
        Index("ix_review_entries_created_at", "created_at"),
        Index("ix_review_entries_reviewer", "reviewer_id"),
    )


class QueueRow(Base):
    """A line the model judged ``review``, one row per key, counted each time a check or an upload meets it."""

    __tablename__ = "review_queue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(SHORT), unique=True)
    normalized: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)  # an example of the line as written
    count: Mapped[int] = mapped_column(Integer)
    units: Mapped[list[str]] = mapped_column(JSON)  # up to 10 distinct units as written
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_source: Mapped[str] = mapped_column(String(16))
