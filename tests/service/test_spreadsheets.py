"""The sheets officers hand on: typed cells, the input's sheets, frozen and filtered headers, Chinese headers and
verdicts, coloured verdicts and the 汇总 sheet, from ``gpsc tag/audit`` and ``POST /v1/tag``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from classifier.eligibility import AUDIT_KINDS
from service.api import Settings, create_app
from service.cli import main
from service.shapes import AUDIT_COLUMNS, TAG_COLUMNS, tag_cells
from service.sheets import _tables
from service.sheets._summary import AUDIT_ORDER
from service.sheets._workbook import VERDICT_COLOURS
from service.words import AUDIT_TITLES, COLUMN_TITLES, RULE_TITLES, VERDICT_TITLES

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "liulin_2026_projects.csv"
ZH_TAG = [COLUMN_TITLES[name] for name in TAG_COLUMNS]
ROWS = [  # 序号, 项目名称, 单位, 签订日期, 预算金额（元）, 备注
    (1, "人事考试考务服务", "人社局", dt.datetime(2026, 3, 1), 125000.5, "0012"),
    (2, "购置办公设备", "人社局", dt.datetime(2026, 4, 15), 60000, '=HYPERLINK("http://x")'),
    (3, "社工站运营", "县民政局", dt.datetime(2026, 5, 20), 300000.25, "第三季度"),
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def two_sheet_workbook(path: Path | None = None) -> bytes:
    """A workbook with a data sheet (a number, a date and an amount column) and a second sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "2026项目"
    sheet.append(["序号", "项目名称", "单位", "签订日期", "预算金额（元）", "备注"])
    for row in ROWS:
        sheet.append(list(row))
    for cells in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        cells[0].number_format = "#,##0.00"
    notes = book.create_sheet("说明")
    notes.append(["编制年度", 2026])
    notes.append(["预算合计", 485000.75])
    notes.append(["报送日期", dt.datetime(2026, 1, 10)])
    notes.append(["公式样的文字", "=1+2"])
    data = io.BytesIO()
    book.save(data)
    if path is not None:
        path.write_bytes(data.getvalue())
    return data.getvalue()


def summary_sections(book) -> dict[str, list[tuple]]:
    """The 汇总 sheet's tables by title: each one's column names, then its rows (notes left out)."""
    sections: dict[str, list[tuple]] = {}
    current = None
    for row in list(book["汇总"].iter_rows(values_only=True))[2:]:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        if not row:
            current = None
        elif current is None:
            current = sections.setdefault(row[0], [])
        elif len(row) > 1:
            current.append(tuple(row))
    return sections


@pytest.fixture(scope="module")
def tagged_xlsx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx")
    source = folder / "plan.xlsx"
    two_sheet_workbook(source)
    out = folder / "plan.gpsc.xlsx"
    result = run("tag", source, "-o", out)
    assert result.exit_code == 0, result.output
    return load_workbook(out), result.output


def test_xlsx_keeps_the_sheet_names_and_the_other_sheets(tagged_xlsx):
    book, _ = tagged_xlsx
    assert book.sheetnames == ["2026项目", "说明", "汇总"]
    assert book.active.title == "2026项目"
    notes = [list(r) for r in book["说明"].iter_rows(values_only=True)]
    assert notes == [
        ["编制年度", 2026],
        ["预算合计", 485000.75],
        ["报送日期", dt.datetime(2026, 1, 10)],
        ["公式样的文字", "=1+2"],
    ]
    assert book["说明"]["B4"].data_type == "s"  # text that looks like a formula stays text


