"""Plain-dict shapes of library results, shared by ``gpsc … --json`` and the HTTP API (which wraps them
in pydantic models). One place, so the CLI's JSON and ``POST /v1/check`` cannot drift apart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalog import Catalog, Pinmu, PinmuItem, SearchHit

from .words import reason_cell

if TYPE_CHECKING:  # shapes only read attributes: ``gpsc catalog`` must not load the model stack
    from classifier import Candidate, PartialCode, PinmuCandidate
    from classifier.eligibility import AuditResult, Verdict


def candidate_dict(candidate: Candidate | None, buyer_section: str | None = None) -> dict | None:
    """A ranked leaf; ``elsewhere`` marks a leaf of another section than the buyer's."""
    if candidate is None:
        return None
    return {
        "department": candidate.department,
        "code": candidate.code,
        "name": candidate.name,
        "path": [{"code": code, "name": name} for code, name in candidate.path],
        "score": candidate.score,
        "evidence": list(candidate.evidence),
        "elsewhere": buyer_section is not None and candidate.department != buyer_section,
    }


def partial_dict(partial: PartialCode | None) -> dict | None:
    if partial is None:
        return None
    return {
        "department": partial.department,
        "code": partial.code,
        "name": partial.name,
        "score": partial.score,
        "leaves": list(partial.leaves),
    }


def pinmu_dict(item: PinmuCandidate | None) -> dict | None:
    """The confident 品目 of a line, or None."""
    if item is None:
        return None
    return {"code": item.code, "name": item.name, "type": item.type, "score": item.score}


def verdict_dict(
    verdict: Verdict, *, review: dict | None = None, model_verdict: str | None = None, review_warning: str | None = None
) -> dict:
    """A verdict as JSON. ``review`` is the team's standing decision on the line (``service.reviews``): then
    ``verdict`` and ``match`` are the reviewed ones and ``model_verdict`` is what the model said;
    ``review_warning`` says that the review record could not be read (the verdict is the model's alone)."""
    return {
        "text": verdict.text,
        "department": verdict.department,
        "verdict": verdict.verdict,
        "buyer": verdict.buyer,
        "match": candidate_dict(verdict.match, verdict.department),
        "candidates": [candidate_dict(c, verdict.department) for c in verdict.candidates],
        "reasons": [{"rule": r.rule, "basis": r.basis, "message": r.message} for r in verdict.reasons],
        "partial": partial_dict(verdict.partial),
        "elsewhere": candidate_dict(verdict.elsewhere, verdict.department),
        "scope": None
        if verdict.scope is None
        else {"core": verdict.scope.core, "set_aside": [{"kind": k, "text": t} for k, t in verdict.scope.set_aside]},
        "pinmu": pinmu_dict(verdict.pinmu),
        "type": verdict.type,
        "type_score": verdict.type_score,
        "error": verdict.error,
        "review": review,
        "model_verdict": model_verdict if model_verdict is not None else verdict.verdict,
        "review_warning": review_warning,
    }


TAG_COLUMNS = [
    "gpsc_department",
    "gpsc_code",
    "gpsc_name",
    "gpsc_path",
    "gpsc_score",
    "gpsc_candidates",
    "gpsc_verdict",
    "gpsc_reasons",
    "gpsc_basis",
    "gpsc_rules",
    "gpsc_pinmu_code",
    "gpsc_pinmu_name",
    "gpsc_pinmu_type",
    "gpsc_pinmu_type_score",
    "gpsc_reviewed_by",
]
AUDIT_COLUMNS = [*TAG_COLUMNS, "gpsc_audit", "gpsc_audit_reason"]


