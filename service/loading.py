"""Where the CLI and the API get their checker from (no click, no FastAPI here: both import it).

A first use trains the model (about half a minute); ``Preparing`` keeps the step being trained, so that the
terminal and the page can say ``正在准备模型…`` with the step, instead of waiting in silence.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from catalog import Catalog, CatalogFormatError, load_catalog, read_export, to_csv
from classifier.eligibility import Checker, default_checker_path, get_checker, load_checker


class CatalogFileError(ValueError):
    """A ``--catalog`` file that cannot be read as a catalog (the message says why, in Chinese)."""


def read_catalog_file(path: Path | str) -> Catalog:
    """Another province's catalog, as a table in ``gpsc catalog export`` form (``.csv``, or ``.json``): one row
    per leaf with its level-1..3 codes and names. UTF-8 (with or without BOM) or GB18030."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CatalogFileError(f"无法读取目录文件 {path}：{error.strerror or error}") from error
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CatalogFileError(f"目录文件 {path} 既不是 UTF-8，也不是 GB18030 编码")
    fmt = "json" if path.suffix.lower() == ".json" else "csv"
    try:
        catalog = read_export(text, fmt)
    except CatalogFormatError as error:
        raise CatalogFileError(f"目录文件 {path} 不是 `gpsc catalog export --format {fmt}` 的格式：{error}") from error
    if not catalog.sections:
        raise CatalogFileError(f"目录文件 {path} 中没有任何条目（应为每个四级条目一行，含一至三级的代码和名称）")
    bundled = load_catalog()
    if to_csv(catalog) == to_csv(bundled):
        return bundled  # an export of the bundled catalog is the bundled catalog (its model, its name)
    if not catalog.title:  # a CSV export has no title row: the file names it in reasons
        catalog = replace(catalog, title=path.stem)
    return catalog


def open_checker(
    path: Path | str | None,
    progress: Callable[[int, int, str], None] | None = None,
    catalog: Catalog | None = None,
) -> Checker:
    """The checker to use: an explicit file must load (a mismatch says how to retrain); otherwise the cached
    one, trained on the bundled data when missing or stale (``progress`` is told each training step). With
    ``catalog`` (another province's), the checker trained for it: a file trained for another catalog is refused.

    The loaded model lives as long as the process: ``gc.freeze`` takes its objects out of the collector's way,
    which otherwise walks them all again and again while a sheet is judged."""
    checker = load_checker(path, catalog) if path is not None else get_checker(progress=progress, catalog=catalog)
    gc.freeze()
    return checker


def needs_training(path: Path | str | None, catalog: Catalog | None = None) -> bool:
    """Whether opening the checker will train one: no file given and none cached yet (a first use)."""
    return path is None and not default_checker_path(catalog).is_file()


class Preparing:
    """The model being prepared in the background: the step (``第 2/5 步：品目排序模型``), the checker when it is
    ready, or the error that stopped it. ``echo`` also tells a terminal each step."""

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.words = "正在载入模型"
        self.step, self.steps = 0, 0
        self.checker: Checker | None = None
        self.error: str | None = None
        self.done = threading.Event()
        self._echo = echo

    def __call__(self, step: int, steps: int, words: str) -> None:
        self.step, self.steps, self.words = step, steps, words
        if self._echo is not None:
            self._echo(self.message)

    @property
    def message(self) -> str:
        where = f"（第 {self.step}/{self.steps} 步：{self.words}）" if self.steps else ""
        return f"正在准备模型{where}：首次使用需要训练，约半分钟，之后直接载入"

    def start(self, path: Path | str | None, catalog: Catalog | None = None) -> Preparing:
        """Open the checker in a background thread; ``done`` is set when it is ready or failed."""

        def run() -> None:
            try:
                self.checker = open_checker(path, self, catalog)
                self.checker.check("社区养老服务", "民政")  # warm up jieba and the caches before the first user
            except Exception as error:  # the service stays up and says why it cannot judge
                self.error = f"模型无法准备：{error}"
            finally:
                self.done.set()

        threading.Thread(target=run, name="gpsc-prepare-model", daemon=True).start()
        return self


__all__ = ["CatalogFileError", "Preparing", "needs_training", "open_checker", "read_catalog_file"]
