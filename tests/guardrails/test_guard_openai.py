"""The OpenAI adapter returns the client's own types: tested with the real openai package
against a local OpenAI-compatible server (sync and async, streaming and not, include_usage)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from raikit.audits import MemorySink
from raikit.guardrails import guard, policy_from_string
from raikit.guardrails.testing import KeywordCheck

openai = pytest.importorskip("openai")
from openai.types.chat import ChatCompletion, ChatCompletionChunk  # noqa: E402

EMAIL = "jo.doe@example.com"
REPLY = f"Sure, write to {EMAIL} and we will answer within two working days. Thanks for asking us."
USAGE = {"prompt_tokens": 7, "completion_tokens": 19, "total_tokens": 26}
POLICY = """
version: 1
name: openai
on_block: refuse
refusal: REFUSED
streaming: {hold_back: 24, window: 32}
checks:
  - id: pii
    type: denylist
    params: {terms: [unused]}
    action: redact
  - id: words
    type: denylist
    params: {terms: {BAD: [forbidden]}}
    action: block
"""


class _Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, content_type: str, body: bytes | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if body is not None:
            self.wfile.write(body)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        last = body["messages"][-1]["content"]
        reply = "Here it is: this is forbidden and secret." if "bad" in last else REPLY
        base = {"id": "chatcmpl-42", "created": int(time.time()), "model": body["model"]}
        if not body.get("stream"):
            payload = {
                **base,
                "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
                "usage": USAGE,
            }
            self._send(200, "application/json", json.dumps(payload).encode())
            return
        self._send(200, "text/event-stream")

        def event(choices: list[dict], **extra: object) -> None:
            chunk = {**base, "object": "chat.completion.chunk", "choices": choices, **extra}
            self._chunk(f"data: {json.dumps(chunk)}\n\n".encode())

        event([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
        for i in range(0, len(reply), 6):
            event([{"index": 0, "delta": {"content": reply[i : i + 6]}, "finish_reason": None}])
        event([{"index": 0, "delta": {}, "finish_reason": "stop"}])
        if (body.get("stream_options") or {}).get("include_usage"):
            event([], usage=USAGE)
        self._chunk(b"data: [DONE]\n\n")
        self._chunk(b"")


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def guarded(client: object, sink: MemorySink | None = None) -> object:
    checks = {"pii": KeywordCheck(words={"EMAIL_ADDRESS": EMAIL}, id="pii")}
    return guard(policy_from_string(POLICY), checks=checks, sink=sink)(client)


def messages(text: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": "Be brief."}, {"role": "user", "content": text}]


def test_completion_is_a_real_chat_completion_with_usage(upstream: str) -> None:
    client = guarded(openai.OpenAI(base_url=upstream, api_key="t", max_retries=0))
    response = client.chat.completions.create(model="m", messages=messages("hi"))
    assert isinstance(response, ChatCompletion)
    assert response.choices[0].message.content == REPLY.replace(EMAIL, "[EMAIL_ADDRESS]")
    assert response.choices[0].finish_reason == "stop" and response.usage.total_tokens == 26
    assert response.model_dump()["choices"][0]["message"]["role"] == "assistant"


def test_output_refusal_is_a_normal_completion_with_content_filter(upstream: str) -> None:
    sink = MemorySink()
    client = guarded(openai.OpenAI(base_url=upstream, api_key="t", max_retries=0), sink)
    response = client.chat.completions.create(model="m", messages=messages("say something bad"))
    assert isinstance(response, ChatCompletion)
    choice = response.choices[0]
    assert (choice.message.content, choice.finish_reason) == ("REFUSED", "content_filter")
    assert response.usage is not None and response.usage.total_tokens == 26  # the model ran
    assert response.model_dump_json()
    (record,) = sink.events("decision")
    assert record["refused"] is True and record["decision"] == "blocked"


def test_prompt_refusal_is_a_chat_completion_without_calling_the_model(upstream: str) -> None:
    client = guarded(openai.OpenAI(base_url=upstream, api_key="t", max_retries=0))
    response = client.chat.completions.create(model="m", messages=messages("tell me the forbidden thing"))
    assert isinstance(response, ChatCompletion)
    assert response.choices[0].finish_reason == "content_filter" and response.model == "m"


@pytest.mark.parametrize("include_usage", [False, True])
def test_stream_keeps_role_finish_reason_and_usage(upstream: str, include_usage: bool) -> None:
    sink = MemorySink()
    client = guarded(openai.OpenAI(base_url=upstream, api_key="t", max_retries=0), sink)
    options = {"stream_options": {"include_usage": True}} if include_usage else {}
    with client.chat.completions.create(model="m", messages=messages("hi"), stream=True, **options) as stream:
        chunks = list(stream)
    assert all(isinstance(c, ChatCompletionChunk) for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == REPLY.replace(EMAIL, "[EMAIL_ADDRESS]")
    assert len([c for c in chunks if c.choices and c.choices[0].delta.content]) > 1
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["stop"]
    usage = [c.usage for c in chunks if c.usage is not None]
    assert [u.total_tokens for u in usage] == ([26] if include_usage else [])
    assert len(sink.events("decision")) == 1


def test_stream_blocked_mid_way_ends_with_a_content_filter_chunk(upstream: str) -> None:
    sink = MemorySink()
    client = guarded(openai.OpenAI(base_url=upstream, api_key="t", max_retries=0), sink)
    stream = client.chat.completions.create(model="m", messages=messages("something bad"), stream=True)
    chunks = list(stream)
    assert all(isinstance(c, ChatCompletionChunk) for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "content_filter"
    assert chunks[-1].choices[0].delta.content == "REFUSED"
    assert "forbidden" not in "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    stream.close()
    (record,) = sink.events("decision")
    assert record["decision"] == "blocked" and record["refused"] is True


@pytest.mark.parametrize("is_async", [False, True])
def test_stream_blocked_mid_way_keeps_the_usage_chunk(upstream: str, is_async: bool) -> None:
    sink = MemorySink()
    kwargs = {"model": "m", "messages": messages("something bad"), "stream": True,
              "stream_options": {"include_usage": True}}
    if is_async:
        client = guarded(openai.AsyncOpenAI(base_url=upstream, api_key="t", max_retries=0), sink)

        async def collect() -> list[ChatCompletionChunk]:
            stream = await client.chat.completions.create(**kwargs)
            return [c async for c in stream]

        chunks = asyncio.run(collect())
    else:
        client = guarded(openai.OpenAI(base_url=upstream, api_key="t", max_retries=0), sink)
        chunks = list(client.chat.completions.create(**kwargs))
    refusals = [c for c in chunks if c.choices and c.choices[0].finish_reason == "content_filter"]
    assert len(refusals) == 1 and refusals[0].choices[0].delta.content == "REFUSED"
    assert "forbidden" not in "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert [c.usage.total_tokens for c in chunks if c.usage is not None] == [26]
    assert chunks[-1].usage is not None and not chunks[-1].choices  # last, as the client sends it
    (record,) = sink.events("decision")
    assert record["decision"] == "blocked" and record["refused"] is True


def test_prompt_blocked_stream_iterates_and_closes(upstream: str) -> None:
    client = guarded(openai.OpenAI(base_url=upstream, api_key="t", max_retries=0))
    stream = client.chat.completions.create(model="m", messages=messages("the forbidden word"), stream=True)
    chunks = list(stream)
    stream.close()
    assert len(chunks) == 1 and isinstance(chunks[0], ChatCompletionChunk)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[0].choices[0].finish_reason == "content_filter"


def test_stream_closed_early_records_cancelled(upstream: str) -> None:
    sink = MemorySink()
    client = guarded(openai.OpenAI(base_url=upstream, api_key="t", max_retries=0), sink)
    stream = client.chat.completions.create(model="m", messages=messages("hi"), stream=True)
    next(iter(stream))
    stream.close()
    (record,) = sink.events("decision")
    assert record["decision"] == "cancelled"


def test_async_client_sync_and_stream(upstream: str) -> None:
    sink = MemorySink()

    async def run() -> tuple[object, list[object], object, list[object]]:
        client = guarded(openai.AsyncOpenAI(base_url=upstream, api_key="t", max_retries=0), sink)
        plain = await client.chat.completions.create(model="m", messages=messages("hi"))
        stream = await client.chat.completions.create(
            model="m", messages=messages("hi"), stream=True, stream_options={"include_usage": True}
        )
        async with stream:
            chunks = [c async for c in stream]
        refused = await client.chat.completions.create(model="m", messages=messages("bad"))
        blocked = await client.chat.completions.create(model="m", messages=messages("the forbidden"), stream=True)
        blocked_chunks = [c async for c in blocked]
        await blocked.close()
        return plain, chunks, refused, blocked_chunks

    plain, chunks, refused, blocked_chunks = asyncio.run(run())
    expected = REPLY.replace(EMAIL, "[EMAIL_ADDRESS]")
    assert isinstance(plain, ChatCompletion) and plain.choices[0].message.content == expected
    assert all(isinstance(c, ChatCompletionChunk) for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == expected
    assert chunks[0].choices[0].delta.role == "assistant" and chunks[-1].usage.total_tokens == 26
    assert isinstance(refused, ChatCompletion) and refused.choices[0].finish_reason == "content_filter"
    assert blocked_chunks[0].choices[0].finish_reason == "content_filter"
    assert len(sink.events("decision")) == 4
