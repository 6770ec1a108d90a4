"""What the review record hands back: plain frozen values, so callers never hold a database session."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

VERDICTS = ("eligible", "ineligible", "review")
ENTRY_KINDS = ("decision", "undo")


def _json_ready(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in values.items()}


@dataclass(frozen=True)
class Entry:
    """One row of the record: a decision an officer took on a line, or the undoing of one.

    The record only grows: a newer decision for the same (normalized, department) key supersedes an older one,
    and an ``undo`` entry (``undoes`` = the id it cancels) takes one back, so the history stays readable.
    An undo entry repeats the key of the decision it undoes; its verdict, codes and note are None.
    """

    id: int
    kind: str
    text: str
    normalized: str
    department: str | None
    department_written: str | None
    verdict: str | None
    code: str | None
    pinmu_code: str | None
    note: str | None
    reviewer: str
    created_at: datetime
    model_verdict: str | None
    model_code: str | None
    catalog_version: str | None
    model_version: str | None
    undoes: int | None

    @property
    def key(self) -> tuple[str, str | None]:
        """The (normalized, department) key a decision stands for."""
        return (self.normalized, self.department)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (``created_at`` as ISO 8601 with its UTC offset)."""
        return _json_ready(dataclasses.asdict(self))


@dataclass(frozen=True)
class ReviewerInfo:
    """A reviewer as the record knows them; the token itself is never stored, only its hash."""

    name: str
    created_at: datetime
    revoked_at: datetime | None
    active: bool

    def to_dict(self) -> dict[str, Any]:
        return _json_ready(dataclasses.asdict(self))


@dataclass(frozen=True)
class QueueItem:
    """A line the model sent to review that no officer has decided yet, with how often it came up and where."""

    normalized: str
    text: str
    department: str | None
    count: int
    units: list[str]
    last_seen: datetime

    def to_dict(self) -> dict[str, Any]:
        return _json_ready(dataclasses.asdict(self))
