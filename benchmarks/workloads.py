"""Purchase lines for speed runs, generated reproducibly (seeded) from the training and dev lines.

Two workloads:

- ``realistic_lines`` (the headline): at least 90 % of the lines are distinct after ``normalize_line``, as in
  real budget sheets. Every pool line is varied where the ranking sees it (a character dropped, a qualifier
  put in, a fragment of another line spliced on) and most also get the clerk's wrapping a budget office
  writes (``关于下达2026年…资金的通知——``, ``（续建）``, ``预算金额12万元``, ``（柳财社〔2025〕12号）`` …).
  Half the lines name their buyer as county units write it (``柳林县民政局``, ``县人社局``,
  ``县行政审批服务管理局``); the other half name none.
- ``lines`` (repetitive): the pool lines with one piece of noise each; they repeat a great deal, which
  flatters every cache. Kept for comparison with earlier runs.

``write_sheet`` writes either as a CSV or XLSX sheet (columns 序号, 项目名称, 单位) of a given size. The i-th
line of a workload does not depend on ``count``: the first 10,000 lines of the 1M sheet are the 10k sheet.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path

from catalog import Catalog, CatalogError
from classifier import bundled_dev, bundled_training

Line = tuple[str, str | None]
_Parts = tuple[str, str, str, str | None]  # before the object, the object, after it; its section

NOISE = [
    "",
    "",
    "（第二批）",
    "2026年",
    "2025年度",
    "柳林县",
    "吕梁市",
    "（30万元）",
    "服务费",
    "项目",
    "（柳财社〔2025〕12号）",
]


def line_pool(catalog: Catalog) -> list[Line]:
    lines = bundled_training(catalog) + bundled_dev(catalog)
    return [(line.text, line.department) for line in lines]


# ------------------------------------------------------------------------------ repetitive
def lines(catalog: Catalog, count: int, seed: int = 0) -> Iterator[Line]:
    """``count`` lines; half carry their department. Years, places and numbers vary as in real sheets."""
    rng = random.Random(seed)
    pool = line_pool(catalog)
    for i in range(count):
        text, department = pool[rng.randrange(len(pool))]
        noise = rng.choice(NOISE)
        text = noise + text if noise[:1].isdigit() or noise in ("柳林县", "吕梁市") else text + noise
        yield text, (department if i % 2 else None)


# ------------------------------------------------------------------------------- realistic
# Counties of 吕梁市 and the bare 县 most units write in their own sheets.
PLACES = ("柳林县", "县", "县", "中阳县", "石楼县", "方山县", "临县", "交口县", "兴县", "岚县", "吕梁市柳林县")
# Short forms county units use for their own organ (valinamed against the catalog; a form that does not
# resolve to the intended section is dropped, see ``county_departments``).
SHORT_FORMS = {
    "人力资源和社会保障": ("人社局", "人力资源和社会保障局"),
    "发展和改革委员会": ("发改局", "发展和改革局", "发改委"),
    "行政审批": ("行政审批服务管理局", "行政审批局"),
    "市场监督管理": ("市场监督管理局", "市场监管局"),
    "卫生健康": ("卫健局", "卫生健康局", "卫健委"),
    "文化和旅游": ("文旅局", "文化和旅游局"),
    "教育": ("教体局", "教育局", "教育科技局"),
    "住房和城乡建设": ("住建局", "住房和城乡建设管理局"),
    "农业农村": ("农业农村局", "农业农村发展中心"),
    "医疗保障": ("医保局", "医疗保障局"),
    "退役军人": ("退役军人事务局",),
    "网络安全和信息化委员会办公室": ("委网信办", "网信办"),
    "妇女联合会": ("妇联",),
    "残疾人联合会": ("残联",),
    "工商业联合会": ("工商联",),
    "共青团": ("团委",),
    "政法委员会": ("委政法委",),
    "纪律检查委员会监察委员会": ("纪委监委",),
    "人民代表大会常务委员会办公厅(室)": ("人大常委会办公室",),
    "人民政府办公厅(室)": ("人民政府办公室", "政府办"),
    "人民政治协商会议委员会办公厅(室)": ("政协办公室", "政协办"),
    "宣传部": ("委宣传部",),
    "统战部": ("委统战部",),
    "社会工作部": ("委社会工作部",),
    "老干部局": ("委老干部局",),
    "机关工委": ("直机关工委",),
    "林业和草原": ("林业局", "林业和草原局"),
    "自然资源": ("自然资源局", "规划和自然资源局"),
    "应急": ("应急管理局",),
    "粮食和物资储备": ("粮食和物资储备中心",),
    "能源": ("能源局",),
    "民营经济": ("民营经济发展促进中心",),
    "军民融合办": ("委军民融合办",),
    "科技": ("科技局", "科学技术局"),
}
_ORGAN_ENDS = ("局", "委", "办", "会", "部", "院", "所", "中心", "委员会", "办公室")

QUALIFIERS = (
    # most survive normalisation; 年度, 县级, 专项, 第二批 are stripped by it, as real noise often is
    "乡镇",
    "农村",
    "城区",
    "城乡",
    "重点",
    "续签",
    "补充",
    "智慧",
    "数字化",
    "综合",
    "示范",
    "标准化",
    "提升",
    "配套",
    "日常",
    "常态化",
    "全域",
    "网格化",
    "精细化",
    "线上",
    "一站式",
    "试点",
    "延伸",
    "巡回",
    "流动",
    "集中",
    "定点",
    "村级",
    "年度",
    "县级",
    "专项",
    "第二批",
)
FUNDS = (
    "养老服务",
    "就业补助",
    "困难群众救助补助",
    "公共文化服务体系建设",
    "农业生产发展",
    "大气污染防治",
    "林业改革发展",
    "医疗服务与保障能力提升",
    "基本公共卫生服务",
    "城乡义务教育补助经费",
    "中小企业发展专项",
    "退役军人事务",
    "乡村振兴衔接推进",
    "政法转移支付",
)
_JOINERS = ("", "", "及", "、", "和", "暨")


def _clerk_prefix(rng: random.Random) -> str:
    year = rng.randrange(2024, 2028)
    return rng.choice(
        (
            f"关于下达{year}年{rng.choice(FUNDS)}资金的通知——",
            f"关于拨付{year}年{rng.choice(FUNDS)}资金的通知：",
            f"{year}年",
            f"{year}年度",
            f"{year}年柳林县",
            "县本级",
        )
    )


def _clerk_suffix(rng: random.Random) -> str:
    year = rng.randrange(2023, 2027)
    return rng.choice(
        (
            "（续建）",
            "（第二批）",
            "（第三批）",
            "（新增）",
            f"预算金额{rng.randrange(1, 300)}万元",
            f"（{rng.randrange(1, 300)}万元）",
            f"（柳财社〔{year}〕{rng.randrange(1, 120)}号）",
            f"（柳财预〔{year}〕{rng.randrange(1, 120)}号）",
            f"（吕财农〔{year}〕{rng.randrange(1, 120)}号）",
            "服务期一年",
            "服务期三年",
            f" {year}年",
            "项目",
            "服务费",
        )
    )


def county_departments(catalog: Catalog, titles: Iterable[str]) -> dict[str, list[str]]:
    """Section title -> the names county units write for it: a place in front (``柳林县``, ``县``, ``临县``)
    and an organ word behind (``民政局``, ``人社局``, ``行政审批服务管理局``). Only names the catalog
    resolves back to the same section are kept; a title none resolves for keeps its bare title."""
    out: dict[str, list[str]] = {}
    for title in sorted(set(titles)):
        core = title.replace("(室)", "").replace("办公厅", "办公室")
        forms = SHORT_FORMS.get(title) or ((core,) if core.endswith(_ORGAN_ENDS) else (core + "局",))
        names = []
        for place in dict.fromkeys(PLACES):
            for form in forms:
                name = place + form
                if title == "共青团":
                    name = "团县委" if place == "县" else f"共青团{place}委员会"
                try:
                    if catalog.section(name).title == title and name not in names:
                        names.append(name)
                except CatalogError:  # a name the catalog cannot resolve is left out
                    continue
        out[title] = names or [title]
    return out


# The object of a line, as written: after a funding notice's dash or a short label, before the first comma
# (the terms). A fixed rule of this file, not the classifier's ``purchase_scope``, so that the workload stays
# the same while the classifier changes.
_LEAD = re.compile(r"^(?:.*——|[^，；,;：:]{1,8}[：:])")  # a notice's dash, or a short label (采购项目：)
_TERMS = re.compile(r"[，；,;。]")


def _object_span(text: str) -> tuple[str, str, str]:
    """``text`` cut into (before, object, after). A change outside the object (in the funding notice, the
    terms) would mostly vanish in normalisation, like the clerk's own wrapping."""
    lead = _LEAD.match(text)
    start = lead.end() if lead and lead.end() < len(text) else 0
    terms = _TERMS.search(text, start)
    end = terms.start() if terms and terms.start() > start else len(text)
    return text[:start], text[start:end], text[end:]


