"""The catalog shipped inside the package, parsed once per process."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from ._model import Catalog
from ._parse import parse_catalog

BUNDLED_DOCUMENT = "liulin_hrss_budget_2026.txt"


def bundled_document() -> str:
    """The text of the bundled source document (柳林县人社局 2026 budget with the 山西 catalog)."""
    return files("catalog.data").joinpath(BUNDLED_DOCUMENT).read_text(encoding="utf-8")


@cache
def load_catalog() -> Catalog:
    """The bundled 山西省部门政府购买服务指导性目录 (晋财综〔2025〕28号), parsed and cached.

    >>> load_catalog().source_version
    '晋财综〔2025〕28号'
    """
    return parse_catalog(bundled_document())