def test_xlsx_keeps_numbers_dates_and_amounts_typed(tagged_xlsx):
    book, _ = tagged_xlsx
    sheet = book["2026项目"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [1, 2, 3] and all(type(r[0]) is int for r in rows)
    assert [r[3] for r in rows] == [r[3] for r in ROWS] and all(isinstance(r[3], dt.datetime) for r in rows)
    assert [r[4] for r in rows] == [125000.5, 60000, 300000.25]
    assert sheet["E2"].number_format == "#,##0.00" and sheet["D2"].is_date
    assert rows[0][5] == "0012"  # a code stays text
    assert sheet["F3"].value.startswith("=HYPERLINK") and sheet["F3"].data_type == "s"


def test_xlsx_header_is_frozen_filtered_and_chinese(tagged_xlsx):
    book, _ = tagged_xlsx
    sheet = book["2026项目"]
    header = [c.value for c in sheet[1]]
    assert header == ["序号", "项目名称", "单位", "签订日期", "预算金额（元）", "备注", *ZH_TAG]
    assert not any(str(h).startswith("gpsc_") for h in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}4"
    widths = {k: d.width for k, d in sheet.column_dimensions.items()}
    assert widths["C"] == 10  # 单位: 县民政局 is 4 characters, 8 wide, plus a margin
    assert widths["A"] < widths["B"] <= 60  # 项目名称: CJK text is wider than 序号's numbers
    assert widths[sheet.cell(1, header.index("理由") + 1).column_letter] == 60  # long reasons are capped


def test_xlsx_verdicts_are_chinese_coloured_and_cite_the_basis(tagged_xlsx):
    book, _ = tagged_xlsx
    sheet = book["2026项目"]
    header = [c.value for c in sheet[1]]
    at = header.index("判定") + 1
    words = {v: k for k, v in VERDICT_TITLES.items()}
    for row in range(2, 5):
        cell = sheet.cell(row, at)
        ink, tint = VERDICT_COLOURS[words[cell.value]]
        assert cell.fill.fgColor.rgb.endswith(tint) and cell.font.color.rgb.endswith(ink)
    goods = [c.value for c in sheet[3]]
    assert goods[header.index("判定")] == "不得购买"
    assert goods[header.index("理由")].startswith("货物：")
    assert "第十条第（三）项" in goods[header.index("依据")]


def test_summary_sheet_counts_and_amounts_add_up(tagged_xlsx):
    book, output = tagged_xlsx
    sections = summary_sections(book)
    verdicts = sections["按判定"]
    assert verdicts[0][:3] == ("判定", "编号", "行数") and verdicts[0][-1] == "金额合计"
    body, total = verdicts[1:-1], verdicts[-1]
    assert [r[0] for r in body] == ["可以购买", "人工核实", "不得购买"]
    assert sum(r[2] for r in body) == total[2] == 3
    assert sum(r[-1] for r in body) == pytest.approx(total[-1]) == pytest.approx(sum(r[4] for r in ROWS))
    goods = next(r for r in sections["按理由"] if r[1] == "goods")
    assert goods[0] == "货物" and goods[2] == 1 and goods[-1] == pytest.approx(60000)
    departments = {r[0]: r for r in sections["按部门"][1:]}
    assert departments["人社局"][1] == 2 and departments["县民政局"][1] == 1
    assert departments["合计"][1] == 3 and departments["合计"][-1] == pytest.approx(485000.75)
    assert "按审核结果" not in sections
    # the terminal shows the same summary
    assert "按判定" in output and "预算金额（元）" in output and "485,000.75" in output


def test_audit_summary_per_problem_kind_on_the_real_example(tmp_path):
    out = tmp_path / "audit.xlsx"
    result = run("audit", EXAMPLE, "--code-column", "示例申报代码", "-o", out)
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    sheet = book.worksheets[0]
    assert sheet.title == "liulin_2026_projects" and book.sheetnames[-1] == "汇总"
    header = [c.value for c in sheet[1]]
    assert header[-len(AUDIT_COLUMNS) :] == [COLUMN_TITLES[c] for c in AUDIT_COLUMNS]
    audits = summary_sections(book)["按审核结果"]
    kinds = {r[1]: r for r in audits[1:-1]}
    # the kinds some row has, in AUDIT_KINDS order (a kind no row has is left out: a 品目 list has no code kinds)
    assert list(kinds) == [k for k in AUDIT_KINDS if k in kinds] and kinds["mismatch"][0] == "与代码不符"
    assert kinds["ineligible"][2] == 16 and sum(r[2] for r in kinds.values()) == audits[-1][2] == 23
    amounts = [float(r["金额（万元）"]) for r in csv.DictReader(io.StringIO(EXAMPLE.read_text("utf-8-sig")))]
    assert sum(r[-1] for r in kinds.values()) == pytest.approx(sum(amounts))
    # a CSV's plain numbers come back as numbers, its codes as text
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == 1 and rows[0][4] == 1760 and sheet["E2"].number_format == "0.00"
    assert rows[0][6] == "A030108"
    column = header.index("审核结果")
    assert {"不得购买", "与代码不符"} <= {r[column] for r in rows} <= {AUDIT_TITLES[k] for k in AUDIT_KINDS}
    assert "按审核结果" in result.output and "与代码不符" in result.output


def test_csv_keeps_machine_headers_by_default_and_headers_zh_switches(tmp_path):
    machine, chinese = tmp_path / "m.csv", tmp_path / "z.csv"
    assert run("tag", EXAMPLE, "-o", machine).exit_code == 0
    assert run("tag", EXAMPLE, "-o", chinese, "--headers", "zh").exit_code == 0
    rows = list(csv.reader(io.StringIO(machine.read_text("utf-8-sig"))))
    assert rows[0][-len(TAG_COLUMNS) :] == TAG_COLUMNS
    assert rows[8][rows[0].index("gpsc_verdict")] == "ineligible"
    assert rows[8][rows[0].index("gpsc_reasons")].startswith("货物：")
    assert rows[8][rows[0].index("gpsc_rules")].startswith("goods")
    assert "第十条第（三）项" in rows[8][rows[0].index("gpsc_basis")]
    zh = list(csv.reader(io.StringIO(chinese.read_text("utf-8-sig"))))
    assert zh[0][-len(TAG_COLUMNS) :] == ZH_TAG and zh[8][zh[0].index("判定")] == "不得购买"
    assert zh[8][zh[0].index("理由")].startswith("货物：")
    assert [r[:7] for r in zh] == [r[:7] for r in rows]  # the input's cells untouched


def test_headers_machine_keeps_gpsc_names_in_xlsx(tmp_path):
    source, out = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    two_sheet_workbook(source)
    assert run("tag", source, "-o", out, "--headers", "machine").exit_code == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0][-len(TAG_COLUMNS) :]) == TAG_COLUMNS
    assert rows[2][rows[0].index("gpsc_verdict")] == "ineligible"
    assert run("tag", source, "-o", out, "--headers", "english").exit_code == 2


