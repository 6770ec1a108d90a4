"""One error shape for every failure: ``{"error": {"code", "message"}}`` with a 4xx status for bad input.

Library errors are mapped here, in one place; handlers simply let them propagate.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalog import CatalogError, UnknownDepartmentError
from classifier import ClassifierError, EmptyTextError

from .._tables import TableError

log = logging.getLogger("gpsc.api")


class ApiError(Exception):
    """Raised by handlers for a request the library cannot judge (too many items, upload too large ...)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


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
            return _respond(400, "malformed_json", "the request body is not valid JSON")
        parts = []
        for p in problems[:5]:
            where = ".".join(str(x) for x in p.get("loc", ()) if x != "body")
            parts.append(f"{where or 'body'}: {p.get('msg')}")
        return _respond(422, "invalid_request", "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return _respond(error.status_code, code, str(error.detail))

    @app.exception_handler(UnknownDepartmentError)
    async def unknown_department(_: Request, error: UnknownDepartmentError) -> JSONResponse:
        return _respond(404, "unknown_department", str(error))

    @app.exception_handler(EmptyTextError)
    async def empty_text(_: Request, error: EmptyTextError) -> JSONResponse:
        return _respond(422, "empty_text", str(error))

    @app.exception_handler(TableError)
    async def bad_table(_: Request, error: TableError) -> JSONResponse:
        return _respond(422, "bad_file", str(error))

    @app.exception_handler(CatalogError)
    async def catalog_error(_: Request, error: CatalogError) -> JSONResponse:
        return _respond(422, "catalog_error", str(error))

    @app.exception_handler(ClassifierError)
    async def classifier_error(_: Request, error: ClassifierError) -> JSONResponse:
        return _respond(422, "classifier_error", str(error))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:  # a bug, not bad input
        log.exception("unexpected error")
        return _respond(500, "internal_error", f"unexpected {error.__class__.__name__}; see the server log")
