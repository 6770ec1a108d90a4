"""The eligibility check: may a purchase line be bought as 政府购买服务, under which leaf, and if not, why.

>>> from classifier.eligibility import get_checker
>>> verdict = get_checker().check("12345热线外包", "县行政审批服务管理局")
>>> verdict.verdict, verdict.match.key
('eligible', '行政审批/A180701')

Parts: ``Checker`` (ranking + negative list + thresholds -> ``Verdict`` with ``Reason``s citing the rule),
``Auditor`` (declared codes -> ``AuditResult``), ``fit_thresholds`` (the policy thresholds, from data),
``evaluate_verdicts`` (accuracy, confusion, false-eligible and false-ineligible rates), and the saved
bundle (``get_checker``, ``train_checker``, ``save_checker``, ``load_checker``).

Errors::

    ClassifierError
    └── EligibilityError
        └── RuleTableError
"""

from ._audit import MISMATCH_MARGIN, Auditor, AuditResult
from ._bundle import (
    TRAINING_STEPS,
    default_checker_path,
    get_checker,
    load_checker,
    provenance,
    save_checker,
    train_checker,
)
from ._checker import Buyer, Checker, Reason, Thresholds, Verdict
from ._decision import REVIEW_RULE, VERDICT_NAMES, Decision, decided_leaf
from ._declared import DeclaredFinding, DeclaredThresholds, audit_declared, declared_rankings
from ._errors import EligibilityError, RuleTableError
from ._evaluate import VerdictReport, WrongVerdict, evaluate_verdicts
from ._judgements import COLUMNS as JUDGEMENT_COLUMNS
from ._judgements import Judgements
from ._kinds import AUDIT_KINDS, NO_FINDING, VERDICTS, AuditKind, VerdictKind
from ._qualifiers import Conflict, Qualifiers, load_qualifiers, parse_qualifiers
from ._rules import Rule, RuleHit, RuleSet, load_rules, parse_rules, rule_text
from ._thresholds import FALSE_ELIGIBLE_COST, GRID, PINMU_GRID, fit_pinmu_threshold, fit_thresholds

EligibilityChecker = Checker  # the name used before this part was public

__all__ = [
    "AUDIT_KINDS",
    "FALSE_ELIGIBLE_COST",
    "GRID",
    "JUDGEMENT_COLUMNS",
    "MISMATCH_MARGIN",
    "NO_FINDING",
    "PINMU_GRID",
    "REVIEW_RULE",
    "TRAINING_STEPS",
    "VERDICTS",
    "VERDICT_NAMES",
    "AuditKind",
    "AuditResult",
    "Auditor",
    "Buyer",
    "Checker",
    "Conflict",
    "Decision",
    "DeclaredFinding",
    "DeclaredThresholds",
    "EligibilityChecker",
    "EligibilityError",
    "Judgements",
    "Qualifiers",
    "Reason",
    "Rule",
    "RuleHit",
    "RuleSet",
    "RuleTableError",
    "Thresholds",
    "Verdict",
    "VerdictKind",
    "VerdictReport",
    "WrongVerdict",
    "audit_declared",
    "decided_leaf",
    "declared_rankings",
    "default_checker_path",
    "evaluate_verdicts",
    "fit_pinmu_threshold",
    "fit_thresholds",
    "get_checker",
    "load_checker",
    "load_qualifiers",
    "load_rules",
    "parse_qualifiers",
    "parse_rules",
    "provenance",
    "rule_text",
    "save_checker",
    "train_checker",
]
