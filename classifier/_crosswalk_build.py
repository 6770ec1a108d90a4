"""Build step: map the guidance catalog's leaves and level-3 nodes to 品目 C codes (``crosswalk_pinmu.tsv``).

    python -m classifier._crosswalk_build

财综〔2020〕57号 asks that a service of the guidance catalog be filed under its 品目 in the procurement plan. The
map is data, reviewed like the alias tables: ``method`` says how each row was found. A name equal to a C item's
name is ``exact``; every other node takes the code of ``crosswalk_reviewed.tsv``, written by a reviewer who saw
both catalogues and their 说明 but not the ranker's proposal (``reviewed``; ``tentative`` where the reviewer was
unsure, shown as 推定). The 品目 ranking still proposes a code for each node, but an unreviewed proposal is dropped.
"""

from __future__ import annotations

import csv
import io
from importlib.resources import files
from pathlib import Path

import numpy as np

from catalog import Catalog, Pinmu, load_catalog, load_pinmu

from ._data import bundled_pinmu_training, bundled_training
from ._normalize import normalize
from ._pinmu_model import PinmuClassifier

FIELDS = ("department", "code", "level", "name", "pinmu_code", "pinmu_name", "method", "score")
WEAK = 0.5  # a leaf's own ranked guess below this similarity yields to its level-3 node's exact 品目


def build_crosswalk(
    catalog: Catalog,
    pinmu: Pinmu,
    model: PinmuClassifier,
    reviewed: dict[tuple[str, str], tuple[str, str]] | None = None,
) -> str:
    services = [i for i in pinmu.items if i.type == "services" and i.level >= 2]
    by_name = {normalize(i.name): i for i in services}
    columns = np.array([k for k, code in enumerate(model.codes_) if code[0] == "C" and code.count("0") < 8])
    rows = []
    level3_exact: dict[tuple[str, str], tuple[str, str]] = {}
    for section in catalog.sections:
        for node in section.nodes:
            if node.level not in (3, 4):
                continue
            name = node.section_name
            exact = by_name.get(normalize(name))
            if exact is not None:
                rows.append((section.title, node.code, node.level, name, exact.code, exact.name, "exact", 1.0))
                if node.level == 3:
                    level3_exact[(section.title, node.code)] = (exact.code, exact.name)
                continue
            query = name if node.level == 3 else f"{name} {section.path(node)[2].section_name}"
            raw = model._raw([normalize(query) or query])[0][columns]  # build step: same package, its internals
            best = int(columns[int(np.argmax(raw))])
            parent = level3_exact.get((section.title, node.code[:5]))
            if node.level == 4 and parent is not None and raw.max() < WEAK:
                # a weak guess for the leaf: the level-3 node's exact 品目 is the safer answer
                rows.append((section.title, node.code, 4, name, *parent, "level3", round(float(raw.max()), 3)))
                continue
            rows.append(
                (
                    section.title,
                    node.code,
                    node.level,
                    name,
                    model.codes_[best],
                    model.names_[best],
                    "ranked",
                    round(float(raw.max()), 3),
                )
            )
    rows = apply_review(rows, pinmu, bundled_review() if reviewed is None else reviewed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows(rows)
    return out.getvalue()


CONFIDENCE_SCORE = {"high": 1.0, "medium": 0.7, "low": 0.4}


def bundled_review() -> dict[tuple[str, str], tuple[str, str]]:
    """The shipped review (``catalog/data/crosswalk_reviewed.tsv``)."""
    return read_review(files("catalog.data").joinpath("crosswalk_reviewed.tsv").read_text(encoding="utf-8"))


def read_review(text: str) -> dict[tuple[str, str], tuple[str, str]]:
    """``crosswalk_reviewed.tsv``: (section, code) -> (pinmu_code, confidence), written by a reviewer who saw both
    catalogues and their 说明, never the ranker's choice; an empty code means no C item fits."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    return {(r["department"], r["code"]): (r["pinmu_code"].strip(), r["confidence"].strip()) for r in reader}


def apply_review(rows: list[tuple], pinmu: Pinmu, reviewed: dict[tuple[str, str], tuple[str, str]]) -> list[tuple]:
    """Every guess (``ranked``, ``level3``) is replaced by its review or dropped: only ``exact`` names and reviewed
    codes are shown as fact (``reviewed``); a reviewer's low-confidence code is kept as ``tentative`` (推定)."""
    out = []
    for row in rows:
        department, code, level, name, *_, method, _score = row
        if method == "exact":
            out.append(row)
            continue
        review = reviewed.get((department, code))
        if review is None or not review[0] or pinmu.item(review[0]) is None:
            continue  # an unreviewed guess is not shown
        item = pinmu.item(review[0])
        kind = "tentative" if review[1] == "low" else "reviewed"
        out.append((department, code, level, name, item.code, item.name, kind, CONFIDENCE_SCORE.get(review[1], 0.4)))
    return out


def main() -> None:
    catalog = load_catalog()
    model = PinmuClassifier().fit(load_pinmu(), bundled_pinmu_training(), [x.text for x in bundled_training(catalog)])
    text = build_crosswalk(catalog, load_pinmu(), model)
    target = Path(__file__).resolve().parents[1] / "catalog" / "data" / "crosswalk_pinmu.tsv"
    target.write_text(text, encoding="utf-8")
    methods = [line.split("\t")[6] for line in text.splitlines()[1:]]
    counts = ", ".join(f"{methods.count(m)} {m}" for m in ("exact", "reviewed", "tentative"))
    print(f"{len(methods)} rows ({counts}) -> {target}")


if __name__ == "__main__":
    main()
