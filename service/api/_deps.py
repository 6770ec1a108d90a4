"""Request-scoped access to what the lifespan loaded (no module-level globals)."""

from __future__ import annotations

from collections.abc import Callable

import anyio
from fastapi import Request

from catalog import Catalog
from classifier.eligibility import Checker

from ._settings import Settings


def get_checker(request: Request) -> Checker:
    return request.app.state.checker


def get_catalog(request: Request) -> Catalog:
    return request.app.state.checker.model.catalog_


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def client_gone(request: Request | None) -> Callable[[], bool] | None:
    """For a worker thread: has the client gone? (asked between chunks, so abandoned work stops)."""
    if request is None:
        return None

    def gone() -> bool:
        try:
            return bool(anyio.from_thread.run(request.is_disconnected))
        except RuntimeError:  # not in a worker thread (called directly): nobody to ask
            return False

    return gone
