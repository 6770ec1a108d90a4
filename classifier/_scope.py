"""What a purchase line buys: its object, apart from the words around it that are not the purchase.

Budget offices write a line as a whole sentence: the funding notice it came with, the bureau, the
year, the object, then the procurement method, the period, how it is settled and the budget, with
notes on what is *not* included and counts of cases or people served::

    关于下达2026年公共文化服务体系建设补助资金的通知（吕财教〔2026〕17号）——县文化和旅游局
    2026年度农村公益电影放映服务，公开招标，按放映场次结算，服务期一年，预算金额23.5万元

Only ``农村公益电影放映服务`` is bought. The ranking scores that core (a long line otherwise dilutes
every similarity), and the negative-list rules read it too: ``补助`` in the funding notice, ``工资`` in
``（不含网格员工资）`` and ``150件`` in ``预计150件`` say nothing about what is bought. The full line is
kept for display, and every part set aside is listed with its kind, so an officer sees what was read.
Nothing here decides what the object *is*; it only peels off the parts that are certainly not it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ._normalize import normalize, simplified
from ._titles import read_title

_CJK = r"\u4e00-\u9fff"
_OPEN, _CLOSE = "（(【[〔", "）)】]〕"
_SEPARATOR = r"(?:——|—|--|－|:|：|，|,|；|;|\s)*"
_DOC_NUMBER = (
    r"(?:[（(【\[][^（()）【】\[\]]{0,20}?[〔\[（(【]\d{4}[〕\]）)】]\s*\d+\s*号[)）】\]]"
    r"|[〔\[（(【]\d{4}[〕\]）)】]\s*\d+\s*号)"
)

# A funding notice or legal basis in front of the purchase.
_PREAMBLES = (
    re.compile(rf"^关于[^——]{{0,70}}?(?:通知|批复|意见|方案|函|决定|安排)(?:{_DOC_NUMBER})?{_SEPARATOR}"),
    re.compile(rf"^(?:依据|根据|按照|依照)《[^》]{{1,50}}》(?:[^，,；;]{{0,24}}?(?:规定|要求|精神|安排))?{_SEPARATOR}"),
    re.compile(rf"^(?:依据|根据|按照|依照)[^，,；;《》]{{2,30}}?(?:要求|部署|安排|规定|精神|意见|方案){_SEPARATOR}"),
    re.compile(rf"^[^——]{{2,60}}?(?:通知|文件|资金|批复)(?:{_DOC_NUMBER})?\s*(?:——|--|－)"),
)
# The buying unit and a commissioning verb before the object: 县民政局委托第三方开展…, 县文旅局2026年度…
_ORGAN = re.compile(
    rf"^(?:[{_CJK}]{{0,8}}?[省市县区])?[{_CJK}]{{1,14}}?(?:局|委员会|委|办公室|中心|院|所|站|大队|人民政府|联合会)"
    rf"(?=(?:19|20)\d{{2}}|委托|开展|组织|实施|面向|为)"
)
_COMMISSION = re.compile(
    rf"^(?:(?:委托|聘请|引入|通过|由)(?:[{_CJK}]{{0,8}}?(?:机构|组织|公司|第三方|单位|企业))?(?:开展|提供|实施|承接|承担|进行)?"
    rf"|(?:组织)?开展)(?=[{_CJK}\d])"
)
_YEAR_LEAD = re.compile(r"^(?:(?:19|20)\d{2}\s*(?:年度年|年度|年)?\s*)+")
# 文号 anywhere: 柳财预（2026）23号, 〔柳财采〔2024〕12号〕; kept apart so that its brackets are no clause
_DOCUMENT = re.compile(
    rf"[{_CJK}]{{1,8}}\s*[〔【\[（(]\s*\d{{4}}\s*[〕】\])）]\s*\d+\s*号|[〔【\[（(]\s*\d{{4}}\s*[〕】\])）]\s*\d+\s*号"
)
_EMPTY_BRACKETS = re.compile(r"[（(【\[〔]\s*[)）】\]〕]")
# What is excluded is not bought: （不含网格员工资）, 不包括设备购置, 设备购置除外
# what someone else provides or pays, or what is bought separately: （设备由采购人提供）, （奖金另行发放）
_ELSEWHERE = (
    r"另行(?:采购|发放|拨付|安排|支付|购置|列支|招标)|不在本(?:项目|次采购|次|合同)|自行(?:购买|采购|承担|提供)"
    r"|由[^，,；;（()）]{1,12}?(?:提供|自备|负责|自带|捐赠|承担|拨付|发放|聘用|派驻)"
)
_EXCLUDED = (
    re.compile(r"[（(]\s*(?:不含|不包括|不包含|不涉及|不计|除)[^（()）]*[）)]"),
    re.compile(rf"[（(][^（()）]*(?:{_ELSEWHERE})[^（()）]*[）)]"),
    re.compile(rf"[，,；;]?[^，,；;（()）]{{1,20}}(?:{_ELSEWHERE})[^，,；;（()）]*"),
    re.compile(r"[，,；;]?\s*(?:不含|不包括|不包含|不涉及)[^，,；;。（()）]*"),
    re.compile(rf"[（(]?[{_CJK}、]{{1,20}}除外[）)]?"),
)
# Counts of cases, people, batches or places served: not quantities of things bought.
_COUNT = re.compile(
    r"(?:(?:预计|约|共|计|全年|累计|年均|不少于|不低于)\s*)?(?<![\d.A-Za-z])\d+(?:\.\d+)?\s*万?\s*"
    r"(?:人次|批次|件次|场次|户次|课时|学时|小时|例|宗|户|人(?![员工力民口才])|(?<=[约计共])件|(?<=预计)\d*件"
    rf"|个(?:乡镇|村|社区|行政村|网格|站点|点位|小区)|家(?=[{_CJK}]{{0,4}}(?:企业|单位|机构)))"
)
# 预计办证200件, 约2000台, 扫描约80万页: an estimate of the work done, whatever its unit
_ESTIMATE = re.compile(
    r"(?:预计|约|共计|累计|全年|年均|计划)\s*[\u4e00-\u9fff]{0,6}?\s*\d+(?:\.\d+)?\s*万?\s*[\u4e00-\u9fff]{1,3}(?:次)?"
)
_COUNT_AFTER_SPACE = re.compile(
    r"(?:[\s，,；;]\s*|(?<=服务))(?:预计|约|共|计)?\s*\d+(?:\.\d+)?\s*件(?![\u4e00-\u9fff])"
)
# Clauses after the object that only say how it is bought, for how long and for how much.
_TERMS = re.compile(
    r"公开招标|邀请招标|竞争性磋商|竞争性谈判|单一来源|询价|框架协议|电子卖场|网上超市|协议供货|定点采购|采购方式"
    r"|服务期|期限|租期|周期|结算|付费|付款|支付|预算|金额|资金来源|万元|(?<!\d)\d+(?:\.\d+)?元|合同|履约|验收|考核"
    r"|^(?:(?:19|20)\d{2}年?\d{0,2}月?(?:至|到|-|—|~)?)+$|^(?:[一二三四五六七八九十\d]+个?)(?:年|月)$"
    r"|向[\u4e00-\u9fff]{1,12}购买|第三方承接|^(?:分批|分期)"
)
# Paying over years, buying back, repaying: the financing rule must see these, so they are never set aside.
_FINANCING_TERMS = re.compile(r"分\d+年|分年|分期|回购|偿还|还款|贷款|融资|平台公司|城投")
_COUNT_ONLY = re.compile(
    rf"^[{_CJK}]{{0,6}}?(?:{_COUNT.pattern})[{_CJK}]{{0,4}}$"
    # a later clause or a note that is only "thing + number + unit": the size of the work (路灯约3400盏, （2台）)
    rf"|^[{_CJK}]{{0,8}}?(?:约|共|计|预计)?\d+(?:\.\d+)?\s*万?[{_CJK}]{{1,2}}$"
)
_FUNDING_NOTE = re.compile(r"(?:补助|专项|衔接|转移支付|奖补|债券)资金$")
# A subsidy word that only qualifies a service bought from a supplier: 政府补贴类家政服务员培训
_QUALIFIER = re.compile(r"(?:政府)?补贴(?:类|性)(?=[\u4e00-\u9fff])")


@dataclass(frozen=True, slots=True)
class PurchaseScope:
    """A line and its object: ``core`` is what is bought; ``set_aside`` lists ``(kind, text)`` of the rest.

    Kinds: ``preamble`` (funding notice, legal basis), ``document`` (a 文号), ``buyer`` (the unit and
    commissioning verb), ``excluded`` (不含…), ``count`` (cases or people served), ``terms`` (method, period,
    settlement, budget), ``qualifier`` (补贴类 before a service); in a notice title also ``agency``, ``notice``,
    ``repeat``, ``number`` and ``lot`` (``read_title``).
    """

    text: str
    core: str
    set_aside: tuple[tuple[str, str], ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.set_aside)

    @property
    def named_buyer(self) -> str | None:
        """The buying unit the line names (``政和县教育局`` in a notice title, ``县民政局`` before 委托…), if any.

        >>> purchase_scope("政和县教育局宣传片制作服务项目竞争性谈判公告").named_buyer
        '政和县教育局'
        """
        for kind, text in self.set_aside:
            if kind == "buyer":
                unit = _COMMISSION_TAIL.sub("", text)
                if len(unit) >= 2:
                    return unit
        return None


_COMMISSION_TAIL = re.compile(r"(?:委托|聘请|引入|通过|由|组织|开展|实施|面向|为).*$")


# the ranking, the 品目 ranking and the rules all ask for the same lines' scope within a chunk (2,000 lines);
# bounded so that long hostile lines cannot grow it: 8,192 entries of at most 2,000 characters
@lru_cache(maxsize=8_192)
def purchase_scope(text: str) -> PurchaseScope:
    """Peel off what a line says around its object.

    >>> purchase_scope("公证服务，预计150件").core
    '公证服务'
    >>> purchase_scope("社区网格化管理第三方运营服务（不含网格员工资）").set_aside
    (('excluded', '（不含网格员工资）'),)
    """
    rest = simplified(text.strip())  # 採購項目 reads as 采购项目 for every reader after this one
    aside: list[tuple[str, str]] = []
    titled, furniture = read_title(rest)  # a notice title: agency, notice type, numbers and lots first
    if furniture:
        aside.extend(furniture)
        rest = titled

    def take(kind: str, pattern: re.Pattern[str]) -> None:
        nonlocal rest
        match = pattern.search(rest)
        if match and match.group().strip() and len(match.group()) < len(rest):
            aside.append((kind, match.group().strip("，,；; ")))
            rest = (rest[: match.start()] + rest[match.end() :]).strip("，,；;—- ")

    for pattern in _PREAMBLES:
        take("preamble", pattern)
    while (match := _DOCUMENT.search(rest)) and len(match.group()) < len(rest):
        take("document", _DOCUMENT)
    rest = _EMPTY_BRACKETS.sub("", rest)
    for pattern in _EXCLUDED:
        while (match := pattern.search(rest)) and len(match.group()) < len(rest):
            take("excluded", pattern)
    rest = _drop_clauses(rest, aside)
    for pattern in (_ESTIMATE, _COUNT_AFTER_SPACE, _COUNT):
        while (match := pattern.search(rest)) and len(match.group()) < len(rest):
            take("count", pattern)
    before = rest
    take("buyer", _ORGAN)
    rest = _YEAR_LEAD.sub("", rest) or rest
    take("buyer", _COMMISSION)
    if len(rest) < 2:  # the unit's name was the whole object after all
        rest = before
        aside = [a for a in aside if a[0] != "buyer"]
    take("qualifier", _QUALIFIER)
    core = rest.strip() or text.strip()
    return PurchaseScope(text, core, tuple(aside))


def _drop_clauses(text: str, aside: list[tuple[str, str]]) -> str:
    """Drop bracketed notes and later clauses that only give method, period, settlement, budget or counts."""
    kept: list[str] = []
    for index, (clause, bracketed) in enumerate(_clauses(text)):
        inner = clause[1:-1] if bracketed else clause
        parts = [p for p in re.split(r"[，,；;、]", inner) if p.strip()]
        admin = bool(parts) and all(
            _TERMS.search(p) or _COUNT_ONLY.search(p.strip()) or (bracketed and _FUNDING_NOTE.search(p)) for p in parts
        )
        admin = admin and not _FINANCING_TERMS.search(inner)
        if admin and (index > 0 or bracketed):
            aside.append(("count" if all(_COUNT_ONLY.search(p.strip()) for p in parts) else "terms", clause.strip()))
        else:
            kept.append(clause)
    out = ""
    for piece in kept:
        if out and not piece.startswith(tuple(_OPEN)) and not out.endswith(tuple(_CLOSE)):
            out += "，"
        out += piece
    return out.strip("，,；; ") or text


def _clauses(text: str) -> list[tuple[str, bool]]:
    """Top-level clauses (split at ，；) and bracketed notes, in order: ``(text, is_bracketed)``."""
    out: list[tuple[str, bool]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            if depth == 0 and i > start:
                out.append((text[start:i], False))
                start = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                out.append((text[start : i + 1], True))
                start = i + 1
        elif depth == 0 and ch in "，,；;":
            if i > start:
                out.append((text[start:i], False))
            start = i + 1
    if start < len(text):
        out.append((text[start:], False))
    return [(c, b) for c, b in out if c.strip()]


@lru_cache(maxsize=8_192)  # shared by the two rankings within a chunk; bounded like purchase_scope
def normalize_line(text: str) -> str:
    """What the ranking scores: the normalised object of the purchase (see ``purchase_scope``).

    >>> normalize_line("关于下达养老服务资金的通知（晋财社〔2026〕8号）——县民政局委托第三方开展养老机构等级评定")
    '养老机构等级评定'
    """
    core = normalize(purchase_scope(text).core)
    return core or normalize(text)  # never less than the plain normalisation
