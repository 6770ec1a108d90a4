"""Sheets laid out as offices lay them out, tagged with no options: title and note rows above the header, a
two-row header, a 栏次 row, unit subtotal rows, 合计 and signature rows below; GB18030 CSV and XLSX.

The two layouts are real ones. The budget table is ``examples/liulin_2026_budget_table.csv``: the
2026年项目支出预算表（本年预算） of the 柳林县人社局 disclosure, row for row as the source document prints it, saved
in GB18030; the 采购意向 follows the 财库〔2020〕10号 reference text every county publishes (title, the
为便于供应商… note, 序号 | 采购项目名称 | 采购需求概况 | 预算金额（万元） | 预计采购时间 | 备注, the issuing unit
and date under it) with that bureau's real project lines and amounts.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from service.api import Settings, create_app
from service.cli import main

BUDGET = Path(__file__).resolve().parents[2] / "examples" / "liulin_2026_budget_table.csv"

INTENTIONS = [
    ["柳林县人力资源和社会保障局2026年1月政府采购意向", "", "", "", "", ""],
    [
        "为便于供应商及时了解政府采购信息，根据《财政部关于开展政府采购意向公开工作的通知》（财库〔2020〕10号）"
        "等有关规定，现将柳林县人力资源和社会保障局2026年1月采购意向公开如下：",
        "",
        "",
        "",
        "",
        "",
    ],
    ["序号", "采购项目名称", "采购需求概况", "预算金额（万元）", "预计采购时间（填写到月）", "备注"],
    ["1", "2025年度年全民意外伤害保险", "政府为柳林县户籍户口的人员参加意外伤害保险", "600.00", "2026年1月", ""],
    ["2", "网络租赁费", "业务专网线路租赁", "3.00", "2026年1月", ""],
    ["3", "购置办公设备", "购置计算机、打印机等办公设备", "6.00", "2026年2月", ""],
    ["4", "零工市场基础建设", "零工市场场地改造建设", "30.50", "2026年3月", ""],
    ["合计", "", "", "639.50", "", ""],
    ["", "", "", "", "柳林县人力资源和社会保障局", ""],
    ["", "", "", "", "2026年1月5日", ""],
]
INTENTION_LINES = 4


def budget_table() -> list[list[str]]:
    """The bundled example: the disclosure's 项目支出预算表（本年预算）, cells as the PDF text has them, in GB18030."""
    return list(csv.reader(io.StringIO(BUDGET.read_bytes().decode("gb18030"))))


BUDGET_LINES = 16  # project lines; 1 numbering row and 4 unit rows (one of the department) are no purchase


def write_csv(rows: list[list[str]], path: Path, encoding: str = "gb18030") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(rows: list[list[str]], path: Path, merges: list[str]) -> Path:
    """The rows as a workbook, numbers as numbers and the title, notes and header groups merged as offices do."""
    book = Workbook()
    sheet = book.active
    sheet.title = "采购意向"
    for row in rows:
        sheet.append([_typed(cell) for cell in row])
    for merged in merges:
        sheet.merge_cells(merged)
    book.save(path)
    return path


