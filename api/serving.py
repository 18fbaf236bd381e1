"""The app as `serve` runs it: built from the environment and with the process tuned, once per server process."""

from __future__ import annotations

from starlette.applications import Starlette

from api.settings import Settings, get_settings


def serving_app(settings: Settings) -> Starlette:
    from api.app import create_app
    from api.runtime import tune_garbage_collector

    app = create_app(settings)  # installs the log record factory that stamps request ids
    tune_garbage_collector()
    return app


def worker_app() -> Starlette:
    """What each process of `serve --workers N` serves (uvicorn imports this by name in every worker)."""
    return serving_app(get_settings())
