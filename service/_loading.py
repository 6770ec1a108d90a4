"""Where the CLI and the API get their checker from (no click, no FastAPI here: both import it)."""

from __future__ import annotations

from pathlib import Path

from classifier.eligibility import Checker, get_checker, load_checker


def open_checker(path: Path | str | None) -> Checker:
    """The checker to use: an explicit file must load (a mismatch says how to retrain); otherwise the cached
    one, trained on the bundled data when missing or stale."""
    return load_checker(path) if path is not None else get_checker()
