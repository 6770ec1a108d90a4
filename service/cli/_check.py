"""``gpsc check``, ``gpsc tag`` and ``gpsc audit``: one purchase, a whole sheet, a sheet with declared codes."""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from classifier.eligibility import Checker, Verdict
from service.reviews import apply_reviews, open_lines, open_record, review_dict
from service.shapes import verdict_dict
from service.sheets import (
    RowSamples,
    SheetTally,
    Table,
    TableError,
    TableWriter,
    choose_columns,
    open_table,
    output_header,
    print_samples,
    print_summary,
    sheet_buyer,
    tag_table,
)
from service.words import AUDIT_TITLES, PINMU_TYPE_TITLES, VERDICT_TITLES

from ._common import (
    db_option,
    library_errors,
    make_console,
    model_option,
    open_model,
    partial_file,
    printable,
)

VERDICT_STYLE = {
    "eligible": ("green", "可以作为政府购买服务 (eligible)"),
    "ineligible": ("red", "不得作为政府购买服务 (ineligible)"),
    "review": ("yellow", "需要人工核实 (review)"),
}


def _checker(model_path: Path | None) -> Checker:
    return open_model(model_path)


@click.command("check")
@click.argument("text", metavar="采购项目")
@click.option("-d", "--department", help="购买主体，按平时的写法：县民政局、人社局、团县委 …")
@click.option("--detail", help="这一行支付的内容（项目概况）；负面清单规则也会读它。")
@click.option("--json", "as_json", is_flag=True, help="输出与 POST /v1/check 相同的 JSON。")
@click.option("--top-k", default=5, show_default=True, type=click.IntRange(1, 50), help="列出几个候选条目。")
@model_option
@db_option
@library_errors
def check_command(
    text: str,
    department: str | None,
    detail: str | None,
    as_json: bool,
    top_k: int,
    model_path: Path | None,
    db_url: str | None,
) -> None:
    """这项采购能否作为政府购买服务？归入哪个目录条目、哪个品目？

    \b
    示例：
      gpsc check "12345热线外包" -d 县行政审批服务管理局
      gpsc check "购置办公设备" -d 人社局 --json
      gpsc check "补充业务费" -d 人社局 --detail "单位直接聘用人员14人工资及各项保险"
    """
    checker = _checker(model_path)
    verdict = checker.check(text, department, top_k=top_k, detail=detail)
    record = open_record(db_url)  # optional: when it cannot be read, the model's verdict comes with a warning
    try:
        (reviewed,) = apply_reviews(record, [verdict], checker)
        record.note_open(open_lines([reviewed]), source="check")
    finally:
        record.close()
    warning = reviewed.warning or record.failed
    if as_json:
        review = review_dict(reviewed.entry, checker.catalog)
        shown = verdict_dict(reviewed.verdict, review=review, model_verdict=verdict.verdict, review_warning=warning)
        click.echo(json.dumps(shown, ensure_ascii=False, indent=1))
        return
    _print_card(make_console(), reviewed.verdict)
    if warning:
        make_console().print(f"  [yellow]注意：{escape(warning)}[/]", soft_wrap=True)


def _print_card(console: Console, v: Verdict) -> None:
    """The verdict as an officer reads it; every text from the line or the record (a note may hold an ESC
    sequence) is printed without its control characters."""
    console = _PrintableConsole(console)
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
        kind = PINMU_TYPE_TITLES[v.pinmu.type]
        console.print(f"  品目: [cyan]{v.pinmu.code}[/] {escape(v.pinmu.name)}（{kind}，{v.pinmu.score:.2f}）")
    if v.type is not None:
        sure = f"把握 {v.type_score:.2f}" + ("" if v.pinmu is not None else "；具体品目未能确定")
        console.print(f"  所购类型: {PINMU_TYPE_TITLES[v.type]}（{sure}）")
    if v.match is not None:
        path = " > ".join(name for _, name in v.match.path)
        console.print(
            f"  目录条目: [cyan]{escape(v.match.key)}[/] {escape(path)}（匹配度 {v.match.score:.2f}）",
            soft_wrap=True,
        )
    console.print("  理由:")
    for reason in v.reasons:
        console.print(f"   - {escape(reason.message)}", soft_wrap=True)  # the reader's words first
        console.print(f"     [dim]依据: {escape(reason.basis)} · 规则 {escape(reason.rule)}[/]", soft_wrap=True)
    if v.candidates:
        console.print("  候选条目:")
        for rank, c in enumerate(v.candidates, start=1):
            path = " > ".join(name for _, name in c.path[1:])
            console.print(f"   {rank}. {escape(c.key)} {escape(path)}  {c.score:.2f}", soft_wrap=True)
    if v.elsewhere is not None:
        console.print(
            f"  其他部门更符合: {escape(v.elsewhere.key)} {escape(v.elsewhere.name)}（{v.elsewhere.score:.2f}）"
        )


