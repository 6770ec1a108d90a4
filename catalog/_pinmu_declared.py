"""A 品目 as procurement lists declare it, read against the 2022 catalog (财库〔2022〕31号).

Lists write the 品目 in many ways: a code (``C21040000``), a code with its name (``C21040000物业管理服务``,
``C21040000 物业管理服务``), a name (``物业管理服务``), or a name path (``服务/房地产服务/物业管理服务``), and many
still use the 2013 catalog's names (``服务/工程咨询管理服务/工程监理服务``, ``货物/其他货物/其他不另分类的物品``).
``read_pinmu_declaration`` reads any of these into a ``PinmuDeclaration``: the type (always readable from a
path's first part or a code's letter), and the 2022 item when one is named, with how it was found:

- ``code``: a 2022 code;
- ``path``: a name path that is a 2022 path;
- ``name``: a name (or a path's deepest part) that is one 2022 item's name; for a 2013 path this is how it is
  mapped, and the note says so;
- ``group``: a name several 2022 items carry, read as their deepest common group;
- ``type``: only the type is known (a 2013 name with no 2022 counterpart, a code not in the 2022 catalog).

A cell that names several 品目 (``货物/…,服务/…``) gives one declaration per part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._pinmu import Pinmu, PinmuItem

TYPE_WORDS = {"货物": "goods", "工程": "works", "服务": "services"}
TYPE_LETTERS = {"A": "goods", "B": "works", "C": "services"}
_CODE = re.compile(r"^\s*([ABCabc]\d{2,8})\s*[-—:：、.]?\s*(.*)$")
_SPACED_CODE = re.compile(r"^\s*[ABCabc](?:\s?\d){2,8}(?=\s*(?:$|[^\d\s]))")
_SPLIT = re.compile(r"[，,；;\n]+")
_PATH = re.compile(r"\s*[/／>＞›|]\s*")


@dataclass(frozen=True, slots=True)
class PinmuDeclaration:
    """One declared 品目: ``type`` (goods, works, services or None), the 2022 ``item`` named (None when only the
    type is known), ``how`` it was read (code, path, name, group, type) and a Chinese ``note`` when it was mapped
    from a name that is not a 2022 path (``按名称“工程监理服务”对应 2022 品目 C…``)."""

    text: str
    type: str | None
    item: PinmuItem | None
    how: str
    note: str = ""

    @property
    def level(self) -> int:
        """The deepest level the declaration supports: 0 for the type alone, else the item's level."""
        return self.item.level if self.item is not None else 0


def read_pinmu_declaration(cell: str, pinmu: Pinmu) -> list[PinmuDeclaration]:
    """Every 品目 a cell declares (none for a blank cell).

    >>> from catalog import load_pinmu
    >>> [(d.type, d.item.code, d.how) for d in read_pinmu_declaration("服务/房地产服务/物业管理服务", load_pinmu())]
    [('services', 'C21040000', 'path')]
    >>> [(d.item.code, d.how) for d in read_pinmu_declaration("C21040000物业管理服务", load_pinmu())]
    [('C21040000', 'code')]
    """
    parts = [p.strip() for p in _SPLIT.split(str(cell or "")) if p.strip()]
    return [d for d in (_read_one(part, pinmu) for part in parts) if d is not None]


