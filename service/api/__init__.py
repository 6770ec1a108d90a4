"""The gpsc HTTP service (FastAPI): ``create_app(settings)``; OpenAPI docs at ``/docs``.

Thin by design: handlers adapt JSON and uploads to the library and back. The model and catalog are
loaded once, in the lifespan; settings are injected, never global.
"""

from ._app import Settings, create_app

__all__ = ["Settings", "create_app"]