@cache
def _realistic_parts(catalog: Catalog) -> tuple[list[_Parts], list[_Parts], dict[str, list[str]]]:
    pool = [(*_object_span(text), title) for text, title in line_pool(catalog)]
    with_department = [x for x in pool if x[3]]
    return pool, with_department, county_departments(catalog, [x[3] for x in with_department])


def _vary(core: str, rng: random.Random, pool: list[_Parts], splice_only: bool = False) -> str:
    """One change where the ranking sees it: a character dropped, a qualifier put in, or a fragment of
    another line spliced on (before or after)."""
    how = 1.0 if splice_only else rng.random()
    if how < 0.25 and len(core) > 4:
        cut = rng.randrange(len(core))
        return core[:cut] + core[cut + 1 :]
    if how < 0.55:
        cut = rng.randrange(len(core) + 1)
        return core[:cut] + rng.choice(QUALIFIERS) + core[cut:]
    other = pool[rng.randrange(len(pool))][1]
    length = rng.randrange(2, 7)
    start = rng.randrange(max(1, len(other) - length + 1))
    fragment = other[start : start + length]
    joiner = rng.choice(_JOINERS)
    return fragment + joiner + core if rng.random() < 0.3 else core + joiner + fragment


def realistic_lines(catalog: Catalog, count: int, seed: int = 0) -> Iterator[Line]:
    """``count`` mostly distinct lines (≥ 90 % after ``normalize_line``); odd lines carry a county unit's
    name for their department, even lines none."""
    rng = random.Random(seed)
    pool, with_department, departments = _realistic_parts(catalog)
    for i in range(count):
        named = i % 2 == 1
        source = with_department if named else pool
        before, core, after, title = source[rng.randrange(len(source))]
        changes = rng.choice((1, 1, 2, 3))
        for _ in range(changes):  # one change alone is a splice: too few ways to drop one character
            core = _vary(core, rng, pool, splice_only=changes == 1)
        text = before + core + after
        wrap = rng.random()
        if wrap < 0.3:
            text = _clerk_prefix(rng) + text
        elif wrap < 0.6:
            text = text + _clerk_suffix(rng)
        elif wrap < 0.75:
            text = _clerk_prefix(rng) + text + _clerk_suffix(rng)
        yield text, (rng.choice(departments[title]) if named else None)


