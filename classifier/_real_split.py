"""Build step: split the real notice titles by project (``training_data/real_titles.csv``).

    python -m classifier._real_split ../shared/data/real/ccgp_titles_2022_a.csv

Real titles are the measure of what is bought, so half of them is learned from and half is held out. The split
is by project, not by row: the 采购公告, 更正公告 and 成交公告 of one project share their purchase once the notice
furniture is read off (``read_title``), and the hash of that key puts them all on one side. The buyer's labels
are kept as published (noisy; never relabelled here).
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
from pathlib import Path

from ._normalize import fold
from ._titles import read_title

FIELDS = ("id", "title", "pinmu_path", "pinmu_2022_codes", "split")


def project_key(title: str) -> str:
    """What the notices of one project share: the purchase without notice type, numbers, lots or agency.

    >>> project_key("某县医院CT采购项目更正公告") == project_key("某县医院CT采购项目公开招标公告")
    True
    """
    core, _ = read_title(title)
    return fold(core)


def side(key: str, salt: str = "") -> str:
    """``train`` or ``test``, from the key's hash: stable across runs and machines. A ``salt`` splits a half
    again, independently of the first split (the type decision is fitted on lines its rankers did not learn)."""
    return "train" if int(hashlib.sha256((salt + key).encode("utf-8")).hexdigest(), 16) % 2 == 0 else "test"


def split_titles(text: str) -> str:
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "split": side(project_key(row["title"]))})
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    source = Path(argv[0] if argv else "../shared/data/real/ccgp_titles_2022_a.csv")
    text = split_titles(source.read_text(encoding="utf-8"))
    target = Path(__file__).resolve().parents[1] / "training_data" / "real_titles.csv"
    target.write_text(text, encoding="utf-8")
    sides = [line.rsplit(",", 1)[-1] for line in text.splitlines()[1:]]
    print(f"{target}: {sides.count('train')} 条训练，{sides.count('test')} 条留出（按项目划分）")


if __name__ == "__main__":
    main()
