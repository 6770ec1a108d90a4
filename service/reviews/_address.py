"""Where the review record is, known without opening it (no SQLAlchemy import: a check must not pay for the
record's libraries when there is no record)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def default_db_url() -> str:
    """The environment's ``GPSC_DB``, else a SQLite file in the user's data folder (``~/.local/share/gpsc``)."""
    configured = os.environ.get("GPSC_DB", "").strip()
    if configured:
        return configured
    return f"sqlite:///{Path(platformdirs.user_data_dir('gpsc')) / 'reviews.db'}"


def missing_sqlite_file(url: str | None) -> bool:
    """A plain SQLite address whose file does not exist: there is no record to open (and none is made).

    >>> missing_sqlite_file("sqlite:////nowhere/gpsc/reviews.db")
    True
    >>> missing_sqlite_file("postgresql://gpsc@localhost/reviews")
    False
    """
    text = (default_db_url() if url is None else url).strip()
    if not text.startswith("sqlite:///") or "?" in text:
        return False  # anything else is for the store to read (and to refuse with a clear error)
    name = text[len("sqlite:///") :]
    return bool(name) and name != ":memory:" and not Path(name).expanduser().exists()
