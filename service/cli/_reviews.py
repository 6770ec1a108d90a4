"""``gpsc reviewers …`` and ``gpsc reviews …``: who may record review decisions, and what they recorded.

Reading never creates a database: ``list`` on a machine where nobody recorded anything says so and exits 0.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from service.words import VERDICT_TITLES

from ._common import db_option, library_errors, make_console, open_reviews, printable

if TYPE_CHECKING:  # SQLAlchemy and Alembic load only when a review command runs
    from service.reviews import Entry


def _when(moment: datetime | None) -> str:
    """A time as the officer reads it: this machine's local time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


@click.group("reviewers")
def reviewers_group() -> None:
    """管理审定人：添加（发放令牌）、列出、撤销。

    审定人凭令牌在网页或接口上记录人工审定结论；令牌只在添加时显示一次，数据库里只存它的哈希。
    """


@reviewers_group.command("add")
@click.argument("name", metavar="审定人")
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="把令牌写进这个文件（只有本人可读，权限 0600），而不是显示在屏幕上。",
)
@db_option
@library_errors
def reviewers_add_command(name: str, token_file: Path | None, db_url: str | None) -> None:
    """添加审定人并发放令牌（最后一行就是令牌，或用 --token-file 写进只有本人可读的文件）。

    \b
    示例：
      gpsc reviewers add 张三 --token-file 张三.token
      gpsc reviewers add 李四 --db postgresql://gpsc@db.example:5432/gpsc
    """
    if token_file is not None and token_file.exists():
        raise click.ClickException(f"{token_file} 已存在：为免覆盖别人的令牌，请换一个文件名。")
    store = open_reviews(db_url, create=True)
    assert store is not None
    with store:
        token = store.add_reviewer(name)
        where = store.url_for_display
    click.echo(f"已添加审定人 {name}（数据库：{where}）。", err=True)
    if token_file is not None:
        write_private(token_file, token + "\n")
        click.echo(f"令牌已写入 {token_file}（只有本人可读），请交给本人妥善保存。", err=True)
        return
    click.echo("下面一行是其令牌，只显示这一次，请立即交给本人妥善保存：", err=True)
    click.echo(token)


