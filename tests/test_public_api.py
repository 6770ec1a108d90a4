"""Pin the public surface: a change here is a change other tools notice."""

from __future__ import annotations

import pytest

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
            "Reference",
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


def test_service_public_names():
    import importlib

    import service

    assert sorted(service.__all__) == sorted(
        ["AUDIT_COLUMNS", "TAG_COLUMNS", "running_server", "tag_cells", "tag_columns", "tag_frame", "verdict_dict"]
    )
    # the subpackages import their names when first used (``_HOMES``): each listed name must be found there
    for package in ("service.api", "service.reviews", "service.sheets"):
        module = importlib.import_module(package)
        assert sorted(module.__all__) == sorted(module._HOMES), package
        assert all(hasattr(module, name) for name in module.__all__), package
    sheets = importlib.import_module("service.sheets")
    assert {"open_table", "TableWriter", "SheetTally", "tag_table"} <= set(sheets.__all__)


def _module_name(root, path) -> str:
    """``service.sheets._tables`` for service/sheets/_tables.py, ``service.sheets`` for its ``__init__.py``."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(module: str, path) -> str:
    """The package a module file belongs to: ``classifier.eligibility`` for classifier/eligibility/_checker.py."""
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _from_base(node, package: str) -> str:
    """The module a ``from … import`` reads from, relative imports resolved against the importer's ``package``."""
    if node.level == 0:
        return node.module
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _private_imports(root=None):
    """(importing file, imported module) where a module imports another package's private module (relative
    imports too: ``from .._tables import x`` in service/api is as much a reach inside as the absolute one)."""
    import ast
    from pathlib import Path

    root = root or Path(__file__).resolve().parents[1]
    found = []
    for folder in ("catalog", "classifier", "service", "benchmarks", "tests"):
        for path in (root / folder).rglob("*.py"):
            module = _module_name(root, path)
            own = _package_of(module, path)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.ImportFrom):
                    base = _from_base(node, own)
                    private_module = any(_private(p) for p in base.split("."))
                    names = [base] if private_module else [f"{base}.{a.name}" for a in node.names]
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
    (tmp_path / "service" / "api").mkdir(parents=True)
    (tmp_path / "service" / "_probe.py").write_text("from classifier._model import GpscClassifier\n")
    (tmp_path / "service" / "ok.py").write_text("from service._probe import x\nfrom classifier import normalize\n")
    (tmp_path / "service" / "api" / "__init__.py").write_text("from ._app import create_app\n")
    (tmp_path / "service" / "api" / "_routes.py").write_text("from .. import _probe\nfrom .._probe import x\n")
    assert sorted(_private_imports(tmp_path)) == [
        ("service/_probe.py", "classifier._model"),
        ("service/api/_routes.py", "service._probe"),
        ("service/api/_routes.py", "service._probe"),
    ]


def _type_checking(test) -> bool:
    import ast

    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_at_import(body, lazy: bool = False):
    """The import statements a module runs when it is imported: top-level ones, also inside top-level ``if``,
    ``try`` or ``with`` blocks; not those in functions or classes (they run later, lazily) nor those under
    ``if TYPE_CHECKING:`` (they never run). ``lazy`` takes those in functions and classes too."""
    import ast

    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and not lazy:
            continue
        elif isinstance(node, ast.If) and _type_checking(node.test):
            yield from _run_at_import(node.orelse, lazy)
        else:
            blocks = [getattr(node, field, None) for field in ("body", "orelse", "finalbody")]
            blocks += [part.body for part in (*getattr(node, "handlers", ()), *getattr(node, "cases", ()))]
            for block in blocks:
                if isinstance(block, list):
                    yield from _run_at_import(block, lazy)


def _lazy_homes(tree, package: str) -> dict[str, str]:
    """A package that imports its names when first used (``service.reviews``: a module ``__getattr__`` over a
    table ``_HOMES`` of name -> module) still imports that module when ``from package import name`` runs: the
    graph follows the table, so that a circle through such a package is not hidden."""
    import ast

    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["_HOMES"]:
            table = ast.literal_eval(node.value)
            return {name: package + home if home.startswith(".") else home for name, home in table.items()}
    return {}


