"""A team's decision put in place of the model's verdict: the one rule for how a reviewed line reads.

The review record (``service.reviews``) stores decisions; what a decision does to a verdict is a matter of
judging, so it lives here: the decided verdict, leaf and 品目 replace the model's, the decision comes first among
the reasons (rule ``review.decision``) and the model's reasons follow, so what the model saw stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from catalog import Catalog, Node, Pinmu
from classifier import Candidate, PinmuCandidate

from ._kinds import VerdictKind
from ._reasons import Reason

if TYPE_CHECKING:
    from ._checker import Verdict

REVIEW_RULE = "review.decision"
VERDICT_NAMES = {"eligible": "可以购买", "ineligible": "不得购买", "review": "人工核实"}


@dataclass(frozen=True, slots=True)
class Decision:
    """What an officer decided for a line: ``Decision(7, '张三', date(2026, 12, 2), 'eligible', '民政/A100301')``.

    ``code`` is a leaf, ``section/code`` or a bare code in ``department``'s section; ``pinmu_code`` a 品目."""

    id: int
    reviewer: str
    on: date
    verdict: VerdictKind
    code: str | None = None
    department: str | None = None
    pinmu_code: str | None = None
    note: str | None = None


def decided_leaf(catalog: Catalog, code: str | None, department: str | None) -> Node | None:
    """The guidance-catalog leaf a decision names: ``民政/A100301``, or a bare code in the buyer's section.

    >>> from catalog import load_catalog
    >>> decided_leaf(load_catalog(), "A100301", "县民政局").name
    '乡镇（街道）社会工作服务站运营服务'
    """
    if not code:
        return None
    section, _, bare = code.rpartition("/")
    section = section or department
    if not section or not catalog.has_section(section):
        return None
    return catalog.leaf(section, bare.strip().upper())


def with_decision(verdict: Verdict, decision: Decision, catalog: Catalog, pinmu: Pinmu) -> Verdict:
    """``verdict`` as the team decided it (see the module docstring)."""
    match = None
    leaf = decided_leaf(catalog, decision.code, decision.department)
    if leaf is not None:
        path = tuple((n.code, n.name) for n in catalog.path(leaf))
        match = Candidate(leaf.department, leaf.code, leaf.name, path, 1.0, ("人工审定",), ())
    item = pinmu.item(decision.pinmu_code) if decision.pinmu_code else None
    shown_pinmu = PinmuCandidate(item.code, item.name, item.type, 1.0) if item is not None else verdict.pinmu
    changed = "" if decision.verdict == verdict.verdict else f"（模型判定为“{VERDICT_NAMES[verdict.verdict]}”）"
    where = f"，目录条目 {match.department}/{match.code} {match.name}" if match else ""
    note = f"。备注：{decision.note}" if decision.note else ""
    decided = VERDICT_NAMES[decision.verdict]
    said = f"{decision.reviewer} 于 {decision.on:%Y-%m-%d} 审定为“{decided}”{where}{changed}{note}"
    reason = Reason(REVIEW_RULE, f"审定记录第 {decision.id} 号", said)
    # the decided leaf leads the candidates, so an audit of the declared code reads the decision, not the model
    candidates = verdict.candidates
    if match is not None:
        candidates = (match, *(c for c in candidates if c.key != match.key))
    return replace(
        verdict,
        verdict=decision.verdict,
        match=match,
        candidates=candidates,
        reasons=(reason, *verdict.reasons),
        pinmu=shown_pinmu,
    )
