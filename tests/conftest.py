"""Shared fixtures: the real bundled catalog, parsed once per test session."""

from __future__ import annotations

import pytest

from catalog import Catalog, bundled_document, load_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def document() -> str:
    return bundled_document()


@pytest.fixture(scope="session")
def document_lines(document: str) -> list[str]:
    return document.split("\n")
