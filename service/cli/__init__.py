"""The ``gpsc`` command line: a thin adapter from files and terminals to the library.

Exit codes: 0 ok, 1 bad input (the message says the fix), 2 usage error.
FastAPI is imported only by ``gpsc serve``, so the other commands start fast: each command lives in its own
module here (``_check``, ``_catalog`` …, sharing ``_common``) and is imported when it runs.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys

import click

from ._click_zh import install as _chinese_click

_chinese_click()  # click's own messages (用法, 缺少选项, 错误) in Chinese

# command -> "module:attribute", imported when the command runs (click's documented lazy-loading recipe):
# ``gpsc catalog`` then never pays for numpy, scipy and jieba
_COMMANDS = {
    "check": "._check:check_command",
    "tag": "._check:tag_command",
    "audit": "._check:audit_command",
    "catalog": "._catalog:catalog_group",
    "pinmu": "._pinmu:pinmu_group",
    "train": "._model:train_command",
    "evaluate": "._model:evaluate_command",
    "serve": "._serve:serve_command",
    "reviewers": "._reviews:reviewers_group",
    "reviews": "._reviews:reviews_group",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _COMMANDS:
            return None
        module, _, attribute = _COMMANDS[cmd_name].partition(":")
        return getattr(importlib.import_module(module, __package__), attribute)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """As click's, with a suggestion for a mistyped command (``gpsc chek`` -> check): click draws its
        suggestions from the loaded commands, and this group loads them only when asked."""
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as error:
            raise click.exceptions.NoSuchCommand(error.command_name, possibilities=list(_COMMANDS), ctx=ctx) from None


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="gpsc")
def main() -> None:
    """gpsc：这项采购能否作为政府购买服务？归入哪个目录编码、哪个品目？

    \b
    示例：
      gpsc check "12345热线外包" -d 县行政审批服务管理局
      gpsc tag examples/liulin_2026_projects.csv -o tagged.xlsx
      gpsc catalog show 民政局 A1003
      gpsc pinmu search 助听器
    """


def _terminate(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)  # unwinds like an error: partial output files are removed on the way out


def run() -> None:
    """The ``gpsc`` executable: ``main`` plus what click leaves to the process, so that a failed write is one
    line and exit 1, never a traceback (``gpsc check 热线 > /dev/full``, a read-only folder, a full disk), and
    SIGTERM cleans up like Ctrl-C."""
    from ._common import os_error_message

    signal.signal(signal.SIGTERM, _terminate)
    try:
        main(prog_name="gpsc")
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except OSError as error:
        print(f"错误：{os_error_message(error)}", file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()  # what is still buffered: a full disk or a closed pipe shows here
    except OSError as error:
        print(f"错误：无法写出结果：{os_error_message(error).partition('：')[2]}", file=sys.stderr)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left for Python to flush
        code = code or 1
    sys.exit(code)


__all__ = ["main", "run"]
