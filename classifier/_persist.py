"""Save and load fitted models as versioned joblib bundles, and get a ready model without a manual step.

A bundle records the format, the library versions and the catalog hash it was fitted on; loading a
bundle that does not match raises ``ModelMismatchError`` saying how to retrain. Model files are
pickles: load only files from a trusted source (your own ``gpsc train``). The automatically cached model is
loaded only from a private cache folder, and trained by one process at a time (see ``classifier._cachefile``).
"""

from __future__ import annotations

import warnings
from importlib.metadata import version
from pathlib import Path
from typing import Any

import joblib

from catalog import Catalog, load_catalog

from ._cachefile import atomic_dump, cache_dir, load_or_build
from ._data import training_data_hash
from ._errors import ModelFileError, ModelMismatchError
from ._model import GpscClassifier
from ._reference import Reference

# 3: LCS coverage; 5: stacked matrices; 6: no sklearn inside; 8: purchase scope; 9: foreign sections;
# 10: no-leaf lines; 14: the leader's lead in the calibration
FORMAT_VERSION = 15
_LIBRARIES = ("gpsc", "scikit-learn", "jieba", "rapidfuzz", "numpy", "scipy")


def library_versions() -> dict[str, str]:
    return {name: version(name) for name in _LIBRARIES}


def save_model(model: GpscClassifier, path: str | Path) -> Path:
    """Write ``model`` with its provenance, atomically (a unique temporary name, then a rename); returns the
    path written. In the cache folder, the folder is made private (0700) and the file 0600."""
    bundle = {
        "format": FORMAT_VERSION,
        "versions": library_versions(),
        "catalog_hash": model.catalog_hash_,
        "training_hash": getattr(model, "training_hash_", None),
        "model": model,
    }
    return atomic_dump(bundle, path)  # never leave a half-written model where the next start would load it


def load_model(path: str | Path, catalog: Catalog | None = None) -> GpscClassifier:
    """Load a bundle written by ``save_model`` and attach ``catalog`` (default: the bundled one)."""
    path = Path(path)
    catalog = catalog or load_catalog()
    if not path.is_file():
        raise ModelFileError(f"找不到模型文件 {path}：请运行 `gpsc train -o {path}`")
    try:
        bundle = joblib.load(path)
    except Exception as error:  # a truncated or foreign file: joblib raises many kinds
        raise ModelFileError(f"{path} is not a readable gpsc model ({error.__class__.__name__}); retrain it") from error
    return _model_from_bundle(bundle, path, catalog)


def _model_from_bundle(bundle: Any, path: Path, catalog: Catalog) -> GpscClassifier:
    """The model in a loaded bundle, with ``catalog`` attached; raises when it is not one this gpsc can use."""
    if not isinstance(bundle, dict) or not isinstance(bundle.get("model"), GpscClassifier):
        raise ModelFileError(f"{path} is not a gpsc model bundle; retrain with `gpsc train -o {path}`")
    problems = []
    if bundle.get("format") != FORMAT_VERSION:
        problems.append(f"format {bundle.get('format')} (this gpsc reads {FORMAT_VERSION})")
    if bundle.get("catalog_hash") != catalog.content_hash:
        problems.append(f"catalog {bundle.get('catalog_hash')} (the catalog in use is {catalog.content_hash})")
    current = library_versions()
    for name in ("scikit-learn", "numpy", "jieba"):
        saved = bundle.get("versions", {}).get(name)
        if saved != current[name]:
            problems.append(f"{name} {saved} (installed: {current[name]})")
    if problems:
        raise ModelMismatchError(
            f"{path} was saved for another setup: {'; '.join(problems)}. Retrain it with `gpsc train -o {path}`."
        )
    model = bundle["model"]
    model.catalog_ = catalog
    return model


def train_default_model(catalog: Catalog | None = None) -> GpscClassifier:
    """Fit the ranking on the bundled training lines and aliases that fit ``catalog`` (default: the bundled one;
    see ``Reference``); the eligibility thresholds are fitted on top of it by ``classifier.eligibility.train_checker``
    and saved with the checker."""
    reference = Reference.for_catalog(catalog)
    model = GpscClassifier().fit(reference.catalog, reference.training, reference.aliases, reference.no_leaf)
    model.training_hash_ = training_data_hash()
    return model


def default_model_path(catalog: Catalog | None = None) -> Path:
    """Where the automatically trained ranking model is kept: the user cache folder, under a name that carries
    the catalog, the training data and the format (``$GPSC_MODEL`` names the whole checker, not this file)."""
    catalog = catalog or load_catalog()
    return cache_dir() / f"model-{catalog.content_hash}-{training_data_hash()}-v{FORMAT_VERSION}.joblib"


def get_model(path: str | Path | None = None, catalog: Catalog | None = None) -> GpscClassifier:
    """A ready model: load the saved one, or train on the bundled data and save it for next time.

    The cached model (``default_model_path()``) is loaded only if it and its folder are private to the user;
    one that is not, or does not load, is ignored with a warning and retrained. A ``path`` the user chose is
    loaded as it is, and an error in it is raised rather than silently replaced. ``catalog``: another province's
    catalog (its model is cached under its own name)."""
    catalog = catalog or load_catalog()
    default = default_model_path(catalog)
    path = Path(path) if path else default
    if path != default:
        if path.is_file():
            return load_model(path, catalog)
        model = train_default_model(catalog)
        try:
            save_model(model, path)
        except OSError as error:
            warnings.warn(f"无法把模型保存到 {path}：{error}", stacklevel=2)
        return model
    return load_or_build(
        path,
        load=lambda file: _model_from_bundle(joblib.load(file), path, catalog),
        build=lambda: train_default_model(catalog),
        save=save_model,
    )