def _typed(cell: str) -> object:
    try:
        return float(cell) if "." in cell else int(cell)
    except ValueError:
        return cell or None


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def read_output(path: Path) -> list[list[str]]:
    if path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        try:
            rows = book.worksheets[0].iter_rows(values_only=True)
            return [["" if v is None else str(v) for v in row] for row in rows]
        finally:
            book.close()  # a read-only workbook keeps its file open until closed
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_intentions_sheet_is_tagged_with_no_options(tmp_path, kind):
    source = (
        write_csv(INTENTIONS, tmp_path / "意向.csv")
        if kind == "csv"
        else write_xlsx(INTENTIONS, tmp_path / "意向.xlsx", ["A1:F1", "A2:F2"])
    )
    out = tmp_path / f"意向.gpsc.{kind}"
    result = run("tag", source, "-o", out, "--headers", "machine")
    assert result.exit_code == 0, result.output
    assert "表头：第 3 行" in result.output
    assert "采购项目名称" in result.output  # the column it judged, said
    assert "购买主体：取自表格第 1 行的“柳林县人力资源和社会保障局”" in result.output
    assert f"共判断 {INTENTION_LINES} 行" in result.output and "1 个合计行" in result.output
    rows = read_output(out)
    assert rows[0][0] == INTENTIONS[0][0] and rows[1][0] == INTENTIONS[1][0]  # above the header, unchanged
    header = rows[2]
    assert header[:6] == INTENTIONS[2]
    at = {name: k for k, name in enumerate(header)}
    body = rows[3:]
    assert len(body) == len(INTENTIONS) - 3  # every row comes back, in order
    assert [r[1] for r in body] == [r[1] for r in INTENTIONS[3:]]
    verdicts = [r[at["gpsc_verdict"]] for r in body]
    assert all(verdicts[:INTENTION_LINES]) and not any(verdicts[INTENTION_LINES:])  # lines judged, the rest not
    assert body[INTENTION_LINES][at["gpsc_rules"]] == "sheet.total"
    assert [r[at["gpsc_rules"]] for r in body[INTENTION_LINES + 1 :]] == ["sheet.note", "sheet.note"]
    assert {r[at["gpsc_department"]] for r in body[:INTENTION_LINES]} == {"人力资源和社会保障"}
    assert body[2][at["gpsc_verdict"]] == "ineligible"  # 购置办公设备: goods, under the buyer the title names
    assert "639.50" in result.output  # the amount sum leaves the 合计 row out (else 1,279.00)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_budget_table_with_a_two_row_header(tmp_path, kind):
    table = budget_table()
    source = (
        BUDGET
        if kind == "csv"
        else write_xlsx(table, tmp_path / "预算.xlsx", ["A1:G1", "A4:A5", "B4:B5", "C4:E4", "F4:F5", "G4:G5"])
    )
    out = tmp_path / f"预算.gpsc.{kind}"
    result = run("tag", source, "-o", out, "--headers", "machine")
    assert result.exit_code == 0, result.output
    assert "表头：第 4–5 行" in result.output
    assert "购买主体：取自表格第 2 行的“柳林县人力资源和社会保障局”" in result.output
    assert f"共判断 {BUDGET_LINES} 行" in result.output
    assert "3 个单位小计行" not in result.output and "4 个单位小计行" in result.output and "1 个栏次行" in result.output
    assert "4,307.30" in result.output  # the lines' sum: the department and unit rows are not counted again
    assert "金额列：合计" in result.output  # the table's row total is its amount column
    assert "部分行的判断" in result.output and "2025年度年全民意外伤害保险" in result.output  # a few judged rows
    rows = read_output(out)
    header = rows[3]
    assert header[:7] == [
        "项目名称",
        "合计",
        "2026年财政拨款/一般公共预算",
        "2026年财政拨款/政府性基 金预算",
        "2026年财政拨款/国有资本经营预 算",
        "财政专户管理 资金",
        "单位资金",
    ]
    assert [r[0] for r in rows[:3]] == [table[0][0], table[1][0], table[2][0]]
    at = {name: k for k, name in enumerate(header)}
    body = rows[4:]
    assert [r[0] for r in body] == [r[0] for r in table[5:]]
    judged = [r for r in body if r[at["gpsc_verdict"]]]
    assert len(judged) == BUDGET_LINES
    assert {r[at["gpsc_rules"]] for r in body if not r[at["gpsc_verdict"]]} == {"sheet.numbering", "sheet.subtotal"}


def test_header_row_option_overrides_and_a_wrong_one_is_named(tmp_path):
    source = write_csv(INTENTIONS, tmp_path / "意向.csv", "utf-8")
    result = run("tag", source, "-o", tmp_path / "o.csv", "--header-row", "3", "--text-column", "采购需求概况")
    assert result.exit_code == 0, result.output
    rows = read_output(tmp_path / "o.csv")
    assert rows[2][:2] == ["序号", "采购项目名称"]
    far = run("tag", source, "-o", tmp_path / "o2.csv", "--header-row", "40")
    assert far.exit_code == 1 and "表头行号 40 超出范围" in far.output and "Traceback" not in far.output
    title = run("tag", source, "-o", tmp_path / "o3.csv", "--header-row", "1")
    assert title.exit_code == 1 and "哪一列是采购内容" in title.output  # the title row names no column it knows


@pytest.fixture(scope="module")
def client(checker):
    app = create_app(Settings(), checker=checker)
    with TestClient(app) as c:
        yield c


def test_page_picker_and_api_find_the_header(client, tmp_path):
    data = write_xlsx(INTENTIONS, tmp_path / "意向.xlsx", ["A1:F1", "A2:F2"]).read_bytes()
    upload = {"file": ("意向.xlsx", data)}
    info = client.post("/v1/sheet/columns", files=upload).json()
    assert info["header"] == INTENTIONS[2] and info["guess"]["text"] == "采购项目名称"
    assert info["layout"]["header_rows"] == [3, 3] and info["layout"]["above"] == 2
    body = client.post("/v1/tag", files=upload, data={"format": "json"}).json()
    assert body["above"][0][0] == INTENTIONS[0][0]
    assert body["summary"]["skipped"]["total"] == 1 and body["summary"]["skipped"]["note"] == 2
    assert any("柳林县人力资源和社会保障局" in note for note in body["summary"]["layout"]["notes"])
    verdict_at = body["header"].index("gpsc_verdict")
    assert sum(1 for row in body["rows"] if row[verdict_at]) == INTENTION_LINES
    moved = client.post("/v1/tag", files=upload, data={"format": "json", "header_row": "3"}).json()
    assert moved["header"][:6] == INTENTIONS[2]
    wrong = client.post("/v1/tag", files=upload, data={"header_row": "99"})
    assert wrong.status_code == 422 and "表头行号 99" in json.dumps(wrong.json(), ensure_ascii=False)


def test_amounts_leave_totals_out():
    from service.sheets import Columns
    from service.sheets._summary import SheetTally, parse_amount

    tally = SheetTally(["项目名称", "金额"], Columns("项目名称", None))
    tally.add([["物业服务", "10"], ["合计", "10"]], [("review", None, ()), (None, None, ("sheet.total",))])
    assert tally.amount_total == Decimal("10") and parse_amount("10") == Decimal("10")
    assert "1 个合计行" in tally.headline()
