"""Fit the eligibility thresholds from labelled data instead of guessing them: they are policy, and this
function owns them (the checker's saved bundle records what they were fitted on).

For each way of asking (the buyer's section known or not) the threshold minimises
``5 × false-eligible rate (lines that must not be eligible, judged eligible) + missed-eligible rate``:
a wrong ``eligible`` costs five times a needless ``review``. Ties go to the higher, safer threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from classifier import LabeledLine, purchase_scope

from ._checker import Checker, Thresholds
from ._typing import THRESHOLD_GRID, TYPES, goods_threshold, word_flags

FALSE_ELIGIBLE_COST = 5.0
GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)


def fit_thresholds(
    checker: Checker,
    lines: Sequence[LabeledLine],
    *,
    pinmu_lines: Sequence[tuple[str, str | None, str]] = (),
    source: str = "labelled lines",
) -> Thresholds:
    """Thresholds for ``checker`` from lines with an expected verdict (``eligible`` when only a gold is given).

    A line asked with a department counts for the with-department threshold, a line without one (or with
    a buyer that has no section) for the other; a line with a department is also asked without it.
    """
    asks: dict[bool, list[tuple[LabeledLine, str | None]]] = {True: [], False: []}
    for line in lines:
        given = checker.buyer(line.department).section is not None
        asks[given].append((line, line.department))
        # asked again without the department, as a user who leaves it out would; "only another section has it"
        # is no negative then, since without a department any section's leaf counts
        if given and line.rule != "other_section":
            asks[False].append((line, None))
    chosen = {}
    for given, pairs in asks.items():
        if not pairs:
            chosen[given] = checker.thresholds.for_department(given)
            continue
        texts = [line.text for line, _ in pairs]
        buyers = [checker.buyer(d) for _, d in pairs]
        classifications = checker.model.classify_many(texts, [b.section for b in buyers])
        cost = np.zeros(len(GRID))
        negatives = sum(line.expected_verdict != "eligible" for line, _ in pairs)
        positives = len(pairs) - negatives
        for (line, _), c, buyer in zip(pairs, classifications, buyers, strict=True):
            scope = purchase_scope(line.text)
            hits = checker.rule_hits(scope)
            eligible_at = np.array(
                [
                    checker.decide(c, hits, threshold=float(t), buyer=buyer, scope=scope).verdict == "eligible"
                    for t in GRID
                ]
            )
            if line.expected_verdict == "eligible":
                cost += (~eligible_at) / max(positives, 1)
            else:
                cost += FALSE_ELIGIBLE_COST * eligible_at / max(negatives, 1)
        best = np.flatnonzero(cost == cost.min()).max()
        chosen[given] = float(GRID[best])
    if getattr(checker.typer, "threshold_", None) is not None:
        pinmu = checker.typer.threshold_  # fitted with the type decision, on its cross-fitted readings
    elif pinmu_lines and checker.pinmu_model:
        pinmu = fit_pinmu_threshold(checker, pinmu_lines)
    else:
        pinmu = Thresholds().pinmu
    return Thresholds(
        with_department=chosen[True],
        without_department=chosen[False],
        source=f"{source}; cost = {FALSE_ELIGIBLE_COST:g} × false-eligible rate + missed-eligible rate",
        pinmu=pinmu,
    )


PINMU_GRID = THRESHOLD_GRID


def fit_pinmu_threshold(checker: Checker, examples: Sequence[tuple[str, str | None, str]]) -> float:
    """The probability of goods or works at which a line is ineligible, fitted on ``(text, department, type)``
    lines as ``goods_threshold`` fits it (``missed goods/works rate + 3 × services-judged-goods-or-works rate``):
    for a checker's own readings of given lines (a checker fitted by ``train_checker`` gets its threshold from the
    type decision's cross-fitted readings instead)."""
    lines = checker.read([t for t, _, _ in examples], [d for _, d, _ in examples])
    hits = lines.hits
    typed = checker.read_types(lines.classifications, lines.rankings, lines.scopes, hits)
    probs = np.full((len(examples), len(TYPES)), 1 / len(TYPES))
    for k, (reading, ranking) in enumerate(zip(typed, lines.rankings, strict=True)):
        scores = reading.scores if reading is not None else (ranking.type_scores if ranking is not None else {})
        probs[k] = [scores.get(t, 0.0) for t in TYPES]
    words, counted = word_flags(hits)
    return goods_threshold(probs, np.array([k for _, _, k in examples]), words, counted)
