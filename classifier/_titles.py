"""Read a 政府采购 notice title: what is bought, apart from who announces it and what kind of notice it is.

Real titles wrap the purchase in the notice's own furniture::

    广西龙建工程管理有限公司贵港市港北区环境卫生管理所-环卫车辆维修及保养服务（项目编号：GGZC2022-C3-20246-GXLJ）竞争性磋商公告
    厦门万翔-竞争性谈判-XM2022-TZ5096……采购结果公告
    ……消防车辆器材采购项目（器材类）（第一批）（招标编号：JZGC-2022-01-13包/18包）废标公告

The agency (``…工程管理有限公司``, ``…关于``), the procurement method and notice type (``竞争性磋商公告``, ``更正公告``,
``成交结果公告``, ``（第二次）``), project numbers and lots say nothing about what is bought, and ``工程咨询有限公司``
in an agency's name must never make a line works. ``read_title`` peels them off, each with its kind, the way
``purchase_scope`` peels a budget line's preamble and terms; nothing here decides what the object is.
"""

from __future__ import annotations

import re

_CJK = r"\u4e00-\u9fff"
# what kind of notice, with the method before it: 竞争性磋商采购公告, 单一来源采购公示, 成交结果公告, 更正公告（一）
_METHOD = (
    r"(?:公开比选|公开竞价|公开遴选|公开招标|邀请招标|竞争性磋商|竞争性谈判|单一来源(?:采购)?|询价|比选|框架协议"
    r"|网上竞价|竞价|招标|磋商|谈判)"
)
_NOTICE_KIND = (
    r"(?:采购|招标|资格预审|审核前|结果|成交结果|中标结果|中标（成交）结果|中标\(成交\)结果|成交|中标|候选人|"
    r"更正|变更|澄清|补充|终止|废标|流标|失败|暂停|延期|答疑|意向|需求|合同|验收|评审|邀请|谈判|磋商)"
)
_NOTICE = re.compile(
    rf"(?:[的及、]?{_METHOD}?(?:{_NOTICE_KIND}){{0,3}}(?:公告|公示|通知|文件|邀请函|邀请书|信息)"
    rf"(?:[（(][一二三四五六七八九十\d]+[)）])?"
    rf"|[的-]?{_METHOD}(?:{_NOTICE_KIND}){{0,2}}"
    rf"|[的-]?(?:招标文件|磋商文件|谈判文件)(?:修改|澄清)?(?:通知|公告)?(?:[（(][一二三四五六七八九十\d]+[)）])?)$"
)
# (第二次), （二次）, 第三次, 重新招标 after the object or between it and the notice type
_REPEAT = re.compile(r"[（(【\[]?(?:第?[二三四五六七八九十\d]次|重新招标|重招|再次|重新)[)）】\]]?$")
# 采购编号：XM2022-TZ5096, （项目编号：GGZC2022-C3-20246-GXLJ）, [SCZC2022-123], W2022094 before a notice type
_NUMBER_LABEL = r"(?:项目|采购|招标|比选|磋商|谈判|询价)?(?:编号|编码|代码)"
_PROJECT_NUMBER = (
    re.compile(rf"[（(【\[]\s*{_NUMBER_LABEL}\s*[:：]?[^（()）【】\[\]]{{1,60}}[)）】\]]"),
    re.compile(rf"{_NUMBER_LABEL}\s*[:：]\s*[A-Za-z0-9\-_/—［］\[\]（）()〔〕]+"),
    re.compile(r"[（(【\[]\s*[A-Za-z][A-Za-z0-9]*[-_]?[A-Za-z0-9\-_/]*\d[A-Za-z0-9\-_/]*\s*[)）】\]]"),
    re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,12}[-_]?\d{2,}[A-Za-z0-9\-_/]*(?:[-_][A-Za-z0-9]+)*(?=[^A-Za-z0-9]|$)"),
)
# 一标段, 第二包, 包1, 1标段, （包2）, 标段一
_LOT = re.compile(
    r"[（(]?(?:第?[一二三四五六七八九十\d]+(?:标段|标包|包组|包|批次|批)|(?:标段|包件?|标包|分包)[一二三四五六七八九十\d]+)"
    r"(?:[、,，和及至-](?:第?[一二三四五六七八九十\d]+)(?:标段|标包|包|批)?)*[)）]?"
)
# an agency that announces for the buyer: …有限公司关于, …招标有限公司受…委托, 厦门万翔-竞争性谈判-
_AGENCY = (
    re.compile(
        rf"^[{_CJK}A-Za-z（()）]{{2,40}}?(?:有限责任公司|股份有限公司|有限公司|公司|事务所|中心|集团)"
        rf"(?:[{_CJK}]{{0,12}}分公司)?(?:关于|受[^，,；;]{{2,40}}?委托[，,]?(?:就|对)?)"
    ),
    re.compile(rf"^[{_CJK}A-Za-z]{{2,12}}[-—－]\s*{_METHOD}(?:采购)?\s*[-—－]\s*"),
    re.compile(
        rf"^[{_CJK}（()）]{{2,30}}?(?:工程咨询|工程管理|项目管理|招标代理|招标|造价咨询|建设管理|咨询|采购代理|代理)"
        rf"(?:服务)?(?:有限责任公司|股份有限公司|有限公司|公司|事务所)(?=[{_CJK}])"
    ),
)
# the buyer at the head of a notice title: 政和县教育局…, 北京市怀柔区教育委员会…, 尤溪县总医院…
_TITLE_BUYER = re.compile(
    rf"^(?:(?:中华人民共和国|中国|国家)[{_CJK}]{{0,16}}?|[{_CJK}]{{1,12}}?(?:省|市|县|区|旗|州|盟|镇|乡|街道|自治区)"
    rf"[{_CJK}]{{0,16}}?)"
    r"(?:管理委员会|委员会|人民政府|政府|办事处|局|委|办公室|办|中心|总医院|医院|卫生院|大学|学院|中学|小学|学校|幼儿园"
    r"|法院|检察院|监狱|支队|大队|总队|研究院|研究所|管理处|管理站|管理所|服务站|馆|厅)"
    rf"(?:[（(][{_CJK}]{{2,20}}[)）])?[-—－]?(?=[{_CJK}\d“\"])"
)
_LEADING_JUNK = re.compile(r"^[\s\-—－_:：,，、]+|[\s\-—－_:：,，、的]+$")
_QUOTES = re.compile(r"^[\"“”「」『』]+|[\"“”「」『』]+$")


