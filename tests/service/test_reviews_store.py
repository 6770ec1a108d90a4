"""The review record on SQLite and on a real PostgreSQL (``review_db`` in the root conftest), without mocks.

Every test runs against both databases; the concurrency test starts four processes writing at once.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import event

import service.reviews
from service.cli import main
from service.reviews import (
    Entry,
    QueueItem,
    ReviewAuthError,
    ReviewerInfo,
    ReviewError,
    ReviewForbiddenError,
    ReviewInputError,
    ReviewNotFoundError,
    default_db_url,
    open_store,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
LINE = {"text": "12345热线外包", "normalized": "12345热线外包", "department": "行政审批"}
WRITTEN = "县行政审批服务管理局"


@pytest.fixture(autouse=True)
def _isolated_model_cache(monkeypatch, tmp_path):
    """Replaces the root conftest's fixture: these tests load no model, so they need not train one (~30 s)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GPSC_DB", raising=False)


@pytest.fixture
def store(review_db):
    with open_store(review_db) as opened:
        yield opened


def decide(store, reviewer, verdict="eligible", *, line=LINE, **extra) -> Entry:
    return store.record(reviewer, **line, department_written=WRITTEN, verdict=verdict, **extra)


def english_sentences(text: str) -> list[str]:
    from tests.test_chinese_messages import english_sentences  # here: worker processes need not import FastAPI

    return english_sentences(text)


def chinese(error: BaseException) -> str:
    """The error's message, checked to be a Chinese sentence with no English one in it."""
    message = str(error)
    assert CJK.search(message) and not english_sentences(message), message
    return message


def test_public_names():
    assert sorted(service.reviews.__all__) == sorted(
        [
            "VERDICTS",
            "Entry",
            "QueueItem",
            "ReviewAuthError",
            "ReviewError",
            "ReviewForbiddenError",
            "ReviewInputError",
            "ReviewNotFoundError",
            "ReviewStore",
            "ReviewerInfo",
            "default_db_url",
            "open_store",
            # the record as judging uses it, and decisions applied to verdicts
            "BudgetedRecord",
            "RecordGuard",
            "Reviewed",
            "apply_reviews",
            "open_lines",
            "open_record",
            "queue_line",
            "record_decision",
            "review_dict",
            "reviewed_by",
        ]
    )
    assert all(hasattr(service.reviews, name) for name in service.reviews.__all__)
    codes = {
        ReviewAuthError: "unauthorized",
        ReviewForbiddenError: "forbidden",
        ReviewNotFoundError: "not_found",
        ReviewInputError: "invalid_review",
    }
    for error, code in codes.items():
        assert issubclass(error, ReviewError) and error.code == code
    assert issubclass(ReviewError, Exception)


# --- reviewers and tokens -----------------------------------------------------------------------------------


def test_reviewers_add_list_revoke(store):
    token = store.add_reviewer("张三")
    assert len(token) >= 40 and token != store.add_reviewer("李四")
    with pytest.raises(ReviewInputError) as taken:
        store.add_reviewer("张三")
    chinese(taken.value)
    with pytest.raises(ReviewInputError):
        store.add_reviewer("  ")
    store.revoke("张三")
    with pytest.raises(ReviewNotFoundError):
        store.revoke("张三")
    with pytest.raises(ReviewNotFoundError):
        store.revoke("王五")
    again = store.add_reviewer("张三")  # a name is free again once revoked (a new token for a lost one)
    listed = store.reviewers()
    assert [(r.name, r.active) for r in listed] == [("张三", False), ("李四", True), ("张三", True)]
    assert all(isinstance(r, ReviewerInfo) and r.created_at.tzinfo == UTC for r in listed)
    assert listed[0].revoked_at is not None and listed[1].revoked_at is None
    assert store.authenticate(again).name == "张三"


