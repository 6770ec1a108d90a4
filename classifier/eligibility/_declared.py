"""Is each declared 品目 right? The auditor's check of a procurement list, line by line.

A procurement list carries, for each notice or plan line, the 品目 its buyer declared (``catalog.read_pinmu_
declaration`` reads codes, names and name paths, 2013 names too). gpsc reads what the line buys (the type
decision and the 品目 ranking) and compares, at the deepest level both sides support:

- ``pinmu_type_mismatch``: goods, works or services declared while the line confidently buys another type;
- ``pinmu_mismatch``: the type is right but the declared level-2 group (``C2104 物业管理服务``; level 1 when the
  declaration names no deeper) gets almost none of the ranking's belief while another group gets much;
- ``unknown_code``: a cell that names no 品目 and no type (``Z1``);
- ``not_declared``: a blank cell;
- ``ok``: the declaration fits, whatever its type (goods are rightly bought as goods), or the line is too vague
  to say otherwise (a vague line is never a finding).

The thresholds (``DeclaredThresholds``) were chosen on one part of the real notices no model learned from, with
planted wrong declarations, as the setting that finds the most while flagging at most 0.08 of untouched rows
(``benchmarks/pinmu_audit.py --fit``); they are reported on another part (``benchmarks/pinmu_audit.json``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from catalog import PinmuDeclaration, PinmuItem, group_code, load_pinmu, read_pinmu_declaration
from classifier import PinmuRanking, pinmu_label

from ._checker import Checker, Verdict

TYPE_WORDS = {"goods": "货物", "works": "工程", "services": "服务"}
GROUP_LEVEL = 2  # level-2 groups (C2104, A0202) are compared; a declaration naming only level 1 is compared there
RANK_DEPTH = 50  # ranked items whose belief is summed per group


@dataclass(frozen=True, slots=True)
class DeclaredThresholds:
    """When a reading is confident enough to call a declaration wrong.

    A type finding needs the type decision's probability for another type ≥ ``type_score`` and the ranking's
    belief in the declared item's group ≤ ``type_support``. An item finding needs the declared level-2 group to
    be outside the ``group_rank`` groups the ranking believes most, and the best group's belief ≥ ``group_best``.
    Neither is raised when the declared 品目's names share a distinctive word with the line (``shares_a_word``):
    a declaration that names what the line names is the buyer's plausible reading, not a slip."""

    type_score: float = 0.8
    type_support: float = 0.05
    group_rank: int = 9
    group_best: float = 0.2


@dataclass(frozen=True, slots=True)
class DeclaredFinding:
    """The audit of one line's declared 品目: ``kind`` (pinmu_type_mismatch, pinmu_mismatch, not_declared, ok),
    the Chinese ``reason`` with the evidence, ``certainty`` (orders findings), the ``better`` 品目 when one is
    named, and the ``declarations`` read from the cell."""

    kind: str
    reason: str
    certainty: float
    better: str | None
    declarations: tuple[PinmuDeclaration, ...]


def audit_declared(
    checker: Checker,
    verdicts: Sequence[Verdict],
    cells: Sequence[str | None],
    thresholds: DeclaredThresholds | None = None,
    rankings: Sequence[PinmuRanking | None] | None = None,
) -> list[DeclaredFinding]:
    """One finding per line: ``verdicts`` are the lines' verdicts (``check_many``), ``cells`` the declared 品目;
    ``rankings`` (``declared_rankings``) may be given when the same lines are audited again.

    >>> from classifier.eligibility import get_checker
    >>> checker = get_checker()
    >>> lines = ["多参数监护仪采购", "办公楼物业管理服务"]
    >>> found = audit_declared(checker, checker.check_many(lines), ["服务/医疗卫生服务", "C21040000"])
    >>> [f.kind for f in found]
    ['pinmu_type_mismatch', 'ok']
    """
    thresholds = thresholds or DeclaredThresholds()
    pinmu = load_pinmu()
    rankings = declared_rankings(checker, verdicts) if rankings is None else rankings
    out = []
    for verdict, cell, ranking in zip(verdicts, cells, rankings, strict=True):
        declared = tuple(read_pinmu_declaration(cell or "", pinmu))
        out.append(_one(verdict, declared, ranking, thresholds, cell or ""))
    return out


