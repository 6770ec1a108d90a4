"""Labelled purchase lines and aliases: reading, validating, and the bundled ``training_data/`` files.

A gold label is ``department/code`` (section title and code), several joined by ``;`` when several
leaves are right. Departments may be written as users write them (``县民政局``); they are resolved.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from catalog import Catalog, UnknownDepartmentError

from ._errors import TrainingDataError

Leaf = tuple[str, str]  # (section title, code)


@dataclass(frozen=True, slots=True)
class LabeledLine:
    """One labelled purchase line: ``LabeledLine('社工站运营', '民政', (('民政', 'A100301'),))``."""

    text: str
    department: str | None
    gold: tuple[Leaf, ...]
    verdict: str | None = None
    rule: str | None = None

    @property
    def expected_verdict(self) -> str:
        """The verdict column, or ``eligible`` for a line labelled only with its gold leaf."""
        return self.verdict or "eligible"


@dataclass(frozen=True, slots=True)
class PinmuLine:
    """A labelled 政府采购 line: ``PinmuLine('B超机一台', ('A02322100',))``."""

    text: str
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Alias:
    """A practitioners' term that names exactly one leaf: ``12368诉讼热线`` -> ``人民法院/A180701``."""

    alias: str
    leaf: Leaf


def parse_gold(value: str, catalog: Catalog | None = None) -> tuple[Leaf, ...]:
    """``'民政/A100301;民政/A100302'`` -> ``(('民政', 'A100301'), ('民政', 'A100302'))``."""
    leaves = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        department, sep, code = part.rpartition("/")
        if not sep or not department or not code:
            raise ValueError(f"标注 {part!r} 应写作 部门/代码")
        if catalog is not None:
            title = catalog.section(department).title
            leaf = catalog.leaf(title, code)
            if leaf is None:
                raise ValueError(f"标注 {part!r}：{title} 中没有四级条目 {code}")
            leaves.append((title, leaf.code))
        else:
            leaves.append((department, code.strip()))
    if not leaves:
        raise ValueError("标注为空")
    return tuple(leaves)