def write_private(path: Path, text: str) -> None:
    """A new file only its owner can read or write (0600 whatever the umask), holding ``text``."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise click.ClickException(f"无法写令牌文件 {path}：{error.strerror}") from error
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(text)


@reviewers_group.command("list")
@db_option
@library_errors
def reviewers_list_command(db_url: str | None) -> None:
    """列出全部审定人：姓名、添加时间、状态（在用或撤销时间）。

    \b
    示例：
      gpsc reviewers list
      gpsc reviewers list --db postgresql://gpsc@db.example:5432/gpsc
    """
    store = open_reviews(db_url, create=False)
    if store is None:
        click.echo("还没有审定记录数据库，也就没有审定人。用 `gpsc reviewers add 姓名` 添加。")
        return
    with store:
        reviewers = store.reviewers()
    if not reviewers:
        click.echo("还没有审定人。用 `gpsc reviewers add 姓名` 添加。")
        return
    from rich.table import Table

    table = Table("姓名", "添加时间", "状态")
    for reviewer in reviewers:
        status = "在用" if reviewer.active else f"已撤销（{_when(reviewer.revoked_at)}）"
        table.add_row(escape(printable(reviewer.name)), _when(reviewer.created_at), status)
    make_console().print(table)


@reviewers_group.command("revoke")
@click.argument("name", metavar="审定人")
@db_option
@library_errors
def reviewers_revoke_command(name: str, db_url: str | None) -> None:
    """撤销审定人：其令牌立即失效，已记录的结论保留。

    令牌丢失时，先撤销，再用 `gpsc reviewers add` 以同一姓名重新发放。

    \b
    示例：
      gpsc reviewers revoke 张三
    """
    from service.reviews import ReviewNotFoundError

    store = open_reviews(db_url, create=False)
    if store is None:
        raise ReviewNotFoundError(f"没有名为 {name} 的在用审定人（还没有审定记录数据库）。")
    with store:
        store.revoke(name)
    click.echo(f"已撤销审定人 {name}：其令牌不能再使用，已记录的结论保留。")


@click.group("reviews")
def reviews_group() -> None:
    """查看人工审定记录：审定人对“人工核实”条目作出的结论及其撤销。"""


def _verdict_cell(entry: Entry) -> str:
    if entry.kind == "undo":
        return f"撤销 #{entry.undoes}"
    return VERDICT_TITLES.get(entry.verdict or "", entry.verdict or "")


@reviews_group.command("list")
@db_option
@click.option("--text", help="只看这条采购内容（原文或规范化后的文字，完全一致）。")
@click.option("--department", help="只看这个部门（目录部门或填写的单位）。")
@click.option("--reviewer", help="只看这位审定人的记录。")
@click.option(
    "--since", metavar="日期", help="只看这个时间以后的记录，例如 2026-01-05 或 2026-01-05T08:00（本机时间）。"
)
@click.option("--limit", type=click.IntRange(min=0), default=1000, show_default=True, help="最多列出多少条。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 列表输出。")
@library_errors
def reviews_list_command(
    db_url: str | None,
    text: str | None,
    department: str | None,
    reviewer: str | None,
    since: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """列出审定记录，最新的在前（被取代和已撤销的也列出）。

    \b
    示例：
      gpsc reviews list --department 民政局 --since 2026-01-01
      gpsc reviews list --text 12345热线外包 --json
    """
    store = open_reviews(db_url, create=False)
    if store is None:
        entries: list[Entry] = []
    else:
        with store:
            entries = store.entries(text=text, department=department, reviewer=reviewer, since=since, limit=limit)
    if as_json:
        click.echo(json.dumps([entry.to_dict() for entry in entries], ensure_ascii=False, indent=1))
        return
    if not entries:
        click.echo("没有符合条件的审定记录。")
        return
    from rich.table import Table

    table = Table("编号", "时间", "审定人", "采购内容", "部门", "结论", "目录编码", "品目", "备注")
    for entry in entries:
        department_shown = entry.department_written or entry.department or ""
        table.add_row(  # what reviewers typed is printed without its control characters (no ESC sequences)
            str(entry.id),
            _when(entry.created_at),
            escape(printable(entry.reviewer)),
            escape(printable(entry.text)),
            escape(printable(department_shown)),
            _verdict_cell(entry),
            escape(printable(entry.code)),
            escape(printable(entry.pinmu_code)),
            escape(printable(entry.note)),
        )
    console = make_console()
    console.print(table)
    console.print(f"共 {len(entries)} 条。")


@reviews_group.command("clear-queue")
@db_option
@library_errors
def reviews_clear_queue_command(db_url: str | None) -> None:
    """清空待审定队列（只清空“最近遇到的人工核实条目”的计数，已记录的审定不受影响）。

    队列最多保留 20,000 条，超过时自动去掉最久未再出现的；每个客户端地址每分钟最多计入 600 行
    （gpsc serve 的设置 queue_notes_per_minute）。

    \b
    示例：
      gpsc reviews clear-queue --db postgresql://gpsc@db.example:5432/gpsc
    """
    store = open_reviews(db_url, create=False)
    if store is None:
        click.echo("还没有审定记录数据库，队列本来就是空的。")
        return
    with store:
        removed = store.clear_queue()
    click.echo(f"已清空待审定队列：去掉 {removed} 条（已记录的审定不受影响）。")


def _with_decision_commands(group: click.Group) -> click.Group:
    """``reviews add`` and ``reviews export`` read the model and the catalog: they live in ``_decisions``."""
    from ._decisions import add_to

    return add_to(group)


_with_decision_commands(reviews_group)
