"""``gpsc audit`` and ``POST /v1/audit`` on a procurement list: a 品目 column alone is enough, blank cells are 未申报,
and a wrong declaration planted into the real example is found, with the kind first and amounts per kind."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from service.api import Settings, create_app
from service.cli import main

LIST = Path(__file__).resolve().parents[2] / "examples" / "procurement_list_2022.csv"
MONITOR = "脑、神经功能监护仪竞争性谈判公告（2022-JL13(05)-W30036）"  # a real title of the train half


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def with_planted(tmp_path: Path) -> Path:
    """The example list with a monitor declared as 物业管理服务 and one blank declaration."""
    rows = rows_of(LIST)
    rows.append([str(len(rows) - 1), MONITOR, "服务/房地产服务/物业管理服务", "18053414"])
    rows.append([str(len(rows) - 1), "清华大学公共管理学院物业管理服务项目", "", ""])
    path = tmp_path / "list.csv"
    path.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in rows), encoding="utf-8")
    return path


def test_a_pinmu_column_alone_is_enough(tmp_path):
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["audit", str(with_planted(tmp_path)), "-o", str(out), "--headers", "machine"])
    assert result.exit_code == 0, result.output
    assert "申报品目列：采购品目" in result.output  # guessed, and said
    assert "代码不存在" not in result.output
    rows = rows_of(out)
    header = rows[1]
    at = {name: k for k, name in enumerate(header)}
    kinds = {row[at["项目名称"]]: row[at["gpsc_audit"]] for row in rows[2:]}
    assert kinds[MONITOR] == "pinmu_type_mismatch"
    assert kinds["清华大学公共管理学院物业管理服务项目"] == "not_declared"
    assert "品目类型不符" in result.output.split("发现")[1]  # the findings, type mismatches listed first
    # goods declared as goods are no finding, whatever the 政府购买服务 verdict (in gpsc_verdict)
    goods = [row for row in rows[2:] if row[at["采购品目"]].startswith(("货物", "A")) and row[at["gpsc_audit"]] == "ok"]
    assert goods and {row[at["gpsc_verdict"]] for row in goods} <= {"ineligible", "review"}


@pytest.fixture(scope="module")
def client(checker):
    app = create_app(Settings(), checker=checker)
    with TestClient(app) as c:
        yield c


def test_the_api_audits_a_pinmu_column_alone(client, tmp_path):
    data = with_planted(tmp_path).read_bytes()
    body = client.post(
        "/v1/audit", files={"file": ("list.csv", data)}, data={"format": "json", "code_column": ""}
    ).json()
    assert body["summary"]["audit"]["pinmu_type_mismatch"] >= 1 and body["summary"]["audit"]["not_declared"] == 1
    assert body["problems"][0]["kind"] == "pinmu_type_mismatch"  # type mismatches first
    info = client.post("/v1/sheet/columns", files={"file": ("list.csv", data)}).json()
    assert info["guess"]["pinmu"] == "采购品目" and info["guess"]["text"] == "项目名称"
