"""Request-scoped access to what the lifespan loaded (no module-level globals)."""

from __future__ import annotations

from collections.abc import Callable

import anyio
from fastapi import Request

from catalog import Catalog
from classifier.eligibility import Checker

from ._settings import Settings


def ready_checker(request: Request) -> Checker | None:
    """The checker, once it is ready (a first use trains it in the background: ``service.loading.Preparing``)."""
    checker = request.app.state.checker
    preparing = getattr(request.app.state, "preparing", None)
    if checker is None and preparing is not None and preparing.done.is_set() and preparing.checker is not None:
        checker = request.app.state.checker = preparing.checker
    return checker


def get_checker(request: Request) -> Checker:
    """The checker for a judging route; 503 ``model_preparing`` (with the step) while a first use trains it."""
    checker = ready_checker(request)
    if checker is None:
        from ._errors import ApiError

        preparing = request.app.state.preparing
        if preparing is not None and preparing.error:
            raise ApiError(503, "model_failed", preparing.error)
        message = preparing.message if preparing is not None else "模型尚未载入"
        raise ApiError(503, "model_preparing", f"{message}；请稍候再试")
    return checker


def get_catalog(request: Request) -> Catalog:
    return get_checker(request).model.catalog_


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
