"""What is bought, measured on real 政府采购 notice titles held out by project (``training_data/real_titles.csv``).

    .venv/bin/python -m benchmarks.real_titles            # prints the table, writes benchmarks/real_titles.json

Three figures, as the issue that asked for them defines them, on the ``test`` half only (the ``train`` half is what
gpsc and the anchor learn from):

- goods and works judged ``ineligible`` (titles whose buyer filed only goods or works);
- services judged goods or works (titles filed only as services, judged ineligible for a goods or works reason);
- type agreement with the buyer (the line's 品目 type equals one of the buyer's types; a blank counts as a miss).

The anchor is a plain character TF-IDF (1-3 grams) + logistic regression on the raw titles of the same ``train``
half: what anyone would build first from the same data. Only aggregates are printed; no title is shown.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from classifier import bundled_real_titles

GOODS_OR_WORKS = ("goods", "works")


def anchor_types(train, test) -> list[str]:
    """The plain baseline: character TF-IDF + logistic regression on the raw title, first buyer type as label."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True), LogisticRegression(max_iter=2000)
    )
    model.fit([t.text for t in train], [t.types[0] for t in train])
    return [str(p) for p in model.predict([t.text for t in test])]


def figures(titles, types: list[str | None], judged_goods: list[bool]) -> dict[str, float | int]:
    """The three figures from each title's type and whether it was judged goods or works."""
    goods = [j for t, j in zip(titles, judged_goods, strict=True) if t.kind == "goods_or_works"]
    services = [j for t, j in zip(titles, judged_goods, strict=True) if t.kind == "services"]
    agree = [ty is not None and ty in t.types for t, ty in zip(titles, types, strict=True)]
    return {
        "lines": len(titles),
        "goods_works_ineligible": round(sum(goods) / max(len(goods), 1), 3),
        "services_as_goods_works": round(sum(services) / max(len(services), 1), 3),
        "type_agreement": round(sum(agree) / max(len(agree), 1), 3),
        "type_given": round(sum(ty is not None for ty in types) / max(len(types), 1), 3),
    }


def gpsc_figures(checker, titles) -> dict[str, float | int]:
    verdicts = checker.check_many([t.text for t in titles], [None] * len(titles))
    types = [v.type for v in verdicts]
    judged = [v.verdict == "ineligible" and any(r.rule in GOODS_OR_WORKS for r in v.reasons) for v in verdicts]
    return figures(titles, types, judged)


def run(checker=None) -> dict[str, dict]:
    from classifier.eligibility import get_checker

    checker = checker or get_checker()
    train, test = bundled_real_titles("train"), bundled_real_titles("test")
    anchor = anchor_types(train, test)
    return {
        "gpsc": gpsc_figures(checker, test),
        "anchor_char_tfidf_lr": figures(test, anchor, [a in GOODS_OR_WORKS for a in anchor]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).with_name("real_titles.json")))
    args = parser.parse_args()
    result = run()
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("| | 货物/工程判为不得购买 | 服务判为货物/工程 | 类型与采购人一致 | 给出类型 |")
    print("| --- | --- | --- | --- | --- |")
    for name, f in result.items():
        print(
            f"| {name} | {f['goods_works_ineligible']:.3f} | {f['services_as_goods_works']:.3f} | "
            f"{f['type_agreement']:.3f} | {f['type_given']:.3f} |"
        )


if __name__ == "__main__":
    main()
