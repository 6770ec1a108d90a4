"""``gpsc serve`` as a real process on a loopback port, and the CLI's start-up staying FastAPI-free."""

from __future__ import annotations

import subprocess
import sys

import httpx

from service import running_server


def test_gpsc_serve_answers_on_loopback(model_file):
    with running_server(model_file) as base:
        response = httpx.post(f"{base}/v1/check", json={"text": "12345热线外包", "department": "审批局"}, timeout=10)
        assert response.status_code == 200
        assert response.json()["match"]["code"] == "A180701"
        bad = httpx.post(f"{base}/v1/check", content=b"{", headers={"content-type": "application/json"}, timeout=10)
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "malformed_json"


def test_the_cli_does_not_import_fastapi():
    code = "import sys, service.cli; assert 'fastapi' not in sys.modules and 'uvicorn' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
