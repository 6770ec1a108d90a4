"""The officers' web page at ``/``: its own files shipped in the package (no build step, no CDN), and only them.

The page's assets are listed by name: ``/static/__init__.py`` or any other file of the package is a 404.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response

from ._errors import ApiError

router = APIRouter(tags=["web"])
ASSETS = {
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def index() -> str:
    return files("service.web").joinpath("index.html").read_text(encoding="utf-8")


@router.get("/static/{name}", include_in_schema=False)
def asset(name: str) -> Response:
    if name not in ASSETS:
        raise ApiError(404, "not_found", f"没有这个文件：/static/{name}")
    return Response(files("service.web").joinpath(name).read_bytes(), media_type=ASSETS[name])


def mount_web(app: FastAPI) -> None:
    app.include_router(router)