# a line without any of these has no notice furniture to read off (most budget lines): one search, not fifteen
_FURNITURE = re.compile(
    r"公告|公示|通知|文件|邀请|招标|磋商|谈判|询价|比选|竞价|单一来源|公司|事务所|集团|编号|编码|代码|标段|标包|包|第.次|二次"
    r"|重新|[A-Za-z]{1,12}[-_]?\d{2,}|[-—－]"
)


def read_title(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The purchase in a notice title, and what was set aside: ``(core, ((kind, text), ...))``.

    Kinds: ``agency`` (who announces for the buyer), ``notice`` (method and notice type), ``repeat`` (第二次),
    ``number`` (a project or tender number), ``lot`` (标段, 包), and in a notice title ``buyer`` (the unit at its head).

    >>> read_title("政和县教育局宣传片制作服务项目竞争性谈判公告")
    ('宣传片制作服务项目', (('notice', '竞争性谈判公告'), ('buyer', '政和县教育局')))
    >>> read_title("中兴豫建设管理有限公司关于2022年度防雷设备整改项目竞争性谈判公告")[0]
    '2022年度防雷设备整改项目'
    >>> read_title("兴文县古宋镇光明新城安置点消防维修工程1标段竞争性磋商")[0]
    '兴文县古宋镇光明新城安置点消防维修工程'
    >>> read_title("办公楼物业管理服务")  # a line that is no notice title comes back whole
    ('办公楼物业管理服务', ())
    """
    rest = text.strip()
    if not _FURNITURE.search(rest):
        return rest, ()
    aside: list[tuple[str, str]] = []

    def take(kind: str, pattern: re.Pattern[str], *, at_end: bool = False) -> bool:
        nonlocal rest
        match = pattern.search(rest)
        if not match or not match.group().strip() or len(rest) - len(match.group()) < 4:
            return False
        if at_end and match.end() != len(rest):
            return False
        aside.append((kind, match.group().strip(" -—－_:：,，、")))
        rest = _LEADING_JUNK.sub("", rest[: match.start()] + rest[match.end() :])
        return True

    for _ in range(4):  # the notice type and its repeat marks come in any order at the end
        found = take("notice", _NOTICE, at_end=True)
        found = take("repeat", _REPEAT, at_end=True) or found
        if not found:
            break
    for pattern in _AGENCY:
        if take("agency", pattern):
            break
    for pattern in _PROJECT_NUMBER:
        while take("number", pattern):
            pass
    while take("lot", _LOT):
        pass
    take("repeat", re.compile(r"[（(](?:第?[二三四五六七八九十\d]次|重新招标)[)）]"))
    if aside:  # a notice title: its head names the buyer (a budget line's unit is the scope reader's business)
        take("buyer", _TITLE_BUYER)
    rest = _QUOTES.sub("", rest).strip()
    return rest, tuple(aside)
