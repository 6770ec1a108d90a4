"""``gpsc pinmu …``: show, search and lint the 政府采购品目分类目录 (财库〔2022〕31号)."""

from __future__ import annotations

import json
from collections import Counter

import click
from rich.markup import escape

from catalog import PINMU_TYPE_NAMES, load_pinmu
from service.shapes import pinmu_item_dict

from ._common import library_errors, make_console


@click.group("pinmu")
def pinmu_group() -> None:
    """政府采购品目分类目录（财库〔2022〕31号）：所购为何物，A 货物、B 工程、C 服务。"""


@pinmu_group.command("show")
@click.argument("code", metavar="品目编码")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出该品目、路径及其下级。")
@library_errors
def show_command(code: str, as_json: bool) -> None:
    """显示一个品目及其路径、说明和下级品目。

    \b
    示例：
      gpsc pinmu show A02021003
      gpsc pinmu show C21040000
    """
    pinmu = load_pinmu()
    item = pinmu.item(code)
    if item is None:
        hint = "；按名称查找请用 gpsc pinmu search" if not pinmu.type_of(code) else ""
        raise click.ClickException(f"品目目录中没有编码 {code}{hint}")
    children = pinmu.children(item.code)
    if as_json:
        body = pinmu_item_dict(item, pinmu) | {"children": [pinmu_item_dict(c, pinmu) for c in children]}
        click.echo(json.dumps(body, ensure_ascii=False, indent=1))
        return
    console = make_console()
    console.print(f"[bold]{item.code} {escape(item.name)}[/]（{PINMU_TYPE_NAMES[item.type]}，第 {item.level} 级）")
    console.print("  路径: " + " > ".join(f"{p.code} {escape(p.name)}" for p in pinmu.path(item.code)), soft_wrap=True)
    if item.description:
        console.print(f"  说明: {escape(item.description)}", soft_wrap=True)
    console.print(f"  出处: 《{pinmu.title}》（{pinmu.version}）第 {item.page} 页")
    if children:
        console.print(f"  下级品目（{len(children)} 个）:")
        for child in children:
            console.print(f"   {child.code} {escape(child.name)}", soft_wrap=True)


@pinmu_group.command("search")
@click.argument("query", metavar="查询词")
@click.option("--type", "kind", type=click.Choice(["goods", "works", "services"]), help="只看一种类型。")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 列表输出。")
@library_errors
def search_command(query: str, kind: str | None, limit: int, as_json: bool) -> None:
    """按编码（完整或前缀）或名称、说明中的文字查找品目。

    \b
    示例：
      gpsc pinmu search 助听器
      gpsc pinmu search 物业 --type services
      gpsc pinmu search C2104
    """
    pinmu = load_pinmu()
    hits = pinmu.search(query, limit=limit + 1, type=kind)
    more = len(hits) > limit
    hits = hits[:limit]
    if as_json:
        body = [pinmu_item_dict(h.item, pinmu) | {"score": h.score, "found_in": h.found_in} for h in hits]
        click.echo(json.dumps(body, ensure_ascii=False, indent=1))
        return
    console = make_console()
    if not hits:
        console.print(f"没有找到“{escape(query)}”。")
        return
    for h in hits:
        console.print(
            f"{h.item.code} {escape(h.item.name)}（{PINMU_TYPE_NAMES[h.item.type]}）"
            f"  [dim]{h.found_in} {h.score:.2f}[/]",
            soft_wrap=True,
        )
    if more:
        console.print(f"[dim]只列出前 {limit} 条；用 --limit 查看更多。[/]")


@pinmu_group.command("lint")
@click.option("--kind", multiple=True, help="只看这些类别（可重复），例如 --kind description_continued。")
@library_errors
def lint_command(kind: tuple[str, ...]) -> None:
    """PDF 解析时的处理，以及与第三方参考抽取的每一处差异。

    \b
    示例：
      gpsc pinmu lint
      gpsc pinmu lint --kind reference_missing
    """
    pinmu = load_pinmu()
    shown = [a for a in pinmu.anomalies if not kind or a.kind in kind]
    console = make_console()
    counts = Counter(a.kind for a in shown)
    console.print(f"{pinmu.title}（{pinmu.version}）：{len(pinmu.items)} 个品目，{len(shown)} 条记录")
    for name, n in sorted(counts.items()):
        console.print(f"  {name}: {n}")
    for a in shown:
        console.print(f"{a.kind}\t第{a.page}页第{a.row}行\t{a.code}\t{escape(a.detail)}", soft_wrap=True, markup=False)