def distinct_lines(catalog: Catalog, count: int, seed: int = 0) -> Iterator[Line]:
    """Mostly distinct lines, as real sheets are (the realistic workload)."""
    return realistic_lines(catalog, count, seed)


WORKLOADS: dict[str, Callable[[Catalog, int, int], Iterator[Line]]] = {
    "realistic": realistic_lines,
    "repetitive": lines,
}


def generate(workload: str, catalog: Catalog, count: int, seed: int = 0) -> Iterator[Line]:
    return WORKLOADS[workload](catalog, count, seed)


def distinct_fractions(items: Iterable[Line], checkpoints: Iterable[int]) -> dict[int, float]:
    """Share of distinct lines after ``normalize_line`` among the first n lines, for each checkpoint n."""
    try:
        from classifier import normalize_line
    except ImportError:  # an older classifier: count the raw text
        normalize_line = str
    wanted = sorted(set(checkpoints))
    seen: set[int] = set()
    out: dict[int, float] = {}
    for count, (text, _) in enumerate(items, start=1):
        seen.add(hash(normalize_line(text)))
        while wanted and count == wanted[0]:
            out[wanted.pop(0)] = len(seen) / count
        if not wanted:
            break
    return out


def write_sheet(path: Path, catalog: Catalog, count: int, workload: str = "realistic", seed: int = 0) -> Path:
    """A sheet of ``count`` rows of ``workload`` (columns 序号, 项目名称, 单位): CSV, or XLSX by the suffix."""
    rows = generate(workload, catalog, count, seed)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("sheet1")
        sheet.append(["序号", "项目名称", "单位"])
        for number, (text, department) in enumerate(rows, start=1):
            sheet.append([number, text, department or ""])
        book.save(path)
        return path
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["序号", "项目名称", "单位"])
        for number, (text, department) in enumerate(rows, start=1):
            writer.writerow([number, text, department or ""])
    return path
