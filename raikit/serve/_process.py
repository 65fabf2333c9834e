"""Starting the gateway from the CLI's settings: in this process, or as uvicorn worker processes.

``raikit serve --workers N`` hands its settings to the workers in the environment
(:data:`SETTINGS_ENV`, JSON without secrets: the upstream key stays in its own variable);
each worker builds its own gateway with :func:`app_from_env`. Workers share the audit log
file (appends take a file lock, so records from all workers form one chain) and, through
``PROMETHEUS_MULTIPROC_DIR``, one set of metrics.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Any

from raikit.serve._config import KeyStore, ServeConfig, load_keys, load_routes

SETTINGS_ENV = "RAIKIT_SERVE_SETTINGS"
# Loggers whose per-request INFO lines repeat what the access log and the decision record say.
_QUIET = ("httpx", "httpcore", "aiohttp.access", "raikit.guardrails._pipeline")


class JsonLines(logging.Formatter):
    """Access-log lines are JSON already; other records become JSON too."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name == "raikit.serve.access":
            return record.getMessage()
        return json.dumps({"level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()})


def configure_logging() -> None:
    """JSON lines on stderr at INFO, one access-log line per request and nothing per call besides."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for noisy in _QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def build_config(settings: dict[str, Any]) -> ServeConfig:
    """A :class:`ServeConfig` from the CLI's settings (``keys_file`` and ``routes_file`` are read here)."""
    settings = dict(settings)
    keys_file, routes_file = settings.pop("keys_file", None), settings.pop("routes_file", None)
    return ServeConfig(**settings, keys=load_keys(keys_file) if keys_file else KeyStore(),
                       routes=load_routes(routes_file) if routes_file else {})


def app_from_env() -> Any:
    """A worker's app (uvicorn factory): the settings from :data:`SETTINGS_ENV`."""
    from raikit.serve._app import create_app

    configure_logging()
    raw = os.environ.get(SETTINGS_ENV)
    if not raw:
        raise RuntimeError(f"{SETTINGS_ENV} is not set: start workers with `raikit serve --workers N`")
    return create_app(build_config(json.loads(raw)))
