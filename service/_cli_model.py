"""``gpsc train`` and ``gpsc evaluate``: fit the classifier and measure it on labelled lines."""

from __future__ import annotations

import time
from pathlib import Path

import click

from catalog import load_catalog
from classifier import default_model_path, evaluate, read_labeled, save_model, train_default_model
from classifier._eligibility import EligibilityChecker
from classifier._evaluate import VerdictReport, evaluate_verdicts

from ._cli_common import library_errors, make_console, model_option, open_model, read_text_file


@click.command("train")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: the model cache.")
@library_errors
def train_command(output: Path | None) -> None:
    """Fit the classifier on training_data/ and save it (a versioned joblib bundle).

    \b
    Example:
      gpsc train -o gpsc-model.joblib
      GPSC_MODEL=gpsc-model.joblib gpsc check "社工站运营" -d 县民政局
    """
    started = time.perf_counter()
    model = train_default_model()
    path = save_model(model, output or default_model_path())
    click.echo(
        f"trained on {load_catalog().source_version} (catalog {model.catalog_hash_}) "
        f"in {time.perf_counter() - started:.1f}s; saved to {path}"
    )


@click.command("evaluate")
@click.argument("labeled", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--misses", default=30, show_default=True, help="How many misses to list (0: none).")
@model_option
@library_errors
def evaluate_command(labeled: Path, misses: int, model_path: Path | None) -> None:
    """Accuracy on a labelled CSV: top-1/top-3 (columns text, department, gold) split by department given
    or not, and verdicts (optional columns verdict, rule): confusion matrix, false-eligible rate, rule recall.

    \b
    Example:
      gpsc evaluate training_data/dev.csv
      gpsc evaluate training_data/negatives_test.csv
    """
    catalog = load_catalog()
    lines = read_labeled(read_text_file(labeled), catalog, str(labeled))
    model = open_model(model_path)
    console = make_console()
    console.print(f"{len(lines)} labelled lines from {labeled}")
    labelled = [line for line in lines if line.gold]
    if labelled:
        result = evaluate(model, labelled)
        console.print("classification (lines with a gold leaf):")
        for label, split in (
            ("department given", result.with_department),
            ("no department", result.without_department),
        ):
            console.print(
                f"  {label:<17} n={split.total:<5} top-1 {split.top1_accuracy:.3f}   top-3 {split.top3_accuracy:.3f}"
            )
    report = evaluate_verdicts(EligibilityChecker(model), lines)
    _print_verdicts(console, report)
    if labelled:
        shown = [*result.with_department.misses, *result.without_department.misses][:misses]
        if shown:
            console.print(f"\nclassification misses (first {len(shown)}): text | department | gold | predicted top-3")
        for miss in shown:
            console.print(
                f"  {miss.text} | {miss.department or '-'} | {';'.join(miss.gold)} | {';'.join(miss.predicted)}",
                soft_wrap=True,
                markup=False,
            )
    wrong = report.wrong[:misses]
    if wrong:
        console.print(f"\nverdict misses (first {len(wrong)}): text | department | expected -> got")
    for text, department, expected, got in wrong:
        console.print(f"  {text} | {department or '-'} | {expected} -> {got}", soft_wrap=True, markup=False)


def _print_verdicts(console, report: VerdictReport) -> None:
    t = report.thresholds
    console.print(
        f"verdicts (thresholds {t.with_department:.2f} with department, {t.without_department:.2f} without;"
        f" chosen on {t.source}):"
    )
    kinds = ("eligible", "ineligible", "review")
    console.print("  expected \\ got   " + "".join(f"{k:>12}" for k in kinds))
    for expected in kinds:
        if report.count(expected):
            console.print(f"  {expected:<16}" + "".join(f"{report.count(expected, got):>12}" for got in kinds))
    console.print(
        f"  verdict accuracy {report.accuracy:.3f}   false-eligible rate {report.false_eligible_rate:.3f}"
        f"   false-ineligible rate {report.false_ineligible_rate:.3f}"
    )
    if report.rule_recall:
        recall = ", ".join(f"{rule} {hit}/{n}" for rule, (hit, n) in sorted(report.rule_recall.items()))
        console.print(f"  recall of each negative rule: {recall}", soft_wrap=True)
