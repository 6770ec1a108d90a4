"""The team's decisions applied to the model's verdicts: a line an officer has decided gets that decision in
``check``, ``tag``, ``audit`` and the API, marked as reviewed, with the model's own verdict kept beside it.

A decision is keyed by the line with only its incidentals folded (``classifier.key_text``: years and batches,
places, document numbers, amounts, spaces and punctuation; 外包, 购买, 项目 are kept) and the buyer's section (or, for a
unit without a section of its own, the unit as written). ``2025年度全民意外伤害保险`` decided once covers
``2026年全民意外伤害保险`` from the same buyer, and a decision on ``人力资源服务外包`` never reaches ``人力资源服务``.

The store itself (``_store``) knows nothing of the model; this module turns its entries into verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from catalog import Catalog, load_pinmu
from classifier import key_text
from classifier.eligibility import decided_leaf

from ._errors import ReviewInputError

if TYPE_CHECKING:
    from classifier.eligibility import Checker, Verdict

    from ._record_guard import RecordGuard
    from ._records import Entry
    from ._store import ReviewStore


@dataclass(frozen=True)
class Reviewed:
    """What to show for one line: ``verdict`` (the team's decision when there is one), the standing ``entry``
    (None: the model's verdict stands), ``model``, the model's own verdict, and ``warning`` when the record could
    not be read (the verdict is then the model's, whatever the team decided)."""

    verdict: Verdict
    entry: Entry | None
    model: Verdict
    warning: str | None = None


def department_key(verdict: Verdict) -> str | None:
    """The buyer a decision belongs to: its section, else the unit as written (a unit without a section)."""
    if verdict.department:
        return verdict.department
    written = (verdict.buyer or "").strip()
    return written or None


def review_key(verdict: Verdict) -> tuple[str, str | None] | None:
    """(normalised line, buyer) of a verdict; None for a line that could not be read (empty, too long)."""
    if verdict.error or not (verdict.text or "").strip():
        return None
    normalized = key_text(verdict.text)
    return (normalized, department_key(verdict)) if normalized else None


def apply_reviews(
    record: RecordGuard | ReviewStore | None, verdicts: Sequence[Verdict], checker: Checker
) -> list[Reviewed]:
    """Each verdict with the standing decision for its line, looked up in one batch. Without a review record
    nothing is looked up (bulk tagging calls this on every chunk). Through a ``RecordGuard`` a record that cannot
    be read leaves the model's verdicts, each with the guard's warning."""
    if record is None or not getattr(record, "present", lambda: True)():
        return [Reviewed(verdict, None, verdict) for verdict in verdicts]
    keys = [review_key(v) for v in verdicts]
    standing = record.standing({k for k in keys if k is not None})
    warning = None
    if standing is None:  # the guard could not read the record
        standing, warning = {}, getattr(record, "warning", None)
    out = []
    for verdict, key in zip(verdicts, keys, strict=True):
        entry = standing.get(key) if key is not None else None
        shown = decided_verdict(verdict, entry, checker) if entry is not None else verdict
        out.append(Reviewed(shown, entry, verdict, warning))
    return out


def decided_verdict(verdict: Verdict, entry: Entry, checker: Checker) -> Verdict:
    """The model's verdict with the team's decision put in place (the library's rule: ``Checker.with_decision``)."""
    from classifier.eligibility import Decision

    decision = Decision(
        entry.id,
        entry.reviewer,
        entry.created_at.date(),
        entry.verdict,
        entry.code,
        entry.department,
        entry.pinmu_code,
        entry.note,
    )
    return checker.with_decision(verdict, decision)


def reviewed_by(entry: Entry | None, warning: str | None = None) -> str:
    """The ``gpsc_reviewed_by`` cell: ``张三 2026-12-02``, empty when the model's verdict stands, and the warning
    when the record could not be read (so a sheet says that its verdicts are the model's alone)."""
    if entry is not None:
        return f"{entry.reviewer} {entry.created_at:%Y-%m-%d}"
    return f"（{warning}）" if warning else ""


def review_dict(entry: Entry | None, catalog: Catalog) -> dict | None:
    """The ``review`` object of ``POST /v1/check`` and ``gpsc check --json``."""
    if entry is None:
        return None
    leaf = decided_leaf(catalog, entry.code, entry.department)
    return {
        "id": entry.id,
        "reviewer": entry.reviewer,
        "created_at": entry.created_at.isoformat(),
        "verdict": entry.verdict,
        "code": leaf.code if leaf else None,
        "code_department": leaf.department if leaf else None,
        "pinmu_code": entry.pinmu_code,
        "note": entry.note,
    }


def open_lines(reviewed: Sequence[Reviewed]) -> list[tuple[str, str, str | None, str | None]]:
    """The lines still waiting for a person (``review`` and no decision), as the queue records them."""
    out = []
    for r in reviewed:
        if r.entry is None and r.verdict.verdict == "review" and not r.verdict.error:
            line = queue_line(r.verdict.text, r.verdict.department, r.verdict.buyer)
            if line is not None:
                out.append(line)
    return out


def queue_line(text: str, section: str | None, unit: str | None) -> tuple[str, str, str | None, str | None] | None:
    """One open line as the queue records it: (decision key, text as written, the buyer's section or else the unit
    as written, the unit as written); None for a line with nothing to key."""
    key = key_text(text or "")
    if not key:
        return None
    unit = (unit or "").strip() or None
    return key, text, section or unit, unit


def record_decision(
    store: ReviewStore,
    checker: Checker,
    reviewer: str,
    *,
    text: str,
    department: str | None,
    verdict: str,
    code: str | None = None,
    pinmu_code: str | None = None,
    note: str | None = None,
) -> tuple[Entry, Verdict]:
    """Record a reviewer's decision on a line, with what the model said of it at the time; returns the entry and
    the model's verdict. Raises ``ReviewInputError`` (400) for a verdict outside the three, an unknown leaf or
    品目 code, an eligible decision without a leaf, or a line with nothing to judge."""
    from classifier.eligibility import VERDICTS

    if verdict not in VERDICTS:
        raise ReviewInputError(f"判定只能是 eligible、ineligible 或 review，不是 {verdict!r}")
    if not text or not text.strip():
        raise ReviewInputError("采购内容为空")
    model = checker.check(text, department)
    key = review_key(model)
    if key is None:
        raise ReviewInputError(model.error or "去掉年份、地名和数字后没有可判断的内容")
    catalog = checker.catalog
    leaf = None
    if code and code.strip():
        leaf = decided_leaf(catalog, code.strip(), model.department)
        if leaf is None:
            where = f"{model.department}部门目录" if model.department and "/" not in code else "所附目录"
            raise ReviewInputError(f"{where}中没有目录条目 {code.strip()}（写作 A150201，或 部门/A150201）")
    if verdict == "eligible" and leaf is None:
        raise ReviewInputError("审定为可以购买时，请给出目录条目编码（code）")
    item = None
    if pinmu_code and pinmu_code.strip():
        item = load_pinmu().item(pinmu_code.strip())
        if item is None:
            raise ReviewInputError(f"品目目录中没有 {pinmu_code.strip()}")
    catalog_version, model_version = model_versions(checker)
    entry = store.record(
        reviewer,
        text=text,
        normalized=key[0],
        department=key[1],
        department_written=(department or "").strip() or None,
        verdict=verdict,
        code=f"{leaf.department}/{leaf.code}" if leaf else None,
        pinmu_code=item.code if item else None,
        note=(note or "").strip() or None,
        model_verdict=model.verdict,
        model_code=model.match.key if model.match else None,
        catalog_version=catalog_version,
        model_version=model_version,
    )
    return entry, model


def model_versions(checker: Checker) -> tuple[str, str]:
    """(catalog version, model version) recorded with each decision."""
    from classifier import MODEL_FORMAT

    catalog = checker.model.catalog_
    training = getattr(checker.model, "training_hash_", "") or ""
    return catalog.content_hash, f"format {MODEL_FORMAT} {training}".strip()
