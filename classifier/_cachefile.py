"""Model files in the user cache: private, written atomically, trained by one process at a time.

Model files are pickles, so loading one runs whatever it says. A file that gpsc put in its cache folder by
itself is loaded only when the folder and the file belong to the current user and nobody else can write
them (the folder is created with mode 0700, the file with 0600); anything else is ignored with a warning and
the model is trained again. Writes go to a unique temporary name in the same folder (``.gpsc-tmp-…``) and
are renamed over the target, so a reader sees the old file or the new one, never half of one. When the
cache is empty, a lock file beside the model (``<name>.lock``, ``fcntl.flock``) lets one process train while
the others wait and then load what it saved. A cached file that does not load (truncated, corrupt, stale) is
a cache miss: warned about, removed, retrained. Files the user names (``--model``, ``GPSC_MODEL``) do not go
through here.

Internal to gpsc: ``classifier`` and ``classifier.eligibility`` share it (hence a module without a leading
underscore); it is not part of the ``classifier`` API.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import joblib

try:
    import fcntl
except ImportError:  # not POSIX: no lock; the atomic rename still keeps files whole
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

TMP_PREFIX = ".gpsc-tmp-"
LOCK_TIMEOUT = 15 * 60.0  # seconds to wait for another process's training before training here too
_POSIX = os.name == "posix"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


class UnsafeCacheError(PermissionError):
    """A cached file, or its folder, that someone other than the current user could have written."""


def cache_dir() -> Path:
    """The folder gpsc caches its models in: ``$XDG_CACHE_HOME/gpsc``, else ``~/.cache/gpsc``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gpsc"


def in_cache(path: str | Path) -> bool:
    """Whether ``path`` is a file directly in the cache folder (written privately, loaded only if private)."""
    return os.path.abspath(Path(path).parent) == os.path.abspath(cache_dir())


def _problem(st: os.stat_result, what: str) -> str | None:
    """Why a file or folder with this status must not be trusted, or None."""
    if st.st_uid != os.getuid():
        return f"{what}属主不是当前用户（uid {st.st_uid}）"
    if st.st_mode & _OTHERS_WRITE:
        return f"{what}可被同组或其他用户写入（权限 {stat.S_IMODE(st.st_mode):04o}）"
    return None


def _make_dirs(directory: Path) -> None:
    """Create ``directory`` and any missing parent with mode 0700 (as the XDG spec asks of a cache folder)."""
    missing = []
    for folder in (directory, *directory.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        with suppress(FileExistsError):
            os.mkdir(folder, 0o700)


def prepare_dir(directory: str | Path) -> tuple[bool, str | None]:
    """Make sure the cache folder exists and only the current user can write it.

    Returns ``(usable, problem)``: ``(True, None)`` for a private folder; ``(True, problem)`` for a folder of
    ours that others could write, now made 0700 (its files are not to be trusted this time); ``(False,
    problem)`` for a folder that cannot be made private (someone else's, or not creatable)."""
    directory = Path(directory)
    if not _POSIX:
        directory.mkdir(parents=True, exist_ok=True)
        return True, None
    try:
        _make_dirs(directory)
        st = os.stat(directory)
    except OSError as error:
        return False, f"无法创建缓存目录（{error.strerror or error}）"
    if not stat.S_ISDIR(st.st_mode):
        return False, "缓存目录不是目录"
    if st.st_uid != os.getuid():
        return False, _problem(st, "缓存目录")
    if st.st_mode & _OTHERS_WRITE:
        problem = _problem(st, "缓存目录")
        try:
            os.chmod(directory, 0o700)
        except OSError:
            return False, problem
        return True, problem
    return True, None


def ensure_private_dir(directory: str | Path) -> None:
    """``prepare_dir`` for a writer: raise ``UnsafeCacheError`` when the folder cannot be made private."""
    usable, problem = prepare_dir(directory)
    if not usable:
        raise UnsafeCacheError(f"{directory}：{problem}，不在其中保存模型")


@contextmanager
def open_private(path: str | Path) -> Iterator[tuple[BinaryIO, Callable[[], bool]]]:
    """Open a cached file for reading after checking that it and its folder are the current user's and
    nobody else can write them. Yields the open file and a function that removes the file (if the name
    still names the file that was opened) and says whether it did.

    Raises ``FileNotFoundError`` when there is no file and ``UnsafeCacheError`` (with the reason, in Chinese)
    when it must not be loaded. The checks are made on the opened folder and file themselves, so renaming
    another folder or file into place after the check changes nothing."""
    path = Path(path)
    if not _POSIX:  # no uid or mode bits to check; the folder's ACLs are the user's to set

        def unlink() -> bool:
            try:
                path.unlink()
            except OSError:
                return False
            return True

        with open(path, "rb") as file:
            yield file, unlink
        return
    dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
    try:
        problem = _problem(os.fstat(dir_fd), "缓存目录")
        if problem:
            raise UnsafeCacheError(problem)
        try:  # O_NONBLOCK: a planted FIFO must not hang the open; it is refused below as not a regular file
            fd = os.open(path.name, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK | _CLOEXEC, dir_fd=dir_fd)
        except OSError as error:
            if isinstance(error, FileNotFoundError):
                raise
            raise UnsafeCacheError(f"无法安全打开文件（{error.strerror or error}，可能是符号链接）") from error
        with os.fdopen(fd, "rb") as file:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise UnsafeCacheError("不是普通文件")
            problem = _problem(st, "文件")
            if problem:
                raise UnsafeCacheError(problem)

            def remove() -> bool:
                try:
                    now = os.stat(path.name, dir_fd=dir_fd, follow_symlinks=False)
                    if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
                        return False  # another process already put a new file in its place
                    os.unlink(path.name, dir_fd=dir_fd)
                except OSError:
                    return False
                return True

            yield file, remove
    finally:
        os.close(dir_fd)


def read_private(path: str | Path, load: Callable[[BinaryIO], T] = joblib.load) -> T:
    """``load`` a cached file that passes the checks of ``open_private`` (raises as it does)."""
    with open_private(path) as (file, _remove):
        return load(file)


def _file_mode() -> int:
    """The mode a new file gets under this process's umask (read without changing it: threads may be running)."""
    with suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    return 0o600


def atomic_dump(value: Any, path: str | Path, *, private: bool | None = None, compress: int = 3) -> Path:
    """``joblib.dump`` ``value`` to ``path`` through a unique temporary file in the same folder and a rename.

    ``private`` (default: whether ``path`` is in the cache folder) makes the folder 0700 and the file 0600
    (raising ``UnsafeCacheError`` when the folder cannot be made private); otherwise the folder is created as
    usual and the file gets the mode the umask gives."""
    path = Path(path)
    private = in_cache(path) if private is None else private
    if private:
        ensure_private_dir(path.parent)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=f"-{path.name}", dir=path.parent)  # 0600, O_EXCL
    except OSError as error:  # name the file the user asked for, not the temporary one
        raise OSError(error.errno, error.strerror, str(path)) from error
    try:
        with os.fdopen(fd, "wb") as file:
            joblib.dump(value, file, compress=compress)
            file.flush()
            os.fsync(file.fileno())
        if not private:
            os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    return path


