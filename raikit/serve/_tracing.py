"""OpenTelemetry spans: one per call and one per check. Off unless an exporter is configured.

Attributes carry ids, outcomes, check names, statuses and timings, never prompt or output text.
Today's guard reports each check's time after the call, so check spans are written when the
decision arrives: each lasts as long as the check ran (summed over a stream's windows) and
starts at the call's start.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, Tracer

from raikit.guardrails import Decision

logger = logging.getLogger(__name__)


def make_tracer(exporter: str, provider: Any | None = None) -> Tracer:
    """A tracer: from ``provider`` when given (tests), else per ``exporter`` (``none`` = no-op).

    ``otlp`` needs ``opentelemetry-exporter-otlp`` and reads the standard ``OTEL_EXPORTER_OTLP_*``
    environment variables.
    """
    if provider is not None:
        return provider.get_tracer("raikit.serve")
    if exporter == "none":
        return trace.NoOpTracer()
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    sdk = TracerProvider(resource=Resource.create({"service.name": "raikit-serve"}))
    if exporter == "console":
        sdk.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    else:
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        except ImportError as err:
            from raikit.errors import MissingDependencyError

            raise MissingDependencyError(
                "the otlp trace exporter (opentelemetry-exporter-otlp-proto-http)",
                "pip install opentelemetry-exporter-otlp-proto-http",
            ) from err
        sdk.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return sdk.get_tracer("raikit.serve")


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


def now_ns() -> int:
    return time.time_ns()
