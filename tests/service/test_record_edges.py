"""The review record at its edges: dates out of range, JSON nested too deep, pages with their true total, exports
that neither run formulas nor spoil the previous file, notes that cannot drive a terminal, tokens off the command
line, a database file deleted under a running process, and a classify request too large to hold."""

from __future__ import annotations

import csv
import stat

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from classifier import key_text
from service.api import Settings, create_app
from service.cli import main
from service.reviews import ReviewError, open_store

LINE = "物业管理服务"


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'reviews.db'}"
    store = open_store(url)
    store.add_reviewer("张三")
    for n in range(5):
        store.record(
            "张三",
            text=f"{LINE}{n}",
            normalized=key_text(f"{LINE}{n}"),
            department="民政",
            department_written="县民政局",
            verdict="review",
            note='=HYPERLINK("http://x","点此")' if n == 0 else "备注\x1b]0;pwned\x07\x1b[2J完",
        )
    store.close()
    return url


@pytest.mark.parametrize("since", ["0001-01-01", "9999-12-31T23:59:59-23:59", "1900-01-01"])
def test_a_date_out_of_range_is_a_400_and_one_line(db, checker, since):
    with TestClient(create_app(Settings(db_url=db), checker=checker)) as client:
        answer = client.get("/v1/reviews", params={"since": since})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_review"
    assert "超出范围" in answer.json()["error"]["message"] or "无法识别" in answer.json()["error"]["message"]
    result = run("reviews", "list", "--since", since, "--db", db)
    assert result.exit_code == 1 and "Traceback" not in result.output and "时间" in result.output


def test_json_nested_too_deep_is_a_chinese_400(checker):
    with TestClient(create_app(Settings(), checker=checker)) as client:
        answer = client.post(
            "/v1/check", content=b"[" * 50_000 + b"]" * 50_000, headers={"content-type": "application/json"}
        )
    assert answer.status_code in (400, 422)
    error = answer.json()["error"]
    assert error["code"] in ("malformed_json", "invalid_request") and not error["message"].isascii()


def test_reviews_come_a_page_at_a_time_with_the_true_total(db, checker):
    with TestClient(create_app(Settings(db_url=db), checker=checker)) as client:
        page = client.get("/v1/reviews", params={"limit": 2, "offset": 1}).json()
        everything = client.get("/v1/reviews").json()
    assert page["count"] == 2 and page["total"] == 5 and everything["total"] == 5 and everything["count"] == 5
    assert [e["id"] for e in page["data"]] == [e["id"] for e in everything["data"][1:3]]


def test_export_neutralises_formulas_and_keeps_the_previous_file_on_failure(db, tmp_path, monkeypatch):
    out = tmp_path / "reviewed.csv"
    assert run("reviews", "export", "-o", out, "--db", db).exit_code == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["note"].startswith("'=HYPERLINK") for r in rows)
    before = out.read_bytes()

    from service.cli import _decisions

    calls = iter(range(100))

    def failing(value):
        if next(calls) > 12:
            raise OSError(28, "No space left on device")
        return value

    monkeypatch.setattr(_decisions, "csv_safe", failing)
    result = run("reviews", "export", "-o", out, "--db", db)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert out.read_bytes() == before  # the previous export is whole
    assert not list(tmp_path.glob(".reviewed.gpsc-partial-*"))  # and nothing half-written is left


def test_a_note_cannot_drive_the_terminal(db):
    result = run("reviews", "list", "--db", db)
    assert result.exit_code == 0 and "\x1b" not in result.output and "\x07" not in result.output
    assert "备注" in result.output


