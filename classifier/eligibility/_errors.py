"""Errors of the eligibility part (a branch of ``ClassifierError``)::

ClassifierError
└── EligibilityError
    └── RuleTableError      a rule or qualifier table that cannot be compiled (fails at load time)

A saved checker that cannot be used raises the classifier's ``ModelFileError`` / ``ModelMismatchError``.
"""

from __future__ import annotations

from classifier import ClassifierError


class EligibilityError(ClassifierError):
    """Base class of the errors raised by ``classifier.eligibility``."""


class RuleTableError(EligibilityError, ValueError):
    """A rule or qualifier table is malformed; the message names the rule and the problem."""
