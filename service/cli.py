"""The ``gpsc`` command line: a thin adapter from files and terminals to the library.

Exit codes: 0 ok, 1 bad input (the message says the fix), 2 usage error.
FastAPI is imported only by ``gpsc serve``, so the other commands start fast.
"""

from __future__ import annotations

import importlib

import click

# command -> "module:attribute", imported when the command runs (click's documented lazy-loading recipe):
# ``gpsc catalog`` then never pays for numpy, scipy and jieba
_COMMANDS = {
    "check": "._cli_check:check_command",
    "tag": "._cli_check:tag_command",
    "audit": "._cli_check:audit_command",
    "catalog": "._cli_catalog:catalog_group",
    "pinmu": "._cli_pinmu:pinmu_group",
    "train": "._cli_model:train_command",
    "evaluate": "._cli_model:evaluate_command",
    "serve": "._cli_serve:serve_command",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _COMMANDS:
            return None
        module, _, attribute = _COMMANDS[cmd_name].partition(":")
        return getattr(importlib.import_module(module, __package__), attribute)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="gpsc")
def main() -> None:
    """gpsc: may this purchase be bought as a 政府购买服务, and under which catalog code?

    \b
    Example:
      gpsc check "12345热线外包" -d 县行政审批服务管理局
      gpsc tag examples/liulin_2026_projects.csv -o tagged.xlsx
      gpsc catalog show 民政局 A1003
      gpsc pinmu search 助听器
    """


if __name__ == "__main__":  # pragma: no cover
    main()
