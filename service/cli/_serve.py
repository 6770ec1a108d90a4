"""``gpsc serve``: run the HTTP service with uvicorn (FastAPI is imported only here)."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import chosen_catalog, chosen_catalog_path, db_option, library_errors, model_option, open_model


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="工作进程数。")
@click.option(
    "--header-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 600),
    help="连接发送完请求头的时限（秒）。",
)
@click.option(
    "--body-timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="请求体停滞多少秒后放弃该请求（408）。",
)
@model_option
@db_option
@library_errors
def serve_command(
    host: str,
    port: int,
    workers: int,
    header_timeout: float,
    body_timeout: float,
    model_path: Path | None,
    db_url: str | None,
) -> None:
    """启动 HTTP 服务（接口文档在 /docs）和网页（/）。

    \b
    示例：
      gpsc serve --port 8000
      curl -s localhost:8000/v1/check -H 'content-type: application/json' \\
           -d '{"text": "12345热线外包", "department": "县行政审批服务管理局"}'
    """
    import uvicorn

    from service.api import Settings, create_app, server_options
    from service.loading import needs_training

    # a missing or broken model file is one line and exit 1, before any port opens; a first use trains in the
    # background while the page is already served and says 正在准备模型 with the step
    catalog_path = chosen_catalog_path()
    checker = None if needs_training(model_path, chosen_catalog()) else open_model(model_path)
    if workers == 1:
        settings = Settings(
            model_path=model_path, catalog_path=catalog_path, body_timeout_s=body_timeout, db_url=db_url
        )
        app = create_app(settings, checker=checker)
        uvicorn.run(app, host=host, port=port, log_level="info", **server_options(header_timeout))
    else:  # each worker process builds its own app from the factory; GPSC_MODEL tells it the model
        import os

        if model_path is not None:
            os.environ["GPSC_MODEL"] = str(model_path)
        if catalog_path is not None:
            os.environ["GPSC_CATALOG"] = str(catalog_path)
        os.environ["GPSC_BODY_TIMEOUT"] = str(body_timeout)
        if db_url:
            os.environ["GPSC_DB"] = db_url
        uvicorn.run(
            "service.api:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            **server_options(header_timeout),
        )
