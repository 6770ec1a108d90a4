"""``create_app(settings)``: the FastAPI application with its lifespan, routers and error handlers."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

from classifier import MODEL_FORMAT
from classifier.eligibility import Checker
from service.loading import Preparing, needs_training, open_checker, read_catalog_file

from ._deps import ready_checker
from ._errors import install_error_handlers
from ._limits import LimitsMiddleware
from ._models import Health
from ._routes_catalog import router as catalog_router
from ._routes_check import router as check_router
from ._routes_files import router as files_router
from ._routes_reviews import record_for
from ._routes_reviews import router as reviews_router
from ._routes_web import mount_web
from ._settings import Settings


def _log_step(message: str) -> None:
    logging.getLogger("uvicorn.error").info(message)


def create_app(settings: Settings | None = None, checker: Checker | None = None) -> FastAPI:
    """The gpsc service. The model is loaded once at start-up (trained and cached if there is none);
    a ready ``checker`` may be injected instead (tests, embedding)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if getattr(app.state, "checker", None) is None:
            catalog = read_catalog_file(settings.catalog_path) if settings.catalog_path else None
            if needs_training(settings.model_path, catalog):
                # a first use trains for half a minute: the page is served at once and says 正在准备模型 with the
                # step (/health), and the judging routes answer 503 model_preparing until the model is ready
                app.state.preparing = Preparing(echo=_log_step).start(settings.model_path, catalog)
            else:
                app.state.checker = open_checker(settings.model_path, catalog=catalog)
        if app.state.checker is not None:
            app.state.checker.check("社区养老服务", "民政")  # warm up jieba and the caches before the first user
        yield
        store = getattr(app.state, "reviews", None)
        if store is not None:  # the review record's connections, closed with the app
            store.close()
            app.state.reviews = None
        record = getattr(app.state, "record", None)
        if record is not None:
            record.close()
            app.state.record = None

    app = FastAPI(
        title="gpsc",
        summary="政府购买服务 eligibility and catalog codes (山西省部门政府购买服务指导性目录, 晋财综〔2025〕28号)",
        version="0.1.0",
        lifespan=lifespan,
        # FastAPI's own /docs and /redoc load Swagger UI and ReDoc from a CDN (blank offline) with an inline
        # script (refused by our CSP): /docs is served from the package instead (_routes_web), /redoc not at all
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.checker = checker
    app.state.preparing = None
    install_error_handlers(app)
    app.add_middleware(LimitsMiddleware, settings=settings)
    app.include_router(check_router)
    app.include_router(catalog_router)
    app.include_router(files_router)
    app.include_router(reviews_router)
    mount_web(app)

    @app.get("/health", response_model=Health, tags=["service"])
    def health(request: Request) -> dict:
        checker = ready_checker(request)
        if checker is None:
            preparing = request.app.state.preparing
            return {
                "status": "failed" if preparing.error else "preparing",
                "ready": False,
                "preparing": {
                    "step": preparing.step,
                    "steps": preparing.steps,
                    "words": preparing.words,
                    "message": preparing.error or preparing.message,
                },
                "database": "none",
            }
        catalog = checker.model.catalog_
        t = checker.thresholds
        return {
            "status": "ok",
            "catalog_version": catalog.source_version,
            "catalog_hash": catalog.content_hash,
            "model_format": MODEL_FORMAT,
            "model_catalog_hash": checker.model.catalog_hash_,
            "thresholds": {"with_department": t.with_department, "without_department": t.without_department},
            "ready": True,
            "database": (state := record_for(request).state),
            "database_message": record_for(request).warning if state == "unavailable" else None,
        }

    return app
