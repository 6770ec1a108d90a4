"""``POST /v1/tag`` and ``POST /v1/audit``: a CSV/XLSX upload in, the same file with gpsc columns out."""

from __future__ import annotations

import json
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from catalog import MAX_DEPARTMENT_CHARS
from classifier.eligibility import Checker
from service.sheets import (
    CODE_COLUMN_GUESSES,
    DEPARTMENT_COLUMN_GUESSES,
    PINMU_COLUMN_GUESSES,
    TEXT_COLUMN_GUESSES,
    RowCollector,
    SheetTally,
    TableError,
    TableWriter,
    TooManyRowsError,
    choose_columns,
    open_table_bytes,
    output_header,
    pick_column,
    sheet_buyer,
    tag_table,
)

from ._deps import client_gone, get_checker, get_settings
from ._errors import ApiError, error_responses
from ._routes_reviews import record_for
from ._settings import Settings

router = APIRouter(prefix="/v1", tags=["files"])
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _read_upload(upload: UploadFile, settings: Settings) -> bytes:
    data = upload.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise ApiError(413, "upload_too_large", f"文件超过 {settings.max_upload_bytes // (1024 * 1024)} MiB 的上限")
    if not data:
        raise ApiError(422, "bad_file", "上传的文件是空的")
    return data


def _process(
    upload: UploadFile,
    checker: Checker,
    settings: Settings,
    *,
    audit: bool,
    text_column: str | None,
    department_column: str | None,
    department: str | None,
    code_column: str | None,
    detail_column: str | None,
    pinmu_column: str | None = None,
    top_k: int,
    encoding: str | None,
    sheet: str | None,
    output_format: str | None,
    request: Request | None = None,
    headers: str | None = None,
    amount_column: str | None = None,
    header_row: int | None = None,
) -> Response:
    should_stop = client_gone(request)
    # a picker left on （无） sends an empty field: no column
    text_column, department_column = text_column or None, department_column or None
    code_column, pinmu_column, detail_column = code_column or None, pinmu_column or None, detail_column or None
    name = upload.filename or "upload.csv"
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ("csv", "xlsx", "txt"):
        raise ApiError(415, "unsupported_file_type", f"{name}：请上传 .csv 或 .xlsx 文件")
    if department and department_column:
        raise ApiError(422, "invalid_request", "department 与 department_column 只能给一个")
    fmt = output_format or ("xlsx" if suffix == "xlsx" else "csv")
    if fmt not in ("csv", "xlsx", "json"):
        raise ApiError(422, "invalid_request", "format 只能是 csv、xlsx 或 json")
    data = _read_upload(upload, settings)
    with open_table_bytes(
        data, name, encoding, sheet, max_unpacked=settings.max_unpacked_bytes, header_row=header_row
    ) as table:
        columns = choose_columns(
            table.header,
            text_column=text_column,
            department_column=department_column,
            department=department,
            code_column=code_column,
            need_code=audit,
            detail_column=detail_column,
            pinmu_column=pinmu_column,
        )
        header = output_header(table.header, audit)
        department, buyer_note = sheet_buyer(table, columns, department, checker.catalog)
        tally = SheetTally(
            table.header, columns, department=department, amount_column=amount_column, audit=audit, name=table.name
        )
        writer = (
            RowCollector()
            if fmt == "json"
            else TableWriter(None, header, fmt, source=table, headers=headers, tally=tally)
        )
        summary = tag_table(
            table,
            columns,
            checker,
            writer,
            department=department,
            top_k=top_k,
            audit=audit,
            max_rows=settings.max_upload_rows,
            should_stop=should_stop,
            on_rows=tally.add,
            reviews=_record(request),
        )
    counts = {
        "rows": summary.rows,
        "verdicts": dict(summary.verdicts),
        "audit": dict(summary.audits) if audit else None,
        "skipped": {
            **{kind: summary.skipped[f"sheet.{kind}"] for kind in ("total", "subtotal", "numbering", "note")},
            "blank": summary.blank,
        },
        "columns": {"text": columns.text, "department": columns.department, "code": columns.code},
        "layout": _layout_dict(table, buyer_note),
    }
    if fmt == "json":
        problems = [
            {"row": p.row, "kind": p.kind, "certainty": p.certainty, "text": p.text, "reason": p.reason}
            for p in summary.problems
        ]
        return JSONResponse(
            {"above": table.above, "header": header, "rows": writer.rows, "summary": counts, "problems": problems}
        )
    out_name = f"{name.rsplit('.', 1)[0]}.gpsc.{fmt}"
    return Response(
        writer.getvalue(),
        media_type=MEDIA[fmt],
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(out_name)}",
            "X-Gpsc-Summary": json.dumps(counts),  # ASCII (\u escapes): a header carries no raw Chinese
        },
    )


Text = Annotated[str | None, Form(description="Column with the purchase text (guessed when absent)")]
DeptCol = Annotated[str | None, Form(description="Column with each row's buyer")]
Dept = Annotated[str | None, Form(description="One buyer for every row", max_length=MAX_DEPARTMENT_CHARS)]
Detail = Annotated[str | None, Form(description="Column saying what each line pays for")]
TopK = Annotated[int, Form(ge=1, le=50)]
Enc = Annotated[str | None, Form(description="CSV encoding if detection fails: utf-8, gb18030")]
Sheet = Annotated[str | None, Form(description="XLSX sheet (default: the first)")]
Fmt = Annotated[str | None, Form(description="csv, xlsx or json (default: like the upload)")]
Headers = Annotated[
    Literal["zh", "machine"] | None,
    Form(
        description="zh: Chinese headers, verdicts and reasons; machine: gpsc_* and eligible … "
        "(default: zh for xlsx, machine for csv; json is always machine)"
    ),
]
HeaderRow = Annotated[
    int | None,
    Form(ge=1, le=1000, description="The header's row, 1-based (found past title and note rows when absent)"),
]
Amount = Annotated[str | None, Form(description="Column with amounts for the 汇总 sheet (guessed when absent)")]
Upload = Annotated[UploadFile, File(description="A .csv (UTF-8, UTF-8 BOM, GB18030) or .xlsx file, at most 20 MiB")]


