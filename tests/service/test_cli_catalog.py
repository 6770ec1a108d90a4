"""``gpsc catalog …`` through click's runner and through a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from catalog import ANOMALY_KIND_NAMES
from service.cli import main


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_export_json_has_every_leaf(run):
    result = run("catalog", "export", "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert len(payload["leaves"]) == 1125


def test_export_csv_to_file_with_bom(run, tmp_path):
    out = tmp_path / "leaves.csv"
    result = run("catalog", "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1125
    assert {"department", "code", "name", "level2_code", "level2_name", "level3_code", "level3_name"} <= set(rows[0])


def test_lint_explains_every_kind(run, catalog):
    result = run("catalog", "lint")
    assert result.exit_code == 0
    summary, _, details = result.output.partition("明细")
    for kind in {a.kind for a in catalog.anomalies}:  # a summary per kind first, in Chinese, with its machine name
        assert f"{ANOMALY_KIND_NAMES[kind]}（{kind}）" in summary
    assert "A17 0404" in details and "A170404" in details
    assert f"处理 {len(catalog.anomalies)} 处问题" in summary


def test_lint_json_filter(run):
    result = run("catalog", "lint", "--json", "--kind", "leaf_code_repaired")
    rows = json.loads(result.output)
    assert [r["line"] for r in rows] == [2144, 2590, 3156]


def test_show_subtree_with_everyday_name(run):
    result = run("catalog", "show", "县民政局", "A1003")
    assert result.exit_code == 0
    assert "A100301" in result.output and "社会工作服务" in result.output
    assert "A0401" not in result.output


def test_show_marks_repairs_and_implied_rows(run):
    result = run("catalog", "show", "人社局")
    assert "A16 行业管理服务" in result.output and "已补" in result.output


def test_search_printed_code(run):
    result = run("catalog", "search", "A040102", "-d", "自然资源")
    assert "自然资源/A140102" in result.output and "A040102" in result.output


def test_unknown_department_exit_1_with_suggestion(run):
    result = CliRunner().invoke(main, ["catalog", "show", "妇女连合会"])
    assert result.exit_code == 1
    assert "妇女联合会" in result.output
    assert "Traceback" not in result.output


def test_unknown_code_exit_1(run):
    result = CliRunner().invoke(main, ["catalog", "show", "民政", "A9999"])
    assert result.exit_code == 1 and "中没有代码" in result.output


def test_source_option_parses_another_document(run, tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text(
        "## 测试目录\n代码\t一级目录\t二级目录\t三级目录\t四级目录\n民政\t\t\t\t\nA\t公共服务\t\t\t\n", "utf-8"
    )
    result = run("catalog", "lint", "--source", str(doc))
    assert result.exit_code == 0 and "1 个部门章节" in result.output
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing here", "utf-8")
    result = CliRunner().invoke(main, ["catalog", "lint", "--source", str(bad)])
    assert result.exit_code == 1 and "没有找到目录表格" in result.output


def test_usage_error_exit_2():
    assert CliRunner().invoke(main, ["catalog", "export", "--format", "xml"]).exit_code == 2


def _commands(group, prefix=()):
    import click

    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the top group loads its commands lazily
        command = group.get_command(ctx, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_command_is_listed():
    # 10 commands, 4 under catalog, 3 under pinmu, 3 under reviewers, 1 under reviews, and reviews clear-queue
    assert len(list(_commands(main))) == 24


@pytest.mark.parametrize("path", [p for p, _ in _commands(main)], ids=" ".join)
def test_every_command_has_help_with_an_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "示例" in result.output or "Example" in result.output or "命令" in result.output


def test_real_subprocess():
    result = subprocess.run(
        [sys.executable, "-m", "service.cli", "catalog", "search", "舆情监测", "--limit", "3"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") >= 3
    assert result.stderr == ""


def test_evaluate_prints_accuracy_split_and_misses(run, tmp_path):
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(
        "text,department,gold\n社工站运营,县民政局,民政/A100301\n12345热线外包,审批局,行政审批/A180702\n",
        encoding="gb18030",
    )
    result = run("evaluate", str(labelled))
    assert result.exit_code == 0, result.output
    assert "给出部门" in result.output and "不给部门" in result.output
    assert "top-1 0.500" in result.output  # the second line's gold is the other hotline leaf
    assert "12345热线外包" in result.output
    assert "false-eligible" in result.output and "false-ineligible" in result.output


def test_evaluate_reports_each_set_with_its_confusion_matrix(run, tmp_path):
    sets = []
    for name, rows in (
        ("a.csv", "购置办公电脑,人社局,ineligible,goods\n"),
        ("b.csv", "社工站运营,县民政局,eligible,\n"),
    ):
        path = tmp_path / name
        path.write_text("text,department,verdict,rule\n" + rows, encoding="utf-8")
        sets.append(str(path))
    result = run("evaluate", *sets, "--misses", "0")
    assert result.exit_code == 0, result.output
    assert result.output.count("判定准确率 verdict accuracy 1.000") == 2
    assert "a.csv：1 行" in result.output and "b.csv：1 行" in result.output


def test_evaluate_bad_file_exit_1(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("words\n舆情\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(bad)])
    assert result.exit_code == 1 and "missing column" in result.output


def test_train_writes_a_loadable_model(run, tmp_path, checker, monkeypatch):
    # the command's wiring (train, save, report); training itself is what the session's checker fixture ran
    from service.cli import _model as _cli_model

    monkeypatch.setattr(_cli_model, "train_checker", lambda **_: checker)
    out = tmp_path / "m.joblib"
    result = run("train", "-o", str(out))
    assert result.exit_code == 0 and out.is_file()
    assert "保存到" in result.output
    from classifier.eligibility import load_checker

    assert load_checker(out).thresholds.source.startswith("dev.csv + negatives.csv + dev_verdicts.csv")
