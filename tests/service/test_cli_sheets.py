"""``gpsc check``, ``gpsc tag`` and ``gpsc audit`` on real files: encodings, formats, and bad input."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from service.cli import main
from service.shapes import AUDIT_COLUMNS, TAG_COLUMNS

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "liulin_2026_projects.csv"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV output carries a BOM so Excel shows Chinese"
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    rows = list(reader)
    return list(reader.fieldnames), rows


def test_check_card_and_json():
    result = run("check", "购置办公设备", "-d", "人社局")
    assert result.exit_code == 0
    assert "ineligible" in result.output and "第十条第（三）项" in result.output
    payload = json.loads(run("check", "人事考试考务服务", "-d", "人社局", "--json").output)
    assert payload["verdict"] == "eligible"
    assert payload["match"]["code"] == "A160401"
    assert [p["code"] for p in payload["match"]["path"]] == ["A", "A16", "A1604", "A160401"]
    assert {"rule", "basis", "message"} == set(payload["reasons"][0])


def test_check_reads_the_detail():
    plain = json.loads(run("check", "补充业务费", "-d", "人社局", "--json").output)
    told = json.loads(
        run("check", "补充业务费", "-d", "人社局", "--detail", "单位直接聘用人员14人工资", "--json").output
    )
    assert plain["verdict"] == "review" and told["verdict"] == "ineligible"
    assert "own_staff" in [r["rule"] for r in told["reasons"]]


def test_check_bad_input_exit_1():
    result = run("check", "   ")
    assert result.exit_code == 1 and "为空" in result.output and "Traceback" not in result.output


def test_check_with_a_unit_that_has_no_section_still_judges():
    result = run("check", "办公楼屋面防水维修工程", "-d", "县税务局", "--json")
    body = json.loads(result.output)
    assert result.exit_code == 0 and body["verdict"] == "ineligible"
    assert [r["rule"] for r in body["reasons"]][:2] == ["works", "department.no_section"]


def test_tag_the_real_example_keeps_rows_and_columns(tmp_path):
    out = tmp_path / "tagged.csv"
    result = run("tag", EXAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    header, rows = read_csv(out)
    _, original = read_csv(EXAMPLE)
    assert header == list(original[0]) + TAG_COLUMNS
    assert [r["项目名称"] for r in rows] == [r["项目名称"] for r in original]
    verdicts = [r["gpsc_verdict"] for r in rows]
    assert verdicts.count("ineligible") == 16 and verdicts.count("review") == 7
    assert rows[7]["gpsc_reasons"].startswith("货物：")  # 购置办公设备: a person reads the reasons in Chinese
    assert rows[7]["gpsc_rules"].split(";")[0] == "goods"  # and a program reads the rule ids
    assert "使用采购内容列：项目名称" in result.output


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_tag_reads_every_csv_encoding(tmp_path, encoding):
    source = tmp_path / f"in-{encoding}.csv"
    source.write_text("项目名称,部门\n人事考试考务服务,人社局\n购置办公设备,人社局\n", encoding=encoding)
    out = tmp_path / "out.csv"
    result = run("tag", source, "-o", out)
    assert result.exit_code == 0, result.output
    _, rows = read_csv(out)
    assert [r["gpsc_verdict"] for r in rows] == ["eligible", "ineligible"]
    assert rows[0]["gpsc_code"] == "A160401"


def test_tag_xlsx_round_trip(tmp_path):
    source = tmp_path / "in.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "采购项目", "金额"])
    sheet.append([1, "人事考试考务服务", 12.5])
    sheet.append([2, "", 3])  # an empty text keeps its row and says why
    sheet.append([3, "购置办公设备", 6])
    book.save(source)
    out = tmp_path / "out.xlsx"
    result = run("tag", source, "-d", "人社局", "-o", out, "--headers", "machine")
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0]) == ["序号", "采购项目", "金额", *TAG_COLUMNS]
    assert [r[0] for r in rows[1:]] == [1, 2, 3]  # numbers stay numbers
    assert rows[2][rows[0].index("gpsc_verdict")] == "review"
    assert "采购内容为空" in rows[2][rows[0].index("gpsc_reasons")]


def test_audit_the_real_example(tmp_path):
    out = tmp_path / "audit.csv"
    result = run("audit", EXAMPLE, "--code-column", "示例申报代码", "-o", out)
    assert result.exit_code == 0, result.output
    header, rows = read_csv(out)
    assert header[-len(AUDIT_COLUMNS) :] == AUDIT_COLUMNS
    assert len(rows) == 23
    assert "不得购买（ineligible）：16 行" in result.output
    # 全民意外伤害保险 declared under 职业伤害保障服务: the text does not support that leaf (and 民政's
    # 为老年人购买意外伤害保险 is limited to the elderly, so it is no "other section" either)
    assert rows[2]["gpsc_audit"] == "mismatch" and "A040301" in rows[2]["gpsc_audit_reason"]
    first_group = result.output.split("按类别")[1].split("\n\n")[1].splitlines()[0]
    assert "ineligible" in first_group  # the most serious kind first


def test_default_output_name_and_no_overwrite(tmp_path):
    source = tmp_path / "sheet.csv"
    shutil.copy(EXAMPLE, source)
    assert run("tag", source).exit_code == 0
    assert (tmp_path / "sheet.gpsc.csv").is_file()
    result = run("tag", source, "-o", source)
    assert result.exit_code == 1 and "覆盖" in result.output


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("missing.csv", None, [], "找不到文件"),
        ("cols.csv", "摘要,部门\n社工站,民政\n".encode(), [], "--text-column"),
        (
            "cols2.csv",
            "项目名称,部门\n社工站,民政\n".encode(),
            ["--text-column", "内容"],
            "表头各列为：项目名称、部门",
        ),
        ("latin.csv", b"\xff\xfe\x00\x00garbage\xff", [], "编码"),
        ("bad.xlsx", b"PK\x03\x04 not really a zip", [], "不是可读取的 .xlsx"),
        ("empty.csv", b"", [], "空"),
        ("header.csv", "项目名称\n".encode(), [], "没有数据行"),
        ("notes.txt.doc", b"x", [], "不支持的文件类型"),
    ],
)
def test_bad_sheets_exit_1_with_the_fix(tmp_path, name, content, args, message):
    path = tmp_path / name if content is None else _write(tmp_path / name, content)
    result = run("tag", path, "-o", tmp_path / "out.csv", *args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.csv").exists(), "a failed run leaves no half-written output"


def test_tab_separated_text_is_read(tmp_path):
    source = tmp_path / "tabs.csv"
    source.write_text("序号\t项目名称\n1\t人事考试考务服务\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("tag", source, "-d", "人社局", "-o", out)
    assert result.exit_code == 0, result.output
    _, rows = read_csv(out)
    assert rows[0]["gpsc_code"] == "A160401"


def test_broken_csv_names_the_line(tmp_path):
    # an unclosed quote swallows the rest of the file into one field, past the csv module's limit
    source = tmp_path / "broken.csv"
    source.write_bytes('项目名称,部门\n社工站运营,民政\n"未闭合的引号,民政\n'.encode() + b"x" * 200_000)
    result = run("tag", source, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1 and "行的 CSV 格式有误" in result.output
    assert "Traceback" not in result.output


def test_audit_guesses_the_code_column_or_asks_for_it(tmp_path):
    result = run("audit", EXAMPLE, "-o", tmp_path / "a.csv")
    assert result.exit_code == 0 and "使用申报代码列：示例申报代码" in result.output
    plain = tmp_path / "plain.csv"
    plain.write_text("项目名称,单位\n社工站运营,民政局\n", encoding="utf-8")
    result = run("audit", plain, "-o", tmp_path / "b.csv")
    assert result.exit_code == 1 and "--code-column" in result.output


def test_jobs_give_the_same_file_in_the_same_order(tmp_path):
    source = tmp_path / "many.csv"
    lines = ["人事考试考务服务", "购置办公设备", "社工站运营", "", "12345热线外包", "舆情监测"]
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["序号", "项目名称"])
        for i in range(5000):
            writer.writerow([i, lines[i % len(lines)]])
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert run("tag", source, "-d", "人社局", "-o", one).exit_code == 0
    result = run("tag", source, "-d", "人社局", "-o", two, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert one.read_bytes() == two.read_bytes()
    _, rows = read_csv(two)
    assert [int(r["序号"]) for r in rows] == list(range(5000))


def test_audit_reads_a_declared_pinmu_column(tmp_path):
    sheet = tmp_path / "plan.csv"
    sheet.write_text(
        "项目名称,单位,目录代码,品目编码\n12345热线外包,县行政审批服务管理局,A180701,A02021003\n"
        "12345热线外包,县行政审批服务管理局,A180701,C16100000\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = run("audit", sheet, "--code-column", "目录代码", "--pinmu-column", "品目编码", "-o", out)
    assert result.exit_code == 0, result.output
    _, rows = read_csv(out)
    assert [r["gpsc_audit"] for r in rows] == ["ineligible", "ok"]
    assert "pinmu_mismatch" not in result.output.split("发现")[-1]  # no such problem listed


def test_tag_for_a_unit_without_a_section_judges_every_row(tmp_path):
    sheet = tmp_path / "units.csv"
    sheet.write_text("项目名称\n围墙砌筑\n垃圾清运\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("tag", sheet, "-d", "县城市管理局", "-o", out)
    assert result.exit_code == 0, result.output
    _, rows = read_csv(out)
    assert rows[0]["gpsc_verdict"] == "ineligible"
    assert all("department.no_section" in r["gpsc_rules"].split(";") for r in rows)


def test_audit_lists_every_problem_by_kind_and_top_k_candidates(tmp_path):
    out = tmp_path / "audit.csv"
    result = run("audit", EXAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    listed = [line for line in result.output.splitlines() if line.lstrip().startswith("第") and "行  " in line]
    _, rows = read_csv(out)
    problems = [r for r in rows if r["gpsc_audit"] not in ("ok", "not_declared")]  # a blank code is no problem
    assert len(listed) == len(problems) >= 20  # every one, not the first 20
    assert sum(r["gpsc_audit"] == "not_declared" for r in rows) == 3  # the example's rows without a code
    for kind in {r["gpsc_audit"] for r in problems}:
        assert f"（{kind}）：{sum(r['gpsc_audit'] == kind for r in problems)} 行" in result.output
    assert max(len(r["gpsc_candidates"].split(";")) for r in rows) <= 5  # top-k, like tag


def test_cli_leftovers_a_mistyped_command_a_wrong_input_and_a_sheet_on_a_csv(tmp_path):
    mistyped = run("chek", "社工站运营")
    assert mistyped.exit_code == 2 and "是否想用 'check'" in mistyped.output
    not_a_sheet = run("tag", "README.md")
    assert not_a_sheet.exit_code == 1 and "README.md" in not_a_sheet.output and "输出" not in not_a_sheet.output
    sheet_on_csv = run("tag", EXAMPLE, "--sheet", "表1", "-o", tmp_path / "out.csv")
    assert sheet_on_csv.exit_code == 2 and "--sheet 只用于 .xlsx" in sheet_on_csv.output
