"""Purchase lines for speed runs: real training and dev lines, varied the way clerks vary them."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

from catalog import Catalog
from classifier import bundled_dev, bundled_training

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


def line_pool(catalog: Catalog) -> list[tuple[str, str | None]]:
    lines = bundled_training(catalog) + bundled_dev(catalog)
    return [(line.text, line.department) for line in lines]


def lines(catalog: Catalog, count: int, seed: int = 0) -> Iterator[tuple[str, str | None]]:
    """``count`` lines; half carry their department. Years, places and numbers vary as in real sheets."""
    rng = random.Random(seed)
    pool = line_pool(catalog)
    for i in range(count):
        text, department = pool[rng.randrange(len(pool))]
        noise = rng.choice(NOISE)
        text = noise + text if noise[:1].isdigit() or noise in ("柳林县", "吕梁市") else text + noise
        yield text, (department if i % 2 else None)


def distinct_lines(catalog: Catalog, count: int, seed: int = 0) -> Iterator[tuple[str, str | None]]:
    """Mostly distinct lines, as real sheets are: each pool line with a character dropped, a qualifier put in,
    a fragment of another line spliced on, or a clerk's prefix or suffix (the repetitive ``lines`` flatter
    any cache)."""
    rng = random.Random(seed)
    pool = line_pool(catalog)
    qualifiers = ("年度", "第二批", "县级", "乡镇", "农村", "城区", "重点", "专项", "续签", "补充")
    for i in range(count):
        text, department = pool[rng.randrange(len(pool))]
        how = rng.randrange(4)
        if how == 0 and len(text) > 4:
            cut = rng.randrange(len(text))
            text = text[:cut] + text[cut + 1 :]
        elif how == 1:
            cut = rng.randrange(len(text) + 1)
            text = text[:cut] + rng.choice(qualifiers) + text[cut:]
        elif how == 2:
            other = pool[rng.randrange(len(pool))][0]
            text = text + other[: rng.randrange(2, 6)]
        else:
            text = f"{rng.randrange(2020, 2028)}年{rng.choice(NOISE)}{text}{rng.randrange(1, 99)}"
        yield text, (department if i % 2 else None)


def write_csv(path: Path, catalog: Catalog, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["序号", "项目名称", "单位"])
        for number, (text, department) in enumerate(lines(catalog, count), start=1):
            writer.writerow([number, text, department or ""])
    return path


def write_xlsx(path: Path, catalog: Catalog, count: int) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("sheet1")
    sheet.append(["序号", "项目名称", "单位"])
    for number, (text, department) in enumerate(lines(catalog, count), start=1):
        sheet.append([number, text, department or ""])
    book.save(path)
    return path
