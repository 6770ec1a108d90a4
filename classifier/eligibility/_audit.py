"""Audit lines that already carry a declared catalog code: is the code real, in the buyer's section,
does the text fit it, and may the line be bought as a service at all?

Kinds, most serious first: ``ineligible`` (a negative rule hit), ``pinmu_type_mismatch`` (the declared 品目 is
goods, works or services while the line buys another type), ``unknown_code`` (the code is not a leaf of the
buyer's section, nor of any other), ``wrong_department`` (the code is a leaf only of other sections, or the
text means that other section's leaf), ``mismatch`` (the text clearly belongs to another leaf of the section),
``pinmu_mismatch`` (the declared 品目 is of the wrong level-2 group), ``not_declared`` (a blank cell), ``ok``.

A list may declare a guidance-catalog code, a 品目 (``_declared``), or both: with both, the more serious finding
of the two stands. With a 品目 alone the declaration is what is judged: goods declared as goods are ``ok``, and
the 政府购买服务 verdict stays the verdict's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from catalog import Node, PinmuDeclaration, normalize_code
from classifier import normalize_line, pinmu_label

from ._checker import Checker, Verdict
from ._declared import audit_declared
from ._kinds import AUDIT_KINDS, AuditKind

MISMATCH_MARGIN = 0.3


@dataclass(frozen=True, slots=True)
class AuditResult:
    """The audit of one line. ``certainty`` orders problems: 1.0 is a fact, a mismatch uses its margin."""

    kind: AuditKind
    reason: str
    certainty: float
    declared: str
    verdict: Verdict

    @property
    def severity(self) -> int:
        return AUDIT_KINDS.index(self.kind)


class Auditor:
    """``Auditor(checker).audit_many(texts, departments, codes)``: one AuditResult per line, in order."""

    def __init__(self, checker: Checker, *, margin: float = MISMATCH_MARGIN) -> None:
        self.checker = checker
        self.catalog = checker.model.catalog_
        self.margin = margin

    def audit(self, text: str, department: str | None, code: str, *, detail: str | None = None) -> AuditResult:
        return self.audit_many([text], [department], [code], details=[detail])[0]

    def audit_many(
        self,
        texts: Sequence[str],
        departments: Sequence[str | None],
        codes: Sequence[str | None],
        *,
        details: Sequence[str | None] | None = None,
        pinmu_codes: Sequence[str | None] | None = None,
    ) -> list[AuditResult]:
        """One result per line; ``pinmu_codes`` are declared 品目 codes (a goods or works code filed as a service is
        ineligible, a service code that does not fit the line is ``pinmu_mismatch``)."""
        verdicts = self.checker.check_many(texts, departments, top_k=50, details=details)
        return self.audit_verdicts(verdicts, codes, pinmu_codes=pinmu_codes)

    def audit_verdicts(
        self,
        verdicts: Sequence[Verdict],
        codes: Sequence[str | None] | None,
        *,
        pinmu_codes: Sequence[str | None] | None = None,
    ) -> list[AuditResult]:
        """Audit verdicts already given (checked with ``top_k=50``, or a team's decision put in their place):
        the declared guidance-catalog ``codes``, the declared 品目 (``pinmu_codes``: codes, names or name paths),
        or both (either may be None)."""
        if codes is None and pinmu_codes is None:
            raise ValueError("审核需要申报的目录代码或申报的品目")
        by_code = (
            [self._one(verdict, code or "") for verdict, code in zip(verdicts, codes, strict=True)]
            if codes is not None
            else None
        )
        if pinmu_codes is None:
            return by_code  # type: ignore[return-value]
        cells = [str(c) if c is not None else "" for c in pinmu_codes]
        found = audit_declared(self.checker, verdicts, cells)
        by_pinmu = [
            AuditResult(f.kind, f.reason, f.certainty, cell, verdict)
            for f, cell, verdict in zip(found, cells, verdicts, strict=True)
        ]
        if by_code is None:
            return by_pinmu
        return [
            self._worse(code, pinmu, f.declarations) for code, pinmu, f in zip(by_code, by_pinmu, found, strict=True)
        ]

    @staticmethod
    def _worse(by_code: AuditResult, by_pinmu: AuditResult, read: Sequence[PinmuDeclaration]) -> AuditResult:
        """Both declarations audited: a line filed under a guidance-catalog code (a service purchase) whose
        declared 品目 (``read``, as the 品目 audit read them) are all goods or works is ineligible; else the more
        serious finding stands."""
        things = [d for d in read if d.type in ("goods", "works")]
        if read and len(things) == len(read):
            d = things[0]
            kind = "货物" if d.type == "goods" else "工程"
            what = pinmu_label(d.item) if d.item is not None else f"“{d.text}”"
            return AuditResult(
                "ineligible",
                f"申报品目 {what} 是{kind}：{kind}不得作为政府购买服务（《政府购买服务管理办法》第十条第（三）项）。",
                1.0,
                by_code.declared,
                by_code.verdict,
            )
        if by_pinmu.severity < by_code.severity:
            return replace(by_pinmu, declared=by_code.declared)
        return by_code

    def _one(self, verdict: Verdict, declared: str) -> AuditResult:
        def result(kind: str, reason: str, certainty: float = 1.0) -> AuditResult:
            return AuditResult(kind, reason, round(certainty, 4), declared, verdict)

        if verdict.error:
            return result("unknown_code", f"无法审核：{verdict.error}", 0.0)
        if verdict.verdict == "ineligible":
            return result("ineligible", "；".join(r.message for r in verdict.reasons))
        code = normalize_code(declared)
        title = verdict.department
        if not declared.strip():
            return result("not_declared", "未填写申报代码。")
        if not code:
            return result("unknown_code", f"申报代码“{declared}”不是目录代码的格式（如 A150201）。")
        if title is None:
            return self._without_department(verdict, code, declared, result)
        section = self.catalog.section(title)
        node = section.node(code)
        if node is None or not node.is_leaf:
            return self._not_a_leaf_here(verdict, code, declared, node, result)
        scores = {c.code: c.score for c in verdict.candidates if c.department == title}
        declared_score = scores.get(node.code, 0.0)
        # the same code means something else in another section, and the text means that
        elsewhere = [
            c for c in verdict.candidates if c.code == node.code and c.department != title and c.score > declared_score
        ]
        if verdict.elsewhere is not None and verdict.elsewhere.code == node.code:
            elsewhere.append(verdict.elsewhere)
        if elsewhere and elsewhere[0].score - declared_score >= self.margin:
            other = elsewhere[0]
            return result(
                "wrong_department",
                f"{node.code} 在本部门（{title}）是“{node.name}”，而文字符合 {other.department} 目录的同一代码"
                f"“{other.name}”（{other.score:.2f}），代码可能取自其他部门的目录。",
                other.score - declared_score,
            )
        if verdict.elsewhere is not None:
            other = verdict.elsewhere
            return result(
                "wrong_department",
                f"文字明显属于其他部门目录：{other.key}“{other.name}”（{other.score:.2f}），"
                f"而不是本部门（{title}）的 {node.code}“{node.name}”（{declared_score:.2f}）。",
                other.score - declared_score,
            )
        best = next((c for c in verdict.candidates if c.department == title), None)
        same_parent = best is not None and best.path[2][0] == node.code[:5] and verdict.partial is not None
        if best is not None and best.code != node.code and not same_parent:
            margin = best.score - declared_score
            if margin >= self.margin:
                return result(
                    "mismatch",
                    f"申报 {node.code}“{node.name}”（{declared_score:.2f}），文字明显更符合 {best.code}"
                    f"“{best.name}”（{best.score:.2f}），差 {margin:.2f}。",
                    margin,
                )
        conflict = self.checker.qualifiers.conflict(normalize_line(verdict.text), node.name)
        if conflict is not None:  # 全民 is not 职业: a high score on the declared leaf is no support
            return result(
                "mismatch",
                f"申报 {node.code}“{node.name}”限定于{conflict.leaf_group}，"
                f"而文字写的是“{'、'.join(conflict.line_words)}”，{conflict.dimension}不符，请核实用途。",
                max(declared_score, 0.5),
            )
        threshold = self.checker.thresholds.for_department(True)
        if declared_score < threshold and not same_parent:
            return result(
                "mismatch",
                f"文字不足以支持申报条目 {node.code}“{node.name}”（{declared_score:.2f}，低于 {threshold:.2f}）"
                + (
                    f"；最接近的是 {best.code}“{best.name}”（{best.score:.2f}）"
                    if best and best.code != node.code
                    else ""
                )
                + "，请核实用途。",
                threshold - declared_score,
            )
        note = f"申报代码 {node.code}“{node.name}”与文字相符。"
        if node.repair:
            note += f"（原文印作 {node.printed_code}，已按目录更正。）"
        return result("ok", note, 0.0)

    def _without_department(self, verdict: Verdict, code: str, declared: str, result) -> AuditResult:
        holders = [s.title for s in self.catalog.sections if (n := s.node(code)) is not None and n.is_leaf]
        if not holders:
            return result("unknown_code", f"目录中没有四级代码 {code}。")
        fits = [c for c in verdict.candidates if c.code == code and c.department in holders]
        if fits and verdict.best is not None and verdict.best.key == fits[0].key:
            return result("ok", f"{fits[0].department}/{code}“{fits[0].name}”与文字相符（未指定部门）。", 0.0)
        return result(
            "mismatch",
            f"未指定部门；{code} 出现在 {'、'.join(holders[:5])} 等部门目录，文字最符合 "
            f"{verdict.best.key if verdict.best else '（无）'}。",
            (verdict.best.score if verdict.best else 0.0),
        )

    def _not_a_leaf_here(self, verdict: Verdict, code: str, declared: str, node: Node | None, result) -> AuditResult:
        title = verdict.department
        others = [
            (s.title, n)
            for s in self.catalog.sections
            if s.title != title and (n := s.node(code)) is not None and n.is_leaf
        ]
        if node is not None and not node.is_leaf:
            leaves = [c for c in self.catalog.section(title).leaves() if c.code.startswith(node.code)]
            return result(
                "unknown_code",
                f"{code} 是{node.level}级目录“{node.name}”，不是四级条目；其下条目："
                + "、".join(f"{leaf.code} {leaf.name}" for leaf in leaves[:6]),
            )
        if others:
            # the section whose leaf the text actually means comes first
            fit = {c.department: c.score for c in verdict.candidates if c.code == code}
            if verdict.elsewhere is not None and verdict.elsewhere.code == code:
                fit[verdict.elsewhere.department] = verdict.elsewhere.score
            others.sort(key=lambda pair: -fit.get(pair[0], 0.0))
            shown = "；".join(f"{t}：{n.name}" for t, n in others[:3])
            return result(
                "wrong_department",
                f"本部门（{title}）目录没有 {code}；该代码只在其他部门目录中：{shown}"
                + (f" 等 {len(others)} 个部门" if len(others) > 3 else "")
                + "。",
            )
        closest = self._closest_code(title, code, verdict)
        return result("unknown_code", f"目录中没有代码 {code}（{declared}）；本部门最接近的代码：{closest}。")

    def _closest_code(self, title: str, code: str, verdict: Verdict) -> str:
        leaves = self.catalog.section(title).leaves()
        prefix = max((_shared_prefix(code, leaf.code) for leaf in leaves), default=0)
        near = [leaf for leaf in leaves if _shared_prefix(code, leaf.code) == prefix]
        ranked = {c.code: c.score for c in verdict.candidates if c.department == title}
        near.sort(key=lambda leaf: -ranked.get(leaf.code, 0.0))
        return "、".join(f"{leaf.code} {leaf.name}" for leaf in near[:3]) or "（无）"


def _shared_prefix(a: str, b: str) -> int:
    """How many leading characters two codes share: A150209 and A150201 share 6."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n
