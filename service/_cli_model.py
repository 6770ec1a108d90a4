"""``gpsc train`` and ``gpsc evaluate``: fit the classifier and measure it on labelled lines."""

from __future__ import annotations

import time
from pathlib import Path

import click

from catalog import load_catalog
from classifier import default_model_path, evaluate, read_labeled, save_model, train_default_model

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
    """Top-1/top-3 accuracy on a labelled CSV (columns text, department, gold), split by department given or not.

    \b
    Example:
      gpsc evaluate training_data/dev.csv
    """
    catalog = load_catalog()
    lines = read_labeled(read_text_file(labeled), catalog, str(labeled))
    model = open_model(model_path)
    result = evaluate(model, lines)
    console = make_console()
    console.print(f"{len(lines)} labelled lines from {labeled}")
    for label, split in (("department given", result.with_department), ("no department", result.without_department)):
        console.print(
            f"  {label:<17} n={split.total:<5} top-1 {split.top1_accuracy:.3f}   top-3 {split.top3_accuracy:.3f}"
        )
    shown = [*result.with_department.misses, *result.without_department.misses][:misses]
    if shown:
        console.print(f"\nmisses (first {len(shown)}): text | department | gold | predicted top-3")
    for miss in shown:
        console.print(
            f"  {miss.text} | {miss.department or '-'} | {';'.join(miss.gold)} | {';'.join(miss.predicted)}",
            soft_wrap=True,
            markup=False,
        )
