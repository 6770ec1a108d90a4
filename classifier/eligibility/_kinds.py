"""The verdict and audit kinds, typed in one place so that a misspelt kind is a type error, not a silent branch."""

from __future__ import annotations

from typing import Literal, get_args

VerdictKind = Literal["eligible", "ineligible", "review"]
AuditKind = Literal[
    "ineligible",
    "pinmu_type_mismatch",
    "unknown_code",
    "wrong_department",
    "mismatch",
    "pinmu_mismatch",
    "not_declared",
    "ok",
]

VERDICTS: tuple[VerdictKind, ...] = get_args(VerdictKind)
AUDIT_KINDS: tuple[AuditKind, ...] = get_args(AuditKind)  # most serious first
NO_FINDING: tuple[AuditKind, ...] = ("not_declared", "ok")  # kinds that are no problem to list
