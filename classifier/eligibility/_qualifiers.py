"""Scope words in a leaf name that a line can contradict (``scope_qualifiers.toml``).

A leaf such as ``为老年人购买意外伤害保险`` is for one group of people; ``全民意外伤害保险`` shares every other
word with it and scores high, yet it is not that service. Similarity cannot see this, so the
qualifiers are reviewed data and the checker asks ``conflict(line, leaf_name)`` before trusting a match.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from ._errors import RuleTableError


@dataclass(frozen=True, slots=True)
class Conflict:
    """The leaf is for ``leaf_group``; the line says ``line_words`` (another group, or everybody)."""

    dimension: str
    leaf_group: str
    line_words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Dimension:
    id: str
    name: str
    everyone: tuple[str, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (group name, words)


@dataclass(frozen=True, slots=True)
class Qualifiers:
    dimensions: tuple[_Dimension, ...]

    def conflict(self, line: str, leaf_name: str) -> Conflict | None:
        """The first dimension in which ``line`` contradicts the group ``leaf_name`` is limited to.

        >>> load_qualifiers().conflict("全民意外伤害保险", "为老年人购买意外伤害保险").leaf_group
        '老年人'
        >>> load_qualifiers().conflict("老年人意外伤害保险", "为老年人购买意外伤害保险") is None
        True
        """
        for dim in self.dimensions:
            leaf_groups = [name for name, words in dim.groups if any(w in leaf_name for w in words)]
            if not leaf_groups:
                continue
            if any(w in line for name, words in dim.groups if name in leaf_groups for w in words):
                continue  # the line names the leaf's own group
            said = [w for w in dim.everyone if w in line]
            said += [w for name, words in dim.groups if name not in leaf_groups for w in words if w in line]
            if said:
                return Conflict(dim.name, leaf_groups[0], tuple(dict.fromkeys(said)))
        return None


def parse_qualifiers(toml_text: str) -> Qualifiers:
    try:
        data = tomllib.loads(toml_text)
        dimensions = tuple(
            _Dimension(
                d["id"],
                d["name"],
                tuple(d.get("everyone", [])),
                tuple((g["name"], tuple(g["words"])) for g in d["group"]),
            )
            for d in data["dimension"]
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        raise RuleTableError(f"限定词表格式有误：{error!r}") from error
    return Qualifiers(dimensions)


def qualifiers_source() -> str:
    return files("classifier.eligibility").joinpath("scope_qualifiers.toml").read_text(encoding="utf-8")


@cache
def load_qualifiers() -> Qualifiers:
    """The bundled qualifier table, parsed once."""
    return parse_qualifiers(qualifiers_source())
