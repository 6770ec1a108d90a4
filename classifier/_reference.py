"""The reference bundle: everything a checker is made from and judges against, as one explicit object.

A guidance catalog is a province's (each publishes its own); gpsc bundles Shanxi's. ``Reference.for_catalog``
gives, for any catalog, the department aliases and training lines that fit it: the bundled lines are labelled with
Shanxi leaves, and a line is kept only where the other catalog has the same leaf (the same section, code and name),
so a model trained for another province never learns a leaf that catalog does not have. The crosswalk to the 品目
(which 政府采购 item a leaf is filed under) is kept the same way, and the catalog's own terms go to the tokenizer.
Nothing below the ``Reference`` reads "the" province from a global.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property

from catalog import Catalog, CatalogError, CrosswalkRow, Pinmu, load_catalog, load_crosswalk, load_pinmu

from ._data import (
    Alias,
    LabeledLine,
    bundled_aliases,
    bundled_dev,
    bundled_negatives,
    bundled_no_leaf,
    bundled_training,
    bundled_verdict_dev,
)
from ._normalize import fold


@dataclass(frozen=True, eq=False)
class Reference:
    """A catalog with what fits it: ``Reference.for_catalog(catalog)``; ``Reference.bundled()`` for Shanxi's.

    >>> reference = Reference.bundled()
    >>> reference.is_bundled, len(reference.training) > 1000, reference.dropped
    (True, True, 0)
    """

    catalog: Catalog
    pinmu: Pinmu
    is_bundled: bool
    _lines: Callable[[str], tuple[LabeledLine, ...]] = field(repr=False)
    _aliases: Callable[[], tuple[Alias, ...]] = field(repr=False)
    _crosswalk: Callable[[], Mapping[tuple[str, str], CrosswalkRow]] = field(repr=False)

    @staticmethod
    @cache
    def bundled() -> Reference:
        catalog = load_catalog()
        readers = {
            "training": bundled_training,
            "no_leaf": bundled_no_leaf,
            "dev": bundled_dev,
            "negatives": bundled_negatives,
            "verdict_dev": bundled_verdict_dev,
        }
        return Reference(
            catalog,
            load_pinmu(),
            True,
            cache(lambda name: tuple(readers[name](catalog))),
            bundled_aliases,
            load_crosswalk,
        )

    @staticmethod
    def for_catalog(catalog: Catalog | None) -> Reference:
        """The bundled reference for the bundled catalog (or None); for another, what of it fits that catalog."""
        bundled = Reference.bundled()
        if catalog is None or catalog.content_hash == bundled.catalog.content_hash:
            return bundled
        if catalog.content_hash not in _OTHERS:  # by hash: hashing the catalog itself walks every node
            _OTHERS[catalog.content_hash] = _other(catalog)
        return _OTHERS[catalog.content_hash]

    # --- what fits the catalog ------------------------------------------------------------------------------------
    @cached_property
    def training(self) -> tuple[LabeledLine, ...]:
        """The ranking's training lines (``train.csv`` and ``train_shapes.csv``)."""
        return self._lines("training")

    @cached_property
    def no_leaf(self) -> tuple[LabeledLine, ...]:
        return self._lines("no_leaf")

    @cached_property
    def verdict_lines(self) -> tuple[LabeledLine, ...]:
        """The lines the thresholds are fitted on: dev, negatives and the realistic verdict lines."""
        return (*self._lines("dev"), *self._lines("negatives"), *self._lines("verdict_dev"))

    @cached_property
    def typed_lines(self) -> tuple[LabeledLine, ...]:
        """Verdict and dev lines whose type (goods, works, service) the type decision may learn."""
        return (*self._lines("verdict_dev"), *self._lines("dev"))

    @cached_property
    def aliases(self) -> tuple[Alias, ...]:
        return tuple(self._aliases())

    @cached_property
    def crosswalk(self) -> Mapping[tuple[str, str], CrosswalkRow]:
        """(section title, code) -> the 品目 it is filed under."""
        return self._crosswalk()

    @cached_property
    def dropped(self) -> int:
        """Bundled training lines left out because this catalog lacks their leaf (0 for the bundled catalog)."""
        return len(Reference.bundled().training) - len(self.training)

    @cached_property
    def public_services_only(self) -> bool:
        """The catalog lists only 公共服务 at level 1 (Shanxi's has no 政府履职辅助性服务): a service it lacks may
        be in the department's own catalog of auxiliary services."""
        return {n.name for s in self.catalog.sections for n in s.nodes if n.level == 1} == {"公共服务"}

    @property
    def name(self) -> str:
        """How the catalog is named to a person: ``《山西省部门政府购买服务指导性目录》（晋财综〔2025〕28号）``."""
        version = f"（{self.catalog.source_version}）" if self.catalog.source_version else ""
        return f"《{self.catalog.title or '所用目录'}》{version}"


_OTHERS: dict[str, Reference] = {}  # one reference per other catalog and process: its lines are read once


def _other(catalog: Catalog) -> Reference:
    """The reference of another catalog."""
    bundled = Reference.bundled()
    leaf_map = _leaf_map(bundled.catalog, catalog)
    section_map = _section_map(bundled.catalog, catalog)

    def lines(name: str) -> tuple[LabeledLine, ...]:
        return tuple(filter(None, (_move_line(line, section_map, leaf_map) for line in bundled._lines(name))))

    def aliases() -> tuple[Alias, ...]:
        return tuple(Alias(a.alias, leaf_map[a.leaf]) for a in bundled.aliases if a.leaf in leaf_map)

    def crosswalk() -> dict[tuple[str, str], CrosswalkRow]:
        moved = {}
        for (title, code), row in bundled.crosswalk.items():
            target = section_map.get(title)
            node = catalog.node(target, code) if target else None
            if node is not None and fold(node.name) == fold(row.name):
                moved[(target, code)] = replace(row, department=target)
        return moved

    return Reference(catalog, bundled.pinmu, False, cache(lines), aliases, crosswalk)


def _section_map(bundled: Catalog, other: Catalog) -> dict[str, str]:
    """Bundled section title -> the other catalog's section for it (by title or everyday name), where it has one."""
    found = {}
    for title in bundled.departments():
        try:
            found[title] = other.section(title).title
        except CatalogError:
            continue
    return found


def _leaf_map(bundled: Catalog, other: Catalog) -> dict[tuple[str, str], tuple[str, str]]:
    """Bundled leaf -> the other catalog's leaf with the same section, code and (folded) name."""
    sections = _section_map(bundled, other)
    found = {}
    for leaf in bundled.leaves():
        target = sections.get(leaf.department)
        twin = other.leaf(target, leaf.code) if target else None
        if twin is not None and fold(twin.name) == fold(leaf.name):
            found[(leaf.department, leaf.code)] = (twin.department, twin.code)
    return found


def _move_line(
    line: LabeledLine, sections: Mapping[str, str], leaves: Mapping[tuple[str, str], tuple[str, str]]
) -> LabeledLine | None:
    """The line labelled for the other catalog, or None when its buyer or any of its leaves is not there."""
    department = line.department
    if department is not None and department in sections:
        department = sections[department]
    elif department is not None and line.verdict is None:
        return None  # a ranking line whose section the other catalog lacks
    gold = tuple(leaves.get(leaf) for leaf in line.gold)
    if any(g is None for g in gold):
        return None
    return replace(line, department=department, gold=gold)
