"""Shared fixtures for tests and doctests: the real bundled catalog, and one trained checker per session.

At the repository root so that the doctests inside the packages use the session's checker too, instead of
training their own into the user's cache. Also here: ``review_db``, a fresh review database per test on SQLite
and on a throwaway PostgreSQL cluster."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from catalog import Catalog, bundled_document, load_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def model(catalog):
    """The production model, trained once per test session on the bundled training data."""
    from classifier import train_default_model

    return train_default_model(catalog)


@pytest.fixture(scope="session")
def checker(model, catalog):
    """The production checker: the session model with thresholds fitted on the bundled data."""
    from classifier.eligibility import train_checker

    return train_checker(model, catalog)


@pytest.fixture(scope="session")
def model_file(checker, tmp_path_factory):
    """The session checker saved to a file, for tests of the command line and service."""
    from classifier.eligibility import save_checker

    return save_checker(checker, tmp_path_factory.mktemp("model") / "gpsc-model.joblib")


@pytest.fixture(scope="session")
def _cache_home(model, tmp_path_factory):
    """A cache folder for the session holding the session's ranking model where ``get_model()`` looks."""
    from classifier import default_model_path, save_model

    home = tmp_path_factory.getbasetemp() / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(home))
        save_model(model, default_model_path())
    return home


@pytest.fixture(scope="session", autouse=True)
def _isolated_review_record(tmp_path_factory):
    """Servers started by tests (a session's subprocesses) never see the user's review record either."""
    folder = tmp_path_factory.mktemp("reviews")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GPSC_DB", f"sqlite:///{folder / 'reviews.db'}")
        patch.setenv("XDG_DATA_HOME", str(folder / "data"))
        yield


@pytest.fixture(autouse=True)
def _isolated_model_cache(monkeypatch, model_file, _cache_home, tmp_path):
    """Tests never read or write the user's model cache or review record; commands use the session model and a
    review record of their own (none until a test records a decision)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))
    monkeypatch.setenv("GPSC_MODEL", str(model_file))
    monkeypatch.setenv("GPSC_DB", f"sqlite:///{tmp_path / 'gpsc-reviews.db'}")


@pytest.fixture(scope="session")
def document() -> str:
    return bundled_document()


@pytest.fixture(scope="session")
def document_lines(document: str) -> list[str]:
    return document.split("\n")


# --- databases for the review record ----------------------------------------------------------------------
# Tests of ``service.reviews`` run against SQLite and PostgreSQL. PostgreSQL is a throwaway cluster per test
# session (per xdist worker), started from the installed binaries on a free loopback port, one fresh database per
# test; it is never the machine's own PostgreSQL service.

collect_ignore_glob = ["service/reviews/migrations/*"]  # Alembic scripts: run by Alembic, not importable modules


def _postgres_bin() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    folders = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    return folders[-1].parent if folders else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Cluster:
    """A PostgreSQL cluster in a temporary folder with trust authentication, for one test session."""

    def __init__(self, bindir: Path) -> None:
        owner = None
        if os.geteuid() == 0:  # initdb refuses to run as root: run the cluster as the user Debian's package makes
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail("running as root, and there is no 'postgres' user to run initdb as")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="gpsc-pg-"))  # short: the socket path must stay < 108 bytes
        self.data = self.root / "data"
        self.port = 0
        self.as_postgres: list[str] = []
        if owner is not None:
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def run(self, *args: str) -> None:
        command = [*self.as_postgres, str(self.bindir / args[0]), *args[1:]]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = (self.root / "log").read_text(errors="replace")[-2000:] if (self.root / "log").exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}\n{log}")

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        for attempt in range(5):  # another worker may take the free port between probing and starting
            self.port = _free_port()
            options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -F"  # -F: no fsync, a throwaway
            try:
                self.run(
                    "pg_ctl",
                    "start",
                    "-w",
                    "-t",
                    "60",
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.root / "log"),
                    "-o",
                    options,
                )
                return
            except RuntimeError:
                if attempt == 4:
                    raise

    def stop(self) -> None:
        if self.port:
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="session")
def _postgres_cluster():
    bindir = _postgres_bin()
    if bindir is None:
        reason = "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin)"
        if os.environ.get("GPSC_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason}, and GPSC_REQUIRE_POSTGRES=1 requires it")
        pytest.skip(f"{reason}; apt-get install postgresql to run these tests")
    cluster = _Cluster(bindir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def review_db(request, tmp_path) -> str:
    """A fresh, empty review database's URL: a SQLite file, or a new database in the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reviews.db'}"
    import psycopg
    from psycopg import sql

    cluster = request.getfixturevalue("_postgres_cluster")
    name = f"gpsc_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return cluster.url(name)
