"""The gpsc HTTP service (FastAPI): ``create_app(settings)``; OpenAPI docs at ``/docs``.

Thin by design: handlers adapt JSON and uploads to the library and back. The model and catalog are
loaded once, in the lifespan; settings are injected, never global.

Also here, how the service is run: ``server_options`` (uvicorn's timeouts and a header deadline for
``gpsc serve``), ``app_from_environment`` (the factory each ``--workers`` process builds its app with) and
``running_server`` (a real ``gpsc serve`` on a free loopback port, for browser tests and benchmarks).

Names are imported when first used, so that ``import service`` (and with it ``gpsc catalog``) loads neither
FastAPI nor uvicorn.
"""

from service.lazy import lazy_names

_HOMES = {
    "Settings": "._settings",
    "create_app": "._app",
    "app_from_environment": "._factory",
    "running_server": "._launch",
    "server_options": "._server",
}


__getattr__, __dir__ = lazy_names(__name__, _HOMES)


__all__ = ["Settings", "app_from_environment", "create_app", "running_server", "server_options"]