def tag_cells(verdict: Verdict, top_k: int | None = None, reviewed_by: str = "") -> list[object]:
    """The tag columns of one row. Only a confident match (eligible) fills the code, name, path and score:
    clerks copy that column. The nearest leaves of a ``review`` row stay in ``gpsc_candidates`` and its reasons;
    ``gpsc_reasons`` is in Chinese (``货物：…``); ``gpsc_basis`` holds the legal basis of the reasons
    (第十条第（三）项 …) and ``gpsc_rules`` their rule ids (``goods;department.no_section``), each once.
    ``gpsc_pinmu_type`` is what is bought (goods, works or services) for every judged line, with its probability
    in ``gpsc_pinmu_type_score``; the 品目 code is given only when confident.
    ``gpsc_reviewed_by`` names who decided the line and when (``张三 2026-12-02``), empty when the model's stands."""
    leaf = verdict.match
    reasons = reason_cell((r.rule, r.message) for r in verdict.reasons)
    rules = ";".join(dict.fromkeys(r.rule for r in verdict.reasons))
    basis = " | ".join(dict.fromkeys(r.basis for r in verdict.reasons if r.basis and r.basis != "-"))
    return [
        leaf.department if leaf else (verdict.department or ""),
        leaf.code if leaf else "",
        leaf.name if leaf else "",
        " > ".join(name for _, name in leaf.path) if leaf else "",
        leaf.score if leaf else "",
        ";".join(c.key for c in verdict.candidates[:top_k]),
        verdict.verdict,
        reasons,
        basis,
        rules,
        verdict.pinmu.code if verdict.pinmu else "",
        verdict.pinmu.name if verdict.pinmu else "",
        verdict.type or "",
        verdict.type_score if verdict.type_score is not None else "",
        reviewed_by,
    ]


# rows that are no purchase (the sheets' ``row_kind``): kept in place, unjudged, with this marker
SKIPPED_REASONS = {
    "total": "合计行：不是一项采购，不作判断，金额不计入汇总",
    "subtotal": "单位小计行：是单位名称和金额，不是一项采购，不作判断，金额不计入汇总",
    "numbering": "栏次行：只有栏目序号，不作判断",
    "note": "说明行：不是一项采购，不作判断",
}


def skipped_cells(kind: str, audit: bool = False) -> list[object]:
    """The gpsc cells of a total or note row: no verdict, the marker in ``gpsc_reasons`` and ``gpsc_rules``
    (``sheet.total``, ``sheet.subtotal``, ``sheet.numbering``, ``sheet.note``); a blank row gets empty cells."""
    cells: list[object] = [""] * len(AUDIT_COLUMNS if audit else TAG_COLUMNS)
    if kind in SKIPPED_REASONS:
        cells[TAG_COLUMNS.index("gpsc_reasons")] = SKIPPED_REASONS[kind]
        cells[TAG_COLUMNS.index("gpsc_rules")] = f"sheet.{kind}"
    return cells


def audit_cells(result: AuditResult, top_k: int | None = None, reviewed_by: str = "") -> list[object]:
    """The tag columns (the audit scores many candidates; the sheet lists ``top_k`` like ``tag``), then the audit."""
    return [*tag_cells(result.verdict, top_k, reviewed_by), result.kind, result.reason]


def search_hit_dict(hit: SearchHit, catalog: Catalog) -> dict:
    """One catalog search hit, for ``gpsc catalog search --json`` and ``GET /v1/catalog/search``."""
    return {
        "department": hit.node.department,
        "code": hit.node.code,
        "name": hit.node.name,
        "level": hit.node.level,
        "score": hit.score,
        "note": hit.note,
        "printed_code": hit.node.printed_code if hit.note else None,
        "path": [{"code": n.code, "name": n.name} for n in catalog.path(hit.node)],
    }


def pinmu_item_dict(item: PinmuItem, pinmu: Pinmu) -> dict:
    """One 品目, for ``gpsc pinmu … --json`` and the API."""
    return {
        "code": item.code,
        "name": item.name,
        "type": item.type,
        "level": item.level,
        "description": item.description,
        "page": item.page,
        "path": [{"code": p.code, "name": p.name} for p in pinmu.path(item.code)],
    }