def read_labeled(text: str, catalog: Catalog, source: str = "<labelled data>") -> list[LabeledLine]:
    """Rows of a ``text,department,gold[,verdict]`` CSV; every bad row is reported, not skipped."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = set(reader.fieldnames or ())
    missing = {"text"} - fields or ({"gold"} if not fields & {"gold", "verdict"} else set())
    if missing:
        raise TrainingDataError(f"{source}: missing column(s) {', '.join(sorted(missing))}; found {reader.fieldnames}")
    lines, problems = [], []
    verdict_file = "verdict" in fields  # a set of verdicts may name buyers that have no section of their own
    for number, row in enumerate(reader, start=2):
        try:
            department = (row.get("department") or "").strip() or None
            if department is not None:
                # in a verdict set, a buyer without a section of its own (县城市管理局, a school) is kept as
                # written, and the checker judges the line against every section
                if verdict_file:
                    with contextlib.suppress(UnknownDepartmentError):
                        department = catalog.section(department).title
                else:
                    department = catalog.section(department).title
            text_value = (row.get("text") or "").strip()
            if not text_value:
                raise ValueError("文字为空")
            verdict = (row.get("verdict") or "").strip() or None
            if verdict not in (None, "eligible", "ineligible", "review"):
                raise ValueError(f"判定 {verdict!r} 应为 eligible、ineligible 或 review")
            gold = parse_gold(row.get("gold") or "", catalog) if (row.get("gold") or "").strip() else ()
            if not gold and verdict is None:
                raise ValueError("标注为空（没有标注条目的行需要给出判定 verdict）")
            rule = (row.get("rule") or "").strip() or None
            lines.append(LabeledLine(text_value, department, gold, verdict, rule))
        except (ValueError, UnknownDepartmentError) as error:
            problems.append(f"line {number}: {error}")
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise TrainingDataError(f"{source}: {shown}")
    return lines


def read_aliases(text: str, catalog: Catalog, source: str = "<aliases>") -> list[Alias]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    aliases, problems = [], []
    for number, row in enumerate(reader, start=2):
        try:
            (leaf,) = parse_gold(row.get("gold") or "", catalog)
            alias = (row.get("alias") or "").strip()
            if not alias:
                raise ValueError("别名为空")
            aliases.append(Alias(alias, leaf))
        except ValueError as error:
            problems.append(f"line {number}: {error}")
    if problems:
        raise TrainingDataError(f"{source}: {'; '.join(problems[:10])}")
    return aliases


def _bundled_text(name: str) -> str:
    return files("training_data").joinpath(name).read_text(encoding="utf-8")


@cache
def bundled_aliases() -> tuple[Alias, ...]:
    from catalog import load_catalog

    return tuple(read_aliases(_bundled_text("aliases.csv"), load_catalog(), "training_data/aliases.csv"))


def bundled_training(catalog: Catalog) -> list[LabeledLine]:
    """``train.csv`` (short lines, one writer per group of sections) and ``train_shapes.csv`` (long lines as
    budget offices write them: funding notices, 文号, method, period, budget, exclusions, counts)."""
    return [
        *read_labeled(_bundled_text("train.csv"), catalog, "training_data/train.csv"),
        *read_labeled(_bundled_text("train_shapes.csv"), catalog, "training_data/train_shapes.csv"),
    ]


def bundled_dev(catalog: Catalog) -> list[LabeledLine]:
    return read_labeled(_bundled_text("dev.csv"), catalog, "training_data/dev.csv")


def bundled_negatives(catalog: Catalog) -> list[LabeledLine]:
    """Lines that must not be judged eligible (rule hits, out-of-catalog, other sections' services)."""
    return read_labeled(_bundled_text("negatives.csv"), catalog, "training_data/negatives.csv")


def read_pinmu_lines(text: str, pinmu, source: str = "<pinmu lines>") -> list[PinmuLine]:
    """Rows of a ``text,…,pinmu`` CSV (品目 codes joined by ``;``); every bad row is reported, not skipped."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not {"text", "pinmu"} <= set(reader.fieldnames or ()):
        raise TrainingDataError(f"{source}: needs columns text and pinmu; found {reader.fieldnames}")
    lines, problems = [], []
    for number, row in enumerate(reader, start=2):
        codes = tuple(c.strip().upper() for c in (row.get("pinmu") or "").split(";") if c.strip())
        unknown = [c for c in codes if pinmu.item(c) is None]
        if not (row.get("text") or "").strip() or not codes or unknown:
            problems.append(
                f"line {number}: {'unknown 品目 ' + ', '.join(unknown) if unknown else 'empty text or 品目'}"
            )
            continue
        lines.append(PinmuLine(row["text"].strip(), codes))
    if problems:
        raise TrainingDataError(f"{source}: {'; '.join(problems[:10])}")
    return lines


def bundled_pinmu_training() -> list:
    """Labelled 政府采购 lines (``procurement_train.csv``): goods, works, services and mixed lines with their 品目."""
    from catalog import load_pinmu

    return read_pinmu_lines(_bundled_text("procurement_train.csv"), load_pinmu(), "training_data/procurement_train.csv")


def bundled_procurement_dev(catalog: Catalog) -> list[LabeledLine]:
    """政府采购 lines with their expected verdict (goods, works, mixed, services), for fitting the 品目 threshold."""
    return read_labeled(_bundled_text("procurement_dev.csv"), catalog, "training_data/procurement_dev.csv")


def bundled_no_leaf(catalog: Catalog) -> list[LabeledLine]:
    """Services with no right leaf in their buyer's section (``train_no_leaf.csv``): the ranking's negatives."""
    return read_labeled(_bundled_text("train_no_leaf.csv"), catalog, "training_data/train_no_leaf.csv")


def bundled_verdict_dev(catalog: Catalog) -> list[LabeledLine]:
    """Realistic lines with an expected verdict (long budget lines, goods, works, other sections), for fitting
    the eligibility thresholds beside ``dev.csv`` and ``negatives.csv``."""
    return read_labeled(_bundled_text("dev_verdicts.csv"), catalog, "training_data/dev_verdicts.csv")


RANKING_INPUTS = ("train.csv", "train_shapes.csv", "train_no_leaf.csv", "aliases.csv")
PINMU_INPUTS = (
    "procurement_train.csv",
    "procurement_dev.csv",
    "procurement_dev2.csv",
    "real_titles.csv",
)  # procurement_test.csv is held out
VERDICT_INPUTS = ("dev.csv", "negatives.csv", "dev_verdicts.csv")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def input_hashes(names: tuple[str, ...] = RANKING_INPUTS + VERDICT_INPUTS + PINMU_INPUTS) -> dict[str, str]:
    """sha256 (16 hex) of each bundled training file and of the place-name list the normaliser uses."""
    out = {f"training_data/{name}": _digest(_bundled_text(name).encode("utf-8")) for name in names}
    places = files("classifier.data").joinpath("places.txt").read_bytes()
    out["classifier/data/places.txt"] = _digest(places)
    out["catalog/data/pinmu_2022.tsv"] = _digest(files("catalog.data").joinpath("pinmu_2022.tsv").read_bytes())
    return out


def training_data_hash() -> str:
    """Changes whenever what the ranking learns from changes, so a cached model is not reused stale."""
    digest = hashlib.sha256()
    for name, value in sorted(input_hashes(RANKING_INPUTS).items()):
        digest.update(f"{name}={value};".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class RealTitle:
    """A real 政府采购 notice title with the 品目 its buyer chose (``training_data/real_titles.csv``).

    ``types`` are the buyer's types (one per 品目 path: ``goods``, ``works``, ``services``); ``codes`` the 2022
    codes whose name path equals a given path (empty for paths in 2013 names).
    """

    text: str
    types: tuple[str, ...]
    codes: tuple[str, ...]
    split: str

    @property
    def kind(self) -> str:
        """``goods_or_works``, ``services`` or ``mixed`` (paths of both kinds)."""
        kinds = {"services" if t == "services" else "goods_or_works" for t in self.types}
        return kinds.pop() if len(kinds) == 1 else "mixed"


_PATH_TYPES = {"货物": "goods", "工程": "works", "服务": "services"}


@cache
def bundled_real_titles(split: str | None = None) -> tuple[RealTitle, ...]:
    """Real notice titles, split by project (``python -m classifier._real_split``): ``train`` is learned from,
    ``test`` is held out and only ever measured on; None gives both."""
    reader = csv.DictReader(io.StringIO(_bundled_text("real_titles.csv")))
    out = []
    for row in reader:
        types = tuple(
            dict.fromkeys(
                _PATH_TYPES[p.split("/")[0]] for p in row["pinmu_path"].split(",") if p.split("/")[0] in _PATH_TYPES
            )
        )
        codes = tuple(c for c in row["pinmu_2022_codes"].split(";") if c)
        if types and (split is None or row["split"] == split):
            out.append(RealTitle(row["title"], types, codes, row["split"]))
    return tuple(out)
