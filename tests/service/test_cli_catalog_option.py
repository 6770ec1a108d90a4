"""``--catalog FILE``: another province's catalog, as a ``gpsc catalog export --format csv`` table."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from catalog import LEAF_FIELDS, load_catalog, to_csv
from service.cli import main


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


@pytest.fixture
def other_csv(tmp_path):
    """The bundled catalog without its 民政 section: another province's table."""
    rows = [r for r in csv.DictReader(io.StringIO(to_csv(load_catalog()))) if r["department"] != "民政"]
    out = io.StringIO()
    writer = csv.DictWriter(out, LEAF_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "本省目录.csv"
    path.write_text(out.getvalue(), encoding="gb18030")  # offices save tables in GB18030 as often as UTF-8
    return path


def test_an_export_of_the_bundled_catalog_is_the_bundled_catalog(tmp_path):
    exported = tmp_path / "shanxi.csv"
    assert run("catalog", "export", "--format", "csv", "-o", exported).exit_code == 0
    given = json.loads(run("check", "法律顾问服务", "-d", "县司法局", "--json", "--catalog", exported).output)
    plain = json.loads(run("check", "法律顾问服务", "-d", "县司法局", "--json").output)
    assert given == plain and given["match"]["code"]


def test_a_model_trained_for_the_bundled_catalog_refuses_another(other_csv, model_file):
    result = run("check", "法律顾问服务", "--model", model_file, "--catalog", other_csv)
    assert result.exit_code == 1
    assert "是按《山西省部门政府购买服务指导性目录》" in result.output and "gpsc train --catalog" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("a,b\n1,2\n", "不是 `gpsc catalog export --format csv` 的格式"),
        (",".join(LEAF_FIELDS) + "\n", "没有任何条目"),
        (b"\xff\xfe\x00\x81\x30", "既不是 UTF-8，也不是 GB18030"),
    ],
)
def test_a_catalog_file_that_is_no_catalog_is_named(tmp_path, content, said):
    path = tmp_path / "目录.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = run("tag", tmp_path / "any.csv", "--catalog", path)
    assert result.exit_code == 2
    assert said in result.output and "目录.csv" in result.output


@pytest.mark.parametrize("command", ["check", "tag", "audit", "serve", "train", "evaluate"])
def test_every_judging_command_takes_a_catalog(command):
    assert "--catalog" in run(command, "--help").output
