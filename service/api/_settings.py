"""Service settings: limits are documented here and enforced by the handlers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """``model_path``: a file from ``gpsc train`` (None: the cached model, trained on first start);
    ``catalog_path``: another province's catalog (``gpsc catalog export --format csv`` form; None: the bundled one)."""

    model_path: Path | None = None
    catalog_path: Path | None = None
    max_items: int = 10_000  # POST /v1/classify
    max_classify_chars: int = 400_000  # POST /v1/classify, all items' text together (memory stays bounded)
    max_text_chars: int = 2_000  # one purchase line
    max_upload_bytes: int = 20 * 1024 * 1024  # POST /v1/tag and /v1/audit (the file itself)
    max_json_bytes: int = 4 * 1024 * 1024  # any other request body (10,000 classify items fit well inside)
    max_upload_rows: int = 200_000  # rows of one uploaded sheet (the CLI has no limit)
    max_unpacked_bytes: int = 200 * 1024 * 1024  # an uploaded .xlsx, all its parts unpacked
    body_timeout_s: float = 30.0  # a request body that sends nothing for this long is dropped (408)
    queue_notes_per_minute: int = 600  # open lines one client address may add to the review queue a minute
    db_url: str | None = None  # the review record (None: $GPSC_DB, else SQLite in the user's data folder)
