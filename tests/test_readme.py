"""Every command in the README's ```bash blocks works as pasted.

The ``gpsc …`` examples run in a temporary folder holding copies of the repository's ``examples/`` and
``training_data/`` (two at a time: each loads the model); the ``curl`` examples run against one real
``gpsc serve`` with ``localhost:8000`` replaced by its address. A command passes when it exits 0 and prints no
traceback; a curl command also needs a 2xx answer (``--fail-with-body`` is added for that). Commands that set
up a machine, start a server or train a model are not run: ``NOT_RUN`` lists them, and a README command that is
neither run nor listed fails the first test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from service import running_server

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
NOT_RUN = {
    "bash .ci/setup": "the set-up itself: creates .venv and installs gpsc (.ci/run runs it on CI)",
    "bash .ci/run": "CI: installs Chromium and runs the whole test suite",
    "gpsc serve": "a long-running server: the curl examples run against one started by this test",
    "gpsc train": "trains a model (about 30 s); the other examples use the test session's model",
}
COPIED = ("examples", "training_data")  # what the examples read, by relative path
README_ADDRESS = "localhost:8000"


def bash_commands(text: str) -> list[str]:
    """The commands of the ```bash blocks, one per logical line (``\\`` continuations joined)."""
    commands = []
    for block in re.findall(r"^```bash\n(.*?)^```", text, flags=re.S | re.M):
        logical = ""
        for line in block.splitlines():
            if line.rstrip().endswith("\\"):
                logical += line.rstrip()[:-1] + " "
                continue
            logical += line
            if logical.strip() and not logical.lstrip().startswith("#"):
                commands.append(logical.strip())
            logical = ""
    return commands


COMMANDS = bash_commands(README.read_text(encoding="utf-8"))


def not_run(command: str) -> str | None:
    return next((why for start, why in NOT_RUN.items() if command.startswith(start)), None)


def run(command: str, cwd: Path) -> tuple[str, int, str]:
    bin_dir = str(Path(sys.executable).parent)  # the venv's gpsc, as after `source .venv/bin/activate`
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "COLUMNS": "120"}
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=180)
    return command, done.returncode, done.stdout + done.stderr


def failures(results: list[tuple[str, int, str]]) -> list[str]:
    return [
        f"$ {command}\nexit {code}\n{output[-1500:]}"
        for command, code, output in results
        if code != 0 or "Traceback" in output
    ]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    for name in COPIED:
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def test_every_example_is_run_or_listed_as_not_run():
    assert len(COMMANDS) > 20, "the README's ```bash blocks were not found"
    unknown = [c for c in COMMANDS if not not_run(c) and not c.startswith(("gpsc ", "curl "))]
    assert not unknown, f"README commands this test neither runs nor lists in NOT_RUN: {unknown}"
    assert not [c for c in COMMANDS if "localhost" in c and not c.startswith("curl ")]


def test_the_gpsc_examples(workdir):
    commands = [c for c in COMMANDS if c.startswith("gpsc ") and not not_run(c)]
    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        results = list(pool.map(lambda c: run(c, workdir), commands))
    bad = failures(results)
    assert not bad, "\n\n".join(bad)
    assert (workdir / "tagged.xlsx").is_file() and (workdir / "audit.csv").is_file()


def test_the_curl_examples(workdir, model_file):
    commands = [c for c in COMMANDS if c.startswith("curl ")]
    assert any("/v1/catalog/search" in c for c in commands)
    (workdir / "tagged.csv").unlink(missing_ok=True)  # also written by a gpsc example
    with running_server(model_file) as base:
        results = []
        for command in commands:
            command = command.replace(README_ADDRESS, base.removeprefix("http://")).replace(
                "curl ", "curl --fail-with-body ", 1
            )
            results.append(run(command, workdir))
    bad = failures(results)
    assert not bad, "\n\n".join(bad)
    assert (workdir / "tagged.csv").is_file()
