"""Operations: a request id on every response and log line, JSON logs, `/healthz` and Prometheus `/metrics`.

Under `observatoire serve` the workers are separate processes: request latencies are kept with
prometheus_client's multiprocess mode (one file per worker in ``METRICS_DIR``, summed at each scrape), so
whichever worker answers `/metrics` reports them all. What the database knows (index lag, mails waiting) is
read at scrape time, never counted in a worker's memory.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
import uuid
from pathlib import Path

from flask import Flask, Response, current_app, g, has_request_context, jsonify, request
from sqlalchemy import text

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Labels come from a fixed set: a client choosing its own method (or path) would add time series without end.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_METRICS: dict[str, object] = {}


# Request ids


def request_id() -> str | None:
    """The current request's id (from a proxy's X-Request-Id when well-formed, else generated)."""
    return g.get("request_id") if has_request_context() else None


def _start_request() -> None:
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "")
    started = g.get("request_started")
    if started is not None:
        seconds = time.perf_counter() - started
        route = request.url_rule.rule if request.url_rule else "(aucune route)"
        method = request.method if request.method in _METHODS else "other"
        _request_seconds().labels(route=route, method=method, status=str(response.status_code)).observe(seconds)
        # A link's secret (password reset, sign-up, registration) never goes to the logs: its route does.
        path = route if request.view_args and "token" in request.view_args else request.path
        logging.getLogger("kb.access").info(
            "%s %s %s", method, path, response.status_code,
            extra={"method": method, "path": path, "route": route, "status": response.status_code,
                   "duration_ms": round(seconds * 1000, 1)})
    return response


# JSON logs


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request id and any fields passed as extra."""

    _FIELDS = ("method", "path", "route", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage(),
                "pid": record.process}
        rid = getattr(record, "request_id", None) or request_id()
        if rid:
            line["request_id"] = rid
        for name in self._FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


JsonFormatter.converter = time.gmtime


def logging_config(level: str = "INFO") -> dict:
    """The logging set-up of `observatoire serve` (also given to gunicorn, whose own lines become JSON too)."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"console": handler},
        "root": {"level": level, "handlers": ["console"]},
        "loggers": {"gunicorn.error": {"level": level, "handlers": ["console"], "propagate": False},
                    "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False}},
    }


# Prometheus


def prepare_multiprocess(directory: Path) -> None:
    """Before gunicorn forks: each worker writes its samples under ``directory`` (emptied: a new server)."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    from prometheus_client import values

    values.ValueClass = values.get_value_class()  # chosen at import from the variable: choose again
    _METRICS.clear()


def worker_exited(pid: int) -> None:
    """Gunicorn's child_exit: a dead worker's live gauges stop counting (its counters stay summed)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def _request_seconds():
    if "requests" not in _METRICS:
        from prometheus_client import Histogram

        _METRICS["requests"] = Histogram(
            "observatoire_request_seconds", "Durée des réponses, par route, méthode et statut",
            ["route", "method", "status"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
    return _METRICS["requests"]


def _state(app: Flask) -> dict:
    """What the database says now: reachable, and how much the index and the mail still have to do."""
    from kb import indexing, mail
    from kb.db import new_session

    state: dict = {"database": "ok"}
    try:
        with new_session(app) as session:
            session.execute(text("SELECT 1"))
            state["index_lag"] = indexing.lag(app, session)
            state["mail_queue"] = mail.waiting(session)
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable" to a load balancer
        logging.getLogger(__name__).warning("health check: database unreachable: %s", exc)
        return {"database": "unreachable"}
    return state


def _metrics_view() -> Response:
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
    from prometheus_client.core import GaugeMetricFamily

    token = current_app.config["METRICS_TOKEN"]
    if token and request.headers.get("Authorization", "") != f"Bearer {token}":
        return Response("Jeton requis (Authorization: Bearer …).\n", 401, mimetype="text/plain")
    if not token and request.remote_addr not in ("127.0.0.1", "::1"):
        return Response("Métriques réservées à la machine elle-même (ou à KB_METRICS_TOKEN).\n", 403,
                        mimetype="text/plain")
    _request_seconds()  # the family shows from the first scrape, before any request was timed
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    state = _state(current_app._get_current_object())

    class _Now:
        def collect(self):
            up = GaugeMetricFamily("observatoire_database_up", "1 si la base répond")
            up.add_metric([], 1 if state["database"] == "ok" else 0)
            yield up
            if "index_lag" in state:
                lag = GaugeMetricFamily("observatoire_index_lag", "Changements que l'index de cet hôte n'a pas "
                                        "encore appliqués")
                lag.add_metric([], state["index_lag"])
                yield lag
                mails = GaugeMetricFamily("observatoire_mail_queue", "Courriels en attente du serveur de courrier")
                mails.add_metric([], state["mail_queue"])
                yield mails

    now = CollectorRegistry()
    now.register(_Now())
    return Response(generate_latest(registry) + generate_latest(now), mimetype=CONTENT_TYPE_LATEST)


def _healthz_view():
    state = _state(current_app._get_current_object())
    ok = state["database"] == "ok"
    state["status"] = "ok" if ok else "error"
    response = jsonify(state)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Request ids and timings on every request; `/healthz` and `/metrics`."""
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.add_url_rule("/healthz", "healthz", _healthz_view)
    app.add_url_rule("/metrics", "metrics", _metrics_view)
