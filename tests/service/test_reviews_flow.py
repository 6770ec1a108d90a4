"""Decisions that are remembered, end to end on SQLite and PostgreSQL: recorded over the API (with a reviewer
token) or the CLI, used by the next check, tag and audit of a line that reads the same, undone by their own
reviewer only, listed in the queue while open, surviving a restart, and learned by ``gpsc train --with-reviews``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from service.api import Settings, create_app
from service.cli import main
from service.reviews import open_store

LINE, BUYER = "12345热线外包", "县民政局"  # the model says review: only 行政审批's section lists it


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


@pytest.fixture
def db(review_db, monkeypatch):
    monkeypatch.setenv("GPSC_DB", review_db)
    return review_db


@pytest.fixture
def tokens(db):
    store = open_store(db)
    try:
        return {"张三": store.add_reviewer("张三"), "李四": store.add_reviewer("李四")}
    finally:
        store.close()


@pytest.fixture
def client(checker, db):
    with TestClient(create_app(Settings(db_url=db), checker=checker)) as client:
        yield client


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def decide(client, token, **body):
    return client.post("/v1/reviews", json={"text": LINE, "department": BUYER, **body}, headers=bearer(token))


def test_a_decision_needs_a_valid_token(client, tokens, db):
    assert client.post("/v1/reviews", json={"text": LINE, "verdict": "review"}).status_code == 401
    response = decide(client, "not-a-token", verdict="review")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    store = open_store(db)
    store.revoke("李四")
    store.close()
    assert decide(client, tokens["李四"], verdict="review").status_code == 401


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"verdict": "maybe"}, "判定只能是"),
        ({"verdict": "eligible"}, "请给出目录条目"),
        ({"verdict": "eligible", "code": "A999999"}, "没有目录条目"),
        ({"verdict": "ineligible", "pinmu_code": "Z123"}, "品目目录中没有"),
    ],
)
def test_an_invalid_decision_is_a_400_naming_the_problem(client, tokens, body, words):
    response = decide(client, tokens["张三"], **body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_review" and words in response.json()["error"]["message"]


def test_the_next_check_gets_the_decision_and_an_undo_restores_the_model(client, tokens):
    before = client.post("/v1/check", json={"text": LINE, "department": BUYER}).json()
    assert before["verdict"] == "review" and before["review"] is None and before["model_verdict"] == "review"
    created = decide(client, tokens["张三"], verdict="eligible", code="行政审批/A180701", note="热线统一由审批局购买")
    assert created.status_code == 201, created.text
    entry = created.json()
    assert entry["reviewer"] == "张三" and entry["department"] == "民政" and entry["created_at"]
    assert entry["model_verdict"] == "review" and entry["normalized"]

    # the same line as another year's sheet writes it
    after = client.post("/v1/check", json={"text": f"2026年{LINE}", "department": "民政局"}).json()
    assert after["verdict"] == "eligible" and after["model_verdict"] == "review"
    assert after["review"]["reviewer"] == "张三" and after["review"]["code"] == "A180701"
    assert after["match"]["code"] == "A180701" and after["reasons"][0]["rule"] == "review.decision"
    assert client.post("/v1/check", json={"text": LINE, "department": "县人社局"}).json()["review"] is None

    assert client.delete(f"/v1/reviews/{entry['id']}", headers=bearer(tokens["李四"])).status_code == 403
    undone = client.delete(f"/v1/reviews/{entry['id']}", headers=bearer(tokens["张三"]))
    assert undone.status_code == 200 and undone.json()["kind"] == "undo"
    assert client.post("/v1/check", json={"text": LINE, "department": BUYER}).json()["review"] is None
    history = client.get("/v1/reviews", params={"text": LINE}).json()
    assert history["count"] == 2 and {e["kind"] for e in history["data"]} == {"decision", "undo"}
    assert client.get("/v1/reviews", params={"reviewer": "李四"}).json()["count"] == 0


def test_a_newer_decision_supersedes_and_the_history_stays(client, tokens):
    decide(client, tokens["张三"], verdict="ineligible", note="按人头外包")
    decide(client, tokens["李四"], verdict="eligible", code="行政审批/A180701")
    shown = client.post("/v1/check", json={"text": LINE, "department": BUYER}).json()
    assert shown["verdict"] == "eligible" and shown["review"]["reviewer"] == "李四"
    assert client.get("/v1/reviews", params={"department": "民政"}).json()["count"] == 2


def test_the_queue_groups_open_lines_and_a_decision_settles_them(client, tokens):
    for text in (LINE, f"2025年度{LINE}", f"{LINE}（第二批）"):
        client.post("/v1/check", json={"text": text, "department": BUYER})
    sheet = f"项目名称,单位\n{LINE},{BUYER}\n{LINE},柳林县民政局\n购置办公设备,人社局\n".encode()
    assert client.post("/v1/tag", files={"file": ("s.csv", sheet)}, data={"format": "json"}).status_code == 200
    queue = client.get("/v1/reviews/queue").json()
    group = next(q for q in queue["data"] if q["department"] == "民政" and LINE in q["text"])
    assert group["count"] >= 5 and "柳林县民政局" in group["units"]
    decide(client, tokens["张三"], verdict="review", note="转审批局")
    assert all(q["normalized"] != group["normalized"] for q in client.get("/v1/reviews/queue").json()["data"])


def test_tag_and_audit_use_the_decision_and_name_the_reviewer(client, tokens, tmp_path, db):
    decide(client, tokens["张三"], verdict="eligible", code="行政审批/A180701")
    sheet = tmp_path / "s.csv"
    sheet.write_text(f"项目名称,单位,申报代码\n2026年{LINE},{BUYER},A180701\n社工站运营,民政局,A100301\n", "utf-8")
    out = tmp_path / "out.csv"
    result = run("tag", sheet, "-o", out, "--db", db)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[0]["gpsc_verdict"] == "eligible" and rows[0]["gpsc_reviewed_by"].startswith("张三 ")
    assert rows[0]["gpsc_code"] == "A180701" and rows[1]["gpsc_reviewed_by"] == ""
    # a later decision supersedes; the audit reads the decision, not the model (the model says review)
    decide(client, tokens["李四"], verdict="ineligible", note="按人头外包")
    audited = tmp_path / "audit.csv"
    assert run("audit", sheet, "-o", audited, "--code-column", "申报代码").exit_code == 0  # GPSC_DB from the env
    rows = list(csv.DictReader(io.StringIO(audited.read_text("utf-8-sig"))))
    assert rows[0]["gpsc_audit"] == "ineligible" and rows[0]["gpsc_reviewed_by"].startswith("李四 ")
    assert rows[1]["gpsc_reviewed_by"] == ""


def test_a_decision_survives_a_restart(checker, db, tokens):
    with TestClient(create_app(Settings(db_url=db), checker=checker)) as first:
        assert decide(first, tokens["张三"], verdict="ineligible", note="按人头外包").status_code == 201
    with TestClient(create_app(Settings(db_url=db), checker=checker)) as second:
        shown = second.post("/v1/check", json={"text": LINE, "department": BUYER}).json()
    assert shown["verdict"] == "ineligible" and shown["review"]["note"] == "按人头外包"


def test_the_cli_records_lists_and_exports_decisions(db, tokens, tmp_path, catalog):
    result = run("reviews", "add", LINE, "-d", BUYER, "--verdict", "eligible", "--code", "行政审批/A180701",
                 "--token", tokens["张三"])  # fmt: skip
    assert result.exit_code == 0 and "已记录" in result.output, result.output
    refused = run("reviews", "add", LINE, "--verdict", "review", "--token", "wrong")
    assert refused.exit_code == 1 and "令牌" in refused.output
    card = run("check", LINE, "-d", BUYER)
    assert "张三 于" in card.output and "review.decision" in card.output
    payload = json.loads(run("check", LINE, "-d", BUYER, "--json").output)
    assert payload["review"]["reviewer"] == "张三" and payload["model_verdict"] == "review"
    exported = tmp_path / "reviewed.csv"
    assert run("reviews", "export", "-o", exported).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
    assert rows[0]["text"] == LINE and rows[0]["gold"] == "行政审批/A180701" and rows[0]["reviewer"] == "张三"
    from classifier import read_labeled

    (line,) = read_labeled(exported.read_text("utf-8"), catalog)  # the training_data format reads it back
    assert line.gold == (("行政审批", "A180701"),)


def test_train_with_reviews_learns_the_decisions(db, tokens, checker, monkeypatch, tmp_path):
    from service.cli import _model as _cli_model

    run("reviews", "add", LINE, "-d", BUYER, "--verdict", "eligible", "--code", "行政审批/A180701",
        "--token", tokens["张三"])  # fmt: skip
    seen = {}

    def train(**kwargs):
        seen.update(kwargs)
        return checker

    monkeypatch.setattr(_cli_model, "train_checker", train)
    result = run("train", "--with-reviews", "-o", tmp_path / "m.joblib")
    assert result.exit_code == 0, result.output
    (line,) = seen["reviewed"]
    assert line.text == LINE and line.gold == (("行政审批", "A180701"),) and line.verdict == "eligible"
    assert len(seen["reviewed_ids"]) == 1
    evaluated = run("evaluate", "--with-reviews", "--misses", "0")
    assert evaluated.exit_code == 0 and "模型没有学过的 1 条" in evaluated.output
