"""Names of a package imported when first used (PEP 562): ``import service`` stays light, and the CLI's
``gpsc catalog`` loads neither the model stack, openpyxl, FastAPI nor SQLAlchemy.

Each package keeps its table of names and the private module each comes from (``_HOMES``, which a test reads to
follow imports through it) and takes its ``__getattr__`` and ``__dir__`` from here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module


def lazy_names(package: str, homes: Mapping[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``__getattr__, __dir__ = lazy_names(__name__, _HOMES)``: a name is imported from its module on first use,
    then kept in the package like any other."""

    def __getattr__(name: str) -> object:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(homes[name], package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(homes)

    return __getattr__, __dir__


__all__ = ["lazy_names"]
