"""Start ``gpsc serve`` as a separate process on a free loopback port and wait until it answers.

Used by the end-to-end tests and the benchmarks, which both need the real server, not an in-process app.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ServerAddress(str):
    """``http://127.0.0.1:PORT``, and the server's process id (tests read its memory from ``/proc``)."""

    pid: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(model_path: Path | str, timeout: float = 60.0, args: tuple[str, ...] = ()) -> Iterator[str]:
    """``with running_server(model) as base:`` -> ``http://127.0.0.1:PORT``, stopped on exit; ``args`` are more
    ``gpsc serve`` options (``("--header-timeout", "1")``)."""
    import httpx

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        env={**os.environ, "GPSC_MODEL": str(model_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = ServerAddress(f"http://127.0.0.1:{port}")
    base.pid = process.pid
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                raise RuntimeError(f"gpsc serve exited: {process.stderr.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"gpsc serve did not answer within {timeout:.0f} s")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()
