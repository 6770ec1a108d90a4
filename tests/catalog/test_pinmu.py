"""The 品目分类目录 (财库〔2022〕31号): the parser on literal rows, the shipped tree, a fresh parse of the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog import PinmuRow, code_level, load_pinmu, parent_code, parse_pinmu_rows

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pinmu_2022"


@pytest.fixture(scope="module")
def pinmu():
    return load_pinmu()


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("A", 0, None),
        ("A01000000", 1, "A"),
        ("A01010000", 2, "A01000000"),
        ("A01010200", 3, "A01010000"),
        ("A01010201", 4, "A01010200"),
        ("C21040000", 2, "C21000000"),
    ],
)
def test_level_and_parent_come_from_the_code(code, level, parent):
    assert code_level(code) == level and parent_code(code) == parent


def test_parser_on_literal_rows():
    rows = [
        PinmuRow(11, 0, "编 码", "品目名称", "说 明"),
        PinmuRow(11, 1, "A", "货物", ""),
        PinmuRow(11, 2, "A02000000", "设备", ""),
        PinmuRow(11, 3, "A02020000", "办公设备", ""),
        PinmuRow(11, 4, "A02021000", "打印机", ""),
        PinmuRow(11, 5, "A02021003", "A4黑白打印机", "包括激光打印机、\n喷墨打印机"),
        PinmuRow(12, 0, "编 码", "品目名称", "说 明"),
        PinmuRow(12, 1, "", "", "等。"),
        PinmuRow(12, 2, "A02030100", "乘用车（轿车）包括轿车、越野车等。", ""),
        PinmuRow(12, 3, "A02021003", "重复", ""),
        PinmuRow(12, 4, "A02021004", "A3 彩色 打印机", ""),
        PinmuRow(12, 5, "A0202x", "坏编码", ""),
    ]
    items, anomalies = parse_pinmu_rows(rows)
    by_code = {i.code: i for i in items}
    assert by_code["A02021003"].description == "包括激光打印机、喷墨打印机等。"  # wrapped and continued
    assert by_code["A02030100"].name == "乘用车（轿车）" and by_code["A02030100"].description == "包括轿车、越野车等。"
    assert by_code["A02030100"].parent == "A02000000"  # its own parent A02030000 is missing
    assert by_code["A02021004"].name == "A3 彩色打印机"  # a wrap inside Chinese text goes; a space after Latin stays
    kinds = [a.kind for a in anomalies]
    for kind in (
        "repeated_header",
        "description_continued",
        "description_in_name",
        "missing_parent",
        "code_not_under_row_above",
        "repeated_code",
        "bad_code",
    ):
        assert kind in kinds, kind
    assert "坏编码" in by_code["A02021004"].description  # nothing silently dropped


def test_the_shipped_tree(pinmu):
    assert len(pinmu.items) == 4304
    assert {i.type for i in pinmu.items} == {"goods", "works", "services"}
    for item in pinmu.items:
        assert item.level == 0 or pinmu.item(item.parent) is not None, item.code
        assert item.page >= 11 and item.name
    printer = pinmu.item("a0202 1003")
    assert printer.name == "A4黑白打印机" and pinmu.type_of(printer.code) == "goods"
    assert "助听器" in pinmu.item("A02323100").description
    assert pinmu.type_of("B08000000") == "works" and pinmu.type_of("C21040000") == "services"
    assert pinmu.type_of("X1") is None and pinmu.item("Z99") is None
    assert [i.name for i in pinmu.path("C21040000")] == ["服务", "房地产服务", "物业管理服务"]


def test_real_anomalies_name_the_page(pinmu):
    found = {(a.kind, a.code) for a in pinmu.anomalies}
    assert ("name_continued", "A02080705") in found  # 会议电话调度设备及市话中继设|备 across pages 33/34
    assert pinmu.item("A02080705").name == "会议电话调度设备及市话中继设备"
    assert sum(a.kind == "description_continued" for a in pinmu.anomalies) == 65
    assert sum(a.kind == "repeated_header" for a in pinmu.anomalies) == 137
    # every difference from the third-party extraction is reported
    assert sum(a.kind == "reference_missing" for a in pinmu.anomalies) == 32


def test_search(pinmu):
    assert pinmu.search("A02021003")[0].item.code == "A02021003"
    assert all(h.item.code.startswith("C2104") for h in pinmu.search("C2104"))
    assert pinmu.search("助听器")[0].item.code == "A02323100"
    assert all(h.item.type == "services" for h in pinmu.search("物业", type="services"))
    assert pinmu.search("   ") == []


def test_cli():
    from service.cli import main

    result = CliRunner().invoke(main, ["pinmu", "show", "A02021003"])
    assert result.exit_code == 0 and "A4黑白打印机" in result.output and "办公设备" in result.output
    result = CliRunner().invoke(main, ["pinmu", "search", "助听器", "--limit", "1"])
    assert result.exit_code == 0 and "A02323100" in result.output
    result = CliRunner().invoke(main, ["pinmu", "show", "Z999"])
    assert result.exit_code == 1 and "没有编码" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(not (SHARED / "zfcg_pinmu_2022.pdf").is_file(), reason="the official PDF is not beside the repo")
def test_shipped_data_equals_a_fresh_parse_of_the_pdf():
    pytest.importorskip("pdfplumber")
    from importlib.resources import files

    from catalog._pinmu_build import build

    items, anomalies = build(SHARED / "zfcg_pinmu_2022.pdf", SHARED / "reference_extraction.tsv")
    assert items == files("catalog.data").joinpath("pinmu_2022.tsv").read_text(encoding="utf-8")
    assert anomalies == files("catalog.data").joinpath("pinmu_2022_anomalies.tsv").read_text(encoding="utf-8")
