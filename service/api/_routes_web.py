"""The officers' web page at ``/`` and the API docs at ``/docs``: their own files shipped in the package (no build
step, no CDN), and only them.

The page's assets are listed by name: ``/static/__init__.py`` or any other file of the package is a 404. ``/docs``
is Swagger UI from the ``fastapi-offline`` package (its vendored ``swagger-ui-bundle.js`` and ``swagger-ui.css``),
started by ``docs.js`` rather than by an inline script, so that it works offline and under the page's strict
Content-Security-Policy. ReDoc is not offered: it injects ``<style>`` elements, which that policy forbids.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response

from service.words import words_script

from ._errors import ApiError

router = APIRouter(tags=["web"])
ASSETS = {
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "docs.js": "text/javascript; charset=utf-8",
    "docs.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
SWAGGER_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def index() -> str:
    return files("service.web").joinpath("index.html").read_text(encoding="utf-8")


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """Browsers ask for it on every page: the page's icon (SVG), not a 404 in the server log."""
    return Response(files("service.web").joinpath("favicon.svg").read_bytes(), media_type="image/svg+xml")


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs() -> str:
    return files("service.web").joinpath("docs.html").read_text(encoding="utf-8")


@router.get("/static/words.js", include_in_schema=False)
def words() -> Response:
    """The Chinese words for verdicts, rules, audit kinds and columns, from the same table the sheets use."""
    return Response(words_script(), media_type="text/javascript; charset=utf-8")


@router.get("/static/{name}", include_in_schema=False)
def asset(name: str) -> Response:
    if name not in ASSETS:
        raise ApiError(404, "not_found", f"没有这个文件：/static/{name}")
    return Response(files("service.web").joinpath(name).read_bytes(), media_type=ASSETS[name])


@cache
def _swagger_file(name: str) -> bytes:
    return files("fastapi_offline").joinpath("static", name).read_bytes()


@router.get("/static/swagger/{name}", include_in_schema=False)
def swagger_asset(name: str) -> Response:
    if name not in SWAGGER_ASSETS:
        raise ApiError(404, "not_found", f"没有这个文件：/static/swagger/{name}")
    return Response(
        _swagger_file(name), media_type=SWAGGER_ASSETS[name], headers={"Cache-Control": "public, max-age=86400"}
    )


def mount_web(app: FastAPI) -> None:
    app.include_router(router)
