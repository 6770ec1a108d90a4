"""The Chinese words for gpsc's machine values, in one place: the sheets' headers and cells, the CLI's summary,
and the web page (served as ``/static/words.js``) all read them from here.

The machine values (``eligible``, ``goods``, ``gpsc_verdict``, rule ids …) stay the stable interface; these are
what an officer reads beside or instead of them.
"""

from __future__ import annotations

import json

__all__ = [
    "AUDIT_TITLES",
    "COLUMN_TITLES",
    "PINMU_TYPE_TITLES",
    "RULE_TITLES",
    "VERDICT_TITLES",
    "reason_cell",
    "words_script",
]

VERDICT_TITLES = {"eligible": "可以购买", "ineligible": "不得购买", "review": "人工核实"}
AUDIT_TITLES = {
    "ineligible": "不得购买",
    "pinmu_type_mismatch": "品目类型不符",
    "unknown_code": "代码不存在",
    "wrong_department": "不是本部门的代码",
    "mismatch": "与代码不符",
    "pinmu_mismatch": "品目与文字不符",
    "not_declared": "未申报",
    "ok": "无问题",
}
PINMU_TYPE_TITLES = {"goods": "货物", "works": "工程", "services": "服务"}
RULE_TITLES = {
    "goods": "货物",
    "works": "工程",
    "financing": "融资",
    "own_staff": "本单位人员",
    "labour_dispatch": "劳务派遣",
    "welfare_post": "公益性岗位",
    "subsidy": "补贴补助",
    "direct_duty": "政府直接履职",
    "operating_expense": "运转经费",
    "staff_outsourcing": "按人头外包",
    "catalog.match": "目录匹配",
    "catalog.partial": "三级目录确定",
    "catalog.other_section": "属于其他部门目录",
    "catalog.no_match": "目录中无把握匹配",
    "catalog.no_department": "未指定部门",
    "catalog.weak_evidence": "只有泛泛的共同词",
    "catalog.scope_conflict": "服务对象或地域不符",
    "department.no_section": "本单位没有目录章节",
    "department.from_text": "按文中的购买单位",
    "text.no_content": "没有采购内容",
    "pinmu.service": "品目：服务",
    "pinmu.construction_service": "建设项目相关服务",
    "pinmu.service_conflict": "品目看是服务",
    "input": "输入问题",
    "review.decision": "人工审定",
}
# the headers an officer reads (``--headers zh``, the default for .xlsx); the gpsc_* names stay the stable ones
COLUMN_TITLES = {
    "gpsc_department": "目录部门",
    "gpsc_code": "目录编码",
    "gpsc_name": "目录名称",
    "gpsc_path": "目录路径",
    "gpsc_score": "匹配度",
    "gpsc_candidates": "候选条目",
    "gpsc_verdict": "判定",
    "gpsc_reasons": "理由",
    "gpsc_basis": "依据",
    "gpsc_rules": "规则编号",
    "gpsc_pinmu_code": "品目编码",
    "gpsc_pinmu_name": "品目名称",
    "gpsc_pinmu_type": "品目类型",
    "gpsc_pinmu_type_score": "类型把握",
    "gpsc_reviewed_by": "人工审定",
    "gpsc_audit": "审核结果",
    "gpsc_audit_reason": "审核说明",
}


def reason_cell(pairs) -> str:
    """A sheet's reasons cell: each (rule id, message) as ``中文规则名：message``, joined by `` | ``. The rule
    ids themselves go to ``gpsc_rules`` (a person reads this cell, a program reads that one).

    >>> reason_cell([("goods", "“购置办公设备”是货物"), ("department.no_section", "购买主体…")])
    '货物：“购置办公设备”是货物 | 本单位没有目录章节：购买主体…'
    """
    return " | ".join(f"{RULE_TITLES.get(rule, '其他')}：{message}" for rule, message in pairs)


def words_script() -> str:
    """The same words as a script for the web page (``/static/words.js``), so the page cannot drift from the
    sheets: ``const WORDS = {verdicts, audit, pinmuTypes, rules, columns};``."""
    words = {
        "verdicts": VERDICT_TITLES,
        "audit": AUDIT_TITLES,
        "pinmuTypes": PINMU_TYPE_TITLES,
        "rules": RULE_TITLES,
        "columns": COLUMN_TITLES,
    }
    table = json.dumps(words, ensure_ascii=False)
    return f'"use strict";\n// generated from service/words.py\nconst WORDS = {table};\n'
