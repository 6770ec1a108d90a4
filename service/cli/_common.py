"""Options and error handling shared by the ``gpsc`` commands (kept here so commands stay short)."""

from __future__ import annotations

import errno
import functools
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console

from catalog import Catalog, CatalogError, UnknownDepartmentError, load_catalog, parse_catalog

if TYPE_CHECKING:  # the model stack (numpy, jieba) loads only for commands that judge lines
    from classifier.eligibility import Checker

F = TypeVar("F", bound=Callable[..., Any])


def library_errors(func: F) -> F:
    """Turn library errors into one-line messages with exit code 1 instead of tracebacks."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UnknownDepartmentError as error:
            hint = f"是否指：{'、'.join(error.suggestions)}？" if error.suggestions else ""
            raise click.ClickException(
                f"{str(error).split('；')[0]}。{hint}运行 `gpsc catalog show --list` 可列出全部部门章节。"
            ) from error
        except CatalogError as error:
            raise click.ClickException(str(error)) from error
        except OSError as error:  # disk full, read-only, permission denied, no such folder: one line, exit 1
            raise click.ClickException(os_error_message(error)) from error
        except Exception as error:
            # a command that never loaded the classifier (or the review record) cannot have raised its errors
            classifier = sys.modules.get("classifier")
            if classifier is not None and isinstance(error, classifier.ClassifierError):
                raise click.ClickException(str(error)) from error
            reviews = sys.modules.get("service.reviews")
            if reviews is not None and isinstance(error, reviews.ReviewError):
                raise click.ClickException(str(error)) from error
            raise

    return wrapper  # type: ignore[return-value]


_ERRNO_WORDS = {
    errno.ENOENT: "没有这个文件或目录",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件超过允许的大小",
    errno.EROFS: "文件系统是只读的",
    errno.EISDIR: "这是一个目录",
    errno.ENOTDIR: "路径中有一项不是目录",
    errno.EPIPE: "输出管道已关闭",
    errno.EIO: "输入输出错误",
}


def os_error_message(error: OSError) -> str:
    """One Chinese line for a failed read or write: what, where, and the system's reason.

    >>> os_error_message(FileNotFoundError(2, "No such file or directory", "/nonexistent/x.csv"))
    '无法读写 /nonexistent/x.csv：没有这个文件或目录'
    """
    where = f" {error.filename}" if getattr(error, "filename", None) else ""
    reason = _ERRNO_WORDS.get(error.errno or -1) or error.strerror or error.__class__.__name__
    return f"无法读写{where}：{reason}"


CATALOG_KEY = "gpsc.catalog"
CATALOG_PATH_KEY = "gpsc.catalog_path"


def source_option(func: F) -> F:
    """``--source FILE``: parse another document instead of the bundled catalog."""
    return click.option(
        "--source",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="含目录表格的文档（UTF-8 文本）；默认：所附的山西省目录。",
    )(func)


def model_option(func: F) -> F:
    """``--model FILE``: a model saved by ``gpsc train``; default: the cached model, trained on first use. With it
    comes ``--catalog FILE`` (``catalog_option``)."""
    return catalog_option(
        click.option(
            "--model",
            "model_path",
            type=click.Path(dir_okay=False, path_type=Path),
            envvar="GPSC_MODEL",
            help="`gpsc train` 生成的模型文件（环境变量 GPSC_MODEL）；默认：首次使用时训练并缓存。",
        )(func)
    )


def _remember_catalog(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None:
        from service.loading import CatalogFileError, read_catalog_file

        try:
            ctx.meta[CATALOG_KEY] = read_catalog_file(value)
        except CatalogFileError as error:
            raise click.BadParameter(str(error), ctx=ctx, param=param) from error
        ctx.meta[CATALOG_PATH_KEY] = value
    return value


def catalog_option(func: F) -> F:
    """``--catalog FILE``: another province's guidance catalog, as a ``gpsc catalog export --format csv`` table
    (read once, before the command runs; ``open_model`` and ``chosen_catalog`` give it to the command)."""
    return click.option(
        "--catalog",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        envvar="GPSC_CATALOG",
        expose_value=False,
        callback=_remember_catalog,
        help="其他省份的指导性目录（`gpsc catalog export --format csv` 格式的表，每个四级条目一行；"
        "环境变量 GPSC_CATALOG）；默认：所附的山西省目录。模型按所用目录训练，不同目录的模型不能混用。",
    )(func)


def chosen_catalog() -> Catalog | None:
    """The catalog given with ``--catalog``, or None (the bundled one)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(CATALOG_KEY) if ctx is not None else None


