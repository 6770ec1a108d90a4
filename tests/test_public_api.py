"""Pin the public surface: a change here is a change other tools notice."""

from __future__ import annotations

import catalog


def test_catalog_public_names():
    assert sorted(catalog.__all__) == sorted(
        [
            "LEAF_FIELDS",
            "LEVEL_NAMES",
            "Anomaly",
            "Catalog",
            "CatalogError",
            "CatalogFormatError",
            "CatalogParseError",
            "Node",
            "PrintedRow",
            "SearchHit",
            "Section",
            "UnknownDepartmentError",
            "bundled_document",
            "catalog_from_records",
            "clean_name",
            "content_hash",
            "leaf_records",
            "load_catalog",
            "normalize_code",
            "parse_catalog",
            "read_export",
            "resolve_department",
            "search_catalog",
            "suggest_departments",
            "to_csv",
            "to_json",
        ]
    )
    for name in catalog.__all__:
        assert hasattr(catalog, name), name


def test_error_tree():
    assert issubclass(catalog.CatalogParseError, catalog.CatalogError)
    assert issubclass(catalog.UnknownDepartmentError, catalog.CatalogError)
    assert issubclass(catalog.CatalogFormatError, catalog.CatalogError)


def test_catalog_imports_none_of_our_other_packages():
    import ast
    from pathlib import Path

    root = Path(catalog.__file__).parent
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert node.module.split(".")[0] not in {"classifier", "service"}, path