def declared_rankings(checker: Checker, verdicts: Sequence[Verdict]) -> list[PinmuRanking | None]:
    """The 品目 ranking of each line's object (what the scope reader kept), deep enough to sum belief per group."""
    model = checker.pinmu_model
    texts = [line_object(v) for v in verdicts]
    return model.rank_many(texts, top_k=RANK_DEPTH) if model is not None else [None] * len(texts)


def line_object(verdict: Verdict) -> str:
    """What the line buys, as the scope reader kept it (agency, notice type and numbers set aside)."""
    return verdict.scope.core if verdict.scope is not None and verdict.scope.core else verdict.text


def _support(ranking: PinmuRanking | None, prefix_of: str) -> float:
    """The ranking's belief in the items under a group (summed over the ranked items)."""
    if ranking is None:
        return 0.0
    return sum(c.score for c in ranking.candidates if c.code.startswith(prefix_of))


def _prefix(code: str, level: int) -> str:
    return code[: 1 + 2 * level]


def _groups(ranking: PinmuRanking | None, level: int, kind: str) -> list[tuple[str, float]]:
    """The level-``level`` groups of the type ``kind`` by the ranking's belief, most first (an item above that
    level, ``A02000000 设备``, belongs to no such group)."""
    pinmu = load_pinmu()
    groups: dict[str, float] = {}
    for c in ranking.candidates if ranking is not None else ():
        item = pinmu.item(c.code)
        if c.type == kind and item is not None and item.level >= level:
            key = _prefix(c.code, level)
            groups[key] = groups.get(key, 0.0) + c.score
    return sorted(groups.items(), key=lambda pair: -pair[1])


def catch_all(item: PinmuItem | None) -> bool:
    """A 其他… item or group (``C99000000 其他服务``, ``B99000000 其他建筑工程``): buyers file almost anything
    there, and a reading that lands there names nothing; neither is evidence of a wrong group."""
    return item is not None and item.name.startswith("其他")


_VAGUE = re.compile(
    r"\d+|年度?|月份?|第.批|采购|项目|服务|货物|工程|物资|用品|一批|相关|其他|及|和|等|[^\u4e00-\u9fff]"
)


def names_something(text: str) -> bool:
    """Whether a line names what it buys, beyond years and words any line has (``2026年采购项目`` does not).

    >>> names_something("2026年采购项目"), names_something("监护仪采购")
    (False, True)
    """
    return len(_VAGUE.sub("", text)) >= 2


# characters too common in 品目 names to show that a line and a name speak of the same thing
_GENERIC = frozenset("服务设备工程其他采购项目系统用品类及和与的专用通用制品材料产品")


def shares_a_word(text: str, names: Sequence[str]) -> bool:
    """Whether a name shares a two-character word (no generic character in it) with the line.

    >>> shares_a_word("某小区物业管理服务项目", ["物业管理服务"]), shares_a_word("监护仪采购", ["物业管理服务"])
    (True, False)
    """
    for name in names:
        for k in range(len(name) - 1):
            pair = name[k : k + 2]
            if pair[0] not in _GENERIC and pair[1] not in _GENERIC and pair in text:
                return True
    return False


