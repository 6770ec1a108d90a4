"""Pin the public surface: a change here is a change other tools notice."""

from __future__ import annotations

import catalog


def test_catalog_public_names():
    assert sorted(catalog.__all__) == sorted(
        [
            "ANOMALY_KIND_NAMES",
            "LEAF_FIELDS",
            "LEVEL_NAMES",
            "MAX_DEPARTMENT_CHARS",
            "DepartmentNameTooLongError",
            "Anomaly",
            "Catalog",
            "CatalogError",
            "CatalogFormatError",
            "CatalogParseError",
            "CrosswalkRow",
            "Node",
            "PINMU_TITLE",
            "PINMU_TYPE_NAMES",
            "PINMU_VERSION",
            "Pinmu",
            "PinmuAnomaly",
            "PinmuHit",
            "PinmuDeclaration",
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
            "leaf_records",
            "load_catalog",
            "load_crosswalk",
            "load_pinmu",
            "read_pinmu_declaration",
            "group_code",
            "normalize_code",
            "normalize_pinmu_code",
            "parent_code",
            "parse_catalog",
            "parse_pinmu_rows",
            "parse_pinmu_tsv",
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
            "MAX_LINE_CHARS",
            "MODEL_FORMAT",
            "PINMU_FORMAT",
            "atomic_dump",
            "cache_dir",
            "load_or_build",
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
            "PinmuCandidate",
            "PinmuClassifier",
            "PinmuEvaluation",
            "RealTitle",
            "RealTypeModel",
            "NO_CONTENT_MESSAGE",
            "bundled_real_titles",
            "no_content",
            "key_text",
            "project_key",
            "project_side",
            "PinmuLine",
            "PinmuRanking",
            "PurchaseScope",
            "TrainingDataError",
            "bundled_aliases",
            "bundled_dev",
            "bundled_negatives",
            "bundled_no_leaf",
            "bundled_pinmu_training",
            "bundled_procurement_dev",
            "bundled_training",
            "bundled_verdict_dev",
            "char_vectorizer",
            "clear_token_cache",
            "default_model_path",
            "description_terms",
            "evaluate",
            "evaluate_pinmu",
            "get_model",
            "get_threads",
            "set_threads",
            "input_hashes",
            "library_versions",
            "load_model",
            "normalize",
            "normalize_line",
            "parse_gold",
            "pinmu_label",
            "purchase_scope",
            "read_aliases",
            "read_labeled",
            "read_pinmu_lines",
            "save_model",
            "tokenize",
            "train_default_model",
            "word_vectorizer",
        ]
    )
    assert issubclass(classifier.ModelMismatchError, classifier.ModelFileError)
    assert issubclass(classifier.ModelFileError, classifier.ClassifierError)


def test_eligibility_public_names_and_error_tree():
    import classifier
    from classifier import eligibility

    assert {"Checker", "Verdict", "Reason", "Thresholds", "Auditor", "AuditResult", "fit_thresholds"} <= set(
        eligibility.__all__
    )
    assert {"evaluate_verdicts", "get_checker", "load_checker", "save_checker", "train_checker"} <= set(
        eligibility.__all__
    )
    assert all(hasattr(eligibility, name) for name in eligibility.__all__)
    assert issubclass(eligibility.RuleTableError, eligibility.EligibilityError)
    assert issubclass(eligibility.EligibilityError, classifier.ClassifierError)
    assert eligibility.VERDICTS == ("eligible", "ineligible", "review")


def _package_of(module: str, path) -> str:
    """The package a module file belongs to: ``classifier.eligibility`` for classifier/eligibility/_checker.py."""
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_imports(root=None):
    """(importing file, imported module) where a module imports another package's private module."""
    import ast
    from pathlib import Path

    root = root or Path(__file__).resolve().parents[1]
    found = []
    for folder in ("catalog", "classifier", "service", "benchmarks", "tests"):
        for path in (root / folder).rglob("*.py"):
            module = ".".join(path.relative_to(root).with_suffix("").parts)
            own = _package_of(module, path)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    private_module = any(_private(p) for p in node.module.split("."))
                    names = [node.module] if private_module else [f"{node.module}.{a.name}" for a in node.names]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                for name in names:
                    parts = name.split(".")
                    private = next((i for i, p in enumerate(parts) if _private(p)), None)
                    if private is None or parts[0] not in {"catalog", "classifier", "service", "benchmarks"}:
                        continue
                    owner = ".".join(parts[:private])
                    # white-box tests may read the internals of the package they test (tests/service -> service)
                    tested = folder == "tests" and module.split(".")[1:2] == [owner.split(".")[0]]
                    if owner != own and not tested:
                        found.append((path.relative_to(root).as_posix(), name))
    return found


def test_no_module_imports_another_package_private_module():
    assert _private_imports() == []


def test_the_private_import_check_can_fail(tmp_path):
    (tmp_path / "service").mkdir()
    (tmp_path / "service" / "_probe.py").write_text("from classifier._model import GpscClassifier\n")
    (tmp_path / "service" / "ok.py").write_text("from service._probe import x\nfrom classifier import normalize\n")
    assert _private_imports(tmp_path) == [("service/_probe.py", "classifier._model")]


def test_the_api_does_not_load_the_cli_and_the_catalog_command_loads_no_model():
    import subprocess
    import sys

    probe = "import sys, service.api; print(sorted(m for m in ('click', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    probe = (
        "import sys; from click.testing import CliRunner; from service.cli import main;"
        "r = CliRunner().invoke(main, ['catalog', 'show', '--list']); assert r.exit_code == 0, r.output;"
        "print(sorted(m for m in ('numpy', 'scipy', 'jieba', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


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
