"""Save, load and cache a ready checker: the ranking model, the fitted thresholds, and what produced them.

A bundle records its provenance: a hash of every input (training lines, long-line shapes, aliases,
dev lines, negatives, realistic verdict lines, place names, the rule table, the qualifier table, the
department aliases, the catalog) and the library versions (jieba among them: its tokens are features).
The cached bundle is retrained when any input changed; a bundle given by path that does not match is
refused with the command that retrains. Bundles are pickles: load only your own (``gpsc train``). The cached
bundle is loaded only from a private cache folder, and trained by one process at a time (see
``classifier._cachefile``).
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Callable, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

import joblib

from catalog import Catalog, catalog_from_records, leaf_records, load_catalog, load_pinmu
from classifier import (
    MODEL_FORMAT,
    PINMU_FORMAT,
    GpscClassifier,
    LabeledLine,
    ModelFileError,
    ModelMismatchError,
    PinmuClassifier,
    PinmuLine,
    Reference,
    atomic_dump,
    bundled_pinmu_training,
    bundled_real_titles,
    cache_dir,
    default_model_path,
    get_model,
    input_hashes,
    library_versions,
    load_or_build,
    project_key,
    project_side,
    read_pinmu_lines,
    train_default_model,
)

from ._checker import Checker
from ._qualifiers import qualifiers_source
from ._rules import rules_source
from ._thresholds import fit_thresholds
from ._typing import fit_type_decider, labelled_type

BUNDLE_FORMAT = 16  # bump when the decision code changes what fitted thresholds mean
_KIND = "gpsc-checker"

# the steps of training a checker, as a person is told them while waiting (``progress(step, steps, words)``)
TRAINING_STEPS = (
    "目录匹配模型",
    "品目排序模型",
    "品目排序的交叉拟合",
    "所购类型的判断",
    "判定阈值",
)
Progress = Callable[[int, int, str], None]


def _noop(step: int, steps: int, words: str) -> None:
    """No one is waiting to be told."""


def _step(progress: Progress | None, k: int) -> None:
    (progress or _noop)(k + 1, len(TRAINING_STEPS), TRAINING_STEPS[k])


def _sha(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()[:16]


def provenance(catalog: Catalog | None = None) -> dict[str, str]:
    """Everything a checker is made from, hashed; two equal provenances give the same checker."""
    catalog = catalog or load_catalog()
    out = dict(input_hashes())
    out["classifier/eligibility/eligibility_rules.toml"] = _sha(rules_source())
    out["classifier/eligibility/scope_qualifiers.toml"] = _sha(qualifiers_source())
    out["catalog/data/department_aliases.tsv"] = _sha(
        files("catalog.data").joinpath("department_aliases.tsv").read_bytes()
    )
    out["catalog"] = catalog.content_hash
    out["model_format"] = str(MODEL_FORMAT)
    out["pinmu_format"] = str(PINMU_FORMAT)
    out["bundle_format"] = str(BUNDLE_FORMAT)
    out.update({f"library:{name}": v for name, v in library_versions().items()})
    return out


def train_checker(
    model: GpscClassifier | None = None,
    catalog: Catalog | None = None,
    *,
    reviewed: Sequence[LabeledLine] = (),
    reviewed_ids: Sequence[int] = (),
    progress: Progress | None = None,
) -> Checker:
    """Fit the guidance ranking (unless given) and the 品目 ranking on ``training_data/``, then the thresholds on
    the dev lines, the negatives, the realistic verdict lines and the 政府采购 dev lines. ``progress(step, steps,
    words)`` is told each step (``TRAINING_STEPS``) as it starts: a first use takes half a minute.

    ``reviewed`` are a team's decisions (``gpsc train --with-reviews``): an eligible line with its leaf is also
    learned from by the ranking; every decided line joins the lines the thresholds are fitted on. Their record ids
    (``reviewed_ids``) are kept with the checker, so that an evaluation can leave them out."""
    reference = Reference.for_catalog(catalog)
    catalog = reference.catalog
    reviewed = list(reviewed)
    learned = [line for line in reviewed if line.gold and line.expected_verdict == "eligible"]
    _step(progress, 0)
    if model is None:
        model = train_default_model(catalog) if not learned else _model_with(reference, learned)
    services = [line.text for line in reference.training]  # every guidance training line is a service
    # the real titles' training half teaches gpsc how real lines are worded: a real-title type model, and the 品目
    # ranking (titles whose buyer's path names a 2022 item). Both are cross-fitted over two folds of the half (split
    # again by project) for the type decision, which is fitted on what no model learned from
    real = [t for t in bundled_real_titles("train") if len(t.types) == 1]
    fold = {t.text: int(project_side(project_key(t.text), salt="type") == "test") for t in real}
    titles = [(t.text, t.types[0], fold[t.text]) for t in real]
    coded = [(PinmuLine(t.text, t.codes), fold[t.text]) for t in real if t.codes]
    written = bundled_pinmu_training()

    def pinmu_model(lines: Sequence[PinmuLine]) -> PinmuClassifier:
        return PinmuClassifier().fit(load_pinmu(), [*written, *lines], services)

    _step(progress, 1)
    pinmu = pinmu_model([line for line, _ in coded])
    _step(progress, 2)
    fold_rankers = [pinmu_model([line for line, f in coded if f != k]) for k in (0, 1)]
    checker = Checker(model, pinmu=pinmu)
    _step(progress, 3)
    typed_lines = _typed_dev_lines(reference)
    typer = fit_type_decider(
        checker,
        typed_lines,
        titles,
        source=f"真实公告标题（训练半）{len(titles)} 条 + procurement_dev/dev2 + dev_verdicts + dev",
        fold_rankers=fold_rankers,
    )
    checker = Checker(model, pinmu=pinmu, typer=typer)
    lines = [*reference.verdict_lines, *reviewed]
    _step(progress, 4)
    source = "dev.csv + negatives.csv + dev_verdicts.csv; 类型: 真实公告标题训练半（交叉拟合）+ 政府采购与判定开发集"
    thresholds = fit_thresholds(  # the goods/works threshold comes with the type decision (its cross-fitted rows)
        checker, lines, source=source + (f"; 人工审定 {len(reviewed)} 条" if reviewed else "")
    )
    trained = Checker(model, thresholds=thresholds, pinmu=pinmu, typer=typer)
    trained.reviewed_ids = frozenset(reviewed_ids)
    return trained


def _typed_dev_lines(reference: Reference) -> list[tuple[str, str | None, str]]:
    """Written lines whose type is known and that no ranker learns from: 政府采购 dev lines (by their 品目) and the
    verdict dev lines (a goods or works rule, or a service)."""
    pinmu = load_pinmu()
    out = []
    for name in ("procurement_dev.csv", "procurement_dev2.csv"):
        for line in read_pinmu_lines(files("training_data").joinpath(name).read_text(encoding="utf-8"), pinmu, name):
            out.append((line.text, None, labelled_type("", None, line.codes[0])))
    for line in reference.typed_lines:
        kind = labelled_type(line.expected_verdict, line.rule)
        if kind is not None:
            out.append((line.text, line.department, kind))
    return out


def _model_with(reference: Reference, learned: Sequence[LabeledLine]) -> GpscClassifier:
    """The ranking fitted on the bundled lines plus reviewed ones."""
    lines = [*reference.training, *learned]
    model = GpscClassifier().fit(reference.catalog, lines, reference.aliases, reference.no_leaf)
    model.training_hash_ = f"training_data+{len(learned)} reviewed"
    return model


def save_checker(checker: Checker, path: str | Path) -> Path:
    """Write the checker with its provenance, atomically (a unique temporary name, then a rename). In the cache
    folder, the folder is made private (0700) and the file 0600."""
    reference = Reference.for_catalog(checker.catalog)
    bundle = {
        "kind": _KIND,
        "provenance": provenance(checker.catalog),
        "thresholds": checker.thresholds,
        "model": checker.model,
        "pinmu": checker.pinmu_model,
        "typer": getattr(checker, "typer", None),
        "reviewed_ids": sorted(getattr(checker, "reviewed_ids", ())),  # decisions learned from (not provenance)
        "catalog_name": reference.name,
        # another province's catalog travels with its model (the bundled one is in the package)
        "catalog": None if reference.is_bundled else _catalog_record(checker.catalog),
    }
    return atomic_dump(bundle, path)


def load_checker(path: str | Path, catalog: Catalog | None = None) -> Checker:
    """Load a bundle written by ``save_checker``; refuse one made from other inputs, saying how to retrain.

    A checker trained for another province's catalog carries it: without ``catalog`` that one is used; with a
    ``catalog`` that is not the one it was trained on, it is refused (``ModelMismatchError``)."""
    path = Path(path)
    retrain = f"`gpsc train -o {path}`"
    if not path.is_file():
        raise ModelFileError(f"没有模型文件 {path}：请运行 {retrain}")
    try:
        bundle = joblib.load(path)
    except Exception as error:  # a truncated or foreign file: joblib raises many kinds
        raise ModelFileError(
            f"{path} 不是可读取的 gpsc 模型（{error.__class__.__name__}）：请运行 {retrain} 重新训练"
        ) from error
    return _checker_from_bundle(bundle, path, catalog)


def _checker_from_bundle(bundle: Any, path: Path, catalog: Catalog | None) -> Checker:
    """The checker in a loaded bundle; raises when it is not one made from the inputs in use."""
    retrain = f"`gpsc train -o {path}`"
    if (
        not isinstance(bundle, dict)
        or bundle.get("kind") != _KIND
        or not isinstance(bundle.get("model"), GpscClassifier)
    ):
        raise ModelFileError(f"{path} 不是 gpsc 模型文件：请运行 {retrain} 重新训练")
    catalog = catalog or _carried_catalog(bundle.get("catalog")) or load_catalog()
    trained_on = bundle.get("provenance", {}).get("catalog")
    if trained_on is not None and trained_on != catalog.content_hash:
        name = bundle.get("catalog_name") or f"目录 {trained_on}"
        in_use = Reference.for_catalog(catalog).name if catalog.title else f"目录 {catalog.content_hash}"
        raise ModelMismatchError(
            f"{path} 是按{name}训练的，不能用于{in_use}：请用同一目录运行 "
            f"`gpsc train --catalog 目录文件 -o {path}` 重新训练"
        )
    saved, current = bundle.get("provenance", {}), provenance(catalog)
    changed = sorted(k for k in current.keys() | saved.keys() if saved.get(k) != current.get(k))
    if changed:
        raise ModelMismatchError(
            f"{path} 是用其他输入训练的（不同：{'、'.join(changed[:6])}{' 等' if len(changed) > 6 else ''}）："
            f"请运行 {retrain} 重新训练"
        )
    model: GpscClassifier = bundle["model"]
    model.catalog_ = catalog
    checker = Checker(model, thresholds=bundle["thresholds"], pinmu=bundle.get("pinmu"), typer=bundle.get("typer"))
    checker.reviewed_ids = frozenset(bundle.get("reviewed_ids", ()))
    return checker


def _catalog_record(catalog: Catalog) -> dict[str, Any]:
    """Another province's catalog as its leaves (the export's records): plain data, rebuilt exactly on load."""
    return {"title": catalog.title, "source_version": catalog.source_version, "leaves": leaf_records(catalog)}


def _carried_catalog(record: Any) -> Catalog | None:
    if not isinstance(record, dict) or not isinstance(record.get("leaves"), list):
        return None
    return catalog_from_records(record["leaves"], record.get("title") or "", record.get("source_version"))


def default_checker_path(catalog: Catalog | None = None) -> Path:
    """Where the automatically trained checker is kept: ``$GPSC_MODEL``, else the user cache folder, under a
    name that carries the hash of its provenance (so a changed input never loads a stale checker)."""
    if os.environ.get("GPSC_MODEL"):
        return Path(os.environ["GPSC_MODEL"])
    return _cached_checker_path(catalog)


def _cached_checker_path(catalog: Catalog | None = None) -> Path:
    digest = _sha(repr(sorted(provenance(catalog).items())))
    return cache_dir() / f"checker-{digest}.joblib"


def get_checker(
    path: str | Path | None = None, *, progress: Progress | None = None, catalog: Catalog | None = None
) -> Checker:
    """A ready checker: the saved one, or one trained on the bundled data and cached for next time (``progress``
    is told each training step; a loaded checker tells it nothing).

    The cached checker is loaded only if it and its folder are private to the user; one that is not, or does
    not load, is ignored with a warning and retrained (one process trains, the others wait and load it). A
    file the user chose (``path``, ``$GPSC_MODEL``) is loaded as it is, and an error in it is raised. ``catalog``:
    another province's catalog, whose checker is cached under its own name."""
    cached = _cached_checker_path(catalog)
    path = Path(path) if path else default_checker_path(catalog)
    if path != cached:
        if path.is_file():
            return load_checker(path, catalog)  # a file the user chose: an error says so rather than replacing it
        checker = _train_with_progress(progress, catalog)
        try:
            save_checker(checker, path)
        except OSError as error:
            warnings.warn(f"无法把模型保存到 {path}：{error}", stacklevel=2)
        return checker
    catalog = catalog or load_catalog()
    return load_or_build(
        path,
        load=lambda file: _checker_from_bundle(joblib.load(file), path, catalog),
        build=lambda: _train_with_progress(progress, catalog),
        save=save_checker,
    )


def _train_with_progress(progress: Progress | None, catalog: Catalog | None = None) -> Checker:
    _step(progress, 0)
    return train_checker(get_model(default_model_path(catalog), catalog), catalog, progress=progress)
