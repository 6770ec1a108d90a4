"""``gpsc train`` and ``gpsc evaluate``: fit the checker and measure it on labelled lines."""

from __future__ import annotations

import time
from pathlib import Path

import click

from catalog import load_catalog, load_pinmu
from classifier import evaluate, evaluate_pinmu, read_labeled, read_pinmu_lines
from classifier.eligibility import (
    VERDICTS,
    VerdictReport,
    default_checker_path,
    evaluate_verdicts,
    save_checker,
    train_checker,
)
from service.words import VERDICT_TITLES

from ._common import (
    catalog_option,
    chosen_catalog,
    db_option,
    library_errors,
    make_console,
    model_option,
    open_model,
    read_text_file,
)


@click.command("train")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="默认：模型缓存目录。")
@click.option("--with-reviews", is_flag=True, help="同时学习审定记录中的现行审定（--db 指定数据库）。")
@catalog_option
@db_option
@library_errors
def train_command(output: Path | None, with_reviews: bool, db_url: str | None) -> None:
    """用 training_data/ 训练排序模型、拟合判定阈值，并一起保存（一个 joblib 文件）。

    \b
    示例：
      gpsc train -o gpsc-model.joblib
      GPSC_MODEL=gpsc-model.joblib gpsc check "社工站运营" -d 县民政局
      gpsc train --with-reviews -o gpsc-model.joblib      # 也学习团队的审定
      gpsc train --catalog 本省目录.csv -o 本省模型.joblib   # 其他省份的目录（gpsc catalog export 格式）
    """
    if output is not None:
        _check_writable(output)  # before a minute of training, not after
    started = time.perf_counter()
    catalog = chosen_catalog()
    reviewed, ids = [], []
    if with_reviews:
        from ._decisions import reviewed_lines

        reviewed, ids = reviewed_lines(db_url, catalog or load_catalog())
        learned = sum(1 for line in reviewed if line.gold and line.expected_verdict == "eligible")
        click.echo(f"学习审定记录：{len(reviewed)} 条现行审定（其中 {learned} 条可以购买并给出目录条目）", err=True)
    checker = train_checker(catalog=catalog, reviewed=reviewed, reviewed_ids=ids)
    path = save_checker(checker, output or default_checker_path(catalog))
    t = checker.thresholds
    reference = checker.reference
    if not reference.is_bundled:
        click.echo(
            f"按{reference.name}训练：{len(reference.training)} 条训练文字的条目在该目录中（同一部门、代码和名称），"
            f"另 {reference.dropped} 条不在，未学习。",
            err=True,
        )
    click.echo(
        f"已训练：{reference.name}（目录 {checker.model.catalog_hash_}），"
        f"阈值 {t.with_department:.2f}（有部门）/ {t.without_department:.2f}（无部门），"
        f"用时 {time.perf_counter() - started:.1f} 秒；保存到 {path}"
    )


def _check_writable(path: Path) -> None:
    """A file can be created beside ``path`` (the model is written through a temporary file there)."""
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".gpsc-check-"):
            pass
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from error


