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
    asks = [(line, line.department, result.with_department) for line in lines if line.department]
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


@dataclass
class VerdictReport:
    """How the eligibility check does on lines with an expected verdict."""

    thresholds: object
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (expected, predicted) -> count
    rule_recall: dict[str, tuple[int, int]] = field(default_factory=dict)  # rule -> (caught by it, lines)
    wrong: list[tuple[str, str | None, str, str]] = field(default_factory=list)  # text, department, expected, got

    def count(self, expected: str | None = None, predicted: str | None = None) -> int:
        return sum(
            n
            for (e, p), n in self.confusion.items()
            if (expected is None or e == expected) and (predicted is None or p == predicted)
        )

    @property
    def total(self) -> int:
        return self.count()

    @property
    def accuracy(self) -> float:
        right = sum(n for (e, p), n in self.confusion.items() if e == p)
        return right / self.total if self.total else 0.0

    @property
    def false_eligible_rate(self) -> float:
        """Share of lines that must not be eligible (ineligible or review) that were judged eligible."""
        negatives = self.count("ineligible") + self.count("review")
        wrong = self.count("ineligible", "eligible") + self.count("review", "eligible")
        return wrong / negatives if negatives else 0.0

    @property
    def false_ineligible_rate(self) -> float:
        eligible = self.count("eligible")
        return self.count("eligible", "ineligible") / eligible if eligible else 0.0


def evaluate_verdicts(checker, lines: Sequence[LabeledLine]) -> VerdictReport:
    """Verdicts for every line, asked with its own department (or none), against the expected verdict."""
    report = VerdictReport(checker.thresholds)
    verdicts = checker.check_many([line.text for line in lines], [line.department for line in lines])
    for line, verdict in zip(lines, verdicts, strict=True):
        key = (line.expected_verdict, verdict.verdict)
        report.confusion[key] = report.confusion.get(key, 0) + 1
        if line.rule and line.expected_verdict == "ineligible":
            caught, total = report.rule_recall.get(line.rule, (0, 0))
            hit = verdict.verdict == "ineligible" and any(r.rule == line.rule for r in verdict.reasons)
            report.rule_recall[line.rule] = (caught + hit, total + 1)
        if key[0] != key[1]:
            report.wrong.append((line.text, line.department, key[0], key[1]))
    return report
