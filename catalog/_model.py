"""The catalog's value types: immutable, typed, and cheap to share between threads and processes.

Two views of one document live side by side:
- ``PrintedRow``: what the document says, where (faithful, typos included);
- ``Node`` inside a ``Section``: the canonical tree, one name per code, typos repaired.
Every difference between the two is explained by an ``Anomaly``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ._errors import UnknownDepartmentError
from ._text import normalize_code, squeeze_code

LEVEL_NAMES = {1: "一级目录", 2: "二级目录", 3: "三级目录", 4: "四级目录"}


@dataclass(frozen=True, slots=True)
class PrintedRow:
    """One table row exactly as printed (tags removed from section titles only)."""

    line: int
    department: str
    level: int
    code: str
    name: str


# what each anomaly kind is called for the people who read ``gpsc catalog lint`` and the page's notes
ANOMALY_KIND_NAMES = {
    "repeated_header": "重复的表头",
    "misprinted_header": "印错的表头",
    "markup": "格式标签",
    "split_name": "名称被空格断开",
    "bracket_style": "括号统一为全角",
    "split_code": "代码被空格断开",
    "code_missing_letter": "代码缺少字母",
    "missing_level1": "缺少一级目录行",
    "missing_parent": "缺少上级目录行",
    "leaf_code_repaired": "四级代码更正",
    "code_misprinted": "二级代码印错",
    "name_variant": "同一代码名称不一致",
    "toc_mismatch": "目录与正文标题不一致",
    "unplaced_line": "无法归类的行",
    "page_number": "页码",
    "repeated_row": "重复的行",
    "out_of_order": "顺序错乱",
    "level_mismatch": "层级与代码不符",
    "childless_node": "没有下级的目录",
}


@dataclass(frozen=True, slots=True)
class Anomaly:
    """One decision the parser had to make, e.g. ``split_code`` at line 3588: ``A17 0404`` -> ``A170404``."""

    kind: str
    department: str | None
    line: int | None
    printed: str
    decided: str


@dataclass(frozen=True, slots=True)
class Node:
    """A node of a section's canonical tree.

    ``name`` is the canonical name (for levels 1-3 the majority reading across all sections, for
    leaves the section's own name); ``section_name`` is how this section printed it.
    ``printed_code`` is the code as printed (None for a node the parser had to imply), and
    ``repair`` says what was changed when it differs from ``code``.
    """

    department: str
    code: str
    level: int
    name: str
    section_name: str
    parent: str | None
    children: tuple[str, ...]
    line: int | None
    printed_code: str | None
    repair: str | None = None

    @property
    def is_leaf(self) -> bool:
        return self.level == 4

    @property
    def implied(self) -> bool:
        """True when the document never printed this node and the parser inferred it."""
        return self.line is None


@dataclass(frozen=True, slots=True)
class Section:
    """One department's part of the catalog, e.g. ``民政``, as a canonical code tree."""

    title: str
    line: int
    nodes: tuple[Node, ...] = field(repr=False)
    _by_code: Mapping[str, Node] = field(init=False, compare=False, repr=False)
    _by_printed: Mapping[str, Node] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", MappingProxyType({n.code: n for n in self.nodes}))
        printed = {
            squeeze_code(n.printed_code): n
            for n in self.nodes
            if n.printed_code and squeeze_code(n.printed_code) != n.code
        }
        object.__setattr__(self, "_by_printed", MappingProxyType(printed))

    def node(self, code: str) -> Node | None:
        """The node with this code, as users type it; a repaired node is also found by its printed code.

        ``section.node("a15 0201")`` finds ``A150201``.
        """
        wanted = normalize_code(code) or squeeze_code(code)
        found = self._by_code.get(wanted)
        if found is None:
            found = self._by_printed.get(squeeze_code(code)) or self._by_printed.get(wanted)
        return found

    def leaves(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.is_leaf)

    def roots(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.parent is None)

    def children(self, node: Node) -> tuple[Node, ...]:
        return tuple(self._by_code[c] for c in node.children)

    def path(self, node: Node) -> tuple[Node, ...]:
        """Ancestors from level 1 down to ``node`` itself."""
        chain = [node]
        while chain[-1].parent is not None:
            chain.append(self._by_code[chain[-1].parent])
        return tuple(reversed(chain))

    def walk(self) -> Iterator[tuple[int, Node]]:
        """Depth-first (depth, node) pairs in document order, for printing a tree."""

        def visit(node: Node, depth: int) -> Iterator[tuple[int, Node]]:
            yield depth, node
            for child in self.children(node):
                yield from visit(child, depth + 1)

        for root in self.roots():
            yield from visit(root, 0)


@dataclass(frozen=True, slots=True)
class Catalog:
    """A whole parsed catalog: sections, the printed rows, and the anomaly report.

    >>> from catalog import load_catalog
    >>> cat = load_catalog()
    >>> cat.leaf("民政局", "A100301").name
    '乡镇（街道）社会工作服务站运营服务'
    """

    title: str
    source_version: str | None
    sections: tuple[Section, ...] = field(repr=False)
    rows: tuple[PrintedRow, ...] = field(repr=False)
    anomalies: tuple[Anomaly, ...] = field(repr=False)
    content_hash: str = ""
    aliases: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    _by_title: Mapping[str, Section] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_title", MappingProxyType({s.title: s for s in self.sections}))

    def departments(self) -> tuple[str, ...]:
        """Section titles in document order, e.g. ``('人民代表大会常务委员会办公厅(室)', ...)``."""
        return tuple(s.title for s in self.sections)

    def resolve_department(self, name: str) -> str:
        """The section title for an everyday department name: ``柳林县人社局`` -> ``人力资源和社会保障``.

        Raises UnknownDepartmentError with the closest sections when nothing fits.
        """
        from ._departments import resolve_department

        return resolve_department(name, self.departments(), self.aliases)

    def department_keywords(self) -> dict[str, str]:
        """Core words that name a section (``人社`` -> ``人力资源和社会保障``), for spotting the buyer in text."""
        from ._departments import bundled_aliases, keyword_index

        return keyword_index(self.departments(), {**bundled_aliases(), **self.aliases})

    def section(self, department: str) -> Section:
        """The section of a department, by title or any everyday name the resolver accepts."""
        exact = self._by_title.get(department)
        if exact is not None:
            return exact
        return self._by_title[self.resolve_department(department)]

    def has_section(self, department: str) -> bool:
        try:
            self.section(department)
        except UnknownDepartmentError:
            return False
        return True

    def leaf(self, department: str, code: str) -> Node | None:
        """The leaf with this code in this department's section, or None: ``leaf('民政', 'A100301')``."""
        node = self.section(department).node(code)
        return node if node is not None and node.is_leaf else None

    def node(self, department: str, code: str) -> Node | None:
        """Any node (level 1-4) of a section by code, or None."""
        return self.section(department).node(code)

    def leaves(self) -> tuple[Node, ...]:
        """Every leaf of every section, in document order."""
        return tuple(leaf for s in self.sections for leaf in s.leaves())

    def path(self, node: Node) -> tuple[Node, ...]:
        return self._by_title[node.department].path(node)

    def anomalies_of(self, kind: str) -> tuple[Anomaly, ...]:
        return tuple(a for a in self.anomalies if a.kind == kind)
