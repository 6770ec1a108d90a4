"""``gpsc serve``: run the HTTP service with uvicorn (FastAPI is imported only here)."""

from __future__ import annotations

from pathlib import Path

import click

from ._cli_common import model_option


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@model_option
def serve_command(host: str, port: int, workers: int, model_path: Path | None) -> None:
    """Serve the API (OpenAPI docs at /docs) and the web page at /.

    \b
    Example:
      gpsc serve --port 8000
      curl -s localhost:8000/v1/check -H 'content-type: application/json' \\
           -d '{"text": "12345热线外包", "department": "县行政审批服务管理局"}'
    """
    import uvicorn

    from .api import Settings, create_app

    if workers == 1:
        uvicorn.run(create_app(Settings(model_path=model_path)), host=host, port=port, log_level="info")
    else:  # each worker process builds its own app from the factory; GPSC_MODEL tells it the model
        import os

        if model_path is not None:
            os.environ["GPSC_MODEL"] = str(model_path)
        uvicorn.run("service.api._factory:app_from_environment", factory=True, host=host, port=port, workers=workers)
