"""What an officer reads about a tagged or audited sheet: its gpsc columns in Chinese (words from ``service.words``),
and the 汇总 (counts and amounts per verdict, reason, department and audit kind) collected while the rows stream
by."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from classifier.eligibility import AUDIT_KINDS
from service.shapes import AUDIT_COLUMNS, TAG_COLUMNS
from service.words import AUDIT_TITLES, COLUMN_TITLES, PINMU_TYPE_TITLES, RULE_TITLES, VERDICT_TITLES

from ._tables import TableError, pick_column

VERDICT_ORDER = ("eligible", "review", "ineligible")
AUDIT_ORDER = AUDIT_KINDS  # most serious first
HEADER_CHOICES = ("zh", "machine")
AMOUNT_WORDS = ("金额", "预算", "资金", "合计")  # 合计: a budget table's row total
MAX_DEPARTMENTS = 1000  # distinct departments counted one by one; the rest share one line (memory stays flat)
OTHER_DEPARTMENTS = "（其余部门）"
NO_DEPARTMENT = "（未填写部门）"
_AMOUNT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def header_mode(headers: str | None, fmt: str) -> str:
    """``zh`` or ``machine``: as asked, else Chinese for an .xlsx and machine names for a CSV."""
    if headers is None:
        return "zh" if fmt == "xlsx" else "machine"
    if headers not in HEADER_CHOICES:
        raise TableError(f"表头只能是 zh（中文）或 machine（gpsc_* 列名），不是 {headers!r}")
    return headers


class AddedColumns:
    """Where gpsc's columns sit at the end of an output header, and their Chinese form."""

    def __init__(self, header: list[str]) -> None:
        added: list[str] = []
        for names in (AUDIT_COLUMNS, TAG_COLUMNS):
            if len(header) >= len(names) and header[-len(names) :] == names:
                added = names
                break
        self.start = len(header) - len(added)
        self.at = {name: self.start + k for k, name in enumerate(added)}

    def titles(self, header: list[str]) -> list[str]:
        """The header with gpsc's columns in Chinese; a title the input already uses gets ``（gpsc）``."""
        taken = set(header[: self.start])
        out = list(header[: self.start])
        for name in header[self.start :]:
            title = COLUMN_TITLES.get(name, name)
            out.append(f"{title}（gpsc）" if title in taken else title)
        return out

    def localize(self, row: list[object]) -> list[object]:
        """The row with verdict, audit kind and 品目 type in Chinese (the input's cells untouched)."""
        row = list(row)
        for name, words in (
            ("gpsc_verdict", VERDICT_TITLES),
            ("gpsc_audit", AUDIT_TITLES),
            ("gpsc_pinmu_type", PINMU_TYPE_TITLES),
        ):
            at = self.at.get(name)
            if at is not None and at < len(row):
                row[at] = words.get(row[at], row[at])
        return row


def aside_words(skipped: Counter, blank: int) -> str:
    """The rows kept but not judged, in words, or ``""``.

    >>> aside_words(Counter({"sheet.total": 1}), 2)
    '1 个合计行、2 个空行'
    """
    counts = (
        (skipped["sheet.total"], "合计行"),
        (skipped["sheet.subtotal"], "单位小计行"),
        (skipped["sheet.numbering"], "栏次行"),
        (skipped["sheet.note"], "说明行"),
        (blank, "空行"),
    )
    return "、".join(f"{count} 个{word}" for count, word in counts if count)


def parse_amount(cell: object) -> Decimal | None:
    """An amount from a cell (``1,760.00``, ``12.5``, a number); None when it is not a plain number.

    >>> parse_amount("1,760.00"), parse_amount("本年预算"), parse_amount(3)
    (Decimal('1760.00'), None, Decimal('3'))
    """
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | float):
        return Decimal(str(cell)) if cell == cell and abs(cell) != float("inf") else None
    text = str(cell).strip().replace(",", "").replace("，", "")
    if not _AMOUNT.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        return None


@dataclass
class Section:
    """One table of the 汇总: a title, column names and rows (numbers stay numbers)."""

    title: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    note: str = ""
    amount_columns: tuple[int, ...] = ()  # which columns hold amounts (formatted #,##0.00)
    share_column: int | None = None  # which column holds a share (formatted 0.0%)


