"""One error shape for every failure: ``{"error": {"code", "message"}}`` with a 4xx status for bad input.

Library errors are mapped here, in one place; handlers simply let them propagate.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalog import CatalogError, DepartmentNameTooLongError, UnknownDepartmentError
from classifier import ClassifierError, EmptyTextError
from service.sheets import ColumnError, TableError, TaggingCancelled, TooManyRowsError

from ._limits import SECURITY_HEADERS

log = logging.getLogger("gpsc.api")


class ApiError(Exception):
    """Raised by handlers for a request the library cannot judge (too many items, upload too large ...)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


_WHAT = {
    400: "Malformed JSON, a malformed request or an invalid decision (`malformed_json`, `invalid_review`)",
    401: "No valid reviewer token (`unauthorized`): `Authorization: Bearer <token>` from `gpsc reviewers add`",
    403: "Another reviewer's entry (`forbidden`)",
    503: "The review database cannot be reached (`database_unavailable`), or the model is being prepared on a "
    "first use (`model_preparing`) or could not be (`model_failed`)",
    404: "Unknown department or address (`unknown_department`, `not_found`)",
    408: "The request body stalled (`request_timeout`)",
    413: "Body, upload or rows over the limit (`body_too_large`, `upload_too_large`, `too_many_rows`)",
    415: "Not a .csv or .xlsx upload (`unsupported_file_type`)",
    422: "Invalid request or unreadable file (`invalid_request`, `text_too_long`, `bad_file`, `column_not_found`, …)",
}


def error_responses(*statuses: int) -> dict:
    """OpenAPI ``responses`` for the errors an operation really returns, all in the one error shape."""
    from ._models import ErrorResponse

    return {status: {"model": ErrorResponse, "description": _WHAT[status]} for status in statuses}


def validation_message(problem: dict) -> str:
    """pydantic's validation error in Chinese, from its stable ``type`` and ``ctx``.

    >>> validation_message({"type": "string_too_short", "ctx": {"min_length": 1}})
    '至少 1 个字'
    """
    ctx = problem.get("ctx") or {}
    kind = problem.get("type", "")
    known = {
        "missing": "缺少这一项",
        "string_too_short": f"至少 {ctx.get('min_length')} 个字",
        "string_too_long": f"最多 {ctx.get('max_length')} 个字",
        "too_short": f"至少 {ctx.get('min_length')} 项",
        "too_long": f"最多 {ctx.get('max_length')} 项",
        "string_type": "应为文字",
        "int_parsing": "应为整数",
        "int_type": "应为整数",
        "float_parsing": "应为数字",
        "bool_parsing": "应为 true 或 false",
        "list_type": "应为列表",
        "dict_type": "应为对象",
        "model_attributes_type": "应为对象",
        "greater_than_equal": f"不得小于 {ctx.get('ge')}",
        "less_than_equal": f"不得大于 {ctx.get('le')}",
        "greater_than": f"应大于 {ctx.get('gt')}",
        "less_than": f"应小于 {ctx.get('lt')}",
        "literal_error": f"只能是 {ctx.get('expected')}",
        "enum": f"只能是 {ctx.get('expected')}",
        "extra_forbidden": "不认识这一项",
    }
    if kind == "value_error" and ctx.get("error") is not None:
        return str(ctx["error"])  # our own validators' messages are Chinese already
    return known.get(kind, f"格式不对（{kind}）")


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def _respond(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return _respond(error.status, error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            return _respond(400, "malformed_json", "请求体不是有效的 JSON")
        parts = []
        for p in problems[:5]:
            where = ".".join(str(x) for x in p.get("loc", ()) if x != "body")
            parts.append(f"{where or '请求体'}：{validation_message(p)}")
        return _respond(422, "invalid_request", "；".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        # FastAPI answers a body it could not parse at all (JSON nested 50,000 deep) with a bare English 400
        unparsed = error.status_code == 400 and error.detail == "There was an error parsing the body"
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        code = "malformed_json" if unparsed else code
        message = {
            400: "请求体无法解析：不是有效的 JSON，或嵌套过深" if unparsed else str(error.detail),
            404: f"没有这个地址：{request.url.path}",
            405: f"{request.url.path} 不接受 {request.method} 请求"
            + (f"（可用：{error.headers['Allow']}）" if error.headers and "Allow" in error.headers else ""),
        }.get(error.status_code, str(error.detail))
        response = _respond(error.status_code, code, message)
        for name, value in (error.headers or {}).items():  # Allow with a 405
            response.headers[name] = value
        return response

    @app.exception_handler(DepartmentNameTooLongError)
    async def department_too_long(_: Request, error: DepartmentNameTooLongError) -> JSONResponse:
        return _respond(422, "invalid_request", str(error))

    @app.exception_handler(UnknownDepartmentError)
    async def unknown_department(_: Request, error: UnknownDepartmentError) -> JSONResponse:
        return _respond(404, "unknown_department", str(error))

    @app.exception_handler(EmptyTextError)
    async def empty_text(_: Request, error: EmptyTextError) -> JSONResponse:
        return _respond(422, "empty_text", str(error))

    @app.exception_handler(TooManyRowsError)
    async def too_many_rows(_: Request, error: TooManyRowsError) -> JSONResponse:
        return _respond(413, "too_many_rows", str(error))

    @app.exception_handler(TaggingCancelled)
    async def cancelled(_: Request, error: TaggingCancelled) -> JSONResponse:
        return _respond(499, "client_closed", str(error))  # nobody reads it: the client has gone

    @app.exception_handler(TableError)
    async def bad_table(_: Request, error: TableError) -> JSONResponse:
        # a column that is missing or misnamed is no unreadable file: the file was read
        return _respond(422, "column_not_found" if isinstance(error, ColumnError) else "bad_file", str(error))

    @app.exception_handler(CatalogError)
    async def catalog_error(_: Request, error: CatalogError) -> JSONResponse:
        return _respond(422, "catalog_error", str(error))

    @app.exception_handler(ClassifierError)
    async def classifier_error(_: Request, error: ClassifierError) -> JSONResponse:
        return _respond(422, "classifier_error", str(error))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:  # a bug, not bad input
        log.exception("unexpected error")
        response = _respond(500, "internal_error", f"服务器内部错误（{error.__class__.__name__}），请查看服务器日志")
        # this handler answers from outside every middleware: the security headers are added here
        for name, value in SECURITY_HEADERS:
            response.headers[name.decode()] = value.decode()
        return response