def _read_one(text: str, pinmu: Pinmu) -> PinmuDeclaration | None:
    # a code typed with spaces (``A 0202 1003``, ``a0202 1003``) is one code
    found = _CODE.match(_SPACED_CODE.sub(lambda m: m.group(0).replace(" ", ""), text))
    if found:
        code, rest = found.group(1).upper(), found.group(2).strip()
        full = code.ljust(9, "0")
        item = pinmu.item(full)
        if item is not None and rest and rest != item.name:  # an older catalog's code with its own name
            named = _read_names([rest], item.type, pinmu, text)
            if named is not None and named.item is not None and named.item.code != item.code:
                note = (
                    f"代码 {code} 与名称“{rest}”在 2022 年目录中不一致，按名称对应 {named.item.code} {named.item.name}"
                )
                return PinmuDeclaration(text, named.type, named.item, named.how, note)
        if item is not None:
            return PinmuDeclaration(text, item.type, item, "code")
        kind = TYPE_LETTERS[code[0]]
        if rest:  # a code of another catalog with its name: read the name
            named = _read_names([rest], kind, pinmu, text)
            if named is not None:
                return named
        return PinmuDeclaration(text, kind, None, "type", f"代码 {code} 不在 2022 年品目目录中，只按类型比较")
    names = [p for p in _PATH.split(text) if p]
    if not names:
        return None
    kind = TYPE_WORDS.get(names[0])
    if kind is not None:
        names = names[1:]
        if not names:
            return PinmuDeclaration(text, kind, None, "type")
    return _read_names(names, kind, pinmu, text) or (
        PinmuDeclaration(text, kind, None, "type", "名称在 2022 年品目目录中没有对应，只按类型比较") if kind else None
    )


def _read_names(names: list[str], kind: str | None, pinmu: Pinmu, text: str) -> PinmuDeclaration | None:
    """A whole 2022 path, else the deepest part that names 2022 items (of the declared type, when known)."""
    by_path, by_name = _indexes(pinmu)
    whole = by_path.get((kind, tuple(names))) if kind else None
    if whole is not None:
        return PinmuDeclaration(text, whole.type, whole, "path")
    for depth in range(len(names) - 1, -1, -1):
        items = [i for i in by_name.get(names[depth], ()) if kind is None or i.type == kind]
        if not items:
            continue
        mapped = "" if depth == len(names) - 1 and len(names) == 1 else f"按名称“{names[depth]}”对应"
        if len(items) == 1:
            item = items[0]
            note = f"{mapped} 2022 年品目 {item.code} {item.name}".strip() if mapped else ""
            return PinmuDeclaration(text, item.type, item, "name", note)
        group = _common_group(items, pinmu)
        if group is not None:
            note = f"按名称“{names[depth]}”对应 2022 年品目 {group.code} {group.name} 之下"
            return PinmuDeclaration(text, group.type, group, "group", note)
    return None


def _common_group(items: list[PinmuItem], pinmu: Pinmu) -> PinmuItem | None:
    """The deepest item above all of ``items`` (below the type), or None when they share none."""
    paths = [pinmu.path(i.code) for i in items]
    common = None
    for level in zip(*paths, strict=False):
        if len({i.code for i in level}) != 1:
            break
        common = level[0]
    return common if common is not None and common.level > 0 else None


_INDEXES: dict[int, tuple[Pinmu, dict, dict]] = {}


def _indexes(pinmu: Pinmu) -> tuple[dict, dict]:
    """(type, names below the type) -> item, and name -> items, over the 2022 catalog (built once per tree: the
    tree is kept with them, so its id stays its own)."""
    kept = _INDEXES.get(id(pinmu))
    if kept is None:
        kept = _INDEXES[id(pinmu)] = (pinmu, *_build_indexes(pinmu))
    return kept[1], kept[2]


def _build_indexes(pinmu: Pinmu) -> tuple[dict, dict]:
    by_path: dict[tuple[str, tuple[str, ...]], PinmuItem] = {}
    by_name: dict[str, list[PinmuItem]] = {}
    for item in pinmu.items:
        if item.level == 0:
            continue
        names = tuple(p.name for p in pinmu.path(item.code)[1:])
        by_path[(item.type, names)] = item
        by_name.setdefault(item.name, []).append(item)
    return by_path, by_name


def group_code(code: str, level: int) -> str:
    """The code of the level-``level`` group an item belongs to (level 1 = ``C21``, 2 = ``C2104`` …), padded.

    >>> group_code("A02021003", 2), group_code("C21040000", 1)
    ('A02020000', 'C21000000')
    """
    return code[: 1 + 2 * level].ljust(9, "0")


__all__ = ["PinmuDeclaration", "group_code", "read_pinmu_declaration"]
