"""Prometheus metrics of one gateway: its own registry, or summed over worker processes.

One process (``raikit serve``, tests): each gateway has its own registry, so apps in one
process stay apart. Several worker processes (``raikit serve --workers N``): the CLI sets
``PROMETHEUS_MULTIPROC_DIR`` before the workers start; every worker writes its values there
and ``/metrics`` on any worker answers the sum over all of them (gauges: the sum over live
workers), so a scrape sees the whole gateway whichever worker it reaches.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from raikit.guardrails import Decision

_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> str | None:
    """The shared metrics folder when the gateway runs as several worker processes, else None."""
    return os.environ.get(MULTIPROC_ENV) or None


class Metrics:
    """Requests, decisions, findings and errors by check, latencies, in-flight and queue depth."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("raikit_serve_requests", "HTTP requests by route and status", ["route", "status"],
                                registry=r)
        self.latency = Histogram("raikit_serve_request_seconds", "Request latency (streams: until the last byte)",
                                 ["route", "stream"], buckets=_LATENCY, registry=r)
        self.decisions = Counter("raikit_serve_decisions", "Guard decisions by outcome", ["outcome"], registry=r)
        self.findings = Counter("raikit_serve_check_findings", "Findings by check and action",
                                ["check", "action"], registry=r)
        self.check_errors = Counter("raikit_serve_check_errors", "Checks that crashed or timed out, by check and "
                                    "the on_error action taken", ["check", "action"], registry=r)
        self.check_seconds = Histogram("raikit_serve_check_seconds", "Time in each check per call, by stage",
                                       ["check", "stage"], buckets=_LATENCY, registry=r)
        self.upstream_errors = Counter("raikit_serve_upstream_errors", "Upstream failures by status", ["status"],
                                       registry=r)
        self.rejected = Counter("raikit_serve_rejected", "Requests refused before the guard (401, 413, 429)",
                                ["reason"], registry=r)
        self.in_flight = Gauge("raikit_serve_in_flight", "Requests being served", registry=r,
                               multiprocess_mode="livesum")
        self.queue_depth = Gauge("raikit_serve_queue_depth", "Requests waiting for a slot", registry=r,
                                 multiprocess_mode="livesum")

    def observe_decision(self, decision: Decision) -> None:
        self.decisions.labels(decision.outcome).inc()
        for finding in decision.findings:
            self.findings.labels(finding.check_id, finding.action or "allow").inc()
        for error in decision.errors:
            self.check_errors.labels(error.check_id, error.action).inc()
        for key, ms in decision.timings_ms.items():
            stage, _, check = key.partition(":")
            if check:
                self.check_seconds.labels(check, stage).observe(ms / 1000.0)

    def render(self) -> bytes:
        folder = multiprocess_dir()
        if folder is None:
            return generate_latest(self.registry)
        from prometheus_client import multiprocess

        summed = CollectorRegistry()
        multiprocess.MultiProcessCollector(summed, path=folder)
        return generate_latest(summed)

    def close(self) -> None:
        """This worker is stopping: its gauges leave the live sums."""
        if multiprocess_dir() is not None:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid())
