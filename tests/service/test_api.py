"""The HTTP service through httpx (Starlette's TestClient) against the app: shapes and every error case."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from service.api import Settings, create_app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "liulin_2026_projects.csv"


@pytest.fixture(scope="module")
def client(checker):
    app = create_app(Settings(max_items=50, max_upload_bytes=200_000), checker=checker)
    with TestClient(app) as c:
        yield c


def assert_error(response, status: int, code: str, words: str = ""):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert words in body["error"]["message"]


def test_health_reports_versions(client, catalog):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["ready"] is True
    assert body["catalog_version"] == "晋财综〔2025〕28号" and body["catalog_hash"] == catalog.content_hash
    assert body["model_catalog_hash"] == catalog.content_hash
    assert set(body["thresholds"]) == {"with_department", "without_department"}


def test_check_shape_matches_the_cli_json(client):
    from click.testing import CliRunner

    from service.cli import main

    body = client.post("/v1/check", json={"text": "人事考试考务服务", "department": "人社局"}).json()
    assert body["verdict"] == "eligible"
    assert body["match"]["department"] == "人力资源和社会保障" and body["match"]["code"] == "A160401"
    assert body["match"]["path"][0] == {"code": "A", "name": "公共服务"}
    assert {"rule", "basis", "message"} == set(body["reasons"][0])
    cli = json.loads(CliRunner().invoke(main, ["check", "人事考试考务服务", "-d", "人社局", "--json"]).output)
    assert cli == body


def test_a_buyer_without_a_section_is_judged_not_refused(client):
    body = client.post("/v1/check", json={"text": "购置办公电脑", "department": "县税务局"}).json()
    assert body["verdict"] == "ineligible" and body["buyer"] == "县税务局" and body["department"] is None
    assert "department.no_section" in [r["rule"] for r in body["reasons"]]


def test_check_ineligible_and_review(client):
    body = client.post("/v1/check", json={"text": "购置办公设备", "department": "人社局"}).json()
    assert body["verdict"] == "ineligible" and "第十条第（三）项" in body["reasons"][0]["basis"]
    body = client.post("/v1/check", json={"text": "12345热线外包", "department": "县民政局"}).json()
    assert body["verdict"] == "review" and body["elsewhere"]["code"] == "A180701"


def test_classify_batch_keeps_bad_items(client):
    items = [{"text": "社工站运营", "department": "民政"}, {"text": ""}, {"text": "舆情", "department": "x局"}]
    results = client.post("/v1/classify", json={"items": items}).json()["results"]
    assert results[0]["candidates"][0]["code"] == "A100301"
    assert results[1]["error"] == "采购内容为空" and results[1]["candidates"] == []
    assert "部门章节" in results[2]["error"]


def test_catalog_endpoints(client):
    body = client.get("/v1/catalog/departments").json()
    assert len(body["departments"]) == 56 and body["source_version"] == "晋财综〔2025〕28号"
    section = client.get("/v1/catalog/departments/柳林县人社局").json()
    assert section["title"] == "人力资源和社会保障"
    implied = next(n for n in section["nodes"] if n["code"] == "A16")
    assert implied["implied"] is True
    assert any(a["kind"] == "missing_parent" and a["kind_name"] == "缺少上级目录行" for a in section["anomalies"])
    filed = {n["code"]: n["pinmu"] for n in client.get("/v1/catalog/departments/人大").json()["nodes"]}
    assert filed["A1502"] == {"code": "C23070200", "name": "公共公益宣传服务", "method": "exact", "score": 1.0}
    assert filed["A15"] is None and filed["A150201"]["code"].startswith("C")
    hits = client.get("/v1/catalog/search", params={"q": "A040102", "department": "自然资源"}).json()["hits"]
    assert hits[0]["code"] == "A140102" and "A040102" in hits[0]["note"]


def test_tag_upload_csv_and_xlsx(client):
    response = client.post("/v1/tag", files={"file": ("liulin.csv", EXAMPLE.read_bytes(), "text/csv")})
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    summary = json.loads(response.headers["x-gpsc-summary"])
    assert summary["rows"] == 23 and summary["verdicts"] == {"ineligible": 16, "review": 7}
    assert "liulin.gpsc.csv" in response.headers["content-disposition"]

    book = Workbook()
    book.active.append(["采购项目", "单位"])
    book.active.append(["人事考试考务服务", "人社局"])
    data = io.BytesIO()
    book.save(data)
    response = client.post("/v1/tag", files={"file": ("s.xlsx", data.getvalue(), "application/octet-stream")})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][rows[0].index("目录编码")] == "A160401"  # XLSX speaks Chinese by default


def test_audit_upload_json(client):
    response = client.post(
        "/v1/audit",
        files={"file": ("liulin.csv", EXAMPLE.read_bytes(), "text/csv")},
        data={"code_column": "示例申报代码", "format": "json"},
    )
    body = response.json()
    assert body["header"][-2:] == ["gpsc_audit", "gpsc_audit_reason"]
    assert len(body["rows"]) == 23 and body["summary"]["audit"]["ineligible"] == 16
    assert body["problems"][0]["kind"] == "ineligible"


@pytest.mark.parametrize(
    ("kwargs", "status", "code", "words"),
    [
        ({"content": b"{bad json", "headers": {"content-type": "application/json"}}, 400, "malformed_json", "JSON"),
        ({"json": {"text": ""}}, 422, "invalid_request", "text"),
        ({"json": {"text": "   "}}, 422, "empty_text", "为空"),
        ({"json": {"text": "x" * 2001}}, 422, "text_too_long", "2000"),
        ({"json": {"department": "民政"}}, 422, "invalid_request", "text"),
        ({"json": {"text": "舆情", "top_k": 0}}, 422, "invalid_request", "top_k"),
    ],
)
def test_check_errors(client, kwargs, status, code, words):
    assert_error(client.post("/v1/check", **kwargs), status, code, words)


def test_classify_too_many_items(client):
    response = client.post("/v1/classify", json={"items": [{"text": "舆情监测"}] * 51})
    assert_error(response, 422, "too_many_items", "50")


@pytest.mark.parametrize(
    ("files", "data", "status", "code", "words"),
    [
        ({"file": ("x.pdf", b"%PDF-1.4", "application/pdf")}, {}, 415, "unsupported_file_type", ".csv 或 .xlsx"),
        ({"file": ("x.xlsx", b"PK\x03\x04broken", "application/octet-stream")}, {}, 422, "bad_file", "xlsx"),
        ({"file": ("x.csv", b"", "text/csv")}, {}, 422, "bad_file", "空"),
        ({"file": ("x.csv", "摘要\n社工站\n".encode(), "text/csv")}, {}, 422, "column_not_found", "采购内容所在的列"),
        (
            {"file": ("x.csv", "项目名称\n社工站\n".encode(), "text/csv")},
            {"text_column": "内容"},
            422,
            "column_not_found",
            "项目名称",
        ),
        ({"file": ("x.csv", b"\xff\xfe\x00garbage\xff", "text/csv")}, {}, 422, "bad_file", "编码"),
        ({"file": ("x.csv", b"a" * 200_001, "text/csv")}, {}, 413, "upload_too_large", "MiB"),
        ({}, {}, 422, "invalid_request", "file"),
    ],
)
def test_upload_errors(client, files, data, status, code, words):
    assert_error(client.post("/v1/tag", files=files, data=data), status, code, words)


def test_audit_guesses_the_code_column_or_asks_for_it(client):
    guessed = client.post("/v1/audit", files={"file": ("x.csv", EXAMPLE.read_bytes(), "text/csv")})
    assert (
        guessed.status_code == 200
        and json.loads(guessed.headers["x-gpsc-summary"])["columns"]["code"] == "示例申报代码"
    )
    plain = "项目名称,单位\n社工站运营,民政局\n".encode()
    response = client.post("/v1/audit", files={"file": ("x.csv", plain, "text/csv")})
    assert_error(response, 422, "column_not_found", "申报代码或申报品目所在的列")
    assert "--" not in response.json()["error"]["message"]  # the page shows it: no command-line option


def test_sheet_columns_for_the_pickers(client):
    body = client.post("/v1/sheet/columns", files={"file": ("x.csv", EXAMPLE.read_bytes(), "text/csv")}).json()
    assert body["rows"] == 23
    assert body["guess"] == {"text": "项目名称", "department": "单位", "code": "示例申报代码", "pinmu": None}
    assert_error(
        client.post("/v1/sheet/columns", files={"file": ("x.doc", b"x", "application/msword")}),
        415,
        "unsupported_file_type",
    )


def test_the_web_page_and_its_assets_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "政府购买服务目录助手" in page.text
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200
    assert "http" not in client.get("/static/app.js").text.replace("XMLHttpRequest", ""), "no external network"


def test_the_page_reads_its_chinese_words_from_the_same_table_as_the_sheets(client):
    import json

    from service.words import COLUMN_TITLES, RULE_TITLES, VERDICT_TITLES

    script = client.get("/static/words.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    words = json.loads(script.text.split("const WORDS = ", 1)[1].rstrip().rstrip(";"))
    assert words["rules"] == RULE_TITLES and words["verdicts"] == VERDICT_TITLES and words["columns"] == COLUMN_TITLES
    assert "const RULES = {" not in client.get("/static/app.js").text  # no second copy in the page


def test_unknown_route_and_method(client):
    assert_error(client.get("/v1/nope"), 404, "not_found")
    assert_error(client.get("/v1/check"), 405, "method_not_allowed")


def test_openapi_documents_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/health",
        "/v1/check",
        "/v1/classify",
        "/v1/catalog/departments",
        "/v1/catalog/departments/{name}",
        "/v1/catalog/search",
        "/v1/tag",
        "/v1/audit",
    ):
        assert path in paths
    assert client.get("/docs").status_code == 200


def test_check_and_classify_give_the_pinmu(client):
    body = client.post("/v1/check", json={"text": "彩色多普勒超声诊断仪", "department": "县人民医院"}).json()
    assert body["verdict"] == "ineligible" and body["pinmu"]["type"] == "goods" and body["pinmu"]["code"][0] == "A"
    items = [{"text": "彩色多普勒超声诊断仪"}, {"text": "社工站运营", "department": "县民政局"}]
    results = client.post("/v1/classify", json={"items": items, "top_k": 2}).json()["results"]
    assert results[0]["pinmu"]["code"] == body["pinmu"]["code"]
    assert results[1]["pinmu"] is None or results[1]["pinmu"]["type"] == "services"


def test_tag_upload_for_a_unit_without_a_section_is_judged(client):
    files = {"file": ("x.csv", "项目名称\n购置办公电脑\n".encode(), "text/csv")}
    body = client.post("/v1/tag", files=files, data={"department": "县税务局", "format": "json"}).json()
    assert body["summary"]["verdicts"] == {"ineligible": 1}


def test_the_favicon_is_served(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    assert client.get("/static/favicon.svg").status_code == 200