class SheetTally:
    """Counts (and amounts, when the sheet has an amount column) per verdict, reason, department and audit
    kind, collected chunk by chunk through ``tag_table(on_rows=tally.add)``.

    The amount column is the one given, else the first column whose header contains 金额, 预算 or 资金 and
    whose first chunk's filled cells are mostly numbers (``预算类型`` holding 本年预算 is no amount).
    """

    def __init__(
        self,
        header: list[str],
        columns,
        *,
        department: str | None = None,
        amount_column: str | None = None,
        audit: bool = False,
        name: str | None = None,
    ) -> None:
        self.header = header
        self.name = name
        self.audit = audit
        self.department = department
        self.dept_at = header.index(columns.department) if columns.department else None
        self.used = {c for c in (columns.text, columns.department, columns.code, columns.detail, columns.pinmu) if c}
        self.amount_column = pick_column(header, amount_column, (), "金额") if amount_column else None
        self.amount_at = header.index(self.amount_column) if self.amount_column else None
        self._to_guess = amount_column is None  # guessed from the first chunk
        self.rows = 0
        self.blank = 0
        self.skipped: Counter = Counter()  # total and note rows (sheet.total, sheet.note): kept, never counted
        self.amount_rows = 0  # rows whose amount cell holds a number
        self.amount_total = Decimal(0)
        self.verdicts: Counter = Counter()
        self.verdict_amounts: defaultdict = defaultdict(Decimal)
        self.audits: Counter = Counter()
        self.audit_amounts: defaultdict = defaultdict(Decimal)
        self.rules: Counter = Counter()
        self.rule_amounts: defaultdict = defaultdict(Decimal)
        self.departments: dict[str, Counter] = {}
        self.department_amounts: defaultdict = defaultdict(Decimal)

    def _guess_amount(self, rows: list[list[object]]) -> None:
        self._to_guess = False
        for at, name in enumerate(self.header):
            if name in self.used or not any(word in name for word in AMOUNT_WORDS):
                continue
            filled = [row[at] for row in rows if at < len(row) and str(row[at]).strip()]
            numbers = sum(parse_amount(cell) is not None for cell in filled)
            if filled and numbers >= 0.8 * len(filled):
                self.amount_column, self.amount_at = name, at
                return

    def add(self, out: list[list[object]], outcomes: list[tuple]) -> None:
        """One written chunk: the output rows and, per row, (verdict, audit result or None, rule ids)."""
        if self._to_guess:
            self._guess_amount(out)
        for row, (verdict, result, rules) in zip(out, outcomes, strict=True):
            if verdict is None:
                if rules:
                    self.skipped[rules[0]] += 1
                else:
                    self.blank += 1
                continue
            self.rows += 1
            amount = parse_amount(row[self.amount_at]) if self.amount_at is not None else None
            if amount is not None:
                self.amount_rows += 1
                self.amount_total += amount
            money = amount or Decimal(0)
            self.verdicts[verdict] += 1
            self.verdict_amounts[verdict] += money
            if result is not None:
                self.audits[result.kind] += 1
                self.audit_amounts[result.kind] += money
            for rule in dict.fromkeys(rules):  # a rule twice on one row counts once
                self.rules[rule] += 1
                self.rule_amounts[rule] += money
            written = str(row[self.dept_at]).strip() if self.dept_at is not None else ""
            unit = written or self.department or NO_DEPARTMENT
            if unit not in self.departments and len(self.departments) >= MAX_DEPARTMENTS:
                unit = OTHER_DEPARTMENTS
            self.departments.setdefault(unit, Counter())[verdict] += 1
            self.department_amounts[unit] += money

    @property
    def has_amounts(self) -> bool:
        return self.amount_column is not None

    def headline(self) -> str:
        where = f"{self.name}：" if self.name else ""
        aside = aside_words(self.skipped, self.blank)
        blank = f"（另有 {aside}，不计）" if aside else ""
        if self.amount_column is None:
            amount = "没有找到金额列（可指定金额列）"
        else:
            missing = self.rows - self.amount_rows
            amount = f"金额列：{self.amount_column}，合计 {self.amount_total:,.2f}（单位同原表）" + (
                f"，其中 {missing} 行的金额不是数字，未计入" if missing else ""
            )
        return f"{where}共 {self.rows} 行{blank}；{amount}"

    def sections(self) -> list[Section]:
        """The 汇总's tables, in the order the sheet and the terminal show them."""
        money = ["金额合计"] if self.has_amounts else []
        total = self.rows or 1
        sections = []

        verdicts = Section("按判定", ["判定", "编号", "行数", "占比", *money], share_column=3)
        for kind in VERDICT_ORDER:
            verdicts.rows.append(
                [VERDICT_TITLES[kind], kind, self.verdicts[kind], self.verdicts[kind] / total]
                + ([float(self.verdict_amounts[kind])] if money else [])
            )
        verdicts.rows.append(["合计", "", self.rows, 1.0 if self.rows else 0.0, *self._total(money)])
        verdicts.amount_columns = (4,) if money else ()
        sections.append(verdicts)

        if self.audit:
            audits = Section("按审核结果", ["审核结果", "编号", "行数", "占比", *money], share_column=3)
            for kind in AUDIT_ORDER:
                if not self.audits[kind] and kind != "ok":  # a kind no row has (a 品目 list has no code kinds)
                    continue
                audits.rows.append(
                    [AUDIT_TITLES[kind], kind, self.audits[kind], self.audits[kind] / total]
                    + ([float(self.audit_amounts[kind])] if money else [])
                )
            audits.rows.append(["合计", "", sum(self.audits.values()), 1.0 if self.rows else 0.0, *self._total(money)])
            audits.amount_columns = (4,) if money else ()
            sections.append(audits)

        reasons = Section(
            "按理由",
            ["理由", "规则编号", "行数", "占比", *money],
            note="一行可有几条理由：各理由的行数之和可以多于总行数。",
            share_column=3,
        )
        for rule, count in sorted(self.rules.items(), key=lambda item: (-item[1], item[0])):
            reasons.rows.append(
                [RULE_TITLES.get(rule, rule), rule, count, count / total]
                + ([float(self.rule_amounts[rule])] if money else [])
            )
        reasons.amount_columns = (4,) if money else ()
        sections.append(reasons)

        departments = Section("按部门", ["部门", "行数", *(VERDICT_TITLES[k] for k in VERDICT_ORDER), *money])
        ordered = sorted(self.departments.items(), key=lambda item: (-sum(item[1].values()), item[0]))
        for unit, counts in ordered:
            departments.rows.append(
                [unit, sum(counts.values()), *(counts[k] for k in VERDICT_ORDER)]
                + ([float(self.department_amounts[unit])] if money else [])
            )
        departments.rows.append(["合计", self.rows, *(self.verdicts[k] for k in VERDICT_ORDER), *self._total(money)])
        departments.amount_columns = (5,) if money else ()
        sections.append(departments)
        return sections

    def _total(self, money: list[str]) -> list[object]:
        return [float(self.amount_total)] if money else []


