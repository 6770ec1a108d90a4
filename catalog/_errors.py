"""Errors raised by the catalog package.

One tree, so callers can catch the whole family or one case::

    CatalogError
    ├── CatalogParseError        the text holds no catalog table we can read
    ├── UnknownDepartmentError   a department name that resolves to no section
    │   └── DepartmentNameTooLongError   a name longer than MAX_DEPARTMENT_CHARS, refused unread
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
        hint = f"；最接近的部门章节：{'、'.join(self.suggestions)}" if self.suggestions else ""
        what = f"所附目录中没有“{name}”的部门章节" if name.strip() else "部门名称为空"
        super().__init__(what + hint)


class DepartmentNameTooLongError(UnknownDepartmentError):
    """A department name longer than ``limit`` characters, refused before any lookup.

    An unknown department like any other (no section, no suggestions), so callers that catch
    UnknownDepartmentError or CatalogError need no new case; ``length`` and ``limit`` say why.
    """

    def __init__(self, name: str, length: int, limit: int) -> None:
        self.name = name
        self.suggestions = ()
        self.length = length
        self.limit = limit
        # not UnknownDepartmentError.__init__: its message would repeat the whole over-long name
        CatalogError.__init__(self, f"部门名称过长（{length} 字），最多 {limit} 字")


class CatalogFormatError(CatalogError, ValueError):
    """An exported catalog (JSON/CSV records) is missing fields or is inconsistent."""
