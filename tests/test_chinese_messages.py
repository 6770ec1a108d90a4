"""Everything a person reads is Chinese: CLI help and errors, API error messages, reasons, lint output.

Machine parts stay as they are (rule ids, error codes, ``gpsc_*`` names, options, file names, codes), so the
test looks for English *sentences*: three or more lowercase English words in a row, after removing
backticked commands, options, identifiers and paths.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from classifier import bundled_verdict_dev
from service.api import Settings, create_app
from service.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "liulin_2026_projects.csv"
SENTENCE = re.compile(r"\b[a-z]{2,}(?:[ ,'-]+[a-z]{2,}){2,}\b")
MACHINE = re.compile(
    r"`[^`]*`"  # commands quoted for the reader to type
    r"|--?[a-z][a-z0-9-]*"  # options
    r"|\b[a-z]+(?:[._/][a-z0-9]+)+\b"  # rule ids, file names, dotted names
    r"|gpsc(?: [a-z]+)*"  # the command itself, with its subcommands
    r"|\S*/\S*"  # paths
)


def english_sentences(text: str) -> list[str]:
    """English sentences left after the machine parts are removed.

    >>> english_sentences("错误：没有这个文件 `gpsc tag --help` catalog.match")
    []
    >>> english_sentences("Error: no such file or directory")
    ['no such file or directory']
    """
    return SENTENCE.findall(MACHINE.sub(" ", text))


def _commands(group, path=()):
    for name, command in sorted(group.commands.items()) if hasattr(group, "commands") else ():
        yield (*path, name), command
        yield from _commands(command, (*path, name))


def _all_commands():
    yield ()
    context = main.make_context("gpsc", ["--help"], resilient_parsing=True)
    for name in main.list_commands(context):
        command = main.get_command(context, name)
        yield (name,)
        if hasattr(command, "commands"):
            for sub in command.commands:
                yield (name, sub)


@pytest.mark.parametrize("path", list(_all_commands()), ids=lambda p: " ".join(p) or "gpsc")
def test_help_is_chinese(path):
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="gpsc")
    assert result.exit_code == 0
    assert english_sentences(result.output) == [], result.output


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "热线", "-d", "税务局"],
        ["tag", "missing.csv"],
        ["tag", str(EXAMPLE), "--top-k", "abc"],
        ["tag", str(EXAMPLE), "-o", "out.pdf"],
        ["tag", str(EXAMPLE), "--encoding", "rot13", "-o", "x.csv"],
        ["catalog", "show", "民政", "A9999"],
        ["catalog", "search", "完全不相干的词语xyz"],
        ["pinmu", "show", "Z99"],
        ["nosuchcommand"],
    ],
    ids=lambda a: " ".join(a)[:40],
)
def test_cli_errors_are_chinese(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args, prog_name="gpsc")
    assert result.exit_code != 0 or args[0] == "check"
    assert "Traceback" not in result.output
    assert english_sentences(result.output) == [], result.output


def test_lint_and_check_output_are_chinese():
    lint = CliRunner().invoke(main, ["catalog", "lint"])
    assert english_sentences(lint.output) == []
    check = CliRunner().invoke(main, ["check", "社区居家养老服务", "-d", "县民政局"])
    assert check.exit_code == 0 and english_sentences(check.output) == [], check.output


def test_reasons_are_chinese(checker, catalog):
    lines = bundled_verdict_dev(catalog)[:300]
    verdicts = checker.check_many([x.text for x in lines], [x.department for x in lines])
    messages = {r.message for v in verdicts for r in v.reasons}
    assert len(messages) > 50
    english = [m for m in messages if english_sentences(m)]
    assert english == []


def test_api_error_messages_are_chinese(checker):
    with TestClient(create_app(Settings(max_items=5), checker=checker)) as client:
        answers = [
            client.post("/v1/check", json={}),
            client.post("/v1/check", json={"text": ""}),
            client.post("/v1/check", content=b"{", headers={"content-type": "application/json"}),
            client.post("/v1/classify", json={"items": [{"text": "x"}] * 6}),
            client.get("/v1/catalog/departments/税务局"),
            client.get("/v1/nothing"),
            client.get("/v1/check"),
            client.post("/v1/tag", files={"file": ("x.doc", b"x")}),
            client.post("/v1/tag", files={"file": ("x.csv", b"")}),
        ]
    for response in answers:
        assert 400 <= response.status_code < 500
        message = response.json()["error"]["message"]
        assert english_sentences(message) == [], message


def test_usage_and_value_errors_have_no_english_words():
    import re

    from click.testing import CliRunner

    from service.cli import main

    english = re.compile(
        r"\[OPTIONS\]|COMMAND \[ARGS\]|\b(?:TEXT|INTEGER|FLOAT|BOOLEAN|INPUT|NAME|CODE|QUERY)\b|\[required\]"
    )
    runner = CliRunner()
    for command in ["", *main.list_commands(None)]:
        shown = runner.invoke(main, [*command.split(), "--help"]).output
        assert "用法：" in shown and not english.search(shown), (command, english.search(shown))
    wrong = runner.invoke(main, ["check", "社工站", "--top-k", "abc"]).output
    assert "不是有效的整数" in wrong and not english.search(wrong), wrong
    missing = runner.invoke(main, ["tag"]).output
    assert "缺少参数 '表格文件'" in missing, missing
