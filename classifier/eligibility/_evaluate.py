"""How the eligibility check does on lines with an expected verdict: accuracy, the confusion matrix, and
the two costly error rates (false eligible, false ineligible), per labelled set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from classifier import LabeledLine

from ._checker import Checker, Thresholds
from ._kinds import VERDICTS, VerdictKind


@dataclass(frozen=True, slots=True)
class WrongVerdict:
    text: str
    department: str | None
    expected: VerdictKind
    got: VerdictKind
    rules: tuple[str, ...]  # the reasons' rule ids, to see why


@dataclass
class VerdictReport:
    """Counts of (expected, got) verdicts; ``rule_recall`` per negative rule: (caught by that rule, lines)."""

    thresholds: Thresholds
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    rule_recall: dict[str, tuple[int, int]] = field(default_factory=dict)
    wrong: list[WrongVerdict] = field(default_factory=list)

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
        """Share of lines that may be bought as services (eligible or review) that were judged ineligible."""
        services = self.count("eligible") + self.count("review")
        wrong = self.count("eligible", "ineligible") + self.count("review", "ineligible")
        return wrong / services if services else 0.0

    def matrix(self) -> list[tuple[str, list[int]]]:
        """Rows of the confusion matrix: (expected, [count judged eligible, ineligible, review])."""
        return [(e, [self.count(e, p) for p in VERDICTS]) for e in VERDICTS if self.count(e)]


def evaluate_verdicts(checker: Checker, lines: Sequence[LabeledLine]) -> VerdictReport:
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
            rules = tuple(r.rule for r in verdict.reasons)
            report.wrong.append(WrongVerdict(line.text, line.department, key[0], key[1], rules))
    return report