def test_tokens_stay_off_the_command_line(tmp_path, db, checker, model_file):
    token_file = tmp_path / "王五.token"
    added = run("reviewers", "add", "王五", "--token-file", token_file, "--db", db)
    assert added.exit_code == 0 and stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert token_file.read_text(encoding="utf-8").strip() not in added.output  # not shown on the screen
    again = run("reviewers", "add", "赵六", "--token-file", token_file, "--db", db)
    assert again.exit_code == 1 and "已存在" in again.output  # never overwrites a token file
    recorded = run(
        "reviews", "add", LINE, "-d", "县民政局", "--verdict", "review", "--token-file", token_file,
        "--db", db, "--model", model_file,
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    missing = run("reviews", "add", LINE, "--verdict", "review", "--db", db, "--model", model_file, env={})
    assert missing.exit_code == 2 and "令牌" in missing.output


def test_a_deleted_database_file_is_reported_not_written_elsewhere(tmp_path):
    path = tmp_path / "reviews.db"
    store = open_store(f"sqlite:///{path}")
    store.add_reviewer("张三")
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    with pytest.raises(ReviewError, match="已被删除或替换"):
        store.record(
            "张三", text=LINE, normalized=LINE, department="民政", department_written="县民政局", verdict="review"
        )
    store.close()


def test_a_classify_request_too_large_to_hold_is_refused(checker):
    items = [{"text": "社区养老服务" * 300} for _ in range(300)]  # 540,000 characters
    with TestClient(create_app(Settings(), checker=checker)) as client:
        answer = client.post("/v1/classify", json={"items": items})
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "too_many_chars"
    with TestClient(create_app(Settings(), checker=checker)) as client:
        fine = client.post("/v1/classify", json={"items": [{"text": "社区养老服务"}] * 1200})  # three chunks
    assert fine.status_code == 200 and len(fine.json()["results"]) == 1200


SHARE = [  # what README says a decision reaches: the same line with other years, places, 文号 or amounts
    ("2025年度全民意外伤害保险", "2026年全民意外伤害保险"),
    ("人力资源服务外包（柳人社〔2025〕3号）", "人力资源服务外包"),
    ("柳林县社工站运营服务", "社工站运营服务"),
    ("社工站运营服务，预算12万元", "社工站运营服务，预算15.5万元"),
    ("社工站 运营服务", "社工站运营服务"),
]
APART = [  # and what it must not reach: another purchase
    ("人力资源服务外包", "人力资源服务"),
    ("人力资源服务外包", "购买人力资源服务"),
    ("人力资源服务外包", "2026年人力资源服务项目"),
    ("社工站运营服务", "社工站运营服务外包"),
    ("物业管理服务", "物业管理服务（含设备购置）"),
]


@pytest.mark.parametrize(("one", "other"), SHARE)
def test_a_decision_reaches_the_same_line_written_otherwise(one, other):
    assert key_text(one) == key_text(other)


@pytest.mark.parametrize(("one", "other"), APART)
def test_a_decision_never_reaches_another_purchase(one, other):
    assert key_text(one) != key_text(other)


def test_an_old_record_is_rekeyed_on_open(tmp_path, checker):
    """A record made by the first schema (keys from the model's reading) is migrated: its decisions are found by
    the new key, and no longer by a line that only the old key folded together."""
    import sqlite3

    from service.reviews import apply_reviews
    from service.reviews._database import make_engine, parse_url
    from service.reviews._schema import key_hash

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(parse_url(url))
    from alembic import command

    from service.reviews._database import _config

    with engine.begin() as connection:
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()
    with sqlite3.connect(tmp_path / "old.db") as connection:
        connection.execute(
            "INSERT INTO reviewers (name, token_hash, created_at) VALUES ('张三', 'x', '2026-01-01 00:00:00')"
        )
        connection.execute(
            "INSERT INTO review_entries"
            " (kind, key_hash, text, normalized, department, verdict, reviewer_id, created_at)"
            " VALUES ('decision', ?, '人力资源服务外包', '人力资源服务', '民政', 'ineligible', 1,"
            " '2026-01-01 00:00:00')",
            (key_hash("人力资源服务", "民政"),),
        )
    store = open_store(url)  # migrates to the newest schema
    try:
        same, other = checker.check_many(["2026年人力资源服务外包", "人力资源服务"], ["县民政局", "县民政局"])
        decided, untouched = apply_reviews(store, [same, other], checker)
        assert decided.entry is not None and decided.verdict.verdict == "ineligible"
        assert untouched.entry is None
    finally:
        store.close()


REVIEW_LINE = "12345热线外包"  # review from 民政: the queue notes it


def test_the_queue_ranks_by_distinct_units_so_one_client_cannot_put_a_line_on_top(tmp_path, checker):
    url = f"sqlite:///{tmp_path / 'queue.db'}"
    open_store(url).close()
    with TestClient(create_app(Settings(db_url=url), checker=checker)) as client:
        for _ in range(40):  # one client, one unit, the same crafted line
            client.post("/v1/check", json={"text": "【通知】请所有审定人把令牌发到某邮箱", "department": "县民政局"})
        for unit in ("县民政局", "柳林县民政局", "离石区民政局"):
            client.post("/v1/check", json={"text": REVIEW_LINE, "department": unit})
        queue = client.get("/v1/reviews/queue").json()["data"]
    assert queue[0]["text"] == REVIEW_LINE and len(queue[0]["units"]) == 3
    crafted = next(q for q in queue if "令牌" in q["text"])
    assert crafted["count"] == 40  # counted, as rows, but below the line met in three units


def test_one_client_s_notes_are_rationed(tmp_path, checker):
    url = f"sqlite:///{tmp_path / 'quota.db'}"
    open_store(url).close()
    with TestClient(create_app(Settings(db_url=url, queue_notes_per_minute=5), checker=checker)) as client:
        for _ in range(12):
            answer = client.post("/v1/check", json={"text": REVIEW_LINE, "department": "县民政局"})
            assert answer.status_code == 200 and answer.json()["verdict"] == "review"  # judged every time
        queue = client.get("/v1/reviews/queue").json()["data"]
    assert queue[0]["count"] == 5


def test_the_queue_is_capped_and_can_be_cleared(tmp_path, monkeypatch):
    from service.reviews import _store

    monkeypatch.setattr(_store, "MAX_QUEUE_ROWS", 3)
    url = f"sqlite:///{tmp_path / 'capped.db'}"
    store = open_store(url)
    try:
        for n in range(5):
            store.note_open([(f"line{n}", "x" * 5000, "民政", "县民政局")], source="check")
        queue = store.queue()
        assert sorted(q.normalized for q in queue) == ["line2", "line3", "line4"]  # the longest unseen went
        assert all(len(q.text) <= _store.MAX_QUEUE_TEXT_CHARS for q in queue)
    finally:
        store.close()
    cleared = run("reviews", "clear-queue", "--db", url)
    assert cleared.exit_code == 0 and "3 条" in cleared.output
    with open_store(url) as store:
        assert store.queue() == []


def test_queue_counts_are_row_counts(tmp_path, checker):
    url = f"sqlite:///{tmp_path / 'rows.db'}"
    open_store(url).close()
    sheet = ("项目名称,单位\n" + f"{REVIEW_LINE},县民政局\n" * 100).encode()  # one line, a hundred rows
    with TestClient(create_app(Settings(db_url=url), checker=checker)) as client:
        assert client.post("/v1/tag", files={"file": ("s.csv", sheet)}, data={"format": "json"}).status_code == 200
        queue = client.get("/v1/reviews/queue").json()["data"]
    assert queue[0]["count"] == 100


def test_concurrent_anonymous_checks_stay_within_the_quota(tmp_path, checker):
    from concurrent.futures import ThreadPoolExecutor

    url = f"sqlite:///{tmp_path / 'load.db'}"
    open_store(url).close()
    with TestClient(create_app(Settings(db_url=url, queue_notes_per_minute=12), checker=checker)) as client:

        def check(_n: int) -> int:
            return client.post("/v1/check", json={"text": REVIEW_LINE, "department": "县民政局"}).status_code

        with ThreadPoolExecutor(4) as pool:
            codes = list(pool.map(check, range(40)))
        queue = client.get("/v1/reviews/queue").json()["data"]
    assert codes == [200] * 40 and queue[0]["count"] == 12
