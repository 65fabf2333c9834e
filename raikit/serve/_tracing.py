"""OpenTelemetry spans: one per call and one per check. Off unless an exporter is configured.

Attributes carry ids, outcomes, check names, statuses and timings, never prompt or output text.
Today's guard reports each check's time after the call, so check spans are written when the
decision arrives: each lasts as long as the check ran (summed over a stream's windows) and
starts at the call's start.
"""

from __future__ import annotations

import logging
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, Tracer

from raikit.guardrails import Decision

logger = logging.getLogger(__name__)


def make_provider(exporter: str) -> Any | None:
    """A ``TracerProvider`` exporting per ``exporter``, or None for ``none`` (no spans at all).

    ``otlp`` (OTLP over HTTP/protobuf, ``opentelemetry-exporter-otlp-proto-http``) reads the
    standard ``OTEL_EXPORTER_OTLP_*`` variables (endpoint, headers, timeout, compression).
    """
    if exporter == "none":
        return None
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    if exporter == "console":
        span_exporter: Any = ConsoleSpanExporter()
    else:
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        except ImportError as err:
            from raikit.errors import MissingDependencyError

            raise MissingDependencyError(
                "the otlp trace exporter (opentelemetry-exporter-otlp-proto-http)",
                "pip install opentelemetry-exporter-otlp-proto-http",
            ) from err
        span_exporter = OTLPSpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "raikit-serve"}))
    provider.add_span_processor(BatchSpanProcessor(span_exporter))
    return provider


def make_tracer(provider: Any | None) -> Tracer:
    """The gateway's tracer from ``provider``; a no-op tracer for None."""
    return trace.NoOpTracer() if provider is None else provider.get_tracer("raikit.serve")


def check_spans(tracer: Tracer, parent: Span, decision: Decision, started_ns: int) -> None:
    """A child span per check of a finished decision (see the module docs for the timing)."""
    context = trace.set_span_in_context(parent)
    failed = {e.check_id for e in decision.errors}
    for key, ms in decision.timings_ms.items():
        stage, _, check = key.partition(":")
        if not check:
            continue
        span = tracer.start_span(f"raikit.check {check}", context=context, start_time=started_ns,
                                 attributes={"raikit.check.id": check, "raikit.check.stage": stage,
                                             "raikit.check.ms": round(ms, 3),
                                             "raikit.check.failed": check in failed,
                                             "raikit.check.findings": sum(
                                                 1 for f in decision.findings if f.check_id == check)})
        span.end(end_time=started_ns + int(ms * 1e6))