def _import_graph(root=None, packages=("catalog", "classifier", "service"), lazy=False) -> dict[str, set[str]]:
    """module -> the modules of ``packages`` it imports when it is imported (see ``_run_at_import``; ``lazy``:
    or later, from a function).

    ``from pkg import name`` imports the module ``pkg.name`` when there is one, else ``pkg`` (and, for a lazy
    package, the module its ``_HOMES`` names); ``import a.b`` imports a/b/__init__.py. Importing a module also
    runs the ``__init__.py`` of each package on its way that the importer is not itself inside.
    """
    import ast
    from pathlib import Path

    root = root or Path(__file__).resolve().parents[1]
    trees, packages_of = {}, {}
    for folder in packages:
        for path in (root / folder).rglob("*.py"):
            module = _module_name(root, path)
            trees[module] = ast.parse(path.read_text(encoding="utf-8"))
            packages_of[module] = _package_of(module, path)
    homes = {m: _lazy_homes(tree, m) for m, tree in trees.items() if m == packages_of[m]}

    def with_packages_on_the_way(target: str, importer: str) -> set[str]:
        inside = {importer.rsplit(".", k)[0] for k in range(importer.count(".") + 1)}
        parts = target.split(".")
        on_the_way = {".".join(parts[:k]) for k in range(1, len(parts) + 1)}
        return {m for m in on_the_way - inside if m in trees}

    graph: dict[str, set[str]] = {}
    for module, tree in trees.items():
        imported: set[str] = set()
        for node in _run_at_import(tree.body, lazy):
            if isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
                continue
            base = _from_base(node, packages_of[module])
            for alias in node.names:
                name = f"{base}.{alias.name}"
                imported.add(name if name in trees else homes.get(base, {}).get(alias.name, base))
        graph[module] = set()
        for target in imported:
            graph[module] |= with_packages_on_the_way(target, module)
        graph[module].discard(module)
    return graph


def _import_cycles(graph: dict[str, set[str]]) -> list[str]:
    """Every import circle, as ``a -> b -> a`` (a imports b, which imports a): ``graphlib`` names one circle at a
    time; its closing import is set aside and the search goes on."""
    import graphlib

    graph = {module: set(imported) for module, imported in graph.items()}
    cycles = []
    while True:
        try:
            tuple(graphlib.TopologicalSorter(graph).static_order())
            return cycles
        except graphlib.CycleError as error:
            cycle = error.args[1]  # each module is imported by the next one; the first is the last again
            graph[cycle[1]].discard(cycle[0])
            ring = cycle[:0:-1]  # in import order, once round
            start = ring.index(min(ring))
            ring = ring[start:] + ring[:start]
            cycles.append(" -> ".join([*ring, ring[0]]))


@pytest.fixture(scope="module")
def import_graph() -> dict[str, set[str]]:
    return _import_graph()


@pytest.mark.parametrize("package", ["catalog", "classifier", "service"])
def test_no_import_circles(package, import_graph):
    # a circle only works by the order modules happen to load in, and breaks when one of them is imported first
    graph = import_graph
    assert "service.sheets._tables" in graph["service.sheets._summary"]  # the graph sees what it should
    cycles = [c for c in _import_cycles(graph) if c.split(".")[0] == package]
    assert cycles == [], f"import circles in {package}/ (break each by moving the shared piece): {cycles}"


def test_no_circles_even_through_lazy_imports():
    # an import moved into a function hides a circle from the test above, it does not remove it: none is left
    # (service had _tables -> _summary -> _tables, classifier _data -> _pinmu_model -> … -> _data and
    # _normalize -> _scope -> _normalize), so none comes back
    cycles = _import_cycles(_import_graph(lazy=True))
    assert cycles == [], f"import circles through imports inside functions: {cycles}"


def test_the_import_circle_check_can_fail(tmp_path):
    (tmp_path / "service" / "sheets").mkdir(parents=True)
    (tmp_path / "service" / "__init__.py").write_text("")
    (tmp_path / "service" / "_a.py").write_text("import json\n\nfrom ._b import x\n")
    (tmp_path / "service" / "_b.py").write_text("from typing import TYPE_CHECKING\n\nfrom service import _a\n")
    (tmp_path / "service" / "_c.py").write_text("def f():\n    from . import _d\n")  # lazy: no circle
    (tmp_path / "service" / "_d.py").write_text("from ._c import f\n")
    (tmp_path / "service" / "_e.py").write_text("if TYPE_CHECKING:\n    from ._f import F\n")  # never runs
    (tmp_path / "service" / "_f.py").write_text("try:\n    from ._e import E\nexcept ImportError:\n    pass\n")
    (tmp_path / "service" / "sheets" / "__init__.py").write_text('_HOMES = {"open": "._read"}\n')
    (tmp_path / "service" / "sheets" / "_read.py").write_text("from service._g import g\n")
    (tmp_path / "service" / "_g.py").write_text("from service.sheets import open\n")
    cycles = _import_cycles(_import_graph(tmp_path, packages=("service",)))
    assert sorted(cycles) == [
        "service._a -> service._b -> service._a",
        "service._g -> service.sheets._read -> service._g",
    ]
    lazy = _import_cycles(_import_graph(tmp_path, packages=("service",), lazy=True))
    assert "service._c -> service._d -> service._c" in lazy and len(lazy) == 3


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


def test_a_check_without_a_review_record_loads_no_database_library(model_file, tmp_path):
    """No record file: the review store's libraries (SQLAlchemy, Alembic) are not even imported (a third of a
    cold start)."""
    import os
    import subprocess
    import sys

    probe = (
        "import sys; from click.testing import CliRunner; from service.cli import main;"
        f"r = CliRunner().invoke(main, ['check', '法律顾问服务', '-d', '县司法局', '--model', {str(model_file)!r}]);"
        "assert r.exit_code == 0, r.output; print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))"
    )
    env = {**os.environ, "GPSC_DB": f"sqlite:///{tmp_path / 'none' / 'reviews.db'}"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip() == "[]"
