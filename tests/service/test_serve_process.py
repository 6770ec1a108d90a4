"""``gpsc serve`` as a real process on a loopback port, and the CLI's start-up staying FastAPI-free."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gpsc_serve_answers_on_loopback(model_file):
    port = _free_port()
    env = {**os.environ, "GPSC_MODEL": str(model_file)}
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "gpsc serve did not become ready in 60 s"
            time.sleep(0.3)
        response = httpx.post(f"{base}/v1/check", json={"text": "12345热线外包", "department": "审批局"}, timeout=10)
        assert response.status_code == 200
        assert response.json()["match"]["code"] == "A180701"
        bad = httpx.post(f"{base}/v1/check", content=b"{", headers={"content-type": "application/json"}, timeout=10)
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "malformed_json"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


def test_the_cli_does_not_import_fastapi():
    code = "import sys, service.cli; assert 'fastapi' not in sys.modules and 'uvicorn' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
