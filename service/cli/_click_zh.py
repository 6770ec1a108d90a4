"""Click's own messages in Chinese (``Missing option``, ``Usage:``, ``Error:`` …).

Click marks its messages with ``gettext`` but binds ``_``/``ngettext`` at import, in each of its modules, to the
process-wide ``messages`` domain; a translation for that domain would depend on the user's locale and on a
compiled catalogue. Instead ``install()`` wraps those names in each click module with a lookup in
``MESSAGES`` (click's message ids, exactly as click writes them), falling back to the original for anything
not listed. A test runs the CLI with a missing option and a bad value and asserts the output is Chinese,
so a click release that changes its wording is noticed.
"""

from __future__ import annotations

import importlib

MESSAGES = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在允许的范围 {range} 内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个目录。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "Aborted!": "已中止。",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "unknown error": "未知错误",
    "Do you want to continue?": "是否继续？",
    "required": "必填",
}
# the words in a usage line, and the names of value types that help and errors show (``--top-k INTEGER RANGE``,
# ``'x' is not a valid integer``)
USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
TYPE_NAMES = {
    "StringParamType": "文字",
    "IntParamType": "整数",
    "IntRange": "整数",
    "FloatParamType": "数值",
    "FloatRange": "数值",
    "BoolParamType": "是否",
    "File": "文件",
    "DateTime": "日期时间",
}

PLURALS = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，但只给了 1 个。",
}
PLURALS_MANY = {
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "(Did you mean one of: {possibilities}?)": "（是否想用其中之一：{possibilities}？）",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，但给了 {len} 个。",
}
_MODULES = ("core", "exceptions", "decorators", "formatting", "parser", "types", "utils", "termui")


def translate(message: str) -> str:
    """Click's message in Chinese, or as it is when not listed.

    >>> translate("Missing option")
    '缺少选项'
    """
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular) if n == 1 else PLURALS_MANY.get(plural, plural)


def install() -> None:
    """Route click's message lookups through the tables above, and name the usage words and value types in
    Chinese (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural
    import click

    for kind, word in TYPE_NAMES.items():
        getattr(click.types, kind).name = word
    for cls in (click.Command, click.Group):
        original = cls.__dict__["collect_usage_pieces"]
        if not getattr(original, "_gpsc_zh", False):
            cls.collect_usage_pieces = _usage_in_chinese(original)


def _usage_in_chinese(original):
    def collect_usage_pieces(self, ctx):
        return [USAGE_WORDS.get(piece, piece) for piece in original(self, ctx)]

    collect_usage_pieces._gpsc_zh = True
    return collect_usage_pieces