def test_typed_cells_stay_with_their_rows_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(_tables, "CHUNK_ROWS", 2)
    book = Workbook()
    book.active.append(["序号", "项目名称", "金额"])
    lines = ["人事考试考务服务", "购置办公设备", None, "社工站运营", "12345热线外包"]
    for k, text in enumerate(lines, start=1):
        book.active.append([k, text, k * 1.5] if text else [None, None, None])
    source, out = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    book.save(source)
    result = run("tag", source, "-d", "人社局", "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(min_row=2, values_only=True))
    assert [r[:3] for r in rows] == [(k, t, k * 1.5) if t else (None, None, None) for k, t in enumerate(lines, 1)]
    assert rows[1][TAG_COLUMNS.index("gpsc_verdict") + 3] == "不得购买" and rows[2][3:] == (None,) * len(TAG_COLUMNS)


def test_amount_column_can_be_named(tmp_path):
    out = tmp_path / "t.xlsx"
    result = run("tag", EXAMPLE, "-o", out, "--amount-column", "序号")
    assert result.exit_code == 0, result.output
    total = summary_sections(load_workbook(out))["按判定"][-1]
    assert total[-1] == sum(range(1, 24))
    missing = run("tag", EXAMPLE, "-o", out, "--amount-column", "经费")
    assert missing.exit_code == 1 and "经费" in missing.output


def test_every_rule_and_audit_kind_has_a_chinese_name(checker):
    assert AUDIT_ORDER == AUDIT_KINDS
    assert {rule.id for rule in checker.rules.rules} <= set(RULE_TITLES)
    verdict = checker.check("购置办公设备", "人社局")
    cells = dict(zip(TAG_COLUMNS, tag_cells(verdict), strict=True))
    assert "第十条第（三）项" in cells["gpsc_basis"] and cells["gpsc_basis"].count("第十条第（三）项") == 1


@pytest.fixture(scope="module")
def client(checker):
    with TestClient(create_app(Settings(), checker=checker)) as c:
        yield c


def test_api_xlsx_upload_comes_back_for_officers(client):
    upload = {"file": ("plan.xlsx", two_sheet_workbook(), "application/octet-stream")}
    response = client.post("/v1/tag", files=upload)
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["2026项目", "说明", "汇总"]
    rows = list(book.active.iter_rows(values_only=True))
    assert list(rows[0][-len(TAG_COLUMNS) :]) == ZH_TAG and rows[1][3] == ROWS[0][3]
    assert json.loads(response.headers["x-gpsc-summary"])["rows"] == 3

    machine = client.post("/v1/tag", files=upload, data={"headers": "machine"})
    header = next(load_workbook(io.BytesIO(machine.content)).active.iter_rows(values_only=True))
    assert list(header[-len(TAG_COLUMNS) :]) == TAG_COLUMNS


def test_api_headers_field_on_csv_and_audit(client):
    example = {"file": ("liulin.csv", EXAMPLE.read_bytes(), "text/csv")}
    plain = client.post("/v1/tag", files=example).content.decode("utf-8-sig").splitlines()[0]
    zh = client.post("/v1/tag", files=example, data={"headers": "zh"}).content.decode("utf-8-sig").splitlines()[0]
    assert plain.endswith(",".join(TAG_COLUMNS)) and zh.endswith(",".join(ZH_TAG))
    audit = client.post("/v1/audit", files=example, data={"code_column": "示例申报代码", "format": "xlsx"})
    book = load_workbook(io.BytesIO(audit.content))
    assert summary_sections(book)["按审核结果"][-1][2] == 23
    wrong = client.post("/v1/tag", files=example, data={"headers": "english"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_request"