def chosen_catalog_path() -> Path | None:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(CATALOG_PATH_KEY) if ctx is not None else None


def db_option(func: F) -> F:
    """``--db URL``: the review record (``sqlite:///path/reviews.db``, ``postgresql://…``; environment GPSC_DB)."""
    return click.option(
        "--db",
        "db_url",
        envvar="GPSC_DB",
        metavar="URL",
        help="审定记录数据库（环境变量 GPSC_DB）：sqlite:///路径/reviews.db 或 postgresql://…；"
        "默认：用户数据目录中的 SQLite（记录过审定后才有）。",
    )(func)


def open_reviews(db_url: str | None, *, create: bool = False):
    """The review record for a command, or None when there is none yet (reading never creates one)."""
    from service.reviews import ReviewError, open_store

    try:
        return open_store(db_url, create=create)
    except ReviewError as error:
        raise click.ClickException(str(error)) from error


def open_model(path: Path | None) -> Checker:
    """The checker to use (see ``open_checker``); kept here so that commands import one module. A first use
    trains the model: each step is said on stderr (``正在准备模型（第 2/5 步：品目排序模型）…``)."""
    from service.loading import open_checker

    return open_checker(path, progress=preparing_words(), catalog=chosen_catalog())


def preparing_words():
    """A progress callback that tells stderr each training step (the first line says why there is a wait)."""
    err = Console(stderr=True, highlight=False)
    shown: set[int] = set()

    def told(step: int, steps: int, words: str) -> None:
        if step in shown:  # the first step is announced before the ranking model, and again by the checker
            return
        shown.add(step)
        try:
            if step == 1:
                err.print("正在准备模型：首次使用（或数据更新后）需要训练，约半分钟，之后直接载入。")
            err.print(f"  [{step}/{steps}] {words}…")
        except (OSError, ValueError):  # a closed or full stderr: the words are lost, never the model
            pass

    return told


def read_text_file(path: Path) -> str:
    """A small text file in UTF-8 (with or without BOM) or GB18030, the encodings Chinese offices use."""
    from service.sheets import TableError, detect_encoding  # the same detection as for sheets

    raw = path.read_bytes()
    try:
        return raw.decode(detect_encoding(raw))
    except (TableError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path} 既不是 UTF-8，也不是 GB18030 编码的文本：请另存为 UTF-8") from error


def make_console() -> Console:
    """A rich console that does not crop long Chinese paths when stdout is a pipe or a file."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=200)
    return console


def open_catalog(source: Path | None) -> Catalog:
    if source is None:
        return load_catalog()
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{source} is not UTF-8 text ({error.reason}); convert it first") from error
    return parse_catalog(text)


def partial_file(output: Path) -> Path:
    """A temporary file beside ``output``, named so that one left by a kill is recognisable
    (``.tagged.gpsc-partial-k3j9.xlsx``), with the permissions the user's umask gives any new file. Write there,
    then ``os.replace`` it over ``output``: a failed write never leaves a half file or spoils the previous one."""
    folder = output.parent if str(output.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=f".{output.stem}.gpsc-partial-", suffix=output.suffix, dir=folder)
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)
    return Path(name)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str | None) -> str:
    """Text a terminal shows as it is: control characters (ESC sequences that clear the screen or set the title,
    bidirectional overrides) removed; tabs and new lines kept.

    >>> printable("备注\x1b]0;pwned\x07\x1b[2J完")
    '备注]0;pwned[2J完'
    """
    return _CONTROL.sub("", text or "")