@router.post("/tag", responses=error_responses(400, 408, 413, 415, 422), summary="Tag every row of a sheet")
def tag(
    request: Request,
    file: Upload,
    checker: Annotated[Checker, Depends(get_checker)],
    settings: Annotated[Settings, Depends(get_settings)],
    text_column: Text = None,
    department_column: DeptCol = None,
    department: Dept = None,
    detail_column: Detail = None,
    top_k: TopK = 5,
    encoding: Enc = None,
    sheet: Sheet = None,
    format: Fmt = None,
    headers: Headers = None,
    amount_column: Amount = None,
    header_row: HeaderRow = None,
) -> Response:
    """The uploaded sheet with gpsc_department, gpsc_code, …, gpsc_verdict, gpsc_reasons added to every row."""
    return _process(
        file,
        checker,
        settings,
        audit=False,
        text_column=text_column,
        department_column=department_column,
        department=department,
        code_column=None,
        detail_column=detail_column,
        top_k=top_k,
        encoding=encoding,
        sheet=sheet,
        output_format=format,
        request=request,
        headers=headers,
        amount_column=amount_column,
        header_row=header_row,
    )


@router.post("/audit", responses=error_responses(400, 408, 413, 415, 422), summary="Audit declared codes in a sheet")
def audit(
    request: Request,
    file: Upload,
    checker: Annotated[Checker, Depends(get_checker)],
    settings: Annotated[Settings, Depends(get_settings)],
    code_column: Annotated[
        str | None,
        Form(description="Column with the declared guidance-catalog code (guessed from 申报代码, 目录代码 …)"),
    ] = None,
    pinmu_column: Annotated[
        str | None,
        Form(
            description="Column with the declared 品目: a code, a name or a name path, 2013 names too (guessed from "
            "采购品目, 品目 … when absent); enough alone"
        ),
    ] = None,
    text_column: Text = None,
    department_column: DeptCol = None,
    department: Dept = None,
    detail_column: Detail = None,
    top_k: TopK = 5,
    encoding: Enc = None,
    sheet: Sheet = None,
    format: Fmt = None,
    headers: Headers = None,
    amount_column: Amount = None,
    header_row: HeaderRow = None,
) -> Response:
    """The sheet with the tag columns plus gpsc_audit and gpsc_audit_reason."""
    return _process(
        file,
        checker,
        settings,
        audit=True,
        text_column=text_column,
        department_column=department_column,
        department=department,
        code_column=code_column,
        pinmu_column=pinmu_column,
        detail_column=detail_column,
        top_k=top_k,
        encoding=encoding,
        sheet=sheet,
        output_format=format,
        request=request,
        headers=headers,
        amount_column=amount_column,
        header_row=header_row,
    )


@router.post(
    "/sheet/columns",
    responses=error_responses(400, 408, 413, 415, 422),
    summary="The columns of an uploaded sheet, with gpsc's guesses",
)
def sheet_columns(
    file: Upload,
    settings: Annotated[Settings, Depends(get_settings)],
    encoding: Enc = None,
    sheet: Sheet = None,
    header_row: HeaderRow = None,
) -> dict:
    """For pickers: the header (found as ``gpsc tag`` finds it), the guessed text/department/code columns, the
    number of rows and where the header was found."""
    name = file.filename or "upload.csv"
    if not name.lower().endswith((".csv", ".xlsx", ".txt")):
        raise ApiError(415, "unsupported_file_type", f"{name}：请上传 .csv 或 .xlsx 文件")
    data = _read_upload(file, settings)
    with open_table_bytes(
        data, name, encoding, sheet, max_unpacked=settings.max_unpacked_bytes, header_row=header_row
    ) as table:
        rows = 0
        for chunk in table.chunks:
            rows += len(chunk)
            if rows > settings.max_upload_rows:
                raise TooManyRowsError(settings.max_upload_rows)
        header = table.header
        layout = _layout_dict(table, None)
    code = pick_column(header, None, CODE_COLUMN_GUESSES, "code")
    pinmu = pick_column(header, None, PINMU_COLUMN_GUESSES, "pinmu")
    return {
        "header": header,
        "rows": rows,
        "guess": {
            "text": pick_column(header, None, TEXT_COLUMN_GUESSES, "text"),
            "department": pick_column(header, None, DEPARTMENT_COLUMN_GUESSES, "department"),
            "code": code,
            "pinmu": pinmu if pinmu != pick_column(header, None, TEXT_COLUMN_GUESSES, "text") else None,
        },
        "layout": layout,
    }


def _layout_dict(table, buyer_note: str | None) -> dict:
    """Where the header was found (1-based rows), how many rows sit above it, and what the user is told."""
    layout = table.layout
    if layout is None:
        return {"header_rows": [1, 1], "above": 0, "buyer": None, "notes": []}
    notes = layout.notes() + ([buyer_note] if buyer_note else [])
    return {"header_rows": [layout.start + 1, layout.end], "above": layout.start, "buyer": layout.buyer, "notes": notes}


__all__ = ["TableError", "router"]


def _record(request):
    """The review record for a sheet, through the app's guard; None when there is none (nothing to look up)."""
    if request is None:
        return None
    record = record_for(request)
    return record if record.present() else None
