"""Export the canonical leaves as JSON or CSV, and read such an export back into a Catalog.

The export is what other tools consume (``gpsc catalog export``): one record per leaf with its
canonical level-1..3 codes and names. Re-importing it rebuilds the same canonical trees, which a
test checks, so the export is a faithful interchange format and not just a report.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping

from ._errors import CatalogFormatError
from ._model import Catalog, Node, Section

LEAF_FIELDS = (
    "department",
    "code",
    "name",
    "level1_code",
    "level1_name",
    "level2_code",
    "level2_name",
    "level3_code",
    "level3_name",
    "printed_code",
    "line",
)
_REQUIRED = LEAF_FIELDS[:9]


def leaf_records(catalog: Catalog) -> list[dict[str, object]]:
    """One dict per leaf, in document order, with canonical names along its path."""
    records = []
    for section in catalog.sections:
        for leaf in section.leaves():
            level1, level2, level3, _ = section.path(leaf)
            records.append(
                {
                    "department": section.title,
                    "code": leaf.code,
                    "name": leaf.name,
                    "level1_code": level1.code,
                    "level1_name": level1.name,
                    "level2_code": level2.code,
                    "level2_name": level2.name,
                    "level3_code": level3.code,
                    "level3_name": level3.name,
                    "printed_code": leaf.printed_code if leaf.printed_code != leaf.code else "",
                    "line": leaf.line,
                }
            )
    return records


def to_json(catalog: Catalog) -> str:
    payload = {
        "title": catalog.title,
        "source_version": catalog.source_version,
        "content_hash": catalog.content_hash,
        "leaves": leaf_records(catalog),
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)


def to_csv(catalog: Catalog) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LEAF_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(leaf_records(catalog))
    return buffer.getvalue()


def read_export(text: str, format: str) -> Catalog:
    """Rebuild a Catalog from ``to_json``/``to_csv`` output (canonical trees only, no anomalies)."""
    if format == "json":
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as error:
            raise CatalogFormatError(f"不是有效的 JSON：{error}") from error
        records = payload.get("leaves") if isinstance(payload, dict) else payload
        meta = payload if isinstance(payload, dict) else {}
        if not isinstance(records, list):
            raise CatalogFormatError("应为叶子条目的列表，或含 leaves 列表的对象")
        return catalog_from_records(records, meta.get("title", ""), meta.get("source_version"))
    if format == "csv":
        return catalog_from_records(list(csv.DictReader(io.StringIO(text))), "", None)
    raise CatalogFormatError(f"未知格式 {format!r}：请用 json 或 csv")


def catalog_from_records(records: Iterable[Mapping[str, object]], title: str, source_version: str | None) -> Catalog:
    from ._parse import content_hash

    drafts: dict[str, dict[str, dict[str, object]]] = {}
    for number, record in enumerate(records, start=1):
        missing = [f for f in _REQUIRED if not record.get(f)]
        if missing:
            raise CatalogFormatError(f"第 {number} 条叶子记录缺少字段：{'、'.join(missing)}")
        department = str(record["department"])
        nodes = drafts.setdefault(department, {})
        chain = [(record[f"level{i}_code"], record[f"level{i}_name"]) for i in (1, 2, 3)]
        chain.append((record["code"], record["name"]))
        parent = None
        for level, (code, name) in enumerate(chain, start=1):
            code, name = str(code), str(name)
            if code not in nodes:
                printed = str(record.get("printed_code") or "") or code if level == 4 else code
                line = record.get("line") if level == 4 else None
                nodes[code] = {
                    "level": level,
                    "name": name,
                    "parent": parent,
                    "children": [],
                    "printed": printed,
                    "line": int(line) if line not in (None, "") else None,
                }
                if parent is not None:
                    nodes[parent]["children"].append(code)
            parent = code
    sections = tuple(
        Section(
            department,
            0,
            tuple(
                Node(
                    department,
                    code,
                    d["level"],
                    d["name"],
                    d["name"],
                    d["parent"],
                    tuple(d["children"]),
                    d["line"],
                    d["printed"],
                )
                for code, d in nodes.items()
            ),
        )
        for department, nodes in drafts.items()
    )
    return Catalog(title, source_version, sections, (), (), content_hash(sections))
