"""Where the review record lives and how to reach it: database addresses, engines, errors, migrations.

SQLite (one file per user, the default) and PostgreSQL (one server for an office) behave the same: every
write runs in a transaction that holds the write lock from its first statement (SQLite: ``BEGIN IMMEDIATE``
with a 30 s busy timeout and WAL, so several ``gpsc serve --workers`` processes queue instead of failing), and
the schema is brought to the newest migration on open, under a lock, so that two processes opening a new
database at once do not both create it.
"""

from __future__ import annotations

import errno
import re
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ._errors import ReviewError

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_SECONDS = 30
CONNECT_TIMEOUT_SECONDS = 10
WRITE = "gpsc_write"  # execution option: this transaction writes (SQLite takes the write lock at BEGIN)
_MIGRATION_LOCK = 0x67707363_72657669  # PostgreSQL advisory lock id while migrating ("gpscrevi")
_SCHEMES = "sqlite:///文件路径 或 postgresql://用户@主机:端口/数据库名"


def mask_password(raw: str) -> str:
    """A database address fit to print: the password, if any, replaced by ``***``.

    >>> mask_password("postgresql://gpsc:s3cret@db.example:5432/reviews")
    'postgresql://gpsc:***@db.example:5432/reviews'
    >>> mask_password("sqlite:////var/lib/gpsc/reviews.db")
    'sqlite:////var/lib/gpsc/reviews.db'
    """
    return re.sub(r"^([^:/]+://[^:/@]*):[^@]*@", r"\1:***@", raw)


def parse_url(raw: str) -> URL:
    """The SQLAlchemy URL of a database address, PostgreSQL going through psycopg 3; a ReviewError otherwise.

    >>> parse_url("postgresql://gpsc@localhost:5432/reviews").drivername
    'postgresql+psycopg'
    >>> parse_url("mysql://gpsc@localhost/reviews")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    service.reviews._errors.ReviewError: 不支持的数据库类型 mysql（地址 mysql://gpsc@localhost/reviews）：只支持...
    """
    text = (raw or "").strip()
    shown = mask_password(text)
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as error:
        raise ReviewError(f"数据库地址格式不对：{shown or '（空）'}。地址应写成 {_SCHEMES}。") from error
    backend, _, driver = url.drivername.partition("+")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if url.host or url.port:
            raise ReviewError(
                f"SQLite 数据库地址不能带主机名：{shown}。本机文件请写成 sqlite:////绝对路径/reviews.db。"
            )
        return url.set(drivername="sqlite")
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        return url.set(drivername="postgresql+psycopg")
    raise ReviewError(f"不支持的数据库类型 {url.drivername}（地址 {shown}）：只支持 {_SCHEMES}。")


def display_url(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite address; None for PostgreSQL and for an in-memory SQLite database."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


def make_engine(url: URL) -> Engine:
    """An engine with the per-database settings the record relies on (see the module docstring)."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": "gpsc"}
    connect_args = {k: v for k, v in connect_args.items() if k not in url.query}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (_sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_SECONDS * 1000}")  # first: switching to WAL may wait
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # a writer takes the lock at BEGIN, so a read-then-write transaction never fails half-way on a busy file
    connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITE) else "BEGIN")


def _config() -> Config:
    """Alembic's configuration, made per migration: it carries the connection, so threads must not share one."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@lru_cache(maxsize=1)
def _revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(the newest revisions, every revision) of the migrations shipped with this gpsc."""
    scripts = ScriptDirectory.from_config(_config())
    return frozenset(scripts.get_heads()), frozenset(script.revision for script in scripts.walk_revisions())


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision, unless it is there already (the usual case: one quick read)."""
    heads, known = _revisions()
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current == heads:
        return
    if current - known:
        raise ReviewError(
            f"审定记录数据库的结构版本（{'、'.join(sorted(current - known))}）比这个 gpsc 新：请升级 gpsc 后再用。"
        )
    with engine.connect() as connection:
        connection.execution_options(**{WRITE: True})
        with connection.begin():
            if engine.dialect.name == "postgresql":  # SQLite: BEGIN IMMEDIATE already excludes other writers
                connection.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
            config = _config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")


_REASONS = (  # (what the driver says, as a pattern on its lowercased message; what the officer reads)
    ("connection refused", "连接被拒绝：这个主机和端口上没有运行 PostgreSQL 服务器"),
    ("timeout expired", f"连接超时：服务器 {CONNECT_TIMEOUT_SECONDS} 秒内没有应答"),
    ("could not translate host name|name or service not known", "找不到这个主机名"),
    ("password authentication failed", "用户名或密码不对"),
    ("no password supplied", "服务器要求密码，但地址里没有密码"),
    ('role ".*" does not exist', "服务器上没有这个用户"),
    ('database ".*" does not exist', "服务器上没有这个数据库（请先用 createdb 建立）"),
    ("no such file or directory", "找不到本机的 PostgreSQL 服务器（套接字不存在）"),
    ("unable to open database file", "无法打开数据库文件（文件夹不存在或没有权限）"),
    ("file is not a database", "这个文件不是 SQLite 数据库"),
    ("database is locked", f"数据库被其他进程占用超过 {SQLITE_BUSY_SECONDS} 秒"),
    ("readonly database", "数据库文件是只读的"),
    ("database or disk is full|no space left", "磁盘空间不足"),
    ("disk i/o error", "磁盘读写出错"),
    ("terminating connection|server closed the connection|connection is closed", "数据库服务器中断了连接"),
)
_ERRNO_WORDS = {
    errno.ENOENT: "没有这个文件或目录",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统是只读的",
    errno.ENOTDIR: "路径中有一项不是目录",
}


def driver_reason(error: BaseException) -> str:
    """The Chinese reason for a driver's error, or the driver's own first line when it is not one we know.

    >>> driver_reason(Exception('connection failed: FATAL:  database "gpsc" does not exist'))
    '服务器上没有这个数据库（请先用 createdb 建立）'
    """
    original = getattr(error, "orig", None) or error
    said = str(original).strip()
    for pattern, reason in _REASONS:
        if re.search(pattern, said.lower()):
            return reason
    first = said.splitlines()[0] if said else original.__class__.__name__
    return f"数据库报告的错误：{first}"


def database_error(error: SQLAlchemyError | OSError, shown: str, *, opening: bool = False) -> ReviewError:
    """A ReviewError for a failed connection or statement, naming the database and the reason."""
    if isinstance(error, OSError):
        words = _ERRNO_WORDS.get(error.errno or -1, error.strerror or error.__class__.__name__)
        reason = f"{words}（{error.filename}）" if error.filename else words
    else:
        reason = driver_reason(error)
    if opening:
        return ReviewError(f"无法打开审定记录数据库 {shown}：{reason}。可用 --db 或环境变量 GPSC_DB 指定其他数据库。")
    return ReviewError(f"审定记录数据库 {shown} 操作失败：{reason}。")