def test_only_the_token_hash_is_stored(store, review_db):
    token = store.add_reviewer("张三")
    from sqlalchemy import create_engine, text

    engine = create_engine(review_db.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM reviewers")).scalar()
    engine.dispose()
    assert token not in stored and len(stored) == 64


def test_authenticate(store):
    token = store.add_reviewer("张三")
    who = store.authenticate(token)
    assert (who.name, who.active) == ("张三", True)
    for bad in (None, "", "not-a-token", token + "x"):
        with pytest.raises(ReviewAuthError) as refused:
            store.authenticate(bad)
        assert refused.value.code == "unauthorized"
        chinese(refused.value)
    store.revoke("张三")
    with pytest.raises(ReviewAuthError, match="撤销"):
        store.authenticate(token)


# --- decisions ----------------------------------------------------------------------------------------------


def test_record_and_standing(store):
    store.add_reviewer("张三")
    entry = decide(store, "张三", code="A180701", pinmu_code="C0101", note="与目录一致", model_verdict="review")
    assert entry.kind == "decision" and entry.verdict == "eligible" and entry.code == "A180701"
    assert entry.reviewer == "张三" and entry.department_written == WRITTEN and entry.undoes is None
    assert entry.created_at.tzinfo == UTC and abs(datetime.now(UTC) - entry.created_at) < timedelta(minutes=1)
    assert entry.to_dict()["created_at"] == entry.created_at.isoformat() and entry.to_dict()["id"] == entry.id
    assert store.get(entry.id) == entry
    key = (LINE["normalized"], LINE["department"])
    assert store.standing([key, ("别的内容", "行政审批"), (LINE["normalized"], None)]) == {key: entry}
    no_department = decide(store, "张三", "ineligible", line={**LINE, "department": None})
    assert no_department.department is None
    standing = store.standing([(LINE["normalized"], None), (LINE["normalized"], "")])
    assert standing == {(LINE["normalized"], None): no_department, (LINE["normalized"], ""): no_department}
    assert store.standing([key])[key] == entry  # the department is part of the key
    for missing in (entry.id + 100, 0, -1, 2**40, 2**70, "1"):
        with pytest.raises(ReviewNotFoundError):
            store.get(missing)


def test_newer_decision_supersedes_and_history_stays(store):
    store.add_reviewer("张三")
    store.add_reviewer("李四")
    first = decide(store, "张三", "eligible", code="A180701")
    second = decide(store, "李四", "ineligible", note="实为劳务派遣")
    key = (LINE["normalized"], LINE["department"])
    assert store.standing([key])[key] == second
    assert store.entries() == [second, first]
    assert store.entries(text=LINE["text"]) == [second, first]
    assert store.decisions() == [second]


def test_entries_filters(store):
    store.add_reviewer("张三")
    store.add_reviewer("李四")
    a = decide(store, "张三", line={"text": "养老服务 ", "normalized": "养老服务", "department": "民政"})
    b = decide(store, "李四", line={"text": "物业管理", "normalized": "物业管理", "department": "机关事务"})
    assert store.entries(text="养老服务 ") == [a] == store.entries(text="养老服务")
    assert store.entries(department="民政") == [a]
    assert store.entries(department=WRITTEN) == [b, a]  # the unit as written matches too
    assert store.entries(reviewer="李四") == [b]
    assert store.entries(limit=1) == [b]
    assert store.entries(since=a.created_at) == [b, a]
    assert store.entries(since=datetime.now(UTC) + timedelta(hours=1)) == []
    assert store.entries(since=(b.created_at + timedelta(days=1)).date().isoformat()) == []
    assert store.entries(text="不存在") == [] and store.entries(text="含\x00空字符") == []
    with pytest.raises(ReviewInputError):
        store.entries(since="去年")


def test_bad_input_is_refused(store):
    store.add_reviewer("张三")
    for verdict in ("yes", "", "ELIGIBLE", None):
        with pytest.raises(ReviewInputError) as refused:
            decide(store, "张三", verdict)
        assert refused.value.code == "invalid_review"
        chinese(refused.value)
    for line in ({**LINE, "text": ""}, {**LINE, "normalized": " "}, {**LINE, "text": "长" * 2001}):
        with pytest.raises(ReviewInputError):
            decide(store, "张三", line=line)
    with pytest.raises(ReviewInputError):
        decide(store, "张三", note="长" * 2001)
    with pytest.raises(ReviewInputError):
        decide(store, "张三", line={**LINE, "text": "含\x00空字符"})
    with pytest.raises(ReviewNotFoundError):
        decide(store, "没有这个人")
    assert store.entries() == []
    # the longest line fits on both databases (a PostgreSQL index on the text itself would not take it)
    longest = {"text": "长" * 2000, "normalized": "长" * 2000, "department": "民政"}
    assert decide(store, "张三", line=longest, note="注" * 2000).text == "长" * 2000


def test_undo(store):
    store.add_reviewer("张三")
    store.add_reviewer("李四")
    key = (LINE["normalized"], LINE["department"])
    first = decide(store, "张三", "eligible")
    second = decide(store, "李四", "ineligible")
    with pytest.raises(ReviewForbiddenError) as forbidden:
        store.undo("张三", second.id)
    assert forbidden.value.code == "forbidden"
    chinese(forbidden.value)
    undo = store.undo("李四", second.id)
    assert (undo.kind, undo.undoes, undo.reviewer, undo.verdict) == ("undo", second.id, "李四", None)
    assert undo.key == key
    assert store.standing([key]) == {key: first}  # the earlier decision stands again
    assert store.entries() == [undo, second, first]  # and the history keeps all three
    for entry_id in (second.id, undo.id, undo.id + 100, 2**70):  # already undone, an undo itself, missing
        with pytest.raises(ReviewNotFoundError):
            store.undo("李四", entry_id)
    store.undo("张三", first.id)
    assert store.standing([key]) == {} and store.decisions() == []


def test_standing_for_a_bulk_batch_takes_few_queries(store):
    store.add_reviewer("张三")
    lines = [{"text": f"服务{i}", "normalized": f"服务{i}", "department": "民政"} for i in (5, 1400, 2345)]
    decided = {(line["normalized"], "民政"): decide(store, "张三", line=line) for line in lines}
    keys = [(f"服务{i}", "民政") for i in range(2500)]
    statements = []
    event.listen(store._engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert store.standing(keys) == decided
    assert 1 <= len([s for s in statements if "review_entries" in s]) <= 6, len(statements)


def test_decisions_lists_every_standing_decision(store):
    store.add_reviewer("张三")
    kept = decide(store, "张三", line={"text": "养老服务", "normalized": "养老服务", "department": "民政"})
    decide(store, "张三", "ineligible")
    latest = decide(store, "张三", "eligible", code="A180701")
    undone = decide(store, "张三", line={"text": "保洁", "normalized": "保洁", "department": None})
    store.undo("张三", undone.id)
    assert store.decisions() == [kept, latest]


# --- the queue of open lines --------------------------------------------------------------------------------


def test_note_open_and_queue(store):
    store.note_open(
        [
            ("物业管理", "物业管理 ", "机关事务", "县机关事务服务中心"),
            ("物业管理", "物业管理", "机关事务", "县机关事务服务中心"),
            ("物业管理", "物业管理", "机关事务", "县人民医院"),
            ("物业管理", "物业管理", None, None),  # another key: no department
            ("", "空行", None, "单位"),  # not a key: skipped
        ],
        source="tag",
    )
    store.note_open([("养老服务", "养老服务", "民政", f"单位{i}") for i in range(15)], source="check")
    store.note_open([("物业管理", "物业管理", "机关事务", "县人民医院")], source="audit")
    queue = store.queue()
    assert all(isinstance(item, QueueItem) for item in queue)
    assert [(i.normalized, i.department, i.count) for i in queue] == [
        ("养老服务", "民政", 15),
        ("物业管理", "机关事务", 4),
        ("物业管理", None, 1),
    ]
    assert queue[0].units == [f"单位{i}" for i in range(10)]  # at most ten distinct units
    assert queue[1].units == ["县机关事务服务中心", "县人民医院"] and queue[1].text.startswith("物业管理")
    assert queue[2].units == [] and queue[0].last_seen.tzinfo == UTC
    assert queue[0].to_dict()["last_seen"] == queue[0].last_seen.isoformat()
    assert store.queue(limit=1) == queue[:1]
    with pytest.raises(ReviewInputError):
        store.note_open([], source="upload")

    store.add_reviewer("张三")
    decision = decide(store, "张三", line={"text": "养老服务", "normalized": "养老服务", "department": "民政"})
    assert [i.normalized for i in store.queue()] == ["物业管理", "物业管理"]  # decided: out of the queue
    store.undo("张三", decision.id)
    assert store.queue()[0].normalized == "养老服务"  # undone: back, with its count


# --- opening: addresses, errors, files, restarts --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["not a url", "postgresql://gpsc@localhost:notaport/gpsc", "mysql://gpsc@localhost/gpsc", "", "sqlite://host/x.db"],
)
def test_malformed_or_unsupported_url(url):
    with pytest.raises(ReviewError) as refused:
        open_store(url)
    assert "数据库" in chinese(refused.value)


def test_unreachable_postgresql():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ReviewError) as refused:
        open_store(f"postgresql://gpsc:secret@127.0.0.1:{port}/gpsc")
    message = chinese(refused.value)
    assert "连接被拒绝" in message and str(port) in message and "secret" not in message


