"""Errors raised by the catalog package.

One tree, so callers can catch the whole family or one case::

    CatalogError
    ├── CatalogParseError        the text holds no catalog table we can read
    ├── UnknownDepartmentError   a department name that resolves to no section
    └── CatalogFormatError       an export file that cannot be re-imported
"""

from __future__ import annotations


class CatalogError(Exception):
    """Base class of every error the catalog package raises."""


class CatalogParseError(CatalogError):
    """The document does not contain a catalog table in the expected shape."""


class UnknownDepartmentError(CatalogError, LookupError):
    """A department name matched no section; ``suggestions`` holds the closest section titles."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f"; closest sections: {', '.join(self.suggestions)}" if self.suggestions else ""
        what = f"unknown department {name!r}" if name.strip() else "the department name is empty"
        super().__init__(what + hint)


class CatalogFormatError(CatalogError, ValueError):
    """An exported catalog (JSON/CSV records) is missing fields or is inconsistent."""
