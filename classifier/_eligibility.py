"""The eligibility check: may this line be bought as 政府购买服务, under which leaf, and if not, why not.

Order of decisions, each leaving a reason that cites its rule:
1. the negative list (``_rules``): a hit of an ``ineligible`` rule decides; ``review`` rules make the
   line go to a person whatever the catalog says;
2. the catalog: a confident match in the buyer's own section is ``eligible``; a match that only
   another section has, or no confident match, is ``review``. Without a department, any section counts.
A wrong ``eligible`` is the costliest error, so every doubt ends in ``review``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ._model import GpscClassifier
from ._results import Candidate, Classification, PartialCode
from ._rules import RuleHit, RuleSet, load_rules

CATALOG_BASIS = "《{title}》（{version}）{section}"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a verdict was given: ``Reason('goods', '…第十条第（三）项…', '“购置办公设备”是货物…')``."""

    rule: str
    basis: str
    message: str


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Lowest calibrated score of the best leaf that counts as a confident match, chosen from data."""

    with_department: float = 0.5
    without_department: float = 0.7
    source: str = "default"

    def for_department(self, given: bool) -> float:
        return self.with_department if given else self.without_department


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for one purchase line. ``match`` is the chosen leaf (only for ``eligible``)."""

    text: str
    department: str | None
    verdict: str
    match: Candidate | None
    candidates: tuple[Candidate, ...]
    reasons: tuple[Reason, ...]
    partial: PartialCode | None = None
    elsewhere: Candidate | None = None
    error: str | None = None


def _path_text(candidate: Candidate) -> str:
    return " > ".join(name for _, name in candidate.path)


class EligibilityChecker:
    """Classifier + rule table + thresholds.

    >>> checker = EligibilityChecker(get_model())
    >>> checker.check("购置办公设备", "人社局").verdict
    'ineligible'
    """

    def __init__(self, model: GpscClassifier, rules: RuleSet | None = None, thresholds: Thresholds | None = None):
        self.model = model
        self.rules = rules or load_rules()
        self.thresholds = thresholds or getattr(model, "thresholds_", None) or Thresholds()

    def check(self, text: str, department: str | None = None, top_k: int = 5, detail: str | None = None) -> Verdict:
        """One verdict; raises EmptyTextError or UnknownDepartmentError for bad input.

        ``detail`` is what the line pays for, when known (the 项目概况 of a performance-target table):
        the negative list is also applied to it, the catalog match uses ``text`` only.
        """
        classification = self.model.classify(text, department, top_k=top_k)
        return self.decide(classification, self.rule_hits(text, detail))

    def check_many(
        self,
        texts: Sequence[str],
        departments: Sequence[str | None] | None = None,
        top_k: int = 5,
        explain: bool = False,
        details: Sequence[str | None] | None = None,
    ) -> list[Verdict]:
        """Verdicts for a batch; a bad line gets ``error`` and a ``review`` verdict, the rest go on."""
        classifications = self.model.classify_many(texts, departments, top_k=top_k, explain=explain)
        details = details if details is not None else [None] * len(texts)
        return [
            self.decide(c, self.rule_hits(t or "", d)) for c, t, d in zip(classifications, texts, details, strict=True)
        ]

    def rule_hits(self, text: str, detail: str | None = None) -> list[RuleHit]:
        """Rule hits on the line, then on its detail for the rules the line itself did not hit."""
        hits = self.rules.match(text)
        if detail and detail.strip():
            seen = {h.rule.id for h in hits}
            hits += [h for h in self.rules.match(detail) if h.rule.id not in seen]
        return hits

    # ------------------------------------------------------------------ decision
    def decide(self, classification: Classification, hits: list[RuleHit], threshold: float | None = None) -> Verdict:
        """Combine rule hits and the classification into a verdict (pure: no model call)."""
        c = classification
        if c.error:
            reason = Reason("input", "-", f"无法判断：{c.error}")
            return Verdict(c.text, c.department, "review", None, (), (reason,), error=c.error)
        rule_reasons = tuple(Reason(h.rule.id, h.rule.basis, h.message) for h in hits)
        if any(h.rule.verdict == "ineligible" for h in hits):
            return Verdict(c.text, c.department, "ineligible", None, c.candidates, rule_reasons, c.partial, c.elsewhere)
        if threshold is None:
            threshold = self.thresholds.for_department(c.department is not None)
        verdict, match, catalog_reasons = self._catalog_decision(c, threshold)
        if rule_reasons:  # review-level rules: a person must look whatever the catalog says
            verdict, match = "review", None
        return Verdict(
            c.text, c.department, verdict, match, c.candidates, rule_reasons + catalog_reasons, c.partial, c.elsewhere
        )

    def _catalog_decision(
        self, c: Classification, threshold: float
    ) -> tuple[str, Candidate | None, tuple[Reason, ...]]:
        best = c.best
        if best is None:
            return "review", None, (Reason("catalog.no_match", self._basis(c.department), "目录中没有可比对的条目。"),)
        # The best leaf's own score decides. A level-3 node's summed score can look confident when a
        # small section has one level-3 node and every leaf is a weak guess, so it informs, never decides.
        confidence = best.score
        basis = self._basis(best.department)
        if c.elsewhere is not None:
            other = c.elsewhere
            message = (
                f"本部门（{c.department}）目录中没有把握的匹配（最接近 {best.code} {best.name}，{best.score:.2f}）；"
                f"它明显属于其他部门目录：{other.department}/{other.code} {_path_text(other)}（{other.score:.2f}）。"
                "购买主体应在本部门目录范围内购买，请核实。"
            )
            return "review", None, (Reason("catalog.other_section", basis, message),)
        if confidence < threshold:
            where = f"本部门（{c.department}）目录" if c.department else "目录"
            message = (
                f"{where}中没有足够把握的匹配：最接近 {best.department}/{best.code} {best.name}"
                f"（{best.score:.2f}，低于 {threshold:.2f}），可能不在指导性目录内，请人工核实。"
            )
            reasons = [Reason("catalog.no_match", basis, message)]
            if c.partial is not None and c.partial.score >= threshold:
                reasons.append(
                    Reason(
                        "catalog.partial",
                        basis,
                        f"三级目录 {c.partial.code} {c.partial.name} 大致可以确定（{c.partial.score:.2f}），"
                        f"但四级条目不确定（候选：{'、'.join(c.partial.leaves)}）。",
                    )
                )
            return "review", None, tuple(reasons)
        reasons = [
            Reason(
                "catalog.match",
                basis,
                f"属于{best.department}部门目录 {best.code}：{_path_text(best)}（匹配度 {best.score:.2f}）。",
            )
        ]
        if c.partial is not None:
            reasons.append(
                Reason(
                    "catalog.partial",
                    basis,
                    f"三级目录 {c.partial.code} {c.partial.name} 可以确定，四级条目不确定"
                    f"（候选：{'、'.join(c.partial.leaves)}），请确认具体条目。",
                )
            )
        if c.department is None:
            reasons.append(
                Reason(
                    "catalog.no_department",
                    basis,
                    f"未指定购买主体：请确认购买部门的目录中包含 {best.department} 的该条目。",
                )
            )
        return "eligible", best, tuple(reasons)

    def _basis(self, department: str | None) -> str:
        catalog = self.model.catalog_
        return CATALOG_BASIS.format(
            title=catalog.title,
            version=catalog.source_version or "",
            section=f"{department}部门目录" if department else "",
        )
