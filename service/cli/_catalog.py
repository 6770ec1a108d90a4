"""``gpsc catalog …``: export, lint, show and search the parsed catalog."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click
from rich.markup import escape
from rich.tree import Tree

from catalog import ANOMALY_KIND_NAMES, Node, Section, load_crosswalk, search_catalog, to_csv, to_json
from service.shapes import search_hit_dict

from ._common import library_errors, make_console, open_catalog, source_option


@click.group("catalog")
def catalog_group() -> None:
    """查看所附的政府购买服务指导性目录（晋财综〔2025〕28号）：导出、解析问题、目录树、搜索。"""


@catalog_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), help="默认：按 -o 的扩展名，否则 json。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入的文件；默认输出到屏幕。")
@source_option
@library_errors
def export_command(fmt: str | None, output: Path | None, source: Path | None) -> None:
    """导出每个四级条目及其规范的二级、三级代码和名称。

    \b
    示例：
      gpsc catalog export --format csv -o catalog.csv
    """
    fmt = fmt or (
        output.suffix.lstrip(".").lower() if output and output.suffix.lower() in (".csv", ".json") else "json"
    )
    catalog = open_catalog(source)
    text = to_json(catalog) if fmt == "json" else to_csv(catalog)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        # utf-8-sig so that Excel shows the Chinese CSV correctly
        output.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        click.echo(f"已写出 {len(catalog.leaves())} 个四级条目到 {output}", err=True)


@catalog_group.command("lint")
@click.option("--kind", multiple=True, help="只看这些问题类别（可重复），例如 --kind split_code。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 列表输出。")
@source_option
@library_errors
def lint_command(kind: tuple[str, ...], as_json: bool, source: Path | None) -> None:
    """列出原文中的每一处问题及解析时的处理：先按类别汇总，再列明细。

    \b
    示例：
      gpsc catalog lint --kind leaf_code_repaired --kind missing_parent
    """
    catalog = open_catalog(source)
    anomalies = [a for a in catalog.anomalies if not kind or a.kind in kind]
    if as_json:
        fields = ("kind", "department", "line", "printed", "decided")
        click.echo(json.dumps([{f: getattr(a, f) for f in fields} for a in anomalies], ensure_ascii=False, indent=1))
        return
    console = make_console()
    counts = Counter(a.kind for a in anomalies)
    console.print(
        f"{catalog.title}（{catalog.source_version or '版本不详'}），内容哈希 {catalog.content_hash}："
        f"{len(catalog.sections)} 个部门章节，{len(catalog.leaves())} 个四级条目，"
        f"解析时发现并处理 {len(anomalies)} 处问题：",
        soft_wrap=True,
    )
    for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        console.print(f"  {count:>4}  {ANOMALY_KIND_NAMES.get(name, name)}（{name}）")
    if anomalies:
        console.print("\n明细（行号 · 问题 · 部门：原文 → 处理）：")
    for a in anomalies:
        where = f"第 {a.line} 行" if a.line else "目录"
        console.print(
            f"[dim]{where:>10}[/dim]  [bold]{ANOMALY_KIND_NAMES.get(a.kind, a.kind)}[/bold]  "
            f"{escape(a.department or '-')}：{escape(a.printed)}  [green]→ {escape(a.decided)}[/green]",
            soft_wrap=True,
        )


@catalog_group.command("show")
@click.argument("department", required=False, metavar="[部门]")
@click.argument("code", required=False, metavar="[代码]")
@click.option("--list", "list_sections", is_flag=True, help="列出全部部门章节及其四级条目数。")
@source_option
@library_errors
def show_command(department: str | None, code: str | None, list_sections: bool, source: Path | None) -> None:
    """显示一个部门章节的目录树，或某个代码之下的子树；部门可用日常叫法：人社局、团县委。

    \b
    示例：
      gpsc catalog show 县民政局 A1003
      gpsc catalog show --list
    """
    catalog = open_catalog(source)
    console = make_console()
    if list_sections or department is None:
        console.print(f"四级条目数  部门章节（共 {len(catalog.sections)} 个）")
        for section in catalog.sections:
            console.print(f"{len(section.leaves()):>10}  {escape(section.title)}")
        return
    section = catalog.section(department)
    if code is None:
        tree = Tree(f"[bold]{escape(section.title)}[/bold]")
        for root in section.roots():
            _grow(tree, section, root)
    else:
        node = section.node(code)
        if node is None:
            raise click.ClickException(f"{section.title} 中没有代码 {code}；可试 `gpsc catalog search {code}`")
        tree = Tree(f"[bold]{escape(section.title)}[/bold]")
        branch = tree
        for ancestor in section.path(node)[:-1]:
            branch = branch.add(_label(ancestor))
        _grow(branch, section, node)
    console.print(tree, soft_wrap=True)


@catalog_group.command("search")
@click.argument("query", metavar="查询词")
@click.option("-d", "--department", help="只在这个部门章节中找（日常叫法亦可）。")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@source_option
@library_errors
def search_command(query: str, department: str | None, limit: int, as_json: bool, source: Path | None) -> None:
    """按代码（A150201、a15 0201、150201）或文字（舆情）查找目录条目。

    \b
    示例：
      gpsc catalog search A040102 -d 自然资源
      gpsc catalog search 舆情监测
    """
    catalog = open_catalog(source)
    hits = search_catalog(catalog, query, department, limit)
    if as_json:
        rows = [search_hit_dict(h, catalog) for h in hits]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not hits:
        raise click.ClickException(f"目录中没有与“{query}”相符的条目")
    console = make_console()
    for hit in hits:
        path = " > ".join(n.name for n in catalog.path(hit.node))
        console.print(f"{escape(hit.node.department)}/{hit.node.code}  {escape(path)}", soft_wrap=True)
        if hit.note:
            console.print(f"    [yellow]{escape(hit.note)}[/yellow]", soft_wrap=True)
    if len(hits) == limit:
        console.print(f"[dim]只显示了前 {limit} 条；用 --limit 显示更多，或用 -d 限定部门。[/dim]")


def _label(node: Node) -> str:
    label = f"[cyan]{node.code}[/cyan] {escape(node.name)}"
    if node.section_name != node.name:
        label += f" [dim](本部门写作 {escape(node.section_name)})[/dim]"
    if node.implied:
        label += " [yellow](原文缺此行，已补)[/yellow]"
    if node.repair:
        label += f" [yellow]({escape(node.repair)})[/yellow]"
    return label


def _grow(parent: Tree, section: Section, node: Node) -> None:
    label = _label(node)
    row = load_crosswalk().get((section.title, node.code))
    if row is not None:  # the 品目 a purchase of this service is filed under (财综〔2020〕57号)
        label += f"  [dim]品目 {row.pinmu_code} {escape(row.pinmu_name)}{'' if row.shown_as_fact else '（推定）'}[/]"
    branch = parent.add(label)
    for child in section.children(node):
        _grow(branch, section, child)
