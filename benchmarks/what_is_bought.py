"""What is bought, measured on real and held-out lines, beside a plain baseline trained on the same real lines.

    .venv/bin/python -m benchmarks.what_is_bought      # prints the tables, writes benchmarks/what_is_bought.json

Sets (only aggregates are printed; no line is shown):

- ``real titles``: real ccgp.gov.cn notice titles, the ``test`` half of ``training_data/real_titles.csv`` (split by
  project; gpsc and the anchor learn only from the ``train`` half). The buyer's own type is the label.
- ``intentions``: ``training_data/intentions_test.csv``, 320 采购意向 lines from all provinces written by a separate
  writer who never saw the rules, the model or the training lines; asked with their buyer and without it.
- ``junk``: cells that hold no purchase (numbers, codes, dates, header and total words).

Figures, as the issue that asked for them defines them:

- goods and works judged ``ineligible`` (lines whose label is only goods or works);
- services judged goods or works (ineligible for a goods or works reason; on the intentions, any ``ineligible``);
- type agreement (the line's type equals one of the label's types; a blank counts as a miss).

The anchor is a plain character TF-IDF (1-3 grams) + logistic regression on the raw text of the real ``train``
half: what anyone would build first from the same data.
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from classifier import bundled_real_titles

GOODS_OR_WORKS = ("goods", "works")
JUNK = (
    "34",
    "15",
    "A150201",
    "2026-01-01",
    "合计",
    "小计：",
    "序号",
    "同上",
    "见附件",
    "待定",
    "—",
    "（三）",
    "测试",
    "/",
)


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    department: str | None
    types: tuple[str, ...]

    @property
    def kind(self) -> str:
        kinds = {"services" if t == "services" else "goods_or_works" for t in self.types}
        return kinds.pop() if len(kinds) == 1 else "mixed"


def intentions() -> list[Line]:
    text = files("training_data").joinpath("intentions_test.csv").read_text(encoding="utf-8")
    return [Line(r["text"], r["department"] or None, (r["type"],)) for r in csv.DictReader(text.splitlines())]


def real_titles(split: str) -> list[Line]:
    return [Line(t.text, None, t.types) for t in bundled_real_titles(split)]


def anchor(train: list[Line]):
    """The plain baseline: character TF-IDF + logistic regression on the raw text, first label type as class."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True), LogisticRegression(max_iter=2000)
    )
    return model.fit([t.text for t in train], [t.types[0] for t in train])


def figures(lines: list[Line], types: list[str | None], judged_goods: list[bool]) -> dict[str, float | int]:
    goods = [j for t, j in zip(lines, judged_goods, strict=True) if t.kind == "goods_or_works"]
    services = [j for t, j in zip(lines, judged_goods, strict=True) if t.kind == "services"]
    agree = [ty is not None and ty in t.types for t, ty in zip(lines, types, strict=True)]
    return {
        "lines": len(lines),
        "goods_works_ineligible": round(sum(goods) / max(len(goods), 1), 3),
        "services_as_goods_works": round(sum(services) / max(len(services), 1), 3),
        "type_agreement": round(sum(agree) / max(len(agree), 1), 3),
        "type_given": round(sum(ty is not None for ty in types) / max(len(types), 1), 3),
    }


def gpsc_figures(checker, lines: list[Line], *, with_buyer: bool, any_ineligible: bool = False) -> dict:
    verdicts = checker.check_many([t.text for t in lines], [t.department if with_buyer else None for t in lines])
    judged = [
        v.verdict == "ineligible" and (any_ineligible or any(r.rule in GOODS_OR_WORKS for r in v.reasons))
        for v in verdicts
    ]
    return figures(lines, [v.type for v in verdicts], judged)


