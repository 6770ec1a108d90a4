"""The review record is optional to judging: when it is unreachable, slow, locked, corrupt or of another schema,
``check``, ``tag``, ``audit`` and the API still answer with the model's verdict, and say that decisions could not be
read; ``/health`` reports the database; the review routes answer 503 ``database_unavailable``."""

from __future__ import annotations

import json
import socket
import sqlite3
import time

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from classifier import key_text
from service.api import Settings, create_app
from service.cli import main
from service.reviews import RecordGuard, apply_reviews, open_record, open_store
from service.sheets import RowCollector, Table, choose_columns, tag_table

GOODS = "购置办公设备"  # ineligible whatever the record says
OPEN_LINE, BUYER = "12345热线外包", "县民政局"  # review: a line the queue would note


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _corrupt(tmp_path) -> str:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not a database" * 500)
    return f"sqlite:///{path}"


def _future_schema(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'future.db'}"
    open_store(url).close()
    with sqlite3.connect(tmp_path / "future.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00000000000'")
    return url


def _unreachable(tmp_path) -> str:
    return f"postgresql://postgres@127.0.0.1:{_free_port()}/gpsc"


BROKEN = {"corrupt": _corrupt, "future_schema": _future_schema, "unreachable": _unreachable}


@pytest.fixture(params=sorted(BROKEN))
def broken_db(request, tmp_path) -> str:
    return BROKEN[request.param](tmp_path)


