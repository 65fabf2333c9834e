"""Test helpers: a fake OpenAI-compatible upstream and a uvicorn server in a thread.

Example:
    >>> from raikit.serve.testing import FakeUpstream, running  # doctest: +SKIP
    >>> fake = FakeUpstream(reply="Hello there.")  # doctest: +SKIP
    >>> with running(fake.app()) as url:  # doctest: +SKIP
    ...     ...
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class FakeUpstream:
    """An OpenAI-compatible chat server with a fixed reply and switchable faults.

    Attributes:
        reply: The assistant's answer.
        delay_s: Model time before the answer (or the first chunk).
        chunk_chars: Characters per streamed chunk.
        chunk_delay_s: Pause between chunks.
        status: When set, every completion answers this HTTP status with an OpenAI error.
        hang_s: When set, completions sleep this long before answering (timeouts).
        keep_received: Keep what was received (turn off for load tests).
        reply_for: Picks the reply from the request body instead of ``reply``.
        received: Bodies, authorization headers, request ids and the caller's port (one per
            connection), newest last.
    """

    reply: str = "Hello! How can I help you today?"
    delay_s: float = 0.0
    chunk_chars: int = 8
    chunk_delay_s: float = 0.0
    status: int | None = None
    hang_s: float | None = None
    keep_received: bool = True
    reply_for: Callable[[dict[str, Any]], str] | None = None
    received: list[dict[str, Any]] = field(default_factory=list)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/chat/completions", self._chat, methods=["POST"]),
                                 Route("/v1/models", self._models)])

    async def _models(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": "fake-model", "object": "model", "created": 0,
                                                          "owned_by": "raikit"}]})

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        if self.keep_received:
            self.received.append({"body": body, "authorization": request.headers.get("authorization"),
                                  "request_id": request.headers.get("x-request-id"),
                                  "peer": request.client.port if request.client else None})
        if self.status is not None:
            return JSONResponse({"error": {"message": f"fake upstream error (key was "
                                           f"{request.headers.get('authorization')})", "type": "server_error",
                                           "param": None, "code": None}}, status_code=self.status)
        if self.hang_s is not None:
            await asyncio.sleep(self.hang_s)
        await asyncio.sleep(self.delay_s)
        cid, created, model = f"chatcmpl-fake{time.monotonic_ns()}", int(time.time()), body.get("model", "fake")
        reply = self.reply_for(body) if self.reply_for is not None else self.reply
        usage = {"prompt_tokens": 5, "completion_tokens": len(reply.split()), "total_tokens": 5 + len(reply.split())}
        if not body.get("stream"):
            return JSONResponse({"id": cid, "object": "chat.completion", "created": created, "model": model,
                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": reply},
                                              "finish_reason": "stop", "logprobs": None}], "usage": usage})
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        size, pause = self.chunk_chars, self.chunk_delay_s

        def chunk(delta: dict[str, Any] | None, finish: str | None = None, **extra: Any) -> bytes:
            data = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}],
                    **extra}
            return b"data: " + json.dumps(data).encode() + b"\n\n"

        async def events() -> Any:
            yield chunk({"role": "assistant", "content": ""})
            for start in range(0, len(reply), size):
                if pause:
                    await asyncio.sleep(pause)
                yield chunk({"content": reply[start:start + size]})
            yield chunk({}, "stop")
            if include_usage:
                yield chunk(None, usage=usage)
            yield b"data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running(app: Any, *, port: int | None = None, graceful_s: float = 10.0) -> Iterator[ServerHandle]:
    """Serve ``app`` with uvicorn on 127.0.0.1 in a thread until the block ends (then shut down)."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
                                           timeout_graceful_shutdown=graceful_s))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    handle = ServerHandle(f"http://127.0.0.1:{port}", server, thread)
    try:
        yield handle
    finally:
        handle.stop()


@dataclass
class ServerHandle:
    """A running server: its base URL; :meth:`stop` shuts it down gracefully and waits."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self, timeout: float = 30.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)
