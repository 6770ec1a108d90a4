"""Choose the eligibility thresholds from labelled data instead of guessing them.

For each way of asking (department given or not) the threshold minimises
``5 × false-eligible rate (negatives judged eligible) + missed-eligible rate (dev lines not judged eligible)``:
a wrong ``eligible`` costs five times a needless ``review``. Ties go to the higher, safer threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._data import LabeledLine
from ._eligibility import EligibilityChecker, Thresholds

FALSE_ELIGIBLE_COST = 5.0
GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)


def choose_thresholds(
    checker: EligibilityChecker, eligible: Sequence[LabeledLine], negatives: Sequence[LabeledLine]
) -> Thresholds:
    chosen = {}
    for given in (True, False):
        # without a department any section's leaf counts, so "belongs to another section" is no negative
        negs = [n for n in negatives if given or n.rule != "other_section"]
        positives = [line for line in eligible if line.department or not given]
        cost = np.zeros(len(GRID))
        for lines, is_negative in ((negs, True), (positives, False)):
            if not lines:
                continue
            departments = [line.department if given else None for line in lines]
            classifications = checker.model.classify_many([line.text for line in lines], departments)
            eligible_at = np.zeros(len(GRID))
            for line, c in zip(lines, classifications, strict=True):
                hits = checker.rules.match(line.text)
                verdicts = [checker.decide(c, hits, threshold=float(t)).verdict for t in GRID]
                eligible_at += np.array([v == "eligible" for v in verdicts])
            rate = eligible_at / len(lines)
            cost += FALSE_ELIGIBLE_COST * rate if is_negative else 1.0 - rate
        best = np.flatnonzero(cost == cost.min()).max()
        chosen[given] = float(GRID[best])
    return Thresholds(
        with_department=chosen[True],
        without_department=chosen[False],
        source=f"dev + negatives, cost = {FALSE_ELIGIBLE_COST:g} × false-eligible rate + missed-eligible rate",
    )