def pinmu_code_figures(checker, titles) -> dict[str, float | int]:
    """The 品目 item on real titles whose buyer's path names a 2022 item: the ranking's best item is that item or a
    correct, less specific ancestor (level 2 or deeper), and how often a confident item is shown and agrees (the
    same item, or one is the other's ancestor at level 2 or deeper: buyers often file under a less specific one)."""
    from classifier import PinmuLine, evaluate_pinmu

    coded = [PinmuLine(t.text, t.codes) for t in titles if t.codes]
    ranked = evaluate_pinmu(checker.pinmu_model, coded)
    verdicts = checker.check_many([line.text for line in coded])
    shown = [v.pinmu for v in verdicts]
    agree = sum(
        p is not None and any(_covers(p.code, c) for c in line.codes) for p, line in zip(shown, coded, strict=True)
    )
    return {
        "lines": len(coded),
        "ranked_code_right": round(ranked.code_accuracy, 3),
        "shown": round(sum(p is not None for p in shown) / max(len(coded), 1), 3),
        "shown_and_right": round(agree / max(len(coded), 1), 3),
    }


def _covers(candidate: str, gold: str) -> bool:
    """The candidate is the gold item or a correct, less specific ancestor of it (level 2 or deeper)."""
    from catalog import code_level, parent_code

    current: str | None = gold
    while current is not None and code_level(current) >= 2:
        if current == candidate:
            return True
        current = parent_code(current)
    return False


def junk_figures(checker) -> dict[str, int]:
    verdicts = checker.check_many(list(JUNK))
    return {
        "lines": len(JUNK),
        "eligible": sum(v.verdict == "eligible" for v in verdicts),
        "given_a_leaf": sum(v.match is not None or bool(v.candidates) for v in verdicts),
        "no_content": sum(any(r.rule == "text.no_content" for r in v.reasons) for v in verdicts),
    }


def run(checker=None) -> dict[str, dict]:
    from classifier.eligibility import get_checker

    checker = checker or get_checker()
    model = anchor(real_titles("train"))
    test, written = real_titles("test"), intentions()
    out: dict[str, dict] = {"real_titles": {}, "intentions": {}}
    out["real_titles"]["gpsc"] = gpsc_figures(checker, test, with_buyer=False)
    predicted = [str(p) for p in model.predict([t.text for t in test])]
    out["real_titles"]["anchor"] = figures(test, predicted, [p in GOODS_OR_WORKS for p in predicted])
    for with_buyer in (True, False):
        name = "gpsc_with_buyer" if with_buyer else "gpsc_without_buyer"
        out["intentions"][name] = gpsc_figures(checker, written, with_buyer=with_buyer, any_ineligible=True)
    predicted = [str(p) for p in model.predict([t.text for t in written])]
    out["intentions"]["anchor"] = figures(written, predicted, [p in GOODS_OR_WORKS for p in predicted])
    out["pinmu_codes"] = pinmu_code_figures(checker, bundled_real_titles("test"))
    out["junk"] = junk_figures(checker)
    return out


def render(result: dict[str, dict]) -> str:
    rows = [
        "| 数据 | 方法 | 行数 | 货物/工程判为不得购买 | 服务判为货物/工程 | 类型与标注一致 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for data in ("real_titles", "intentions"):
        for name, f in result[data].items():
            rows.append(
                f"| {data} | {name} | {f['lines']} | {f['goods_works_ineligible']:.3f} | "
                f"{f['services_as_goods_works']:.3f} | {f['type_agreement']:.3f} |"
            )
    codes = result["pinmu_codes"]
    rows.append(
        f"\n真实标题中采购人品目可对应 2022 年目录的 {codes['lines']} 行：排序第一的品目正确（含正确的上级）"
        f"{codes['ranked_code_right']:.3f}；给出品目 {codes['shown']:.3f}，给出且正确 {codes['shown_and_right']:.3f}。"
    )
    junk = result["junk"]
    rows.append(
        f"\n无内容的单元格 {junk['lines']} 个：判为可以购买 {junk['eligible']} 个，"
        f"给出目录条目 {junk['given_a_leaf']} 个，标为 text.no_content {junk['no_content']} 个。"
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).with_name("what_is_bought.json")))
    args = parser.parse_args()
    result = run()
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(render(result))


if __name__ == "__main__":
    main()
