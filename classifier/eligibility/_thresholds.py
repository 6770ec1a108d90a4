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
from ._typing import TypeReading

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


FALSE_INELIGIBLE_COST = 3.0
PINMU_GRID = np.round(np.arange(0.30, 0.991, 0.01), 2)


def fit_pinmu_threshold(checker: Checker, examples: Sequence[tuple[str, str | None, str]]) -> float:
    """The probability of goods or works (the type decision) at which a line is ineligible without a rule hit,
    minimising ``missed goods/works rate + 3 × services-judged-goods-or-works rate`` over ``(text, department,
    type)`` lines. Lines a negative rule already decides do not count: the threshold only matters where the rules
    are silent."""
    texts = [t for t, _, _ in examples]
    scopes = [purchase_scope(t) for t in texts]
    buyers = [checker.buyer(d) if d else checker._named_buyer(s) for (_, d, _), s in zip(examples, scopes, strict=True)]
    classifications = checker.model.classify_many(texts, [b.section for b in buyers])
    rankings = checker.pinmu_model.rank_many(texts)
    hits = [checker.rule_hits(s) for s in scopes]
    typed = checker.read_types(classifications, rankings, scopes, hits)
    missed, wrong = np.zeros(len(PINMU_GRID)), np.zeros(len(PINMU_GRID))
    n_goods = n_services = 0
    for (_, _, kind), line_hits, reading, ranking in zip(examples, hits, typed, rankings, strict=True):
        if any(h.rule.verdict == "ineligible" or h.rule.names_funds for h in line_hits):
            continue  # decided by a rule, or a fund the 品目 does not judge
        if reading is None:
            reading = _ranking_reading(ranking)
        if reading is None:
            continue
        goods_like = reading.type in ("goods", "works")
        caught = np.array([goods_like and reading.score >= t for t in PINMU_GRID])
        if kind in ("goods", "works"):
            n_goods += 1
            missed += ~caught
        else:
            n_services += 1
            wrong += caught
    cost = missed / max(n_goods, 1) + FALSE_INELIGIBLE_COST * wrong / max(n_services, 1)
    return float(PINMU_GRID[np.flatnonzero(cost == cost.min()).max()])


def _ranking_reading(ranking):
    if ranking is None or ranking.type is None:
        return None
    return TypeReading(ranking.type, ranking.type_scores[ranking.type], dict(ranking.type_scores))