@contextmanager
def cache_lock(path: str | Path, timeout: float = LOCK_TIMEOUT) -> Iterator[bool]:
    """Hold an exclusive lock on ``<path>.lock`` (yields True), so one process trains what the others then
    load. Gives up after ``timeout`` seconds, or when no lock can be taken, with a warning (yields False)."""
    path = Path(path)
    if fcntl is None:
        yield False
        return
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o600)
    except OSError:
        yield False  # e.g. a read-only folder: nothing can be saved there either
        return
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    warnings.warn(
                        f"等待其他进程训练模型超过 {timeout:.0f} 秒（锁文件 {lock}）；本进程自行训练。", stacklevel=4
                    )
                    locked = False
                    break
                time.sleep(0.1)
        yield locked
    finally:
        os.close(fd)  # closing the descriptor releases the lock


_MISS = object()


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{error.__class__.__name__}：{text}" if text else error.__class__.__name__


def _try_load(path: Path, load: Callable[[BinaryIO], T], *, quiet: bool) -> Any:
    """The loaded value, or ``_MISS``. Unless ``quiet``, says why a present file is not used, and removes
    one that is ours but does not load."""
    try:
        with open_private(path) as (file, remove):
            try:
                return load(file)
            except Exception as error:  # a truncated, corrupt or stale file: joblib raises many kinds
                if not quiet:
                    removed = "，已删除" if remove() else ""
                    why = f"无法使用（{_describe(error)}）{removed}"
                    warnings.warn(f"忽略缓存模型 {path}：{why}；正在重新训练。", stacklevel=4)
                return _MISS
    except FileNotFoundError:
        return _MISS
    except UnsafeCacheError as error:
        if not quiet:
            warnings.warn(f"忽略缓存模型 {path}：{error}，不予加载；正在重新训练。", stacklevel=4)
        return _MISS
    except OSError as error:
        if not quiet:
            warnings.warn(f"忽略缓存模型 {path}：无法读取（{_describe(error)}）；正在重新训练。", stacklevel=4)
        return _MISS


def load_or_build(
    path: str | Path,
    *,
    load: Callable[[BinaryIO], T],
    build: Callable[[], T],
    save: Callable[[T, Path], Any],
    timeout: float = LOCK_TIMEOUT,
) -> T:
    """The value cached at ``path`` (in the cache folder), or a freshly built one, saved for next time.

    ``load`` reads an open file and raises on anything unusable; ``save`` writes the value to the path (with
    ``atomic_dump``). Only one process builds at a time; the others wait for it and load its file."""
    path = Path(path)
    usable, problem = prepare_dir(path.parent)
    if not usable:
        warnings.warn(f"不使用缓存目录 {path.parent}：{problem}；模型只在内存中训练，不保存。", stacklevel=3)
        return build()
    trusted = problem is None
    if not trusted:
        warnings.warn(
            f"忽略缓存目录 {path.parent} 中已有的模型：{problem}；已把目录改为仅当前用户可访问（0700），正在重新训练。",
            stacklevel=3,
        )
    else:
        value = _try_load(path, load, quiet=True)
        if value is not _MISS:
            return value
    with cache_lock(path, timeout):
        if trusted:  # another process may have saved it while this one waited
            value = _try_load(path, load, quiet=False)
            if value is not _MISS:
                return value
        value = build()
        try:
            save(value, path)
        except OSError as error:
            warnings.warn(f"无法把模型保存到 {path}：{error}", stacklevel=3)
        return value
