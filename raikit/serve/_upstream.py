"""The OpenAI-compatible upstream: one pooled ``httpx.AsyncClient``, errors mapped to statuses."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx

logger = logging.getLogger(__name__)

# Response headers worth passing back to the client (never auth or hop-by-hop headers).
_PASS_HEADERS = ("content-type", "openai-processing-ms", "retry-after")


class UpstreamError(Exception):
    """The upstream answered with an error, timed out or could not be reached.

    Attributes:
        status: The status code to give the client (the upstream's own, 502 or 504).
        body: An OpenAI-style error body, with the upstream key scrubbed.
    """

    def __init__(self, status: int, body: dict[str, Any], reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.body = body
        self.reason = reason


def error_body(message: str, type_: str, code: str | None = None) -> dict[str, Any]:
    """An OpenAI-style error object."""
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


class Upstream:
    """Calls the upstream's ``/chat/completions`` and ``/models``.

    Args:
        base_url: e.g. ``http://127.0.0.1:9000/v1``.
        api_key: Sent as ``Authorization: Bearer``; scrubbed from anything passed back.
        timeout_s: Read/write/pool timeout.
        connect_timeout_s: Connect timeout.
        max_connections: Connection pool size.
        transport: An ``httpx`` transport (tests).
    """

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None,
        timeout_s: float = 60.0,
        connect_timeout_s: float = 5.0,
        max_connections: int = 256,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"authorization": f"Bearer {api_key}"} if api_key else {}
        self._key = api_key
        self.client = httpx.AsyncClient(
            base_url=base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    def scrub(self, raw: bytes) -> bytes:
        """``raw`` with the upstream key replaced (an upstream may echo it in an error)."""
        if self._key:
            raw = raw.replace(self._key.encode(), b"[REDACTED]")
        return raw

    def _error(self, response: httpx.Response, raw: bytes) -> UpstreamError:
        try:
            body = json.loads(self.scrub(raw))
            if not isinstance(body, dict) or "error" not in body:
                raise ValueError
        except ValueError:
            body = error_body(f"upstream returned HTTP {response.status_code}", "upstream_error")
        return UpstreamError(response.status_code, body, f"upstream HTTP {response.status_code}")

    def _failure(self, err: httpx.HTTPError) -> UpstreamError:
        if isinstance(err, httpx.TimeoutException):
            return UpstreamError(504, error_body("upstream timed out", "upstream_timeout", "timeout"),
                                 f"upstream {type(err).__name__}")
        return UpstreamError(502, error_body("upstream unreachable", "upstream_error", "bad_gateway"),
                             f"upstream {type(err).__name__}")

    def _headers(self, request_id: str) -> dict[str, str]:
        return {"x-request-id": request_id}

    async def get(self, path: str, request_id: str) -> tuple[int, bytes, dict[str, str]]:
        """A passed-through GET (``/models``): status, scrubbed body and safe headers."""
        try:
            response = await self.client.get(path, headers=self._headers(request_id))
        except httpx.HTTPError as err:
            raise self._failure(err) from err
        headers = {k: v for k, v in response.headers.items() if k.lower() in _PASS_HEADERS}
        return response.status_code, self.scrub(response.content), headers

    async def chat(self, body: dict[str, Any], request_id: str) -> dict[str, Any]:
        """A non-streaming completion.

        Raises:
            UpstreamError: non-2xx answer, timeout, connection failure or a non-JSON body.
        """
        try:
            response = await self.client.post("/chat/completions", json=body, headers=self._headers(request_id))
        except httpx.HTTPError as err:
            raise self._failure(err) from err
        if response.status_code >= 400:
            raise self._error(response, response.content)
        try:
            data = response.json()
        except ValueError as err:
            raise UpstreamError(502, error_body("upstream sent invalid JSON", "upstream_error"),
                                "upstream invalid JSON") from err
        if not isinstance(data, dict):
            raise UpstreamError(502, error_body("upstream sent invalid JSON", "upstream_error"), "upstream not an object")
        return data

    async def open_stream(self, body: dict[str, Any], request_id: str) -> UpstreamStream:
        """Start a streaming completion; raises :class:`UpstreamError` before any event is read."""
        request = self.client.build_request("POST", "/chat/completions", json=body, headers=self._headers(request_id))
        try:
            response = await self.client.send(request, stream=True)
        except httpx.HTTPError as err:
            raise self._failure(err) from err
        if response.status_code >= 400:
            try:
                raw = await response.aread()
            except httpx.HTTPError:
                raw = b""
            finally:
                await response.aclose()
            raise self._error(response, raw)
        return UpstreamStream(self, response)


class UpstreamStream:
    """Server-sent events of a streaming completion, read in batches of what has arrived."""

    def __init__(self, upstream: Upstream, response: httpx.Response) -> None:
        self.upstream = upstream
        self.response = response
        self._bytes: AsyncIterator[bytes] = response.aiter_bytes()
        self._buffer = b""
        self.done = False

    async def next_events(self) -> list[dict[str, Any]] | None:
        """The events that arrived with the next read (at least one), or None at the end.

        Raises:
            UpstreamError: the connection failed or timed out mid-stream, or an event is not JSON.
        """
        while not self.done:
            try:
                chunk = await self._bytes.__anext__()
            except StopAsyncIteration:
                self.done = True
                break
            except httpx.HTTPError as err:
                self.done = True
                raise self.upstream._failure(err) from err
            self._buffer += chunk
            events = self._parse()
            if events:
                return events
        return None

    def _parse(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        buffer = self._buffer.replace(b"\r\n", b"\n")
        *complete, self._buffer = buffer.split(b"\n\n")
        for block in complete:
            data = b"\n".join(line[5:].lstrip(b" ") for line in block.split(b"\n") if line.startswith(b"data:"))
            if not data:
                continue
            if data.strip() == b"[DONE]":
                self.done = True
                break
            try:
                event = json.loads(data)
            except ValueError as err:
                raise UpstreamError(502, error_body("upstream sent an invalid event", "upstream_error"),
                                    "upstream invalid SSE event") from err
            if isinstance(event, dict) and "error" in event:
                raise UpstreamError(502, json.loads(self.upstream.scrub(data)), "upstream error event")
            events.append(event)
        return events

    async def aclose(self) -> None:
        await self.response.aclose()
