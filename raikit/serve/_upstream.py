"""The OpenAI-compatible upstream: one pooled keep-alive ``aiohttp`` session, errors mapped to statuses.

``aiohttp`` (C HTTP parser) rather than ``httpx``: against the same fake upstream, 32 requests
at a time, it took a tenth to a quarter of the CPU per request (0.34 vs 4.5 ms non-streamed,
1.6 vs 6.9 ms streamed; ``docs/serve.md``); ``httpx`` was about half of the gateway's own cost.
Connections are HTTP/1.1 keep-alive and go back to the pool after each answer; a stream's
connection is reused when its body was read to the end.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

# Response headers worth passing back to the client (never auth or hop-by-hop headers).
_PASS_HEADERS = ("content-type", "openai-processing-ms", "retry-after")
# After ``data: [DONE]`` the body's end is read for at most this long, so the connection can be reused.
_DRAIN_S = 1.0
# A pooled connection the upstream closed while idle fails at once with one of these, before any
# answer: such a request is sent once more on a new connection (as the openai client would retry it).
_STALE = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)


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

    Create it inside the running event loop (the gateway does so in its lifespan).

    Args:
        base_url: e.g. ``http://127.0.0.1:9000/v1``.
        api_key: Sent as ``Authorization: Bearer``; scrubbed from anything passed back.
        timeout_s: Longest wait for the next bytes of an answer (504 when exceeded).
        connect_timeout_s: Longest wait for a pooled or new connection.
        max_connections: Connection pool size.
        keepalive_s: How long an idle connection stays in the pool: below uvicorn's 5 s default
            (vLLM and most Python servers), so the pool rarely offers one the upstream has closed.
    """

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None,
        timeout_s: float = 60.0,
        connect_timeout_s: float = 5.0,
        max_connections: int = 256,
        keepalive_s: float = 4.0,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._key = api_key
        self._auth = {"authorization": f"Bearer {api_key}"} if api_key else {}
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=max_connections, limit_per_host=max_connections,
                                           keepalive_timeout=keepalive_s),
            timeout=aiohttp.ClientTimeout(total=None, connect=connect_timeout_s, sock_read=timeout_s),
            auto_decompress=True,
        )

    async def aclose(self) -> None:
        await self.session.close()

    def scrub(self, raw: bytes) -> bytes:
        """``raw`` with the upstream key replaced (an upstream may echo it in an error)."""
        if self._key:
            raw = raw.replace(self._key.encode(), b"[REDACTED]")
        return raw

    def _error(self, status: int, raw: bytes) -> UpstreamError:
        try:
            body = json.loads(self.scrub(raw))
            if not isinstance(body, dict) or "error" not in body:
                raise ValueError
        except ValueError:
            body = error_body(f"upstream returned HTTP {status}", "upstream_error")
        return UpstreamError(status, body, f"upstream HTTP {status}")

    @staticmethod
    def _failure(err: BaseException) -> UpstreamError:
        if isinstance(err, asyncio.TimeoutError):  # aiohttp's connect and read timeouts are TimeoutErrors
            return UpstreamError(504, error_body("upstream timed out", "upstream_timeout", "timeout"),
                                 f"upstream {type(err).__name__}")
        return UpstreamError(502, error_body("upstream unreachable", "upstream_error", "bad_gateway"),
                             f"upstream {type(err).__name__}")

    def _headers(self, request_id: str, json_body: bool = False) -> dict[str, str]:
        headers = {**self._auth, "x-request-id": request_id}
        if json_body:
            headers["content-type"] = "application/json"
        return headers

    async def get(self, path: str, request_id: str) -> tuple[int, bytes, dict[str, str]]:
        """A passed-through GET (``/models``): status, scrubbed body and safe headers."""
        try:
            async with self.session.get(self._base + path, headers=self._headers(request_id)) as response:
                raw = await response.read()
                headers = {k: v for k, v in response.headers.items() if k.lower() in _PASS_HEADERS}
                return response.status, self.scrub(raw), headers
        except (aiohttp.ClientError, asyncio.TimeoutError) as err:
            raise self._failure(err) from err

    async def _post(self, body: dict[str, Any], request_id: str) -> aiohttp.ClientResponse:
        """POST a completion request; the answer's status and headers have arrived."""
        payload = json.dumps(body, separators=(",", ":")).encode()
        url, headers = self._base + "/chat/completions", self._headers(request_id, True)
        try:
            try:
                return await self.session.post(url, data=payload, headers=headers)
            except _STALE as err:
                logger.debug("upstream connection closed before an answer (%s); sending once more", type(err).__name__)
                return await self.session.post(url, data=payload, headers=headers)
        except (aiohttp.ClientError, asyncio.TimeoutError) as err:
            raise self._failure(err) from err

    async def chat(self, body: dict[str, Any], request_id: str) -> dict[str, Any]:
        """A non-streaming completion.

        Raises:
            UpstreamError: non-2xx answer, timeout, connection failure or a non-JSON body.
        """
        response = await self._post(body, request_id)
        try:
            raw, status = await response.read(), response.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as err:
            raise self._failure(err) from err
        finally:
            response.release()
        if status >= 400:
            raise self._error(status, raw)
        try:
            data = json.loads(raw)
        except ValueError as err:
            raise UpstreamError(502, error_body("upstream sent invalid JSON", "upstream_error"),
                                "upstream invalid JSON") from err
        if not isinstance(data, dict):
            raise UpstreamError(502, error_body("upstream sent invalid JSON", "upstream_error"), "upstream not an object")
        return data

    async def open_stream(self, body: dict[str, Any], request_id: str) -> UpstreamStream:
        """Start a streaming completion; raises :class:`UpstreamError` before any event is read."""
        response = await self._post(body, request_id)
        if response.status >= 400:
            try:
                raw = await response.read()
            except (aiohttp.ClientError, asyncio.TimeoutError):
                raw = b""
            finally:
                response.release()
            raise self._error(response.status, raw)
        return UpstreamStream(self, response)


class UpstreamStream:
    """Server-sent events of a streaming completion, read in batches of what has arrived."""

    def __init__(self, upstream: Upstream, response: aiohttp.ClientResponse) -> None:
        self.upstream = upstream
        self.response = response
        self._buffer = b""
        self.done = False

    async def next_events(self) -> list[dict[str, Any]] | None:
        """The events that arrived with the next read (at least one), or None at the end.

        Raises:
            UpstreamError: the connection failed or timed out mid-stream, or an event is not JSON.
        """
        while not self.done:
            try:
                chunk = await self.response.content.readany()
            except (aiohttp.ClientError, asyncio.TimeoutError) as err:
                self.done = True
                raise self.upstream._failure(err) from err
            if not chunk:
                self.done = True
                break
            self._buffer += chunk
            events = self._parse()
            if events:
                return events
        return None

    def _parse(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        if b"\r" in self._buffer:
            self._buffer = self._buffer.replace(b"\r\n", b"\n")
        *complete, self._buffer = self._buffer.split(b"\n\n")
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
        """Give the connection back to the pool after a complete body, else close it."""
        content = self.response.content
        if self.done and not content.at_eof():
            try:  # the body's last bytes follow [DONE] at once; reading them keeps the connection
                async with asyncio.timeout(_DRAIN_S):
                    while await content.readany():
                        pass
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
        if self.done and content.at_eof():
            self.response.release()
        else:
            self.response.close()
