"""Build step: map the guidance catalog's leaves and level-3 nodes to 品目 C codes (``crosswalk_pinmu.tsv``).

    python -m classifier._crosswalk_build

财综〔2020〕57号 asks that a service of the guidance catalog be filed under its 品目 in the procurement plan. The
map is data, reviewed like the alias tables: ``method`` says how each row was found, so a reviewer checks
``ranked`` rows first. A name equal to a C item's name is ``exact``; otherwise the 品目 ranking, restricted to
services, proposes the closest C item for the node's name (leaves also read their level-3 name) and its score.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from catalog import Catalog, Pinmu, load_catalog, load_pinmu

from ._data import bundled_pinmu_training, bundled_training
from ._normalize import normalize
from ._pinmu_model import PinmuClassifier

FIELDS = ("department", "code", "level", "name", "pinmu_code", "pinmu_name", "method", "score")
WEAK = 0.5  # a leaf's own ranked guess below this similarity yields to its level-3 node's exact 品目


def build_crosswalk(catalog: Catalog, pinmu: Pinmu, model: PinmuClassifier) -> str:
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
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows(rows)
    return out.getvalue()


def main() -> None:
    catalog = load_catalog()
    model = PinmuClassifier().fit(load_pinmu(), bundled_pinmu_training(), [x.text for x in bundled_training(catalog)])
    text = build_crosswalk(catalog, load_pinmu(), model)
    target = Path(__file__).resolve().parents[1] / "catalog" / "data" / "crosswalk_pinmu.tsv"
    target.write_text(text, encoding="utf-8")
    methods = [line.split("\t")[6] for line in text.splitlines()[1:]]
    counts = ", ".join(f"{methods.count(m)} {m}" for m in ("exact", "level3", "ranked"))
    print(f"{len(methods)} rows ({counts}) -> {target}")


if __name__ == "__main__":
    main()
