"""``gpsc reviews add`` and ``gpsc reviews export``: record a decision from the terminal, and write the decisions
out as training data (``training_data/`` format) with their provenance."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import click

from service.sheets import csv_safe
from service.words import VERDICT_TITLES

from ._common import db_option, library_errors, model_option, open_model, open_reviews, partial_file

EXPORT_COLUMNS = [
    "text",
    "department",
    "verdict",
    "rule",
    "gold",
    "pinmu",
    "note",
    "reviewer",
    "created_at",
    "review_id",
]


@click.command("add")
@click.argument("text", metavar="采购项目")
@click.option("-d", "--department", help="购买主体，按平时的写法：县民政局、人社局 …")
@click.option("--verdict", required=True, type=click.Choice(["eligible", "ineligible", "review"]), help="审定的判定。")
@click.option("--code", help="指导性目录条目：A150201（本部门目录），或 部门/A150201。可以购买时必填。")
@click.option("--pinmu-code", help="品目编码，如 C21040000。")
@click.option("--note", help="备注：为什么这样审定。")
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="存放审定人令牌的文件（gpsc reviewers add --token-file 写出）；或用环境变量 GPSC_REVIEWER_TOKEN。",
)
@click.option(
    "--token",
    envvar="GPSC_REVIEWER_TOKEN",
    help="审定人令牌。写在命令行上会被同机的其他用户在进程列表里看到：请用 --token-file 或环境变量。",
)
@model_option
@db_option
@library_errors
def add_command(
    text: str,
    department: str | None,
    verdict: str,
    code: str | None,
    pinmu_code: str | None,
    note: str | None,
    token_file: Path | None,
    token: str | None,
    model_path: Path | None,
    db_url: str | None,
) -> None:
    """记录一条审定：以后同一行（同一购买主体）的 check、tag、audit 都用这个审定。

    \b
    示例：
      gpsc reviews add "12345热线外包" -d 县民政局 --verdict review --note "民政无此条目，转行政审批" \\
           --token-file token.txt
    """
    token = read_token(token_file) if token_file else token
    if not token:
        raise click.UsageError("缺少审定人令牌：请用 --token-file 文件，或环境变量 GPSC_REVIEWER_TOKEN。")
    from service.reviews import ReviewError, record_decision

    store = open_reviews(db_url, create=True)
    try:
        reviewer = store.authenticate(token).name
        entry, model = record_decision(
            store,
            open_model(model_path),
            reviewer,
            text=text,
            department=department,
            verdict=verdict,
            code=code,
            pinmu_code=pinmu_code,
            note=note,
        )
    except ReviewError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()
    click.echo(
        f"已记录第 {entry.id} 号审定：{entry.reviewer} 审定“{text}”为“{VERDICT_TITLES[entry.verdict]}”"
        + (f"（{entry.code}）" if entry.code else "")
        + f"；模型判定为“{VERDICT_TITLES[model.verdict]}”。"
    )


def read_token(path: Path) -> str:
    """The token in a file written by ``gpsc reviewers add --token-file`` (its first line)."""
    try:
        return path.read_text(encoding="utf-8").strip().splitlines()[0].strip() if path.stat().st_size else ""
    except (OSError, UnicodeDecodeError, IndexError) as error:
        raise click.ClickException(f"无法读取令牌文件 {path}：{error.__class__.__name__}") from error


@click.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="输出的 CSV（默认：屏幕）。")
@db_option
@library_errors
def export_command(output: Path | None, db_url: str | None) -> None:
    """把现行的审定写成与 training_data/ 相同格式的 CSV，附审定人、时间和备注，可直接用于训练。

    \b
    示例：
      gpsc reviews export -o training_data/reviewed.csv
    """
    store = open_reviews(db_url)
    decisions = store.decisions() if store is not None else []
    if store is not None:
        store.close()
    # through a temporary file beside the target: a full disk keeps the previous export, never a half one
    partial = partial_file(output) if output else None
    handle = partial.open("w", encoding="utf-8", newline="") if partial else sys.stdout
    try:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for e in decisions:
            writer.writerow(
                [  # text that Excel or WPS would run as a formula (=HYPERLINK…) gets a leading apostrophe, as in tag
                    csv_safe(value)
                    for value in (
                        e.text,
                        e.department_written or e.department or "",
                        e.verdict,
                        "",
                        e.code or "",
                        e.pinmu_code or "",
                        e.note or "",
                        e.reviewer,
                        e.created_at.isoformat(),
                        e.id,
                    )
                ]
            )
        if partial:
            handle.close()
            os.replace(partial, output)
    finally:
        if partial:
            handle.close()
            if partial.exists():
                partial.unlink()
    if output:
        click.echo(f"已导出 {len(decisions)} 条审定到 {output}", err=True)


def reviewed_lines(db_url: str | None, catalog):
    """The standing decisions as labelled lines for ``gpsc train --with-reviews``, and their record ids."""
    from classifier import LabeledLine

    store = open_reviews(db_url)
    decisions = store.decisions() if store is not None else []
    if store is not None:
        store.close()
    lines, ids = [], []
    for e in decisions:
        gold = ()
        if e.code:
            section, _, code = e.code.partition("/")
            gold = ((section, code),)
        lines.append(LabeledLine(e.text, e.department_written or e.department, gold, e.verdict, None))
        ids.append(e.id)
    return lines, ids


def add_to(group: click.Group) -> click.Group:
    group.add_command(add_command)
    group.add_command(export_command)
    return group
