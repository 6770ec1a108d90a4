"""Build step: read the official 品目 PDF and write the package data the library loads at run time.

    python -m catalog._pinmu_build ../shared/data/pinmu_2022/zfcg_pinmu_2022.pdf \\
        --reference ../shared/data/pinmu_2022/reference_extraction.tsv -o catalog/data

Needs ``pdfplumber`` (a dev dependency: ``pip install -e '.[dev]'``); gpsc itself never reads the PDF. The
output is reproducible: the same PDF gives byte-identical files, and a test re-runs this parse and compares.
Writes ``pinmu_2022.tsv`` (every item: code, type, level, parent, name, 说明, page, row) and
``pinmu_2022_anomalies.tsv`` (every decision of the parser, and every difference from the reference extraction).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
from pathlib import Path

from ._pinmu_parse import PinmuAnomaly, PinmuItem, PinmuRow, clean_cell, parse_pinmu_rows

PDF_SHA256 = "59483df358db0bb6e9d705bfae4aa14eba81ef0ff4b255e1d7b03e4511be9b43"
FIRST_TABLE_PAGE = 11  # pages 1-10: title, the document's own notes, table of contents
ITEM_FIELDS = ("code", "type", "level", "parent", "name", "description", "page", "row")
ANOMALY_FIELDS = ("kind", "page", "row", "code", "detail")


def _page_rows(pdf_path: str, first: int, last: int) -> list[PinmuRow]:
    import pdfplumber  # build-time only

    rows = []
    with pdfplumber.open(pdf_path) as pdf:
        for number in range(first, last + 1):
            for table in pdf.pages[number - 1].extract_tables():
                for index, cells in enumerate(table):
                    cells = [*cells, "", "", ""][:3]
                    rows.append(PinmuRow(number, index, *(c or "" for c in cells)))
    return rows


def read_pdf_rows(pdf_path: str | Path, jobs: int = 2) -> list[PinmuRow]:
    """The table's rows, page by page, as pdfplumber finds the ruled cells (pages split among ``jobs`` processes)."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        last = len(pdf.pages)
    pages = list(range(FIRST_TABLE_PAGE, last + 1))
    if jobs <= 1:
        return _page_rows(str(pdf_path), FIRST_TABLE_PAGE, last)
    from concurrent.futures import ProcessPoolExecutor

    # contiguous page ranges, so that the rows come back in document order
    size = -(-len(pages) // jobs)
    ranges = [(pages[i], pages[min(i + size, len(pages)) - 1]) for i in range(0, len(pages), size)]
    with ProcessPoolExecutor(len(ranges)) as pool:
        chunks = pool.map(_page_rows, [str(pdf_path)] * len(ranges), *zip(*ranges, strict=True))
        return [row for chunk in chunks for row in chunk]


def compare_with_reference(items: list[PinmuItem], reference_tsv: str) -> list[PinmuAnomaly]:
    """Every difference between this parse and the third-party extraction (codes, names, parents, levels)."""
    ours = {item.code: item for item in items}
    theirs = {row["code"]: row for row in csv.DictReader(io.StringIO(reference_tsv), delimiter="\t")}
    out = []
    for code, item in ours.items():
        ref = theirs.get(code)
        if ref is None:
            out.append(PinmuAnomaly("reference_missing", item.page, item.row, code, f"参考抽取缺少此条：{item.name}"))
            continue
        ref_name = clean_cell(ref["name"])
        if ref_name != item.name:
            out.append(
                PinmuAnomaly(
                    "reference_name", item.page, item.row, code, f"名称不同：参考为“{ref_name}”，本解析为“{item.name}”"
                )
            )
        if clean_cell(ref.get("name_raw")) not in ("", item.name, ref_name):
            out.append(
                PinmuAnomaly(
                    "reference_name_raw",
                    item.page,
                    item.row,
                    code,
                    f"参考的原始名称混入了说明：“{clean_cell(ref['name_raw'])[:40]}”",
                )
            )
        if (ref["parent_code"] or None) != item.parent:
            out.append(
                PinmuAnomaly("reference_parent", item.page, item.row, code, f"上级不同：参考为 {ref['parent_code']}")
            )
        if int(ref["level"]) != item.level:
            out.append(PinmuAnomaly("reference_level", item.page, item.row, code, f"层级不同：参考为 {ref['level']}"))
    for code, ref in theirs.items():
        if code not in ours:
            out.append(
                PinmuAnomaly("reference_extra", int(ref["source_page"] or 0), 0, code, f"只在参考抽取中：{ref['name']}")
            )
    return out


def items_tsv(items: list[PinmuItem]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(ITEM_FIELDS)
    for i in items:
        writer.writerow([i.code, i.type, i.level, i.parent or "", i.name, i.description, i.page, i.row])
    return out.getvalue()


def anomalies_tsv(anomalies: list[PinmuAnomaly]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(ANOMALY_FIELDS)
    for a in anomalies:
        writer.writerow([a.kind, a.page, a.row, a.code, a.detail])
    return out.getvalue()


def build(pdf_path: str | Path, reference_path: str | Path | None) -> tuple[str, str]:
    """(items TSV, anomalies TSV) for the PDF; refuses a PDF other than the official one."""
    digest = hashlib.sha256(Path(pdf_path).read_bytes()).hexdigest()
    if digest != PDF_SHA256:
        raise SystemExit(f"{pdf_path} 不是财库〔2022〕31号的官方 PDF（sha256 {digest[:12]}…）")
    items, anomalies = parse_pinmu_rows(read_pdf_rows(pdf_path))
    if reference_path is not None:
        anomalies += compare_with_reference(items, Path(reference_path).read_text(encoding="utf-8"))
    return items_tsv(items), anomalies_tsv(anomalies)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Parse the 品目 PDF into catalog/data/pinmu_2022*.tsv")
    parser.add_argument("pdf")
    parser.add_argument("--reference", help="reference_extraction.tsv, to report every difference")
    parser.add_argument("-o", "--out", default=str(Path(__file__).parent / "data"))
    args = parser.parse_args(argv)
    items, anomalies = build(args.pdf, args.reference)
    out = Path(args.out)
    (out / "pinmu_2022.tsv").write_text(items, encoding="utf-8")
    (out / "pinmu_2022_anomalies.tsv").write_text(anomalies, encoding="utf-8")
    print(f"{items.count(chr(10)) - 1} items, {anomalies.count(chr(10)) - 1} anomalies -> {out}")


if __name__ == "__main__":
    main()
