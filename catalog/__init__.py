"""The two references as immutable code trees: the 政府购买服务指导性目录 (``load_catalog``) and the
政府采购品目分类目录 (``load_pinmu``).

>>> from catalog import load_catalog
>>> cat = load_catalog()
>>> cat.leaf("县民政局", "A100301").name
'乡镇（街道）社会工作服务站运营服务'

Errors::

    CatalogError
    ├── CatalogParseError
    ├── UnknownDepartmentError
    │   └── DepartmentNameTooLongError   (longer than MAX_DEPARTMENT_CHARS)
    └── CatalogFormatError
"""

from ._bundled import bundled_document, load_catalog
from ._departments import MAX_DEPARTMENT_CHARS, resolve_department, suggest_departments
from ._errors import (
    CatalogError,
    CatalogFormatError,
    CatalogParseError,
    DepartmentNameTooLongError,
    UnknownDepartmentError,
)
from ._export import LEAF_FIELDS, catalog_from_records, leaf_records, read_export, to_csv, to_json
from ._model import ANOMALY_KIND_NAMES, LEVEL_NAMES, Anomaly, Catalog, Node, PrintedRow, Section
from ._parse import content_hash, parse_catalog
from ._pinmu import (
    PINMU_TITLE,
    PINMU_VERSION,
    CrosswalkRow,
    Pinmu,
    PinmuHit,
    load_crosswalk,
    load_pinmu,
    normalize_pinmu_code,
    parse_pinmu_tsv,
)
from ._pinmu_declared import PinmuDeclaration, group_code, read_pinmu_declaration
from ._pinmu_parse import TYPE_NAMES as PINMU_TYPE_NAMES
from ._pinmu_parse import PinmuAnomaly, PinmuItem, PinmuRow, code_level, parent_code, parse_pinmu_rows
from ._search import SearchHit, search_catalog
from ._text import clean_name, normalize_code

__all__ = [
    "ANOMALY_KIND_NAMES",
    "LEAF_FIELDS",
    "LEVEL_NAMES",
    "MAX_DEPARTMENT_CHARS",
    "PINMU_TITLE",
    "PINMU_TYPE_NAMES",
    "PINMU_VERSION",
    "Anomaly",
    "Catalog",
    "CatalogError",
    "CatalogFormatError",
    "CatalogParseError",
    "CrosswalkRow",
    "DepartmentNameTooLongError",
    "Node",
    "Pinmu",
    "PinmuAnomaly",
    "PinmuDeclaration",
    "PinmuHit",
    "PinmuItem",
    "PinmuRow",
    "PrintedRow",
    "SearchHit",
    "Section",
    "UnknownDepartmentError",
    "bundled_document",
    "catalog_from_records",
    "clean_name",
    "code_level",
    "content_hash",
    "group_code",
    "leaf_records",
    "load_catalog",
    "load_crosswalk",
    "load_pinmu",
    "normalize_code",
    "normalize_pinmu_code",
    "parent_code",
    "parse_catalog",
    "parse_pinmu_rows",
    "parse_pinmu_tsv",
    "read_export",
    "read_pinmu_declaration",
    "resolve_department",
    "search_catalog",
    "suggest_departments",
    "to_csv",
    "to_json",
]
