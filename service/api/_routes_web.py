"""The officers' web page at ``/``: static files shipped in the package (no build step, no CDN)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

router = APIRouter(tags=["web"])


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def index() -> str:
    return files("service.web").joinpath("index.html").read_text(encoding="utf-8")


def mount_web(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/static", StaticFiles(packages=[("service", "web")]), name="static")
