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


def test_classifier_public_names():
    import classifier

    assert sorted(classifier.__all__) == sorted(
        [
            "Alias",
            "Candidate",
            "Classification",
            "ClassifierError",
            "EmptyTextError",
            "Evaluation",
            "GpscClassifier",
            "LabeledLine",
            "ModelFileError",
            "ModelMismatchError",
            "NotFittedError",
            "PartialCode",
            "TrainingDataError",
            "bundled_aliases",
            "bundled_dev",
            "bundled_training",
            "default_model_path",
            "evaluate",
            "get_model",
            "load_model",
            "normalize",
            "parse_gold",
            "read_aliases",
            "read_labeled",
            "save_model",
            "tokenize",
            "train_default_model",
        ]
    )
    assert issubclass(classifier.ModelMismatchError, classifier.ModelFileError)
    assert issubclass(classifier.ModelFileError, classifier.ClassifierError)


def _imports(package: str) -> set[str]:
    import ast
    import importlib
    from pathlib import Path

    root = Path(importlib.import_module(package).__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def test_dependencies_run_one_way():
    # catalog <- classifier <- service; the library knows nothing of HTTP or terminals
    assert not {"classifier", "service", "fastapi", "click", "rich"} & _imports("catalog")
    assert not {"service", "fastapi", "click", "rich", "uvicorn"} & _imports("classifier")
