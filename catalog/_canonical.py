"""Build the canonical trees from the rows as printed.

Decisions, each reported as an ``Anomaly`` (kind in brackets):
- a code split by a space is joined [split_code]; a code printed without its letter takes the
  letter of its parent [code_missing_letter]; names lose stray spaces [split_name] and use full-width
  brackets [bracket_style];
- a section that starts below level 1 gets its level-1 node implied [missing_level1]; a node whose
  parent row is missing gets the parent implied [missing_parent] (its own code is trusted because
  its children extend it);
- a leaf whose code does not extend its parent's is a typo: it keeps its last two digits under the
  parent it was printed under [leaf_code_repaired]; the printed code stays findable;
- a level 1-3 code printed twice in a section with another code's name is that other code
  [code_misprinted];
- one code, several names across sections: the majority reading is canonical, ties go to the first
  reading in the document, and each section keeps its own [name_variant].
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ._model import Anomaly, Node, PrintedRow, Section
from ._text import clean_name, code_level, fold_spaces, squeeze_code


@dataclass
class _Draft:
    code: str
    level: int
    section_name: str
    parent: str | None
    line: int | None
    printed_code: str | None
    repair: str | None = None
    children: list[str] = field(default_factory=list)


class _Readings:
    """Every reading of every level 1-3 code across sections, to find majority names."""

    def __init__(self) -> None:
        self.by_code: dict[str, Counter[str]] = defaultdict(Counter)
        self.first_seen: dict[tuple[str, str], int] = {}

    def add(self, code: str, name: str, order: int) -> None:
        self.by_code[code][name] += 1
        self.first_seen.setdefault((code, name), order)

    def majority(self, code: str) -> str | None:
        counts = self.by_code.get(code)
        if not counts:
            return None
        return min(counts, key=lambda n: (-counts[n], self.first_seen[(code, n)]))

    def code_named(self, name: str, level: int) -> str | None:
        """The code at ``level`` whose majority reading is ``name``, if exactly one."""
        hits = [c for c in self.by_code if code_level(c) == level and self.majority(c) == name]
        return hits[0] if len(hits) == 1 else None


class _SectionBuilder:
    def __init__(self, title: str, readings: _Readings, anomalies: list[Anomaly]) -> None:
        self.title = title
        self.readings = readings
        self.anomalies = anomalies
        self.drafts: dict[str, _Draft] = {}
        self.stack: dict[int, str] = {}

    def note(self, kind: str, line: int | None, printed: str, decided: str) -> None:
        self.anomalies.append(Anomaly(kind, self.title, line, printed, decided))

    def add(self, row: PrintedRow) -> None:
        code = self._clean_code(row)
        if code is None:
            return
        level = code_level(code)
        assert level is not None
        if level != row.level:
            self.note(
                "level_mismatch",
                row.line,
                f"{row.code} 印在第 {row.level} 级的列中",
                f"按代码长度读作第 {level} 级",
            )
        name = self._clean_name(row)
        if level < 4 and code in self.drafts:
            code = self._reopen_or_recode(row, code, level, name)
            if code is None:
                return
        parent = self._parent_for(row, code, level)
        if level == 4 and parent is not None and not code.startswith(parent):
            code = self._repair_leaf(row, code, parent)
        if code in self.drafts:  # a leaf printed twice
            self._duplicate_leaf(row, code, name)
            return
        draft = _Draft(code, level, name, parent, row.line, row.code)
        if code != squeeze_code(row.code):
            draft.repair = f"第 {row.line} 行印作 {row.code}，读作 {code}"
        self._attach(draft)

    def _clean_code(self, row: PrintedRow) -> str | None:
        code = squeeze_code(row.code)
        if code != row.code:
            kind = "split_code" if any(ch.isspace() for ch in row.code) else "code_style"
            self.note(kind, row.line, row.code, code)
        if code.isdigit():
            parent = self.stack.get(code_level("A" + code) - 1 if code_level("A" + code) else 0)
            letter = parent[0] if parent else "A"
            self.note("code_missing_letter", row.line, row.code, f"{letter}{code}：补上上级 {parent or 'A'} 的字母")
            code = letter + code
        if code_level(code) is None:
            self.note("unplaced_line", row.line, f"{row.code} {row.name}", "已略去：不是有效的目录代码")
            return None
        return code

    def _clean_name(self, row: PrintedRow) -> str:
        name = clean_name(row.name)
        folded = fold_spaces(row.name)
        if folded != row.name.strip():
            self.note("split_name", row.line, row.name, folded)
        if name != folded:
            self.note("bracket_style", row.line, folded, name)
        return name

    def _reopen_or_recode(self, row: PrintedRow, code: str, level: int, name: str) -> str | None:
        existing = self.drafts[code]
        other = self.readings.code_named(name, level)
        if name != existing.section_name and other and other != code and other not in self.drafts:
            self.note(
                "code_misprinted",
                row.line,
                f"{row.code} {name}",
                f"{other} {name}：本部门的 {code} 已是“{existing.section_name}”，而“{name}”是 {other} 的名称",
            )
            return other
        self.note(
            "repeated_row",
            row.line,
            f"{row.code} {row.name}",
            f"{code} 已在第 {existing.line} 行出现；其后的行归入它之下",
        )
        self._open(code, level)
        return None

    def _parent_for(self, row: PrintedRow, code: str, level: int) -> str | None:
        if level == 1:
            return None
        natural = code[:-2] if level > 2 else code[0]
        parent = self.stack.get(level - 1)
        if parent is not None and code.startswith(parent):
            return parent
        if natural in self.drafts:
            if parent is not None:
                self.note("out_of_order", row.line, f"{row.code} 印在 {parent} 之下", f"归入其本来的上级 {natural}")
            return natural
        if level == 4 and parent is not None:
            return parent  # a typo in the leaf: repaired by the caller
        self._imply_ancestors(row, natural)
        return natural

    def _imply_ancestors(self, row: PrintedRow, code: str) -> None:
        level = code_level(code)
        assert level is not None
        if level > 1:
            upper = code[:-2] if level > 2 else code[0]
            if upper not in self.drafts:
                self._imply_ancestors(row, upper)
        name = self.readings.majority(code) or ""
        if level == 1 and not self.drafts:
            self.note(
                "missing_level1",
                row.line,
                f"本部门从 {row.code} {row.name} 开始",
                f"补出一级目录行 {code} {name}",
            )
        else:
            self.note(
                "missing_parent",
                row.line,
                f"{row.code} {row.name} 之上没有 {code} 行",
                f"补出 {code} {name}：下级代码以它开头",
            )
        parent = None if level == 1 else (code[:-2] if level > 2 else code[0])
        self._attach(_Draft(code, level, name, parent, None, None))

    def _repair_leaf(self, row: PrintedRow, code: str, parent: str) -> str:
        suffix = int(code[-2:])
        repaired = f"{parent}{suffix:02d}"
        while repaired in self.drafts:
            suffix += 1
            repaired = f"{parent}{suffix:02d}"
        self.note(
            "leaf_code_repaired",
            row.line,
            f"{row.code} {row.name} 印在 {parent} 之下",
            f"{repaired}：四级代码应以上级代码开头；按原代码 {row.code} 仍可查到",
        )
        return repaired

    def _duplicate_leaf(self, row: PrintedRow, code: str, name: str) -> None:
        existing = self.drafts[code]
        if existing.section_name == name:
            self.note("repeated_row", row.line, f"{row.code} {row.name}", f"与第 {existing.line} 行相同，已略去")
            return
        repaired = self._repair_leaf(row, code, existing.parent or code[:-2])
        draft = _Draft(repaired, 4, name, existing.parent, row.line, row.code)
        draft.repair = f"第 {row.line} 行印作 {row.code}，该代码已被使用；读作 {repaired}"
        self._attach(draft)

    def _attach(self, draft: _Draft) -> None:
        self.drafts[draft.code] = draft
        if draft.parent is not None:
            self.drafts[draft.parent].children.append(draft.code)
        self._open(draft.code, draft.level)

    def _open(self, code: str, level: int) -> None:
        self.stack[level] = code
        for deeper in range(level + 1, 5):
            self.stack.pop(deeper, None)


def build_sections(rows: list[PrintedRow], titles: list[tuple[str, int]], anomalies: list[Anomaly]) -> list[Section]:
    """Turn printed rows into one canonical ``Section`` per department, appending anomalies."""
    readings = _Readings()
    for order, row in enumerate(rows):
        code = squeeze_code(row.code)
        if code_level(code) in (1, 2, 3):
            readings.add(code, clean_name(row.name), order)

    builders = [_SectionBuilder(title, readings, anomalies) for title, _ in titles]
    by_title = {b.title: b for b in builders}
    for row in rows:
        by_title[row.department].add(row)

    final = _Readings()
    order = 0
    for builder in builders:
        for draft in builder.drafts.values():
            if draft.level < 4 and draft.line is not None:
                final.add(draft.code, draft.section_name, order)
                order += 1

    sections = []
    for builder, (title, line) in zip(builders, titles, strict=True):
        nodes = []
        for d in builder.drafts.values():
            canonical = d.section_name if d.level == 4 else (final.majority(d.code) or d.section_name)
            if d.line is None:
                d.section_name = canonical
            elif canonical != d.section_name:
                builder.note("name_variant", d.line, f"{d.code} {d.section_name}", _variant_note(final, d, canonical))
            if d.level < 4 and not d.children:
                builder.note("childless_node", d.line, f"{d.code} {d.section_name}", "保留；它没有下级条目")
            nodes.append(
                Node(
                    builder.title,
                    d.code,
                    d.level,
                    canonical,
                    d.section_name,
                    d.parent,
                    tuple(d.children),
                    d.line,
                    d.printed_code,
                    d.repair,
                )
            )
        sections.append(Section(title, line, tuple(nodes)))
    return sections


def _variant_note(readings: _Readings, draft: _Draft, canonical: str) -> str:
    counts = readings.by_code[draft.code]
    total = sum(counts.values())
    note = f"{draft.code} {canonical}：多数部门的写法（{total} 个部门中 {counts[canonical]} 个）"
    if counts[canonical] == counts[draft.section_name]:
        note += "，票数相同时取文中最先出现的写法"
    other = readings.code_named(draft.section_name, draft.level)
    if other and other != draft.code:
        note += f"；印出的名称通常是 {other} 的名称"
    return note + "；本部门的写法予以保留"
