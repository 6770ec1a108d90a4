"""The review record: who may decide, what they decided, and which lines still wait for a decision.

Nothing is overwritten. A decision is a new row; the one that stands for a (normalized text, department) key is
the newest decision for it that has not been undone; an undo is a row too. Every method is one short
transaction on a connection of its own, so a store can be shared by threads (one store per process: open it
after forking).
"""

from __future__ import annotations

import functools
import hashlib
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, Select, bindparam, exists, func, insert, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import aliased

from ._address import default_db_url
from ._database import WRITE, database_error, display_url, make_engine, migrate, parse_url, sqlite_file
from ._errors import (
    ReviewAuthError,
    ReviewError,
    ReviewForbiddenError,
    ReviewInputError,
    ReviewNotFoundError,
)
from ._records import VERDICTS, Entry, QueueItem, ReviewerInfo
from ._schema import NAME_CHARS, SHORT, VERSION_CHARS, EntryRow, QueueRow, ReviewerRow, key_hash, utc_now

MAX_TEXT_CHARS = 2000
MAX_NOTE_CHARS = 2000
MAX_DEPARTMENT_CHARS = 500
MAX_UNIT_CHARS = 200
MAX_UNITS = 10
MAX_QUEUE_ROWS = 20_000  # open lines kept; past it the longest unseen go (the queue is a count, not a record)
MAX_QUEUE_TEXT_CHARS = 300  # the example line kept for each open line
SOURCES = ("check", "tag", "audit")
CHUNK = 500  # keys per IN list: well under SQLite's and PostgreSQL's parameter limits

P = ParamSpec("P")
R = TypeVar("R")

_Undo = aliased(EntryRow, name="undo")


def _undone(entry_id: Any) -> Any:
    """SQL: an undo row points at this decision."""
    return exists(select(_Undo.id).where(_Undo.undoes == entry_id))


def _standing_ids(*conditions: Any) -> Select[tuple[int]]:
    """The id of the standing decision of every key matching ``conditions`` (the newest one not undone)."""
    return (
        select(func.max(EntryRow.id))
        .where(EntryRow.kind == "decision", ~_undone(EntryRow.id), *conditions)
        .group_by(EntryRow.key_hash)
    )


_ENTRY_COLUMNS = (
    EntryRow.id,
    EntryRow.kind,
    EntryRow.text,
    EntryRow.normalized,
    EntryRow.department,
    EntryRow.department_written,
    EntryRow.verdict,
    EntryRow.code,
    EntryRow.pinmu_code,
    EntryRow.note,
    ReviewerRow.name,
    EntryRow.created_at,
    EntryRow.model_verdict,
    EntryRow.model_code,
    EntryRow.catalog_version,
    EntryRow.model_version,
    EntryRow.undoes,
)


def _identity(path: Path | None) -> tuple[int, int] | None:
    """(device, inode) of a SQLite file, None when it does not exist (or for PostgreSQL)."""
    if path is None:
        return None
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _select_entries() -> Select[Any]:
    return select(*_ENTRY_COLUMNS).join(ReviewerRow, EntryRow.reviewer_id == ReviewerRow.id)


def _entry(row: Any) -> Entry:
    values = list(row)
    values[4] = values[4] or None  # department "" in the key column means "none"
    return Entry(*values)


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _check_text(value: Any, what: str, limit: int, *, required: bool = False) -> str | None:
    """``value`` if it can be stored as ``what``; ReviewInputError (in Chinese) otherwise."""
    if value is None or value == "":
        if required:
            raise ReviewInputError(f"{what}不能为空。")
        return None
    if not isinstance(value, str):
        raise ReviewInputError(f"{what}必须是文字。")
    if required and not value.strip():
        raise ReviewInputError(f"{what}不能为空。")
    if len(value) > limit:
        raise ReviewInputError(f"{what}太长：{len(value)} 个字，最多 {limit} 个字。")
    if "\x00" in value:
        raise ReviewInputError(f"{what}含有空字符（\\x00），无法保存。")
    return value