def test_check_answers_with_a_warning_when_the_record_is_broken(broken_db):
    result = CliRunner().invoke(main, ["check", GOODS, "-d", "人社局", "--db", broken_db, "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["verdict"] == "ineligible" and "审定记录无法读取" in shown["review_warning"]
    card = CliRunner().invoke(main, ["check", OPEN_LINE, "-d", BUYER, "--db", broken_db])
    assert card.exit_code == 0 and "注意：审定记录无法读取" in card.output and "Traceback" not in card.output


def test_the_api_answers_reports_and_refuses_plainly(broken_db, checker):
    with TestClient(create_app(Settings(db_url=broken_db), checker=checker)) as client:
        answer = client.post("/v1/check", json={"text": GOODS, "department": "人社局"})
        assert answer.status_code == 200 and answer.json()["verdict"] == "ineligible"
        assert answer.json()["review_warning"]
        health = client.get("/health").json()
        assert health["status"] == "ok" and health["database"] == "unavailable" and health["database_message"]
        listed = client.get("/v1/reviews")
        assert listed.status_code == 503 and listed.json()["error"]["code"] == "database_unavailable"
        assert listed.headers["x-content-type-options"] == "nosniff"


def test_health_says_there_is_no_record_yet(tmp_path, checker):
    url = f"sqlite:///{tmp_path / 'none.db'}"
    with TestClient(create_app(Settings(db_url=url), checker=checker)) as client:
        assert client.get("/health").json()["database"] == "none"
    open_store(url).close()
    with TestClient(create_app(Settings(db_url=url), checker=checker)) as client:
        assert client.get("/health").json()["database"] == "ok"


def test_a_locked_record_costs_the_timeout_once(tmp_path, checker):
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    open_store(url).close()
    holder = sqlite3.connect(tmp_path / "locked.db", timeout=0.1, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing: the queue's write must wait
    try:
        record = RecordGuard(open_record(url)._opener, timeout=1.0)
        verdicts = checker.check_many([OPEN_LINE] * 3, [BUYER] * 3)
        started = time.monotonic()
        for _ in range(5):  # five chunks of a sheet: the first pays the timeout, the rest skip the record
            reviewed = apply_reviews(record, verdicts, checker)
            record.note_open([(OPEN_LINE, OPEN_LINE, "民政", BUYER)], source="tag")
        assert time.monotonic() - started < 4.0
        assert record.failed and "审定记录无法读取" in record.failed
        assert [r.verdict.verdict for r in reviewed] == ["review"] * 3
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.fixture
def own_cluster():
    """A PostgreSQL cluster of this test's own, to stop or freeze (the session's one stays up for the others)."""
    from conftest import _Cluster, _postgres_bin

    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed")
    cluster = _Cluster(bindir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        _collect_abandoned_connections()


def _collect_abandoned_connections() -> None:
    """The guard leaves a call stuck on a dead or frozen server to its daemon thread; once the server is gone the
    thread ends, and its connection is garbage. Collect it here, so that its ResourceWarning is not raised later
    inside another test."""
    import gc
    import threading
    import warnings

    for thread in threading.enumerate():
        if thread.name == "gpsc-review-record":
            thread.join(timeout=10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def test_a_sheet_is_written_when_postgresql_stops_midway(tmp_path, checker, own_cluster):
    cluster = own_cluster
    url = cluster.url("postgres")
    store = open_store(url)
    store.add_reviewer("张三")
    store.record(
        "张三",
        text=OPEN_LINE,
        normalized=key_text(OPEN_LINE),
        department="民政",
        department_written=BUYER,
        verdict="ineligible",
        note="测试",
    )
    store.close()

    def chunks():
        yield [[OPEN_LINE, BUYER]] * 50
        cluster.run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(cluster.data))  # gone mid-sheet
        for n in range(3):  # other years of the same line: not copied from the sheet's memo, the same decision key
            yield [[f"{1990 + 25 * n + k}年{OPEN_LINE}", BUYER] for k in range(25)] + [[GOODS, "人社局"]] * 25

    rows: list[list[str]] = []

    class Sink(RowCollector):
        def write(self, written):
            rows.extend(written)

    table = Table(["项目名称", "单位"], chunks(), "utf-8", "csv")
    record = RecordGuard(open_record(url)._opener, timeout=2.0)
    try:
        summary = tag_table(table, choose_columns(table.header), checker, Sink(), reviews=record, db_url=url)
    finally:
        record.close()
    assert summary.rows == 200 and len(rows) == 200
    first, later = rows[0], rows[50]
    assert first[-1].startswith("张三")  # the decision, read while the server was up
    assert "审定记录无法读取" in later[-1] and later[2 + 6] == "review"  # gpsc_verdict: the model's own


def test_an_unexpected_error_is_chinese_and_carries_the_security_headers(checker, monkeypatch):
    from service.api import _routes_check

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(_routes_check, "verdict_dict", broken)
    app = create_app(Settings(), checker=checker)
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.post("/v1/check", json={"text": GOODS})
    assert answer.status_code == 500 and answer.json()["error"]["code"] == "internal_error"
    assert "服务器内部错误" in answer.json()["error"]["message"]
    assert answer.headers["x-content-type-options"] == "nosniff" and "content-security-policy" in answer.headers


def test_a_full_record_never_stops_a_sheet(tmp_path, monkeypatch):
    """A record that cannot grow (a full disk, a file-size limit): the sheet is still written whole, and said."""
    import errno

    from service.reviews import ReviewStore
    from service.reviews._database import database_error

    url = f"sqlite:///{tmp_path / 'full.db'}"
    open_store(url).close()

    def full(self, *_args, **_kwargs):
        raise database_error(OSError(errno.ENOSPC, "No space left on device"), self.url_for_display)

    monkeypatch.setattr(ReviewStore, "note_open", full)
    sheet = tmp_path / "s.csv"
    sheet.write_text("项目名称,单位\n" + "".join(f"{1990 + n}年{OPEN_LINE},{BUYER}\n" for n in range(30)), "utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["tag", str(sheet), "-o", str(out), "--db", url])
    assert result.exit_code == 0, result.output
    assert len(out.read_text("utf-8-sig").splitlines()) == 31  # every row
    assert "注意：审定记录无法读取" in result.output and "磁盘空间不足" in result.output


def test_a_frozen_postgresql_costs_a_check_the_timeout_not_a_hang(checker, own_cluster):
    import contextlib
    import os
    import signal

    cluster = own_cluster
    url = cluster.url("postgres")
    open_store(url).close()
    record = RecordGuard(open_record(url)._opener, timeout=1.5)
    frozen: list[int] = []
    try:
        _freeze_and_check(cluster, record, checker, frozen)
    finally:
        for pid in frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        record.close()


def _freeze_and_check(cluster, record, checker, frozen: list[int]) -> None:
    import os
    import signal
    from pathlib import Path

    verdicts = checker.check_many([OPEN_LINE], [BUYER])
    apply_reviews(record, verdicts, checker)  # connected and answering
    assert record.warning is None
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])

    def child_of_postmaster(process: Path) -> bool:
        try:
            return f"PPid:\t{postmaster}\n" in (process / "status").read_text(errors="replace")
        except OSError:  # a process that ended while we looked
            return False

    frozen += [postmaster] + [
        int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and child_of_postmaster(p)
    ]
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    started = time.monotonic()
    (reviewed,) = apply_reviews(record, verdicts, checker)
    record.note_open([(OPEN_LINE, OPEN_LINE, "民政", BUYER)], source="check")
    assert time.monotonic() - started < 5.0
    assert reviewed.warning and "没有应答" in reviewed.warning and reviewed.verdict.verdict == "review"