class _PrintableConsole:
    """A console whose ``print`` strips control characters from what it is given (rich's own styling is added
    after, so colours stay)."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def print(self, text: str, **options) -> None:
        self._console.print(printable(text), **options)


def _sheet_options(func):
    for option in reversed(
        [
            click.argument("input_path", metavar="表格文件", type=click.Path(dir_okay=False, path_type=Path)),
            click.option(
                "-o",
                "--output",
                type=click.Path(dir_okay=False, path_type=Path),
                help="输出的 .csv 或 .xlsx（默认：输入文件名.gpsc.同样的扩展名）。",
            ),
            click.option("--text-column", help="采购内容所在列（列名或从 1 起的列号）；不给时按表头猜。"),
            click.option("--department-column", help="每行购买主体（部门、单位）所在列。"),
            click.option("-d", "--department", help="所有行同一个购买主体（代替 --department-column）。"),
            click.option("--top-k", default=5, show_default=True, type=click.IntRange(1, 50)),
            click.option("--encoding", help="CSV 的编码（自动识别失败时）：utf-8、utf-8-sig、gb18030、big5。"),
            click.option("--sheet", help="XLSX 的工作表名（默认：第一个）。"),
            click.option(
                "--header-row",
                type=click.IntRange(1, 1000),
                help="表头在第几行（从 1 起）；不给时自动找：跳过标题、填报单位、单位说明，两行表头合并为一行列名。",
            ),
            click.option(
                "--jobs",
                default=1,
                show_default=True,
                type=click.IntRange(1, 64),
                help="大表格用几个进程并行处理。",
            ),
            click.option("--detail-column", help="说明每行支付内容（项目概况）的列；负面清单规则也会读它。"),
            click.option(
                "--headers",
                type=click.Choice(["zh", "machine"]),
                help="输出的表头和判定用中文（zh）还是 gpsc_* 列名和 eligible 等代码（machine）；"
                "默认 .xlsx 用中文，CSV 用代码。",
            ),
            click.option(
                "--amount-column",
                help="金额列（列名或列号），汇总按它合计金额；默认找表头含“金额”“预算”“资金”“合计”且为数字的列。",
            ),
            model_option,
            db_option,
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
    header_row: int | None
    jobs: int
    model_path: Path | None
    db_url: str | None = None
    code_column: str | None = None
    pinmu_column: str | None = None
    audit: bool = False
    headers: str | None = None
    amount_column: str | None = None


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


def _run_sheet(job: SheetJob):
    input_path, department = job.input_path, job.department
    if department and job.department_column:
        raise click.UsageError("--department 和 --department-column 只能给一个")
    suffix = input_path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx"):  # the input first: `gpsc tag README.md` is about the input
        raise click.ClickException(
            f"{input_path.name}：不支持的文件类型 {suffix or '（无扩展名）'}，请用 .csv 或 .xlsx"
        )
    if job.sheet and suffix != ".xlsx":
        raise click.UsageError(f"--sheet 只用于 .xlsx 工作簿；{input_path.name} 是 CSV 文件，没有工作表")
    job.output = _output_path(job)
    try:
        table = open_table(input_path, job.encoding, job.sheet, header_row=job.header_row)
    except TableError as error:
        raise click.ClickException(error.for_cli) from error
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
        raise click.ClickException(error.for_cli) from error
    try:
        tally = SheetTally(
            table.header,
            columns,
            department=department,
            amount_column=job.amount_column,
            audit=job.audit,
            name=table.name,
        )
    except TableError as error:
        raise click.ClickException(error.for_cli) from error
    err = Console(stderr=True, highlight=False)
    for note in table.layout.notes() if table.layout is not None else []:
        err.print(escape(note), soft_wrap=True)
    for note in columns.notes:
        err.print(f"使用{escape(note)}", soft_wrap=True)
    samples = RowSamples(table.header, columns.text, table.first_row)

    def tally_and_sample(out: list[list[object]], outcomes: list[tuple]) -> None:
        tally.add(out, outcomes)
        samples.add(out, outcomes)

    checker = _checker(job.model_path)
    department, buyer_note = sheet_buyer(table, columns, department, checker.catalog)
    if buyer_note:
        err.print(escape(buyer_note), soft_wrap=True)
        tally.department = department
    record = open_record(job.db_url)  # optional: a record that cannot be read leaves a warning, never a failure
    reviews = record if record.present() else None
    # write next to the target and rename at the end: a failed run never leaves half a file
    partial = partial_file(output)
    started = time.perf_counter()
    stack = contextlib.ExitStack()
    stack.callback(record.close)
    try:
        writer = TableWriter(
            partial, output_header(table.header, job.audit), source=table, headers=job.headers, tally=tally
        )
        stack.callback(writer.close)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} 行/秒 · 剩余"),
            TimeRemainingColumn(),
            console=err,
            disable=not err.is_terminal,
            transient=True,
        ) as progress:
            task = progress.add_task("处理中", total=table.rows, rate="-")  # counted cheaply: a bar with time left

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
                on_rows=tally_and_sample,
                reviews=reviews,
                db_url=job.db_url,
            )
        stack.close()  # the writer: flushed and closed before the rename
        os.replace(partial, output)
    except TableError as error:
        raise click.ClickException(error.for_cli) from error
    finally:
        try:
            stack.close()  # after a failed write (disk full, file too large) closing fails too
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
    elapsed = time.perf_counter() - started
    counts = "，".join(f"{VERDICT_TITLES[k]} {summary.verdicts[k]}" for k in ("eligible", "review", "ineligible"))
    aside = f"，另有 {summary.aside()} 未判断" if summary.aside() else ""
    err.print(f"共判断 {summary.judged} 行（{counts}{aside}），用时 {elapsed:.1f} 秒，已写出 {output}")
    if record.failed:
        err.print(f"[yellow]注意：{escape(record.failed)}（受影响的行在“人工审定”列注明）[/]", soft_wrap=True)
    console = make_console()
    print_summary(console, tally)
    print_samples(console, samples)
    return summary


@click.command("tag")
@_sheet_options
@library_errors
def tag_command(**options) -> None:
    """为预算表或政府采购表（CSV、XLSX）的每一行加上目录条目、匹配度、判定、理由、依据和品目。

    \b
    示例：
      gpsc tag examples/liulin_2026_projects.csv -o tagged.xlsx
      gpsc tag budget.csv --text-column 项目名称 -d 县民政局 --encoding gb18030
    """
    _run_sheet(SheetJob(**options))


@click.command("audit")
@_sheet_options
@click.option(
    "--code-column",
    help="申报的指导性目录代码所在列（A150201、150201 …）；不给时按表头猜（申报代码、目录代码、指导性目录编码 …）。",
)
@click.option(
    "--pinmu-column",
    help="申报的品目所在列：代码、名称或名称路径都可以（C21040000、物业管理服务、服务/房地产服务/物业管理服务，"
    "2013 年目录的名称也认）；不给时按表头猜（采购品目、品目 …）。只有品目列也能审核。",
)
@click.option("--show", default=0, show_default=True, help="每类问题最多列出几条（0：全部列出）。")
@library_errors
def audit_command(show: int, **options) -> None:
    """审核申报：申报的指导性目录代码、申报的品目，或两者都审。逐行给出 品目类型不符、品目与文字不符、不得购买、
    代码不存在、不是本部门的代码、与代码不符、未申报 或 无问题。

    \b
    示例：
      gpsc audit examples/liulin_2026_projects.csv --department-column 单位
      gpsc audit examples/procurement_list_2022.csv --pinmu-column 采购品目
      gpsc audit plan.xlsx --code-column 目录代码 --pinmu-column 品目编码
    """
    summary = _run_sheet(SheetJob(**options, audit=True))
    print_problems(make_console(), summary.problems, show)


def print_problems(console, problems, show: int = 0) -> None:
    """Every audit problem, grouped by kind (most serious first) with its count, most certain first within."""
    by_kind: dict[str, list] = {}
    for problem in problems:
        by_kind.setdefault(problem.kind, []).append(problem)
    if not by_kind:
        console.print("没有发现问题。")
        return
    console.print(f"发现 {len(problems)} 处问题（按类别，每类中把握最大的在前）：")
    for kind, group in by_kind.items():
        console.print(f"\n[bold]{AUDIT_TITLES.get(kind, kind)}（{kind}）：{len(group)} 行[/]")
        shown = group if not show else group[:show]
        for p in shown:
            console.print(
                f"  第 {p.row:>5} 行  {escape(p.text)}  [dim]{escape(p.reason)}[/]", soft_wrap=True, markup=True
            )
        if len(shown) < len(group):
            console.print(f"  [dim]……另有 {len(group) - len(shown)} 行，用 --show 0 全部列出[/]")
