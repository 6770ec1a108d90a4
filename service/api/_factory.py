"""An app factory for ``uvicorn --factory`` and multi-worker runs: settings from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from ._app import create_app
from ._settings import Settings


def app_from_environment():
    """``uvicorn service.api:app_from_environment --factory``; ``GPSC_MODEL`` names the model file, ``GPSC_CATALOG``
    another province's catalog."""
    model = os.environ.get("GPSC_MODEL")
    catalog = os.environ.get("GPSC_CATALOG")
    body_timeout = float(os.environ.get("GPSC_BODY_TIMEOUT") or Settings.body_timeout_s)
    settings = Settings(
        model_path=Path(model) if model else None,
        catalog_path=Path(catalog) if catalog else None,
        body_timeout_s=body_timeout,
        db_url=os.environ.get("GPSC_DB"),
    )
    return create_app(settings)