@click.command("evaluate")
@click.argument(
    "labeled", nargs=-1, metavar="[标注文件]...", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--misses", default=30, show_default=True, help="每个文件列出多少条错误（0：不列）。")
@click.option("--with-reviews", is_flag=True, help="也在审定记录上测：只用模型没有学过的现行审定。")
@model_option
@db_option
@library_errors
def evaluate_command(
    labeled: tuple[Path, ...], misses: int, with_reviews: bool, model_path: Path | None, db_url: str | None
) -> None:
    """在标注好的 CSV 上测准确率（逐个文件）：目录条目排序的 top-1/top-3（列 text、department、gold，给部门与
    不给部门各一次），以及判定（可选列 verdict、rule）：混淆矩阵、判定准确率、误判可购买率、误判不得购买率、
    各负面清单规则的召回。

    \b
    示例：
      gpsc evaluate training_data/dev.csv
      gpsc evaluate training_data/negatives_test.csv training_data/verdicts_test.csv --misses 0
      gpsc evaluate --with-reviews            # 团队的审定中模型没有学过的那些
    """
    if not labeled and not with_reviews:
        raise click.UsageError("请给出标注好的 CSV，或用 --with-reviews 在审定记录上测")
    checker = open_model(model_path)
    catalog = checker.catalog  # the labels are read against the catalog the model judges with
    console = make_console()
    t = checker.thresholds
    console.print(
        f"阈值：有部门 {t.with_department:.2f}，无部门 {t.without_department:.2f}，"
        f"品目货物/工程 {t.pinmu:.2f}（{t.source}）",
        soft_wrap=True,
    )
    if with_reviews:
        from ._decisions import reviewed_lines

        lines, ids = reviewed_lines(db_url, catalog)
        unseen = [line for line, i in zip(lines, ids, strict=True) if i not in checker.reviewed_ids]
        console.print(f"\n== 审定记录：{len(lines)} 条现行审定，模型没有学过的 {len(unseen)} 条", markup=False)
        if unseen:
            _print_verdicts(console, evaluate_verdicts(checker, unseen))
    for path in labeled:
        text = read_text_file(path)
        header = text.partition("\n")[0]
        only_pinmu = "pinmu" in header and "gold" not in header  # a 品目 file: no guidance-catalog labels
        lines = [] if only_pinmu else read_labeled(text, catalog, str(path))
        console.print(f"\n== {path}：{len(lines) if lines else text.count(chr(10)) - 1} 行", markup=False)
        labelled = [line for line in lines if line.gold]
        result = None
        if labelled:
            result = evaluate(checker.model, labelled)
            console.print("目录条目排序（有标注条目的行）：")
            for label, split in (("给出部门", result.with_department), ("不给部门", result.without_department)):
                console.print(
                    f"  {label}  n={split.total:<5} top-1 {split.top1_accuracy:.3f}   top-3 {split.top3_accuracy:.3f}"
                )
        if "pinmu" in header and checker.pinmu_model is not None:
            p = evaluate_pinmu(checker.pinmu_model, read_pinmu_lines(text, load_pinmu(), str(path)))
            console.print(
                f"品目（有标注品目的行）：n={p.total}  类型（货物/工程/服务）准确率 {p.type_accuracy:.3f}"
                f"   品目准确率 {p.code_accuracy:.3f}（其中编码完全一致 {p.exact_accuracy:.3f}）"
            )
        if only_pinmu:
            continue
        report = evaluate_verdicts(checker, lines)
        _print_verdicts(console, report)
        if result is not None and misses:
            shown = [*result.with_department.misses, *result.without_department.misses][:misses]
            if shown:
                console.print(f"排序错误（前 {len(shown)} 条）：文字 | 部门 | 标注 | 预测前三")
            for miss in shown:
                console.print(
                    f"  {miss.text} | {miss.department or '-'} | {';'.join(miss.gold)} | {';'.join(miss.predicted)}",
                    soft_wrap=True,
                    markup=False,
                )
        wrong = report.wrong[:misses]
        if wrong:
            console.print(f"判定错误（前 {len(wrong)} 条）：文字 | 部门 | 应为 -> 判为 | 理由")
        for w in wrong:
            console.print(
                f"  {w.text} | {w.department or '-'} | {w.expected} -> {w.got} | {','.join(w.rules)}",
                soft_wrap=True,
                markup=False,
            )


def _print_verdicts(console, report: VerdictReport) -> None:
    console.print("判定（行：应为；列：判为）：")
    console.print("  " + " " * 12 + "".join(f"{VERDICT_TITLES[k] + ' ' + k:>22}" for k in VERDICTS), markup=False)
    for expected, counts in report.matrix():
        console.print(f"  {expected:<12}" + "".join(f"{n:>22}" for n in counts), markup=False)
    console.print(
        f"  判定准确率 verdict accuracy {report.accuracy:.3f}"
        f"   误判可购买 false-eligible {report.false_eligible_rate:.3f}"
        f"   误判不得购买 false-ineligible {report.false_ineligible_rate:.3f}",
        markup=False,
    )
    if report.rule_recall:
        recall = ", ".join(f"{rule} {hit}/{n}" for rule, (hit, n) in sorted(report.rule_recall.items()))
        console.print(f"  各负面清单规则的召回：{recall}", soft_wrap=True, markup=False)
