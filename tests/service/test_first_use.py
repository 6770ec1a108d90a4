"""A first use trains the model for half a minute: the terminal and the page say 正在准备模型 with the step, and
the service answers while it trains (503 ``model_preparing`` on the judging routes, never a refused connection)."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

import service.loading as loading
from classifier.eligibility import TRAINING_STEPS
from service.api import Settings, create_app


@pytest.fixture
def slow_training(monkeypatch, checker):
    """Training stands still at step 2 until the test releases it (the real one takes half a minute)."""
    release = threading.Event()

    def train(path, progress=None, catalog=None):
        progress(1, len(TRAINING_STEPS), TRAINING_STEPS[0])
        progress(2, len(TRAINING_STEPS), TRAINING_STEPS[1])
        assert release.wait(30)
        return checker

    monkeypatch.setattr(loading, "open_checker", train)
    monkeypatch.setattr("service.api._app.needs_training", lambda path, catalog=None: True)
    return release


def test_the_service_answers_while_the_model_is_prepared(slow_training):
    with TestClient(create_app(Settings())) as client:
        health = client.get("/health").json()
        assert health["ready"] is False and health["status"] == "preparing"
        assert "正在准备模型（第 2/5 步：品目排序模型）" in health["preparing"]["message"]
        busy = client.post("/v1/check", json={"text": "社区养老服务", "department": "民政"})
        assert busy.status_code == 503 and busy.json()["error"]["code"] == "model_preparing"
        assert "请稍候再试" in busy.json()["error"]["message"]
        assert client.get("/").status_code == 200  # the page is served at once, and polls /health
        slow_training.set()
        for _ in range(100):
            if client.get("/health").json()["ready"]:
                break
            threading.Event().wait(0.1)
        assert client.get("/health").json()["status"] == "ok"
        done = client.post("/v1/check", json={"text": "社区养老服务", "department": "民政"})
        assert done.status_code == 200 and done.json()["verdict"] in ("eligible", "review", "ineligible")


def test_a_failed_preparation_is_said(monkeypatch):
    def broken(path, progress=None, catalog=None):
        raise OSError("磁盘已满")

    monkeypatch.setattr(loading, "open_checker", broken)
    monkeypatch.setattr("service.api._app.needs_training", lambda path, catalog=None: True)
    with TestClient(create_app(Settings())) as client:
        for _ in range(100):
            if client.get("/health").json()["status"] == "failed":
                break
            threading.Event().wait(0.05)
        health = client.get("/health").json()
        assert health["status"] == "failed" and "磁盘已满" in health["preparing"]["message"]
        failed = client.post("/v1/check", json={"text": "社区养老服务"})
        assert failed.status_code == 503 and failed.json()["error"]["code"] == "model_failed"


def test_the_terminal_is_told_each_step(capsys):
    from service.cli._common import preparing_words

    told = preparing_words()
    for step, words in enumerate(TRAINING_STEPS, start=1):
        told(step, len(TRAINING_STEPS), words)
    err = capsys.readouterr().err
    assert "正在准备模型" in err and "[1/5] 目录匹配模型" in err and "[5/5] 判定阈值" in err


def test_a_terminal_that_cannot_be_written_never_stops_the_model(monkeypatch):
    import sys

    from service.cli._common import preparing_words

    class Full:
        def write(self, text):
            raise OSError(28, "No space left on device")

        def flush(self):
            raise OSError(28, "No space left on device")

        def isatty(self):
            return False

    told = preparing_words()
    monkeypatch.setattr(sys, "stderr", Full())
    told(1, len(TRAINING_STEPS), TRAINING_STEPS[0])  # the words are lost; no error reaches the training
