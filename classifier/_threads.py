"""How many threads one call may use: settable, so that a scheduler running one task per core (``gpsc tag
--jobs``, Dask, Spark ``mapInPandas``) is not oversubscribed by each task spreading over every core.

Two pools do the parallel work: rapidfuzz's ``cdist`` (its ``workers``) and the BLAS under numpy's products
(through ``threadpoolctl``, a dependency of scikit-learn). ``GPSC_THREADS`` sets the default; unset, both use
every core.
"""

from __future__ import annotations

import os

from ._errors import ThreadSettingError

__all__ = ["get_threads", "set_threads"]

_threads: int | None = None


def _from_environment() -> int | None:
    value = os.environ.get("GPSC_THREADS", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ThreadSettingError(f"环境变量 GPSC_THREADS 应为正整数，不是 {value!r}")
    return int(value)


def set_threads(count: int | None) -> None:
    """Use at most ``count`` threads per call (None: every core). Applies to this process from now on.

    >>> set_threads(1); get_threads()
    1
    >>> set_threads(None)
    """
    global _threads
    if count is not None and count < 1:
        raise ThreadSettingError(f"线程数应为正整数，不是 {count!r}")
    _threads = count
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=count)  # None lifts the limit


def get_threads() -> int | None:
    """The thread limit in force: ``set_threads``'s, else ``GPSC_THREADS``, else None (every core)."""
    return _threads if _threads is not None else _from_environment()


def cdist_workers(lines: int) -> int:
    """rapidfuzz's ``workers`` for a batch: one thread for a few lines (threads cost more than they save)."""
    if lines < 64:
        return 1
    limit = get_threads()
    return -1 if limit is None else limit
