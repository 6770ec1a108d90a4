"""The ``gpsc`` command line: a thin adapter from files and terminals to the library.

Exit codes: 0 ok, 1 bad input (the message says the fix), 2 usage error.
FastAPI is imported only by ``gpsc serve``, so the other commands start fast.
"""

from __future__ import annotations

import click

from ._cli_catalog import catalog_group
from ._cli_check import audit_command, check_command, tag_command
from ._cli_model import evaluate_command, train_command
from ._cli_serve import serve_command


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="gpsc")
def main() -> None:
    """gpsc: may this purchase be bought as a 政府购买服务, and under which catalog code?

    \b
    Example:
      gpsc check "12345热线外包" -d 县行政审批服务管理局
      gpsc tag examples/liulin_2026_projects.csv -o tagged.xlsx
      gpsc catalog show 民政局 A1003
    """


main.add_command(check_command)
main.add_command(tag_command)
main.add_command(audit_command)
main.add_command(catalog_group)
main.add_command(train_command)
main.add_command(evaluate_command)
main.add_command(serve_command)

if __name__ == "__main__":  # pragma: no cover
    main()
