"""``gpsc check``, ``gpsc tag`` and ``gpsc audit``: one purchase, a whole sheet, a sheet with declared codes."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from classifier.eligibility import AUDIT_KINDS, Checker, Verdict

from ._cli_common import library_errors, make_console, model_option, open_model
from ._shapes import verdict_dict
from ._tables import Table, TableError, TableWriter, open_table
from ._tagging import choose_columns, output_header, tag_table

VERDICT_STYLE = {
    "eligible": ("green", "可以作为政府购买服务 (eligible)"),
    "ineligible": ("red", "不得作为政府购买服务 (ineligible)"),
    "review": ("yellow", "需要人工核实 (review)"),
}


def _checker(model_path: Path | None) -> Checker:
    return open_model(model_path)


@click.command("check")
@click.argument("text")
@click.option("-d", "--department", help="The buyer, as you write it: 县民政局, 人社局, 团县委 ...")
@click.option("--detail", help="What the line pays for (项目概况); the negative-list rules read it too.")
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON object as POST /v1/check.")
@click.option("--top-k", default=5, show_default=True, type=click.IntRange(1, 50), help="Candidates to list.")
@model_option
@library_errors
def check_command(
    text: str, department: str | None, detail: str | None, as_json: bool, top_k: int, model_path: Path | None
) -> None:
    """May this purchase be bought as a 政府购买服务, and under which catalog leaf?

    \b
    Example:
      gpsc check "12345热线外包" -d 县行政审批服务管理局
      gpsc check "购置办公设备" -d 人社局 --json
      gpsc check "补充业务费" -d 人社局 --detail "单位直接聘用人员14人工资及各项保险"
    """
    verdict = _checker(model_path).check(text, department, top_k=top_k, detail=detail)
    if as_json:
        click.echo(json.dumps(verdict_dict(verdict), ensure_ascii=False, indent=1))
        return
    _print_card(make_console(), verdict)


def _print_card(console: Console, v: Verdict) -> None:
    colour, label = VERDICT_STYLE[v.verdict]
    console.print(f"[bold {colour}]{label}[/]  {escape(v.text)}", soft_wrap=True)
    if v.buyer and v.department is None:
        buyer = f"{v.buyer}（所附目录中没有本部门的章节）"
    elif v.buyer and v.buyer != v.department:
        buyer = f"{v.buyer}（{v.department}）"
    else:
        buyer = v.department or "未指定"
    console.print(f"  购买主体: {escape(buyer)}")
    if v.scope is not None and v.scope.changed:
        console.print(
            f"  采购内容: {escape(v.scope.core)}  "
            f"[dim]（略去：{escape('；'.join(t for _, t in v.scope.set_aside))}）[/]"
        )
    if v.pinmu is not None:
        kind = {"goods": "货物", "works": "工程", "services": "服务"}[v.pinmu.type]
        console.print(f"  品目: [cyan]{v.pinmu.code}[/] {escape(v.pinmu.name)}（{kind}，{v.pinmu.score:.2f}）")
    if v.match is not None:
        path = " > ".join(name for _, name in v.match.path)
        console.print(
            f"  目录条目: [cyan]{escape(v.match.key)}[/] {escape(path)}  (score {v.match.score:.2f})",
            soft_wrap=True,
        )
    console.print("  理由:")
    for reason in v.reasons:
        console.print(f"   - [bold]{escape(reason.rule)}[/] {escape(reason.message)}", soft_wrap=True)
        console.print(f"     [dim]依据: {escape(reason.basis)}[/]", soft_wrap=True)
    if v.candidates:
        console.print("  候选条目:")
        for rank, c in enumerate(v.candidates, start=1):
            path = " > ".join(name for _, name in c.path[1:])
            console.print(f"   {rank}. {escape(c.key)} {escape(path)}  {c.score:.2f}", soft_wrap=True)
    if v.elsewhere is not None:
        console.print(
            f"  其他部门更符合: {escape(v.elsewhere.key)} {escape(v.elsewhere.name)} ({v.elsewhere.score:.2f})"
        )


def _sheet_options(func):
    for option in reversed(
        [
            click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path)),
            click.option(
                "-o",
                "--output",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Output .csv or .xlsx (default: INPUT.gpsc.<same suffix>).",
            ),
            click.option("--text-column", help="Column with the purchase text (name or 1-based number)."),
            click.option("--department-column", help="Column with the buyer of each row."),
            click.option("-d", "--department", help="One buyer for every row (instead of --department-column)."),
            click.option("--top-k", default=5, show_default=True, type=click.IntRange(1, 50)),
            click.option("--encoding", help="CSV encoding if detection fails: utf-8, utf-8-sig, gb18030."),
            click.option("--sheet", help="XLSX sheet name (default: the first)."),
            click.option(
                "--jobs",
                default=1,
                show_default=True,
                type=click.IntRange(1, 64),
                help="Worker processes for large sheets.",
            ),
            click.option("--detail-column", help="Column saying what the line pays for (项目概况): rules read it too."),
            model_option,
        ]
    ):
        func = option(func)
    return func


@dataclass
class SheetJob:
    """The options of ``gpsc tag`` / ``gpsc audit``, as click hands them over."""

    input_path: Path
    output: Path | None
    text_column: str | None
    department_column: str | None
    department: str | None
    top_k: int
    encoding: str | None
    sheet: str | None
    detail_column: str | None
    jobs: int
    model_path: Path | None
    code_column: str | None = None
    pinmu_column: str | None = None
    audit: bool = False


def _output_path(job: SheetJob) -> Path:
    """Where the result goes, checked before any work: a wrong suffix or a missing folder fails at once."""
    input_path = job.input_path
    output = job.output or input_path.with_name(f"{input_path.stem}.gpsc{input_path.suffix.lower()}")
    if output.suffix.lower() not in (".csv", ".xlsx"):
        raise click.ClickException(f"输出文件 {output.name} 的扩展名应为 .csv 或 .xlsx")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise click.ClickException(f"输出目录不存在：{folder}")
    if not os.access(folder, os.W_OK):
        raise click.ClickException(f"无法写入输出目录 {folder}：没有权限或文件系统是只读的")
    if output.resolve() == input_path.resolve():
        raise click.ClickException("输出会覆盖输入文件：请用 -o 指定另一个文件")
    return output


def _partial_file(output: Path) -> Path:
    """A temporary file beside ``output``, named so that one left by a kill is recognisable
    (``.tagged.gpsc-partial-k3j9.xlsx``), with the permissions the user's umask gives any new file."""
    folder = output.parent if str(output.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=f".{output.stem}.gpsc-partial-", suffix=output.suffix, dir=folder)
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)
    return Path(name)


