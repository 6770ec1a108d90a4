"""Shared fixtures for tests and doctests: the real bundled catalog, and one trained checker per session.

At the repository root so that the doctests inside the packages use the session's checker too, instead of
training their own into the user's cache."""

from __future__ import annotations

import pytest

from catalog import Catalog, bundled_document, load_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def model(catalog):
    """The production model, trained once per test session on the bundled training data."""
    from classifier import train_default_model

    return train_default_model(catalog)


@pytest.fixture(scope="session")
def checker(model, catalog):
    """The production checker: the session model with thresholds fitted on the bundled data."""
    from classifier.eligibility import train_checker

    return train_checker(model, catalog)


@pytest.fixture(scope="session")
def model_file(checker, tmp_path_factory):
    """The session checker saved to a file, for tests of the command line and service."""
    from classifier.eligibility import save_checker

    return save_checker(checker, tmp_path_factory.mktemp("model") / "gpsc-model.joblib")


@pytest.fixture(scope="session")
def _cache_home(model, tmp_path_factory):
    """A cache folder for the session holding the session's ranking model where ``get_model()`` looks."""
    from classifier import default_model_path, save_model

    home = tmp_path_factory.getbasetemp() / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(home))
        save_model(model, default_model_path())
    return home


@pytest.fixture(autouse=True)
def _isolated_model_cache(monkeypatch, model_file, _cache_home):
    """Tests never read or write the user's model cache; commands use the session model."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))
    monkeypatch.setenv("GPSC_MODEL", str(model_file))


@pytest.fixture(scope="session")
def document() -> str:
    return bundled_document()


@pytest.fixture(scope="session")
def document_lines(document: str) -> list[str]:
    return document.split("\n")
