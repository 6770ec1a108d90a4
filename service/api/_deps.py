"""Request-scoped access to what the lifespan loaded (no module-level globals)."""

from __future__ import annotations

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
