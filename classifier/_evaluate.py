"""Accuracy of a model on labelled lines: top-1 and top-3, with and without the department."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ._data import LabeledLine
from ._model import GpscClassifier


@dataclass(frozen=True, slots=True)
class Miss:
    text: str
    department: str | None
    gold: tuple[str, ...]
    predicted: tuple[str, ...]


@dataclass
class Split:
    """Counts for one way of asking (department given, or not)."""

    total: int = 0
    top1: int = 0
    top3: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def top1_accuracy(self) -> float:
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_accuracy(self) -> float:
        return self.top3 / self.total if self.total else 0.0


@dataclass
class Evaluation:
    with_department: Split
    without_department: Split


def evaluate(model: GpscClassifier, lines: Sequence[LabeledLine]) -> Evaluation:
    """Classify every line twice, with its department (when it has one) and without."""
    result = Evaluation(Split(), Split())
    # a buyer without a section of its own (kept as written in verdict sets) has no "with department" ranking
    sections = set(model.catalog_.departments())
    asks = [(line, line.department, result.with_department) for line in lines if line.department in sections]
    asks += [(line, None, result.without_department) for line in lines]
    asks = [a for a in asks if a[0].gold]
    predictions = model.classify_many([a[0].text for a in asks], [a[1] for a in asks], top_k=3)
    for (line, department, split), prediction in zip(asks, predictions, strict=True):
        gold = {f"{d}/{c}" for d, c in line.gold}
        ranked = [c.key for c in prediction.candidates]
        split.total += 1
        split.top1 += bool(ranked[:1] and ranked[0] in gold)
        split.top3 += bool(gold & set(ranked[:3]))
        if not ranked or ranked[0] not in gold:
            split.misses.append(Miss(line.text, department, tuple(sorted(gold)), tuple(ranked)))
    return result