def _run_sheet(job: SheetJob):
    input_path, department = job.input_path, job.department
    if department and job.department_column:
        raise click.UsageError("give --department or --department-column, not both")
    job.output = _output_path(job)
    try:
        table = open_table(input_path, job.encoding, job.sheet)
    except TableError as error:
        raise click.ClickException(str(error)) from error
    with table:
        return _tag_open_table(job, table)


def _tag_open_table(job: SheetJob, table: Table):
    output, department = job.output, job.department
    try:
        columns = choose_columns(
            table.header,
            text_column=job.text_column,
            department_column=job.department_column,
            department=department,
            code_column=job.code_column,
            need_code=job.audit,
            detail_column=job.detail_column,
            pinmu_column=job.pinmu_column,
        )
    except TableError as error:
        raise click.ClickException(str(error)) from error
    err = Console(stderr=True, highlight=False)
    for note in columns.notes:
        err.print(f"using {note}")
    checker = _checker(job.model_path)
    # write next to the target and rename at the end: a failed run never leaves half a file
    partial = _partial_file(output)
    started = time.perf_counter()
    stack = contextlib.ExitStack()
    try:
        writer = TableWriter(partial, output_header(table.header, job.audit))
        stack.callback(writer.close)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} rows/s"),
            TimeRemainingColumn(),
            console=err,
            disable=not err.is_terminal,
            transient=True,
        ) as progress:
            task = progress.add_task("tagging", total=None, rate="-")

            def advance(n: int) -> None:
                done = progress.tasks[0].completed + n
                progress.update(task, advance=n, rate=f"{done / max(time.perf_counter() - started, 1e-9):,.0f}")

            summary = tag_table(
                table,
                columns,
                checker,
                writer,
                department=department,
                top_k=job.top_k,
                audit=job.audit,
                on_chunk=advance,
                jobs=job.jobs,
                model_path=str(job.model_path) if job.model_path else None,
            )
        stack.close()  # the writer: flushed and closed before the rename
        os.replace(partial, output)
    except TableError as error:
        raise click.ClickException(str(error)) from error
    finally:
        stack.close()
        if os.path.exists(partial):
            os.unlink(partial)
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{k} {summary.verdicts[k]}" for k in ("eligible", "review", "ineligible"))
    err.print(f"{summary.rows} rows in {elapsed:.1f}s -> {output}  ({counts})")
    return summary


@click.command("tag")
@_sheet_options
@library_errors
def tag_command(**options) -> None:
    """Add catalog leaf, score, verdict and reasons to every row of a CSV/XLSX budget or procurement sheet.

    \b
    Example:
      gpsc tag examples/liulin_2026_projects.csv -o tagged.xlsx
      gpsc tag budget.csv --text-column 项目名称 -d 县民政局 --encoding gb18030
    """
    _run_sheet(SheetJob(**options))


@click.command("audit")
@_sheet_options
@click.option("--code-column", required=True, help="Column with the declared catalog code (A150201, 150201 ...).")
@click.option("--pinmu-column", help="Column with the declared 品目 code (A02021003, C21040000 ...), if any.")
@click.option("--show", default=20, show_default=True, help="How many problems to list, most certain first.")
@library_errors
def audit_command(show: int, **options) -> None:
    """Check declared codes: ineligible, unknown_code, wrong_department, mismatch, pinmu_mismatch or ok for every row.

    \b
    Example:
      gpsc audit examples/liulin_2026_projects.csv --code-column 申报代码 --department-column 单位
      gpsc audit plan.xlsx --code-column 目录代码 --pinmu-column 品目编码
    """
    summary = _run_sheet(SheetJob(**options, audit=True))
    console = make_console()
    if summary.problems and show:
        console.print(f"problems, most certain first (first {min(show, len(summary.problems))}):")
        for row, result in summary.problems[:show]:
            console.print(
                f"  row {row:>5}  [bold]{result.kind:<16}[/] {escape(result.verdict.text)}  "
                f"[dim]{escape(result.reason)}[/]",
                soft_wrap=True,
            )
    console.print("summary: " + ", ".join(f"{kind} {summary.audits[kind]}" for kind in AUDIT_KINDS))
