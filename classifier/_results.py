"""Typed results of classification: never bare tuples, "no match" is None or an empty tuple."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked catalog leaf: ``Candidate('民政', 'A100301', '社会工作服务', path, 0.93, ('alias: 社工站',))``."""

    department: str
    code: str
    name: str
    path: tuple[tuple[str, str], ...]
    score: float
    evidence: tuple[str, ...] = ()
    shared: tuple[str, ...] | None = None  # distinctive words shared with the leaf's closest text (None: not computed)

    @property
    def key(self) -> str:
        """``民政/A100301``: how gold labels and the tag columns write a leaf."""
        return f"{self.department}/{self.code}"


@dataclass(frozen=True, slots=True)
class PartialCode:
    """The level-3 node is certain but the leaf is not: the top leaves share this parent."""

    department: str
    code: str
    name: str
    score: float
    leaves: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Classification:
    """Ranked leaves for one purchase line.

    ``department`` is the resolved section (None when not given); ``elsewhere`` is the best leaf of
    another section when it clearly beats every leaf of the buyer's own; ``shortcut`` says whether an
    exact catalog name or alias decided the match; ``error`` explains a line that could not be classified.
    """

    text: str
    normalized: str
    department: str | None
    candidates: tuple[Candidate, ...]
    shortcut: str | None = None
    partial: PartialCode | None = None
    elsewhere: Candidate | None = None
    error: str | None = None

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None
