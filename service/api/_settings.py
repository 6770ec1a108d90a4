"""Service settings: limits are documented here and enforced by the handlers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """``model_path``: a file from ``gpsc train`` (None: the cached model, trained on first start)."""

    model_path: Path | None = None
    max_items: int = 10_000  # POST /v1/classify
    max_text_chars: int = 2_000  # one purchase line
    max_upload_bytes: int = 20 * 1024 * 1024  # POST /v1/tag and /v1/audit
