"""Why a verdict was given: the one shape every reason has (rule id, legal basis, message)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a verdict was given: ``Reason('goods', '…第十条第（三）项…', '“购置办公设备”是货物…')``.

    ``rule`` is a stable machine id (``goods``, ``catalog.match``); ``message`` is for the officer.
    """

    rule: str
    basis: str
    message: str