class RowSamples:
    """A few judged rows to show on the terminal after a sheet is tagged: the first ``per_verdict`` of each
    verdict, in sheet order, with the row number as Excel shows it (``first_row`` is the first data row's)."""

    def __init__(self, header: list[str], text_column: str, first_row: int = 2, per_verdict: int = 2) -> None:
        self.text_at = header.index(text_column)
        self.added = AddedColumns(header + TAG_COLUMNS)
        self.width = len(header)
        self.next_row = first_row
        self.per_verdict = per_verdict
        self.rows: list[tuple[int, str, str, str, str]] = []
        self.seen: Counter = Counter()

    def add(self, out: list[list[object]], outcomes: list[tuple]) -> None:
        for row, (verdict, _result, _rules) in zip(out, outcomes, strict=True):
            number, self.next_row = self.next_row, self.next_row + 1
            if verdict is None or self.seen[verdict] >= self.per_verdict:
                continue
            self.seen[verdict] += 1
            cells = dict(zip(TAG_COLUMNS, row[self.width : self.width + len(TAG_COLUMNS)], strict=False))
            code = f"{cells['gpsc_department']}/{cells['gpsc_code']} {cells['gpsc_name']}" if cells["gpsc_code"] else ""
            pinmu = f"{cells['gpsc_pinmu_code']} {cells['gpsc_pinmu_name']}".strip()
            first_reason = str(cells["gpsc_reasons"]).split(" | ")[0]
            self.rows.append((number, str(row[self.text_at]), verdict, code or pinmu, first_reason))
        self.rows.sort()


def print_samples(console, samples: RowSamples, *, reason_chars: int = 60) -> None:
    """The sampled rows as a small table: 行, 采购内容, 判定, 目录条目或品目, 理由 (cut to ``reason_chars``)."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    if not samples.rows:
        return
    table = RichTable(title="部分行的判断（每种判定最多 2 行；全部结果见输出文件）", title_justify="left")
    for name in ("行", "采购内容", "判定", "目录条目或品目", "理由"):
        table.add_column(name, justify="right" if name == "行" else "left")
    for number, text, verdict, code, reason in samples.rows:
        short = reason if len(reason) <= reason_chars else reason[: reason_chars - 1] + "…"
        table.add_row(str(number), escape(text), VERDICT_TITLES[verdict], escape(code), escape(short))
    console.print(table)


def print_summary(console, tally: SheetTally, *, max_rows: int = 20) -> None:
    """The 汇总 on the terminal: one small rich table per section (long sections cut at ``max_rows``)."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    console.print(f"[bold]汇总[/] {escape(tally.headline())}", soft_wrap=True)
    for section in tally.sections():
        table = RichTable(
            title=section.title, title_justify="left", caption=section.note or None, caption_justify="left"
        )
        for k, name in enumerate(section.columns):
            numeric = all(isinstance(row[k], int | float) for row in section.rows) and bool(section.rows)
            table.add_column(name, justify="right" if numeric else "left")
        total = section.rows[-1:] if section.rows and section.rows[-1][0] == "合计" else []
        body = section.rows[: len(section.rows) - len(total)]
        for row in body[:max_rows] + total:
            table.add_row(*(escape(_shown(row, k, section)) for k in range(len(row))))
        console.print(table)
        if len(body) > max_rows:
            console.print(f"  [dim]……另有 {len(body) - max_rows} 行，见输出文件的“汇总”表[/]")


def _shown(row: list[object], k: int, section: Section) -> str:
    value = row[k]
    if k == section.share_column:
        return f"{value:.1%}"
    if k in section.amount_columns:
        return f"{value:,.2f}"
    return str(value)