def test_missing_postgresql_database_or_user(_postgres_cluster):
    with pytest.raises(ReviewError) as refused:
        open_store(_postgres_cluster.url("no_such_database"))
    assert "没有这个数据库" in chinese(refused.value)
    with pytest.raises(ReviewError) as refused:
        open_store(_postgres_cluster.url("postgres").replace("postgres@", "nobody@"))
    assert "没有这个用户" in chinese(refused.value)


def test_a_folder_that_cannot_be_made(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(ReviewError) as refused:
        open_store(f"sqlite:///{tmp_path / 'file' / 'sub' / 'reviews.db'}")
    assert "路径中有一项不是目录" in chinese(refused.value)


def test_password_is_masked_for_display(review_db):
    with open_store(review_db) as store:
        assert store.url_for_display == review_db.replace("postgresql://", "postgresql+psycopg://")
    if review_db.startswith("postgresql"):
        with_password = review_db.replace("postgres@", "postgres:s3cret@")  # trust auth ignores it
        with open_store(with_password) as store:
            assert "s3cret" not in store.url_for_display and "***" in store.url_for_display


def test_default_url_and_create_false(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    expected = tmp_path / "data" / "gpsc" / "reviews.db"
    assert default_db_url() == f"sqlite:///{expected}"
    assert open_store(create=False) is None
    assert not (tmp_path / "data").exists()  # a read creates nothing
    with open_store() as store:
        store.add_reviewer("张三")
    assert (expected.parent.stat().st_mode & 0o777) == 0o700  # decisions and token hashes: the owner's only
    assert (expected.stat().st_mode & 0o777) == 0o600
    with open_store(create=False) as store:
        assert [r.name for r in store.reviewers()] == ["张三"]
    monkeypatch.setenv("GPSC_DB", f"sqlite:///{tmp_path / 'other.db'}")
    assert default_db_url() == f"sqlite:///{tmp_path / 'other.db'}"
    assert open_store(create=False) is None


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "reviews.db"
    path.write_text("这不是数据库" * 200)
    with pytest.raises(ReviewError) as refused:
        open_store(f"sqlite:///{path}")
    assert "不是 SQLite 数据库" in chinese(refused.value)


def test_data_survives_a_restart(review_db):
    store = open_store(review_db)
    token = store.add_reviewer("张三")
    entry = decide(store, "张三")
    store.note_open([("养老服务", "养老服务", "民政", "县民政局")], source="check")
    store.close()
    with pytest.raises(ReviewError):
        store.entries()  # a closed store says so
    with open_store(review_db, create=False) as reopened:
        assert reopened.authenticate(token).name == "张三"
        assert reopened.entries() == [entry]
        assert reopened.standing([entry.key]) == {entry.key: entry}
        assert [i.count for i in reopened.queue()] == [1]


def test_schema_matches_the_models(store):
    """The migrations create exactly what ``_schema`` declares: a model change without a migration fails."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from service.reviews._schema import Base

    with store._engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'reviews.db'}") as store, store._engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA busy_timeout").scalar() == 30000
        assert pragma("PRAGMA foreign_keys").scalar() == 1


# --- several processes at once --------------------------------------------------------------------------------

WORKERS = 4
ROUNDS = 50


def _write_concurrently(url: str, worker: int, barrier) -> None:
    """One process: open the (new) database, add a reviewer, then 50 decisions and 50 notes as fast as it can."""
    store = open_store(url)
    name = f"审核员{worker}"
    store.add_reviewer(name)
    barrier.wait(timeout=60)
    for i in range(ROUNDS):
        line = {"text": f"事项{worker}-{i}", "normalized": f"事项{worker}-{i}", "department": "民政"}
        store.record(name, **line, department_written="县民政局", verdict="eligible")
        store.note_open([(f"共同事项{i % 5}", f"共同事项{i % 5}", "民政", f"单位{worker}")], source="tag")
    store.close()


def test_concurrent_writers_lose_nothing(review_db):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    processes = [
        context.Process(target=_write_concurrently, args=(review_db, worker, barrier)) for worker in range(WORKERS)
    ]
    started = time.monotonic()
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * WORKERS, "a writer failed: see its traceback above"
    assert time.monotonic() - started < 60
    with open_store(review_db) as store:
        entries = store.entries(limit=10_000)
        assert len(entries) == WORKERS * ROUNDS == len({e.id for e in entries})
        assert {e.reviewer for e in entries} == {f"审核员{w}" for w in range(WORKERS)}
        assert len(store.decisions()) == WORKERS * ROUNDS
        queue = store.queue()
        assert sorted((item.normalized, item.count) for item in queue) == [
            (f"共同事项{k}", WORKERS * ROUNDS // 5) for k in range(5)
        ]
        assert all(sorted(item.units) == [f"单位{w}" for w in range(WORKERS)] for item in queue)


# --- the command line ---------------------------------------------------------------------------------------


def test_cli_reviewers_add_list_revoke(review_db):
    runner = CliRunner()
    added = runner.invoke(main, ["reviewers", "add", "张三", "--db", review_db], prog_name="gpsc")
    assert added.exit_code == 0, added.output
    token = added.output.strip().splitlines()[-1]
    assert "只显示这一次" in added.output and added.stdout.strip() == token
    with open_store(review_db) as store:
        assert store.authenticate(token).name == "张三"
    listed = runner.invoke(main, ["reviewers", "list"], env={"GPSC_DB": review_db})
    assert listed.exit_code == 0 and "张三" in listed.output and "在用" in listed.output
    assert token not in listed.output
    revoked = runner.invoke(main, ["reviewers", "revoke", "张三", "--db", review_db])
    assert revoked.exit_code == 0, revoked.output
    with open_store(review_db) as store, pytest.raises(ReviewAuthError):
        store.authenticate(token)
    listed = runner.invoke(main, ["reviewers", "list", "--db", review_db])
    assert "已撤销" in listed.output
    again = runner.invoke(main, ["reviewers", "revoke", "张三", "--db", review_db])
    assert again.exit_code == 1 and "没有名为 张三 的在用审定人" in again.output
    assert "Traceback" not in again.output and not english_sentences(again.output)


def test_cli_reviews_list(review_db):
    with open_store(review_db) as store:
        store.add_reviewer("张三")
        first = decide(store, "张三", code="A180701", note="人工确认")
        second = decide(store, "张三", "ineligible")
        store.undo("张三", second.id)
    runner = CliRunner()
    table = runner.invoke(main, ["reviews", "list", "--db", review_db])
    assert table.exit_code == 0, table.output
    for shown in ("12345热线外包", "可以购买", "不得购买", f"撤销 #{second.id}", "A180701", "人工确认", "共 3 条"):
        assert shown in table.output
    as_json = runner.invoke(main, ["reviews", "list", "--json", "--limit", "1"], env={"GPSC_DB": review_db})
    assert [e["kind"] for e in json.loads(as_json.output)] == ["undo"]
    filtered = runner.invoke(main, ["reviews", "list", "--db", review_db, "--reviewer", "李四", "--json"])
    assert json.loads(filtered.output) == []
    since = runner.invoke(main, ["reviews", "list", "--db", review_db, "--since", "2000-01-01", "--json"])
    assert [e["id"] for e in json.loads(since.output)][-1] == first.id
    bad = runner.invoke(main, ["reviews", "list", "--db", review_db, "--since", "昨天"])
    assert bad.exit_code == 1 and "无法识别的时间" in bad.output


def test_cli_reads_create_no_database(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    runner = CliRunner()
    for args in (["reviewers", "list"], ["reviews", "list"], ["reviews", "list", "--json"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert not (tmp_path / "data").exists()
    bad = runner.invoke(main, ["reviews", "list", "--db", "mysql://x@y/z"])
    assert bad.exit_code == 1 and "不支持的数据库类型" in bad.output and not english_sentences(bad.output)