def _is_entry_id(value: Any) -> bool:
    """Whether ``value`` can be an entry's id at all (a huge number would overflow the driver, not miss)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def _clean(value: str | None, limit: int) -> str:
    """A value from an uploaded sheet made storable: no NUL characters, at most ``limit`` characters."""
    return (value or "").replace("\x00", "").strip()[:limit]


def parse_since(since: datetime | str | None) -> datetime | None:
    """A point in time from a datetime or an ISO 8601 date or time; without an offset it is this machine's time.

    >>> parse_since("2026-01-05T08:00+08:00").isoformat()
    '2026-01-05T00:00:00+00:00'
    """
    if since is None or since == "":
        return None
    if isinstance(since, str):
        try:
            since = datetime.fromisoformat(since.strip())
        except (ValueError, OverflowError) as error:
            raise ReviewInputError(f"无法识别的时间：{since}。请写成 2026-01-05 或 2026-01-05T08:00。") from error
    if not isinstance(since, datetime):
        raise ReviewInputError("起始时间必须是日期或时间。")
    try:
        moment = since.astimezone(UTC)  # a naive time is read as local time
    except (OverflowError, ValueError, OSError) as error:  # 0001-01-01 in local time, 9999-12-31T23:59-23:59
        raise ReviewInputError(f"起始时间超出范围：{since}。请写成 1970 年到 9999 年之间的日期。") from error
    if not 1970 <= moment.year <= 9998:
        raise ReviewInputError(f"起始时间超出范围：{since}。请写成 1970 年到 9998 年之间的日期。")
    return moment


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Database failures (a server gone away, a full disk) become a ReviewError instead of a driver traceback."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        store: ReviewStore = args[0]  # type: ignore[assignment]
        if store._closed:
            raise ReviewError(f"审定记录数据库 {store.url_for_display} 已关闭。")
        try:
            return method(*args, **kwargs)
        except SQLAlchemyError as error:
            raise database_error(error, store.url_for_display) from error

    return wrapper


@dataclass
class _Pending:
    """The lines of one note_open call that share a key."""

    normalized: str
    department: str
    text: str
    count: int = 0
    units: list[str] = field(default_factory=list)


class ReviewStore:
    """The review record in one database; open it with ``open_store``."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self._engine = engine
        self._closed = False
        self.url_for_display = display_url(url)
        self._file = sqlite_file(url)
        self._identity = _identity(self._file)  # the SQLite file opened: writes refuse to go anywhere else

    def __repr__(self) -> str:
        return f"ReviewStore({self.url_for_display!r})"

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the store's connections; calling it again does nothing."""
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    @contextmanager
    def _transaction(self, *, write: bool = False) -> Iterator[Connection]:
        if write and self._file is not None and _identity(self._file) != self._identity:
            raise ReviewError(
                f"审定记录数据库文件 {self._file} 已被删除或替换：为免把审定写进一个没人读的文件，本次没有写入。"
                "请恢复该文件，或重新启动 gpsc。"
            )
        with self._engine.connect() as connection:
            if write:
                connection.execution_options(**{WRITE: True})
            with connection.begin():
                yield connection

    def _insert(self) -> Any:
        """The INSERT construct of this database, which knows ON CONFLICT (SQLite and PostgreSQL spell it alike)."""
        return postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert

    @_guarded
    def ping(self) -> bool:
        """One trivial query: the record answers (a ReviewError otherwise)."""
        with self._transaction() as connection:
            connection.execute(select(literal(1))).scalar_one()
        return True

    # --- reviewers ---------------------------------------------------------------------------------------

    @_guarded
    def add_reviewer(self, name: str) -> str:
        """Add a reviewer and return their new token. Only its hash is stored: the token cannot be shown again."""
        name = (_check_text(name, "审定人姓名", NAME_CHARS, required=True) or "").strip()
        if any(not ch.isprintable() for ch in name):
            raise ReviewInputError("审定人姓名不能含有换行、制表符等控制字符。")
        token = secrets.token_urlsafe(32)
        taken = ReviewInputError(f"已有名为 {name} 的在用审定人：换一个名字，或先撤销原来的。")
        try:
            with self._transaction(write=True) as connection:
                active = select(ReviewerRow.id).where(ReviewerRow.name == name, ReviewerRow.revoked_at.is_(None))
                if connection.execute(active).first() is not None:
                    raise taken
                connection.execute(
                    insert(ReviewerRow).values(name=name, token_hash=_token_hash(token), created_at=utc_now())
                )
        except IntegrityError as error:  # another process added the same name at the same moment
            raise taken from error
        return token

    @_guarded
    def reviewers(self) -> list[ReviewerInfo]:
        """Every reviewer ever added, oldest first, revoked ones included."""
        query = select(ReviewerRow.name, ReviewerRow.created_at, ReviewerRow.revoked_at).order_by(ReviewerRow.id)
        with self._transaction() as connection:
            rows = connection.execute(query).all()
        return [ReviewerInfo(name, created, revoked, revoked is None) for name, created, revoked in rows]

    @_guarded
    def revoke(self, name: str) -> None:
        """Revoke the active reviewer ``name``: their token stops working; their entries stay."""
        with self._transaction(write=True) as connection:
            done = connection.execute(
                update(ReviewerRow)
                .where(ReviewerRow.name == name, ReviewerRow.revoked_at.is_(None))
                .values(revoked_at=utc_now())
            )
        if done.rowcount == 0:
            raise ReviewNotFoundError(f"没有名为 {name} 的在用审定人。")

    @_guarded
    def authenticate(self, token: str | None) -> ReviewerInfo:
        """The reviewer holding ``token``; ReviewAuthError for a missing, unknown or revoked token."""
        if not token or not isinstance(token, str):
            raise ReviewAuthError("缺少审定人令牌：请提供 `gpsc reviewers add` 发给您的令牌。")
        query = select(ReviewerRow.name, ReviewerRow.created_at, ReviewerRow.revoked_at).where(
            ReviewerRow.token_hash == _token_hash(token.strip())
        )
        with self._transaction() as connection:
            row = connection.execute(query).first()
        if row is None:
            raise ReviewAuthError("审定人令牌无效：请核对令牌，或请管理员用 `gpsc reviewers add` 重新发放。")
        if row.revoked_at is not None:
            raise ReviewAuthError("这个审定人令牌已被撤销：请向管理员索取新令牌。")
        return ReviewerInfo(row.name, row.created_at, None, True)

    def _active_reviewer(self, connection: Connection, name: str) -> int:
        query = select(ReviewerRow.id).where(ReviewerRow.name == name, ReviewerRow.revoked_at.is_(None))
        reviewer_id = connection.execute(query).scalar()
        if reviewer_id is None:
            raise ReviewNotFoundError(f"没有名为 {name} 的在用审定人。")
        return reviewer_id

    # --- decisions ---------------------------------------------------------------------------------------

    @_guarded
    def record(
        self,
        reviewer: str,
        *,
        text: str,
        normalized: str,
        department: str | None,
        department_written: str | None,
        verdict: str,
        code: str | None = None,
        pinmu_code: str | None = None,
        note: str | None = None,
        model_verdict: str | None = None,
        model_code: str | None = None,
        catalog_version: str | None = None,
        model_version: str | None = None,
    ) -> Entry:
        """Record a decision of ``reviewer`` (an active reviewer's name); it supersedes earlier ones for its key."""
        if verdict not in VERDICTS:
            raise ReviewInputError(f"结论必须是 {'、'.join(VERDICTS)} 之一，收到的是：{verdict!r}。")
        values = {
            "kind": "decision",
            "text": _check_text(text, "采购内容", MAX_TEXT_CHARS, required=True),
            "normalized": _check_text(normalized, "规范化后的采购内容", 2 * MAX_TEXT_CHARS, required=True),
            "department": _check_text(department, "部门", MAX_DEPARTMENT_CHARS) or "",
            "department_written": _check_text(department_written, "填写的单位", MAX_DEPARTMENT_CHARS),
            "verdict": verdict,
            "code": _check_text(code, "目录编码", SHORT),
            "pinmu_code": _check_text(pinmu_code, "品目编码", SHORT),
            "note": _check_text(note, "备注", MAX_NOTE_CHARS),
            "model_verdict": _check_text(model_verdict, "模型结论", SHORT),
            "model_code": _check_text(model_code, "模型编码", SHORT),
            "catalog_version": _check_text(catalog_version, "目录版本", VERSION_CHARS),
            "model_version": _check_text(model_version, "模型版本", VERSION_CHARS),
            "created_at": utc_now(),
        }
        values["key_hash"] = key_hash(values["normalized"], values["department"])
        with self._transaction(write=True) as connection:
            values["reviewer_id"] = self._active_reviewer(connection, reviewer)
            entry_id = connection.execute(insert(EntryRow).values(**values)).inserted_primary_key[0]
            return _entry(connection.execute(_select_entries().where(EntryRow.id == entry_id)).one())

    @_guarded
    def undo(self, reviewer: str, entry_id: int) -> Entry:
        """Take back decision ``entry_id`` of ``reviewer``; the decision that stood before it stands again."""
        missing = ReviewNotFoundError(f"没有可撤销的审定记录 {entry_id}（不存在、已撤销，或本身就是撤销记录）。")
        if not _is_entry_id(entry_id):
            raise missing
        try:
            with self._transaction(write=True) as connection:
                reviewer_id = self._active_reviewer(connection, reviewer)
                target = connection.execute(
                    select(
                        EntryRow.key_hash,
                        EntryRow.text,
                        EntryRow.normalized,
                        EntryRow.department,
                        EntryRow.department_written,
                        ReviewerRow.name,
                    )
                    .join(ReviewerRow, EntryRow.reviewer_id == ReviewerRow.id)
                    .where(EntryRow.id == entry_id, EntryRow.kind == "decision", ~_undone(EntryRow.id))
                ).first()
                if target is None:
                    raise missing
                *key_fields, owner = target
                if owner != reviewer:
                    raise ReviewForbiddenError(f"审定记录 {entry_id} 是 {owner} 的，只能由本人撤销。")
                names = ("key_hash", "text", "normalized", "department", "department_written")
                undo_id = connection.execute(
                    insert(EntryRow).values(
                        kind="undo",
                        reviewer_id=reviewer_id,
                        created_at=utc_now(),
                        undoes=entry_id,
                        **dict(zip(names, key_fields, strict=True)),
                    )
                ).inserted_primary_key[0]
                return _entry(connection.execute(_select_entries().where(EntryRow.id == undo_id)).one())
        except IntegrityError as error:  # another undo of the same decision won the race
            raise missing from error

    @_guarded
    def get(self, entry_id: int) -> Entry:
        if not _is_entry_id(entry_id):
            raise ReviewNotFoundError(f"没有编号为 {entry_id} 的审定记录。")
        with self._transaction() as connection:
            row = connection.execute(_select_entries().where(EntryRow.id == entry_id)).first()
        if row is None:
            raise ReviewNotFoundError(f"没有编号为 {entry_id} 的审定记录。")
        return _entry(row)

    @_guarded
    def entries(
        self,
        *,
        text: str | None = None,
        department: str | None = None,
        reviewer: str | None = None,
        since: datetime | str | None = None,
        limit: int = 1000,
        offset: int = 0,
    ) -> list[Entry]:
        """The history, newest first: decisions and undos, superseded ones included.

        ``text`` matches the line as written or its normalized form exactly; ``department`` the department or
        the unit as written; ``since`` is inclusive.
        """
        if not isinstance(limit, int) or limit < 0:
            raise ReviewInputError(f"条数上限必须是不小于 0 的整数，收到的是：{limit!r}。")
        if not isinstance(offset, int) or offset < 0:
            raise ReviewInputError(f"跳过的条数必须是不小于 0 的整数，收到的是：{offset!r}。")
        query = self._filtered(_select_entries(), text, department, reviewer, since)
        if query is None:
            return []
        query = query.order_by(EntryRow.id.desc()).limit(limit).offset(offset)
        with self._transaction() as connection:
            return [_entry(row) for row in connection.execute(query)]

    @_guarded
    def count_entries(
        self,
        *,
        text: str | None = None,
        department: str | None = None,
        reviewer: str | None = None,
        since: datetime | str | None = None,
    ) -> int:
        """How many entries ``entries`` would list with no limit (the true total behind a page)."""
        query = self._filtered(_select_entries(), text, department, reviewer, since)
        if query is None:
            return 0
        with self._transaction() as connection:
            return int(connection.execute(select(func.count()).select_from(query.subquery())).scalar_one())

    @staticmethod
    def _filtered(query, text, department, reviewer, since):
        """``query`` narrowed by the filters; None when a filter can match nothing."""
        filters = [value for value in (text, department, reviewer) if value]
        if any("\x00" in value for value in filters):
            return None  # cannot be stored, so matches nothing (and PostgreSQL would refuse the query)
        if text:
            query = query.where(or_(EntryRow.text == text, EntryRow.normalized == text))
        if department:
            query = query.where(or_(EntryRow.department == department, EntryRow.department_written == department))
        if reviewer:
            query = query.where(ReviewerRow.name == reviewer)
        start = parse_since(since)
        if start is not None:
            query = query.where(EntryRow.created_at >= start)
        return query

    @_guarded
    def standing(self, keys: Iterable[tuple[str, str | None]]) -> dict[tuple[str, str | None], Entry]:
        """The standing decision of each (normalized, department) key that has one; one query per 500 keys."""
        wanted: dict[str, list[tuple[str, str | None]]] = {}
        for key in keys:
            normalized, department = key
            wanted.setdefault(key_hash(normalized, department or ""), []).append(key)
        found: dict[tuple[str, str | None], Entry] = {}
        hashes = list(wanted)
        with self._transaction() as connection:
            for chunk in _chunks(hashes):
                query = _select_entries().where(EntryRow.id.in_(_standing_ids(EntryRow.key_hash.in_(chunk))))
                for row in connection.execute(query):
                    entry = _entry(row)
                    for key in wanted[key_hash(entry.normalized, entry.department or "")]:
                        found[key] = entry
        return found

    @_guarded
    def decisions(self) -> list[Entry]:
        """Every standing decision, oldest first: what officers have settled, for training and export."""
        query = _select_entries().where(EntryRow.id.in_(_standing_ids())).order_by(EntryRow.id)
        with self._transaction() as connection:
            return [_entry(row) for row in connection.execute(query)]

    # --- the queue of open lines -------------------------------------------------------------------------

    @_guarded
    def note_open(self, lines: Iterable[tuple[str, str, str | None, str | None]], *, source: str) -> None:
        """Count lines the model sent to review: (normalized, text as written, department, unit as written).

        Lines that cannot be keys (empty) are skipped, so a bulk upload never fails here on an odd cell.
        """
        if source not in SOURCES:
            raise ReviewInputError(f"来源必须是 {'、'.join(SOURCES)} 之一，收到的是：{source!r}。")
        pending: dict[str, _Pending] = {}
        for normalized, text, department, unit in lines:
            if not normalized or "\x00" in normalized or "\x00" in (department or ""):
                continue
            digest = key_hash(normalized, department or "")
            group = pending.get(digest)
            if group is None:
                example = _clean(text, MAX_QUEUE_TEXT_CHARS) or normalized[:MAX_QUEUE_TEXT_CHARS]
                group = pending[digest] = _Pending(normalized, department or "", example)
            group.count += 1
            unit = _clean(unit, MAX_UNIT_CHARS)
            if unit and unit not in group.units and len(group.units) < MAX_UNITS:
                group.units.append(unit)
        if not pending:
            return
        now = utc_now()
        order = sorted(pending)  # every writer locks keys in the same order: no deadlocks
        rows = [
            {
                "key_hash": digest,
                "normalized": pending[digest].normalized,
                "department": pending[digest].department,
                "text": pending[digest].text,
                "count": pending[digest].count,
                "units": pending[digest].units,
                "first_seen": now,
                "last_seen": now,
                "last_source": source,
            }
            for digest in order
        ]
        upsert = self._insert()(QueueRow)
        upsert = upsert.on_conflict_do_update(
            index_elements=[QueueRow.key_hash],
            set_={
                "count": QueueRow.count + upsert.excluded.count,
                "text": upsert.excluded.text,
                "last_seen": upsert.excluded.last_seen,
                "last_source": upsert.excluded.last_source,
            },
        )
        with self._transaction(write=True) as connection:
            connection.execute(upsert, rows)  # the rows stay locked to this transaction until it ends
            with_units = [digest for digest in order if pending[digest].units]
            changed = []
            for chunk in _chunks(with_units):
                query = select(QueueRow.key_hash, QueueRow.units).where(QueueRow.key_hash.in_(chunk))
                for digest, stored in connection.execute(query):
                    stored = list(stored or [])
                    merged = stored + [u for u in pending[digest].units if u not in stored]
                    if merged[:MAX_UNITS] != stored:
                        changed.append({"digest": digest, "merged": merged[:MAX_UNITS]})
            if changed:
                connection.execute(
                    update(QueueRow)
                    .where(QueueRow.key_hash == bindparam("digest"))
                    .values(units=bindparam("merged", type_=QueueRow.units.type)),
                    changed,
                )
            self._cap_queue(connection)

    @staticmethod
    def _cap_queue(connection: Connection) -> None:
        """Keep at most ``MAX_QUEUE_ROWS`` open lines: past it, those seen longest ago go."""
        rows = connection.execute(select(func.count()).select_from(QueueRow)).scalar_one()
        if rows <= MAX_QUEUE_ROWS:
            return
        oldest = select(QueueRow.id).order_by(QueueRow.last_seen, QueueRow.id).limit(rows - MAX_QUEUE_ROWS)
        connection.execute(QueueRow.__table__.delete().where(QueueRow.id.in_(oldest.scalar_subquery())))

    @_guarded
    def clear_queue(self) -> int:
        """Empty the queue of open lines (decisions are untouched); returns how many lines were removed."""
        with self._transaction(write=True) as connection:
            return connection.execute(QueueRow.__table__.delete()).rowcount or 0

    @_guarded
    def queue(self, *, limit: int = 200) -> list[QueueItem]:
        """The open lines (no standing decision): those met in the most distinct units first, then the most rows.
        One client repeating a line adds rows, not units, so it cannot put that line on top."""
        if not isinstance(limit, int) or limit < 0:
            raise ReviewInputError(f"条数上限必须是不小于 0 的整数，收到的是：{limit!r}。")
        decided = exists(
            select(EntryRow.id).where(
                EntryRow.key_hash == QueueRow.key_hash, EntryRow.kind == "decision", ~_undone(EntryRow.id)
            )
        )
        query = (
            select(
                QueueRow.normalized,
                QueueRow.text,
                QueueRow.department,
                QueueRow.count,
                QueueRow.units,
                QueueRow.last_seen,
            )
            .where(~decided)
            .order_by(
                func.json_array_length(QueueRow.units).desc(),
                QueueRow.count.desc(),
                QueueRow.last_seen.desc(),
                QueueRow.id,
            )
            .limit(limit)
        )
        with self._transaction() as connection:
            rows = connection.execute(query).all()
        return [
            QueueItem(normalized, text, department or None, count, list(units or []), last_seen)
            for normalized, text, department, count, units, last_seen in rows
        ]


def open_store(url: str | None = None, *, create: bool = True) -> ReviewStore | None:
    """The review record at ``url`` (default: ``default_db_url()``), its schema brought up to date.

    With ``create=False`` a SQLite file that does not exist is not created: the answer is None (nothing has
    been recorded there). A bad address, an unreachable server or an unreadable file is a ReviewError.
    """
    parsed = parse_url(default_db_url() if url is None else url)
    shown = display_url(parsed)
    path = sqlite_file(parsed)
    if path is not None and not path.exists():
        if not create:
            return None
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # decisions and token hashes: owner only
        except OSError as error:
            raise database_error(error, shown, opening=True) from error
    engine = make_engine(parsed)
    try:
        migrate(engine)
    except ReviewError:
        engine.dispose()
        raise
    except (SQLAlchemyError, OSError) as error:
        engine.dispose()
        raise database_error(error, shown, opening=True) from error
    return ReviewStore(engine, parsed)
