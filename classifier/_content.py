"""Whether a cell holds a purchase at all.

Sheets carry cells that name nothing bought: a 序号 or an amount in the text column, a code, a date, a dash, and
the words of headers, totals and placeholders (合计, 序号, 同上, 见附件, 待定). Judging them gives nonsense with a
straight face (``34`` matched 12348法律热线服务, ``测试`` 普通话水平测试服务), so such a line is never judged: it is
``review`` with the reason ``text.no_content`` and no leaf, in every interface.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

NO_CONTENT_MESSAGE = (
    "没有可判断的采购内容（只有数字、代码、日期、标点，或表头、合计、同上之类的字样），未作判断，请填写所购内容。"
)
# header, total and placeholder words a text cell holds instead of a purchase (compared without punctuation)
_PLACEHOLDERS = frozenset(
    (
        "合计",
        "小计",
        "总计",
        "共计",
        "累计",
        "总额",
        "序号",
        "编号",
        "代码",
        "编码",
        "同上",
        "同前",
        "同左",
        "如上",
        "见上",
        "见附件",
        "详见附件",
        "见附表",
        "详见附表",
        "见清单",
        "详见清单",
        "待定",
        "暂定",
        "暂无",
        "无",
        "空",
        "空白",
        "以下空白",
        "此行空白",
        "略",
        "测试",
        "试验数据",
        "备注",
        "说明",
        "其他",
        "其它",
        "项目名称",
        "采购项目名称",
        "采购内容",
        "品目",
        "金额",
        "预算",
        "单位",
        "部门",
        "名称",
        "内容",
        "数量",
        "单价",
        "test",
        "null",
        "none",
        "nan",
        "na",
        "n/a",
        "tbd",
    )
)
_PUNCTUATION = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMERALS_ONLY = re.compile(r"^[第]?[一二三四五六七八九十百千万零〇两]+[项条号个]?$")
_WORD = re.compile(r"(?<![a-z0-9])[a-z]{3,}(?![a-z0-9])")  # a Latin word (UPS, LED屏 is CJK anyway), not a code


@lru_cache(maxsize=8_192)  # asked by both rankings and the decision for the same lines of a chunk
def no_content(text: str | None) -> bool:
    """True when ``text`` names nothing that could be bought.

    >>> [no_content(t) for t in ("34", "A150201", "2026-01-01", "—", "合计：", "同上", "（三）", "测试")]
    [True, True, True, True, True, True, True, True]
    >>> [no_content(t) for t in ("UPS", "12345热线外包", "物业管理服务", "LED显示屏")]
    [False, False, False, False]
    """
    folded = unicodedata.normalize("NFKC", text or "").strip().lower()
    bare = _PUNCTUATION.sub("", folded)
    if not bare or bare in _PLACEHOLDERS or _NUMERALS_ONLY.match(bare):
        return True
    if _CJK.search(bare):
        return False
    return not _WORD.search(folded)
