"""The gateway's ASGI app: OpenAI chat completions, scan, audit-log and operations endpoints."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from raikit.errors import InputError, PolicyViolation
from raikit.serve._config import DEFAULT_ROUTE, ServeConfig
from raikit.serve._guarding import CallContext, GuardPool
from raikit.serve._metrics import Metrics
from raikit.serve._tracing import check_spans, make_provider, make_tracer
from raikit.serve._upstream import Upstream, UpstreamError, error_body

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("raikit.serve.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class _Rejected(Exception):
    def __init__(self, status: int, body: dict[str, Any], reason: str) -> None:
        super().__init__(reason)
        self.status, self.body, self.reason = status, body, reason


class Admission:
    """At most ``limit`` requests at once, ``queue`` more waiting up to ``timeout_s``; else 429."""

    def __init__(self, limit: int, queue: int, timeout_s: float, depth: Any) -> None:
        self.semaphore = anyio.Semaphore(limit)
        self.queue = queue
        self.timeout_s = timeout_s
        self.waiting = 0
        self.depth = depth  # the queue-depth gauge

    async def enter(self) -> None:
        if self.semaphore.value == 0 and self.waiting >= self.queue:
            raise _Rejected(429, error_body("gateway overloaded, retry later", "rate_limit_error", "overloaded"),
                            "overloaded")
        if self.semaphore.value > 0:  # the common case: a free slot, no waiting
            await self.semaphore.acquire()
            return
        self.waiting += 1
        self.depth.inc()
        try:
            with anyio.move_on_after(self.timeout_s) as scope:
                await self.semaphore.acquire()
        finally:
            self.waiting -= 1
            self.depth.dec()
        if scope.cancelled_caught:
            raise _Rejected(429, error_body("gateway overloaded, retry later", "rate_limit_error", "overloaded"),
                            "queue timeout")

    def leave(self) -> None:
        self.semaphore.release()


class _ClosingStream(StreamingResponse):
    """A streaming response that runs ``on_close`` however it ends (done, disconnect, error)."""

    def __init__(self, content: AsyncIterator[bytes], on_close: Callable[[], Awaitable[None]], **kw: Any) -> None:
        super().__init__(content, **kw)
        self._on_close = on_close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            with anyio.CancelScope(shield=True):
                await self._on_close()


class Gateway:
    """State of one gateway: config, guards, upstream, audit log, metrics, tracer.

    Args:
        config: The settings.
        checks: Ready check instances by id (tests; replaces the policies' checks).
        sink: Decision sink instead of the configured audit log (tests).
        tracer_provider: An OpenTelemetry ``TracerProvider`` (tests), else per ``config.trace_exporter``.
    """

    def __init__(self, config: ServeConfig, *, checks: dict[str, Any] | None = None, sink: Any | None = None,
                 tracer_provider: Any | None = None) -> None:
        self.config = config
        self.audit_log = sink if sink is not None else _open_audit_log(config)
        self.metrics = Metrics()
        self.admission = Admission(config.max_concurrency, config.max_queue, config.queue_timeout_s,
                                   self.metrics.queue_depth)
        self.pool = GuardPool(sink=self.audit_log, checks=checks,
                              on_decision=self._decided, generator_id=f"raikit-serve:{config.upstream}")
        for policy in sorted(config.policies):
            self.pool.add_policy(policy)
        self.tracer_provider = tracer_provider if tracer_provider is not None else make_provider(config.trace_exporter)
        self.tracer = make_tracer(self.tracer_provider)
        self.upstream: Upstream | None = None
        self.ready = False
        self.load_error: str | None = None

    # -- lifecycle ---------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.upstream = Upstream(
            self.config.upstream, api_key=os.environ.get(self.config.upstream_key_env) or None,
            timeout_s=self.config.upstream_timeout_s, connect_timeout_s=self.config.upstream_connect_timeout_s,
            max_connections=self.config.max_concurrency,
        )
        async with anyio.create_task_group() as background:
            background.start_soon(self._load)
            try:
                yield
            finally:
                background.cancel_scope.cancel()
        # uvicorn has drained in-flight requests and streams before lifespan shutdown.
        self.ready = False
        await anyio.to_thread.run_sync(self.pool.close)
        await self.upstream.aclose()
        self.metrics.close()
        close = getattr(self.audit_log, "close", None)
        if close is not None:
            await anyio.to_thread.run_sync(close)
        if self.tracer_provider is not None:
            await anyio.to_thread.run_sync(self.tracer_provider.force_flush)
        logger.info("raikit serve stopped: audit log flushed")

    async def _load(self) -> None:
        """Load the models in the background; /readyz (and guarded calls) wait for it."""
        try:
            await self.pool.load()
        except Exception as err:  # noqa: BLE001 - reported by /readyz, calls get 503
            self.load_error = f"{type(err).__name__}: {err}"
            logger.error("loading the policies' models failed: %s", self.load_error)
            return
        self.ready = True
        logger.info("raikit serve ready: upstream %s, policies %s", self.config.upstream, self.pool.policies)

    def _decided(self, ctx: CallContext, decision: Any) -> None:
        self.metrics.observe_decision(decision)
        if ctx.span is not None:
            ctx.span.set_attribute("raikit.decision", decision.outcome)
            ctx.span.set_attribute("raikit.call_id", decision.call_id)
            check_spans(self.tracer, ctx.span, decision, ctx.started_ns)

    # -- request plumbing --------------------------------------------------------------
    async def _body(self, request: Request) -> dict[str, Any]:
        limit = self.config.max_body_bytes
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            raise _Rejected(413, error_body(f"request body over {limit} bytes", "invalid_request_error",
                                            "request_too_large"), "too large")
        raw = bytearray()
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > limit:
                raise _Rejected(413, error_body(f"request body over {limit} bytes", "invalid_request_error",
                                                "request_too_large"), "too large")
        try:
            body = json.loads(raw)
        except ValueError as err:
            raise _Rejected(400, error_body("request body is not valid JSON", "invalid_request_error"),
                            "bad json") from err
        if not isinstance(body, dict):
            raise _Rejected(400, error_body("request body must be a JSON object", "invalid_request_error"),
                            "bad json")
        return body

    def _context(self, request: Request, scope: str, route_policy: str) -> CallContext:
        incoming = request.headers.get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.state.request_id = request_id
        client = self.config.keys.lookup(request.headers.get("authorization"))
        if client is None:
            raise _Rejected(401, error_body("invalid or missing API key", "invalid_request_error",
                                            "invalid_api_key"), "unauthorized")
        request.state.tenant = client.tenant
        if scope not in client.scopes:
            raise _Rejected(403, error_body(f"this key may not use {scope}", "permission_error"), "forbidden")
        return CallContext(request_id=request_id, tenant=client.tenant, policy=client.policy or route_policy)

    async def handle(self, request: Request, route: str, scope: str,
                     handler: Callable[[Request, CallContext], Awaitable[Response]], *, admit: bool = True,
                     policy: str | None = None) -> Response:
        """Auth, limits, request id, span, metrics and the access log around one handler.

        ``policy`` is the route's (None: ``config.policy``); a client key's own policy wins.
        """
        started = time.perf_counter()
        span = self.tracer.start_span(f"{request.method} {route}", attributes={
            "http.request.method": request.method, "url.path": route})
        ctx: CallContext | None = None
        admitted = False
        state: dict[str, Any] = {"stream": False}
        response: Response
        try:
            ctx = self._context(request, scope, policy or self.config.policy)
            ctx.span = span
            span.set_attribute("raikit.request_id", ctx.request_id)
            span.set_attribute("raikit.tenant", ctx.tenant)
            if scope in ("chat", "scan") and not self.ready:
                raise _Rejected(503, error_body("the gateway is loading its models", "server_error", "not_ready"),
                                "not ready")
            if admit:
                await self.admission.enter()
                admitted = True
                self.metrics.in_flight.inc()
            request.state.ctx = ctx
            response = await handler(request, ctx)
        except _Rejected as err:
            if err.status in (401, 403, 413, 429):
                self.metrics.rejected.labels(err.reason).inc()
            response = JSONResponse(err.body, status_code=err.status)
        except UpstreamError as err:
            self.metrics.upstream_errors.labels(str(err.status)).inc()
            response = JSONResponse(err.body, status_code=err.status)
        except PolicyViolation:
            response = JSONResponse(error_body("blocked by the content policy", "invalid_request_error",
                                               "content_filter"), status_code=400)
        except InputError as err:  # e.g. a lone surrogate; the message locates it, never quotes text
            response = JSONResponse(error_body(str(err), "invalid_request_error"), status_code=400)
        except Exception:
            logger.exception("request %s failed", getattr(request.state, "request_id", "?"))
            response = JSONResponse(error_body("gateway error", "server_error"), status_code=500)
        request_id = getattr(request.state, "request_id", None) or uuid.uuid4().hex
        response.headers["x-request-id"] = request_id
        if ctx is not None and ctx.decision is not None:
            response.headers["x-raikit-decision"] = ctx.decision.outcome

        async def done() -> None:
            if admitted:
                self.admission.leave()
                self.metrics.in_flight.dec()
            status = response.status_code
            elapsed = time.perf_counter() - started
            self.metrics.requests.labels(route, str(status)).inc()
            self.metrics.latency.labels(route, str(state["stream"]).lower()).observe(elapsed)
            span.set_attribute("http.response.status_code", status)
            span.set_attribute("raikit.stream", state["stream"])
            if ctx is not None and ctx.decision is not None:
                span.set_attribute("raikit.decision", ctx.decision.outcome)
            span.end()
            access_logger.info(json.dumps({
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "request_id": request_id,
                "tenant": getattr(request.state, "tenant", None), "method": request.method, "path": route,
                "status": status, "ms": round(elapsed * 1000.0, 2), "stream": state["stream"],
                "decision": ctx.decision.outcome if ctx is not None and ctx.decision is not None else None,
            }, separators=(",", ":")))

        if isinstance(response, _ClosingStream):
            state["stream"] = True
            inner = response._on_close

            async def close_both() -> None:
                try:
                    await inner()
                finally:
                    await done()

            response._on_close = close_both
        else:
            await done()
        return response

    # -- endpoints ---------------------------------------------------------------------
    async def chat(self, request: Request, ctx: CallContext) -> Response:
        body = await self._body(request)
        if not isinstance(body.get("messages"), list) or not isinstance(body.get("model"), str):
            raise _Rejected(400, error_body("'model' (string) and 'messages' (list) are required",
                                            "invalid_request_error"), "bad request")
        assert self.upstream is not None
        if body.get("stream"):
            stream = await self.pool.open_stream(ctx, body, self.upstream)
            events = stream.events()

            async def on_close() -> None:
                await events.aclose()
                await stream.cleanup()
            return _ClosingStream(events, on_close, media_type="text/event-stream",
                                  headers={"cache-control": "no-cache"})
        data = await self.pool.complete(ctx, body, self.upstream)
        return JSONResponse(data)

    async def models(self, request: Request, ctx: CallContext) -> Response:
        assert self.upstream is not None
        status, raw, headers = await self.upstream.get("/models", ctx.request_id)
        return Response(raw, status_code=status, headers=headers)

    async def scan(self, request: Request, ctx: CallContext) -> Response:
        body = await self._body(request)
        texts, stage = body.get("texts"), body.get("stage", "output")
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise _Rejected(400, error_body("'texts' must be a list of strings", "invalid_request_error"), "bad request")
        if len(texts) > self.config.max_scan_texts:
            raise _Rejected(413, error_body(f"at most {self.config.max_scan_texts} texts per request",
                                            "invalid_request_error", "too_many_texts"), "too large")
        if stage not in ("prompt", "output"):
            raise _Rejected(400, error_body("'stage' must be 'prompt' or 'output'", "invalid_request_error"),
                            "bad request")
        results = await self.pool.scan(ctx, texts, stage)
        refusal = self.pool.guard(ctx.policy).policy.refusal
        return JSONResponse({
            "policy": ctx.policy,
            "results": [{
                "outcome": r.outcome,
                "text": None if r.outcome == "blocked" else r.text,
                "refusal": refusal if r.outcome == "blocked" else None,
                "findings": [{"check": f.check_id, "type": f.type, "start": f.start, "end": f.end,
                              "score": round(f.score, 4), "action": f.action} for f in r.findings],
                "errors": [e.to_dict() for e in r.errors],
            } for r in results],
        })

    def _log(self) -> Any:
        if self.audit_log is None or not hasattr(self.audit_log, "head"):
            raise _Rejected(404, error_body("no audit log is configured", "not_found_error"), "no log")
        return self.audit_log

    async def audit_head(self, request: Request, ctx: CallContext) -> Response:
        seq, head = await anyio.to_thread.run_sync(self._log().head)
        return JSONResponse({"size": seq + 1, "head": head})

    async def audit_checkpoint(self, request: Request, ctx: CallContext) -> Response:
        log = self._log()
        if self.config.checkpoint_key is None or not hasattr(log, "checkpoint"):
            raise _Rejected(404, error_body("no checkpoint key is configured (--checkpoint-key)", "not_found_error"),
                            "no key")
        text = await anyio.to_thread.run_sync(
            lambda: log.checkpoint(self.config.checkpoint_key, self.config.checkpoint_origin))
        return PlainTextResponse(text)


def _open_audit_log(config: ServeConfig) -> Any | None:
    from raikit.guardrails import load_policy

    path = config.audit_log or load_policy(config.policy).audit_log.path
    if path is None:
        logger.warning("no audit log configured (--audit-log): decisions are not recorded")
        return None
    from raikit.evidence import AuditLog, load_key

    return AuditLog(path, key=load_key(), durability="interval", fsync_interval_ms=50)


def create_app(config: ServeConfig, **kwargs: Any) -> Starlette:
    """The gateway as a Starlette app (run it with uvicorn; see ``raikit serve``).

    Args:
        config: The settings.
        **kwargs: Passed to :class:`Gateway` (``checks``, ``sink``, ``tracer_provider``, ...).

    Example:
        >>> from raikit.serve import ServeConfig, create_app
        >>> app = create_app(ServeConfig(upstream="http://127.0.0.1:9000/v1", policy="permissive"))  # doctest: +SKIP
    """
    gw = Gateway(config, **kwargs)

    def route(path: str, scope: str, handler: Any, methods: list[str], admit: bool = True,
              policy: str | None = None) -> Route:
        async def endpoint(request: Request) -> Response:
            return await gw.handle(request, path, scope, handler, admit=admit, policy=policy)

        return Route(path, endpoint, methods=methods)

    def api(base: str, policy: str) -> list[Route]:
        """The OpenAI API and the scan endpoint under one base path, guarded by ``policy``."""
        return [route(f"{base}/chat/completions", "chat", gw.chat, ["POST"], policy=policy),
                route(f"{base}/models", "chat", gw.models, ["GET"], admit=False, policy=policy),
                route(f"{base}/scan", "scan", gw.scan, ["POST"], policy=policy)]

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        body = {"ready": gw.ready, **({"error": gw.load_error} if gw.load_error else {})}
        return JSONResponse(body, status_code=200 if gw.ready else 503)

    async def metrics(request: Request) -> Response:
        return Response(gw.metrics.render(), media_type="text/plain; version=0.0.4")

    app = Starlette(
        routes=[
            *api(DEFAULT_ROUTE, config.policy),
            *(r for base, policy in config.routes.items() for r in api(base, policy)),
            route("/v1/audit-log/head", "audit", gw.audit_head, ["GET"], admit=False),
            route("/v1/audit-log/checkpoint", "audit", gw.audit_checkpoint, ["GET"], admit=False),
            Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics),
        ],
        lifespan=gw.lifespan,
    )
    app.state.gateway = gw
    return app