def _one(
    verdict: Verdict,
    declared: tuple[PinmuDeclaration, ...],
    ranking: PinmuRanking | None,
    t: DeclaredThresholds,
    cell: str,
) -> DeclaredFinding:
    def finding(kind: str, reason: str, certainty: float = 0.0, better: str | None = None) -> DeclaredFinding:
        return DeclaredFinding(kind, reason, round(certainty, 4), better, declared)

    if not cell.strip():
        return finding("not_declared", "未申报品目。")
    if not declared:
        return finding(
            "unknown_code", f"申报品目“{cell}”不在《政府采购品目分类目录》中，也读不出是货物、工程还是服务。", 1.0
        )
    notes = "；".join(d.note for d in declared if d.note)
    shown = "、".join(_declared_words(d) for d in declared) + (f"（{notes}）" if notes else "")
    text = line_object(verdict)
    if verdict.error or verdict.type is None or not names_something(text):
        return finding("ok", f"文字未能确定所购内容，不作为问题：申报 {shown}。")
    pinmu = load_pinmu()
    kind, score = verdict.type, verdict.type_score or 0.0
    best_item = next((c for c in (ranking.candidates if ranking else ()) if c.type == kind), None)
    better = pinmu_label(best_item) if best_item is not None else None

    def named_in_line(d: PinmuDeclaration) -> bool:
        return d.item is not None and shares_a_word(text, [p.name for p in pinmu.path(d.item.code)[1:]])

    if all(d.type is not None and d.type != kind for d in declared):
        supported = max(
            (_support(ranking, _prefix(d.item.code, min(d.level, GROUP_LEVEL))) for d in declared if d.item),
            default=0.0,
        )
        named = any(named_in_line(d) for d in declared)
        if score >= t.type_score and supported <= t.type_support and not named:
            what = f"，最接近的品目是 {better}" if better else ""
            return finding(
                "pinmu_type_mismatch",
                f"申报 {shown}，按{TYPE_WORDS[declared[0].type]}申报；文字所购为{TYPE_WORDS[kind]}"
                f"（把握 {score:.2f}）{what}，申报的品目得到的支持只有 {supported:.2f}。",
                score - supported,
                better,
            )
        return finding(
            "ok", f"申报 {shown}；文字读作{TYPE_WORDS[kind]}（{score:.2f}），把握不足以认定申报有误，未作为问题。"
        )
    fits = [d for d in declared if d.type == kind]
    comparable = [d for d in fits if d.item is not None]
    if not comparable:
        return finding("ok", f"申报 {shown}，类型与文字相符（{TYPE_WORDS[kind]}）；申报未到具体品目，只比较类型。")
    if any(catch_all(pinmu.item(group_code(d.item.code, min(d.level, GROUP_LEVEL)))) for d in comparable):
        return finding("ok", f"申报 {shown}，类型与文字相符（{TYPE_WORDS[kind]}）；申报的是“其他”类，不比较具体品目。")
    level = min(GROUP_LEVEL, max(d.level for d in comparable))
    groups = [
        (code, belief)
        for code, belief in _groups(ranking, level, kind)
        if not catch_all(pinmu.item(code.ljust(9, "0")))
    ]
    believed = [code for code, _ in groups[: t.group_rank]]
    declared_groups = {_prefix(d.item.code, level) for d in comparable}
    if (
        groups
        and not declared_groups & set(believed)
        and groups[0][1] >= t.group_best
        and not any(named_in_line(d) for d in comparable)
    ):
        group, best = groups[0]
        top = comparable[0]
        support = max(_support(ranking, code) for code in declared_groups)
        better_group = pinmu.item(group.ljust(9, "0"))
        in_group = next((c for c in ranking.candidates if c.code.startswith(group)), None)
        suggestion = pinmu_label(in_group) if in_group is not None else (better_group.name if better_group else group)
        declared_group = pinmu.item(group_code(top.item.code, min(top.level, level)))
        return finding(
            "pinmu_mismatch",
            f"申报 {shown}，属于“{declared_group.name if declared_group else top.item.name}”；文字更符合"
            f"“{better_group.name if better_group else group}”之下的 {suggestion}（{best:.2f}），"
            f"申报的这一类只得到 {support:.2f}，不在最可能的 {t.group_rank} 类之中。",
            best - support,
            suggestion,
        )
    return finding("ok", f"申报 {shown} 与文字相符（{TYPE_WORDS[kind]}）。")


def _declared_words(d: PinmuDeclaration) -> str:
    if d.item is not None:
        return f"{d.item.code} {d.item.name}"
    return f"“{d.text}”"


__all__ = ["DeclaredFinding", "DeclaredThresholds", "audit_declared", "declared_rankings"]
