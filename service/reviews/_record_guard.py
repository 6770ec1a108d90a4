"""The review record as judging uses it: optional. A check, a tag or an audit never waits on it for long and never
fails because of it.

Judging reads the team's decisions (``standing``) and notes the lines still open (``note_open``). Both go through a
``RecordGuard``: each call runs in a daemon thread with a short timeout, and any failure (a server stopped or frozen,
a full disk, a locked, corrupt or read-only SQLite file, a schema from a newer gpsc, a bad address) turns into a
Chinese warning instead of an exception. After a failure the guard does not try again for ``RETRY_SECONDS``, so a
sheet of 20,000 rows pays the timeout once, not once per chunk. The verdicts then are the model's own, and every
interface says so (the card, ``review_warning`` in JSON, the sheet's 人工审定 column, ``/health``).

Recording decisions is another matter: the review routes and ``gpsc reviews`` need the database and say plainly
when it is not there.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ._errors import ReviewError

if TYPE_CHECKING:
    from ._records import Entry
    from ._store import ReviewStore

TIMEOUT_SECONDS = 3.0  # the longest a verdict waits for the record
RETRY_SECONDS = 30.0  # after a failure, how long the record is left alone
ABSENT_SECONDS = 5.0  # with no record yet, how long before looking for one again
UNAVAILABLE = "审定记录无法读取，以下为模型判定，未套用人工审定"


class RecordTimeout(Exception):
    """The record did not answer within the guard's timeout."""


def run_with_timeout(call: Callable[[], Any], timeout: float) -> Any:
    """``call()`` in a daemon thread; RecordTimeout if it takes longer than ``timeout`` (the thread is left to finish
    or hang on its own: a daemon thread never keeps the process from exiting)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as error:  # handed to the caller below
            box["error"] = error

    worker = threading.Thread(target=target, name="gpsc-review-record", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise RecordTimeout(f"{timeout:g} 秒内没有应答")
    if "error" in box:
        raise box["error"]
    return box.get("value")


class RecordGuard:
    """The review record behind a timeout and a circuit breaker; ``warning`` says why decisions were not read.

    ``opener`` opens the store (``open_store(url, create=False)``): None means there is no record yet, which is no
    failure. States: ``none`` (no record), ``ok``, ``unavailable``.
    """

    def __init__(self, opener: Callable[[], ReviewStore | None], *, timeout: float = TIMEOUT_SECONDS) -> None:
        self._opener = opener
        self.timeout = timeout
        self._store: ReviewStore | None = None
        self._opened = False
        self._down_until = 0.0
        self._absent_until = 0.0
        self._lock = threading.Lock()
        self.warning: str | None = None  # the last failure, in Chinese; None while the record answers
        self.failed: str | None = None  # the first failure of this guard's life, for a run's closing words

    # --- what judging calls ----------------------------------------------------------------------------------
    def standing(self, keys: Iterable[tuple[str, str | None]]) -> dict[tuple[str, str | None], Entry] | None:
        """The standing decisions for ``keys``; ``{}`` without a record, None when the record could not be read."""
        keys = set(keys)
        store = self._open()
        if store is None:
            return None if self.warning else {}
        if not keys:
            return {}
        return self._call(lambda: store.standing(keys))

    def note_open(self, lines: list, *, source: str) -> None:
        """Count the open review lines; a failure only sets the warning."""
        if not lines:
            return
        store = self._open()
        if store is not None:
            self._call(lambda: store.note_open(lines, source=source))

    def look_again(self) -> None:
        """A record may exist now (a first decision made it): the next call looks for it at once."""
        self._absent_until = 0.0

    def present(self) -> bool:
        """A record exists (or failed): only then is a line's key worth computing."""
        return self._open() is not None or self.warning is not None

    @property
    def state(self) -> str:
        """``none``, ``ok`` or ``unavailable`` (what ``/health`` reports), probing the record with one query."""
        store = self._open()
        if store is not None:
            self._call(store.ping)
        if self._down() or self.warning:
            return "unavailable"
        return "ok" if store is not None else "none"

    def close(self) -> None:
        with self._lock:
            store, self._store, self._opened = self._store, None, False
        if store is not None:
            with contextlib.suppress(Exception):  # closing a broken record must not fail the command
                run_with_timeout(store.close, self.timeout)

    # --- inside -----------------------------------------------------------------------------------------------
    def _down(self) -> bool:
        return time.monotonic() < self._down_until

    def _open(self) -> ReviewStore | None:
        with self._lock:
            if self._opened or self._down() or time.monotonic() < self._absent_until:
                return self._store
        store = self._call(self._opener)
        with self._lock:
            if not self._down():
                self._store, self._opened = store, store is not None
                # no record yet: asked again after a while (a first decision may make one), not on every check
                self._absent_until = 0.0 if store is not None else time.monotonic() + ABSENT_SECONDS
            return self._store

    def _call(self, call: Callable[[], Any]) -> Any:
        if self._down():
            return None
        try:
            value = run_with_timeout(call, self.timeout)
        except Exception as error:
            self._fail(error)
            return None
        self.warning = None
        return value

    def _fail(self, error: BaseException) -> None:
        said = str(error) if isinstance(error, (ReviewError, RecordTimeout)) else error.__class__.__name__
        self.warning = f"{UNAVAILABLE}（{said}）"
        self.failed = self.failed or self.warning
        self._down_until = time.monotonic() + RETRY_SECONDS
        with self._lock:  # a store whose connection broke is opened afresh when the record is tried again
            broken, self._store, self._opened = self._store, None, False
        if broken is not None:
            threading.Thread(target=broken.close, daemon=True).start()


def open_record(db_url: str | None) -> RecordGuard:
    """The guard over the record at ``db_url`` (default: ``GPSC_DB`` or the user's SQLite file); opening is lazy,
    never creates a database, and never raises."""

    def opener() -> ReviewStore | None:
        from ._address import missing_sqlite_file

        if missing_sqlite_file(db_url):
            return None  # no record yet: nothing to import or open
        from ._store import open_store  # SQLAlchemy and Alembic load only here

        return open_store(db_url, create=False)

    return RecordGuard(opener)


class BudgetedRecord:
    """A record whose queue notes are rationed: ``budget(n)`` says how many of ``n`` open lines may be noted (the
    API's per-client quota); lookups pass through. Lines over the budget are judged as usual, only not counted."""

    def __init__(self, record: RecordGuard, budget: Callable[[int], int]) -> None:
        self._record = record
        self._budget = budget

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)

    def note_open(self, lines: list, *, source: str) -> None:
        allowed = self._budget(len(lines)) if lines else 0
        if allowed:
            self._record.note_open(lines[:allowed], source=source)
