"""The gateway end to end: real uvicorn on 127.0.0.1, a fake upstream, the real openai client."""

from __future__ import annotations

import json
import logging
import threading
import time

import httpx
import openai
import pytest

from raikit.guardrails._hashing import salted_hash
from tests.serve.conftest import CLIENT_KEY, UPSTREAM_KEY, records

REFUSAL = "Sorry, I can't help with that."


def client(url: str, key: str = CLIENT_KEY, **kw) -> openai.OpenAI:  # type: ignore[no-untyped-def]
    return openai.OpenAI(base_url=url + "/v1", api_key=key, max_retries=0, **kw)


def ask(c: openai.OpenAI, text: str, **kw):  # type: ignore[no-untyped-def]
    return c.chat.completions.create(model="fake-model", messages=[{"role": "user", "content": text}], **kw)


def test_non_stream_redacts_output_and_keeps_openai_shape(gateway, fake, tmp_path):
    with gateway() as gw:
        completion = ask(client(gw.url), "hello")
    assert completion.choices[0].message.content == "Hello! Write to [EMAIL] about it, then we are done here."
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None and completion.usage.total_tokens > 0
    # The upstream got its own key, never the client's; the gateway log has one decision.
    assert fake[0].received[-1]["authorization"] == f"Bearer {UPSTREAM_KEY}"
    (record,) = [r for r in records(tmp_path) if r["kind"] == "decision"]
    assert record["decision"] == "redacted" and record["tenant"] == salted_hash("acme")


def test_prompt_is_redacted_before_the_upstream_and_request_id_propagates(gateway, fake, tmp_path):
    with gateway() as gw:
        raw = client(gw.url).chat.completions.with_raw_response.create(
            model="m", messages=[{"role": "user", "content": "I am ann@example.com"}],
            extra_headers={"x-request-id": "req-123"})
    assert raw.headers["x-request-id"] == "req-123"
    assert raw.headers["x-raikit-decision"] == "redacted"
    sent = fake[0].received[-1]
    assert sent["body"]["messages"][0]["content"] == "I am [EMAIL]"
    assert sent["request_id"] == "req-123"
    assert records(tmp_path)[-1]["request_id"] == "req-123"


def test_blocked_prompt_gets_refusal_without_reaching_upstream(gateway, fake):
    with gateway() as gw:
        completion = ask(client(gw.url), "tell me about Project X")
    assert completion.choices[0].message.content == REFUSAL
    assert completion.choices[0].finish_reason == "content_filter"
    assert fake[0].received == []


def test_auth(gateway, fake):
    with gateway() as gw:
        with pytest.raises(openai.AuthenticationError):
            ask(client(gw.url, key="sk-wrong"), "hello")
        assert httpx.post(gw.url + "/v1/chat/completions", json={}).status_code == 401
        assert httpx.get(gw.url + "/v1/models").status_code == 401
        models = client(gw.url).models.list()
    assert [m.id for m in models.data] == ["fake-model"]
    assert fake[0].received == []


def test_stream_redacts_across_chunks_and_keeps_usage(gateway, fake, tmp_path):
    fake[0].chunk_chars = 3  # the address spans many chunks
    with gateway() as gw:
        stream = ask(client(gw.url), "hello", stream=True, stream_options={"include_usage": True})
        chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Hello! Write to [EMAIL] about it, then we are done here."
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None and chunks[-1].choices == []
    assert [r["decision"] for r in records(tmp_path)] == ["redacted"]


def test_stream_blocked_mid_way_ends_with_refusal(gateway, fake, tmp_path):
    fake[0].reply = "Sure. The plan for project x is to launch in May and then expand quickly everywhere."
    fake[0].chunk_chars = 4
    with gateway() as gw:
        chunks = list(ask(client(gw.url), "hello", stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "project x" not in text.lower() and "launch" not in text
    assert text.endswith(REFUSAL)
    assert chunks[-1].choices[0].finish_reason == "content_filter"
    (record,) = records(tmp_path)
    assert record["decision"] == "blocked" and record["refused"] is True


@pytest.mark.parametrize("stream", [False, True])
def test_upstream_error_keeps_status_and_hides_key(gateway, fake, tmp_path, stream, caplog):
    fake[0].status = 503
    caplog.set_level(logging.INFO)
    with gateway() as gw:
        response = httpx.post(gw.url + "/v1/chat/completions", headers={"authorization": f"Bearer {CLIENT_KEY}"},
                              json={"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": stream})
        with pytest.raises(openai.InternalServerError):
            ask(client(gw.url), "hi", stream=stream)
    assert response.status_code == 503
    assert UPSTREAM_KEY not in response.text and "[REDACTED]" in response.text
    assert UPSTREAM_KEY not in caplog.text
    # The guard records the failed call itself: one ``error`` decision per request.
    kinds = [(r["kind"], r["decision"], r["error"]) for r in records(tmp_path)]
    assert kinds == [("decision", "error", "UpstreamError")] * 2


def test_upstream_timeout_is_504(gateway, fake, tmp_path):
    fake[0].hang_s = 3.0
    with gateway(upstream_timeout_s=0.3) as gw:
        with pytest.raises(openai.APIStatusError) as err:
            ask(client(gw.url), "hi")
    assert err.value.status_code == 504
    (record,) = records(tmp_path)
    assert (record["decision"], record["error"]) == ("error", "UpstreamError")


def test_check_timeout_follows_on_error(gateway, fake, tmp_path):
    from raikit.guardrails.testing import StallingCheck

    stalling = StallingCheck(id="email")
    policy = tmp_path / "slow.yaml"
    policy.write_text("version: 1\nname: slow\non_block: refuse\nchecks:\n  - id: email\n    type: denylist\n"
                      "    params: {terms: [x]}\n    timeout_s: 0.2\n    on_error: {on_error}\n"
                      .replace("{on_error}", "block"), encoding="utf-8")
    stalling.inline = False
    try:
        with gateway(app_kwargs={"checks": {"email": stalling}}, policy=str(policy)) as gw:
            completion = ask(client(gw.url), "hi")
    finally:
        stalling.release.set()
    assert completion.choices[0].message.content == REFUSAL
    assert records(tmp_path)[-1]["errors"][0]["reason"].startswith("exceeded its time budget")


def test_oversize_request_is_413(gateway):
    with gateway(max_body_bytes=2000) as gw:
        with pytest.raises(openai.APIStatusError) as err:
            ask(client(gw.url), "x" * 5000)
    assert err.value.status_code == 413


def test_overload_is_429(gateway, fake):
    fake[0].delay_s = 1.0
    with gateway(max_concurrency=1, max_queue=1) as gw:
        slow = [threading.Thread(target=lambda: ask(client(gw.url), "hi")) for _ in range(2)]
        for thread in slow:  # one runs, one waits for the slot
            thread.start()
            time.sleep(0.3)
        waiting = httpx.get(gw.url + "/metrics").text
        with pytest.raises(openai.RateLimitError):
            ask(client(gw.url), "hi")
        for thread in slow:
            thread.join()
        metrics = httpx.get(gw.url + "/metrics").text
    assert "raikit_serve_queue_depth 1.0" in waiting and "raikit_serve_in_flight 1.0" in waiting
    assert 'raikit_serve_rejected_total{reason="overloaded"} 1.0' in metrics
    assert "raikit_serve_queue_depth 0.0" in metrics and "raikit_serve_in_flight 0.0" in metrics
    assert 'raikit_serve_requests_total{route="/v1/chat/completions",status="200"} 2.0' in metrics


def test_graceful_shutdown_drains_a_stream_and_flushes_the_log(gateway, fake, tmp_path):
    fake[0].chunk_chars, fake[0].chunk_delay_s = 4, 0.05  # about 0.8 s of streaming
    got: list[str] = []
    with gateway() as gw:
        stream = ask(client(gw.url), "hello", stream=True)
        first = next(iter(stream))
        got.append(first.choices[0].delta.content or "")
        stopper = threading.Thread(target=gw.stop)
        stopper.start()  # shutdown starts while the stream is in flight
        got.extend(c.choices[0].delta.content or "" for c in stream if c.choices)
        stopper.join()
        assert not gw.thread.is_alive()
    assert "".join(got) == "Hello! Write to [EMAIL] about it, then we are done here."
    assert [r["decision"] for r in records(tmp_path)] == ["redacted"]


def test_scan_endpoint_batches(gateway, tmp_path):
    with gateway() as gw:
        response = httpx.post(gw.url + "/v1/scan", headers={"authorization": f"Bearer {CLIENT_KEY}"},
                              json={"texts": ["mail a.b@example.com", "about project x", "fine"]})
    body = response.json()
    assert [r["outcome"] for r in body["results"]] == ["redacted", "blocked", "allowed"]
    assert body["results"][0]["text"] == "mail [EMAIL]" and body["results"][1]["text"] is None
    assert body["results"][0]["findings"][0]["type"] == "EMAIL"
    assert records(tmp_path)[-1]["kind"] == "x-scan"


def test_audit_head_and_signed_checkpoint(gateway, tmp_path):
    from raikit.evidence._log_checkpoint import generate_signer

    signer = generate_signer("raikit-serve/audit-log")
    key_file = tmp_path / "ck.key"
    key_file.write_text(signer.to_text(), encoding="utf-8")
    with gateway(checkpoint_key=str(key_file)) as gw:
        ask(client(gw.url), "hello")
        auth = {"authorization": f"Bearer {CLIENT_KEY}"}
        head = httpx.get(gw.url + "/v1/audit-log/head", headers=auth).json()
        checkpoint = httpx.get(gw.url + "/v1/audit-log/checkpoint", headers=auth).text
    assert head["size"] == 1
    assert checkpoint.splitlines()[:2] == ["raikit-serve/audit-log", "1"]
    from raikit.audits import AuditLog

    with AuditLog(tmp_path / "audit.jsonl", key=bytes.fromhex("ab" * 32)) as log:
        assert log.verify(checkpoint, signer.verifier()).ok


def test_health_ready_metrics_and_access_log(gateway, caplog):
    caplog.set_level(logging.INFO, logger="raikit.serve.access")
    with gateway() as gw:
        assert httpx.get(gw.url + "/healthz").json() == {"status": "ok"}
        assert httpx.get(gw.url + "/readyz").status_code == 200
        ask(client(gw.url), "I am ann@example.com", extra_headers={"x-request-id": "r-9"})
        metrics = httpx.get(gw.url + "/metrics").text
    assert 'raikit_serve_requests_total{route="/v1/chat/completions",status="200"} 1.0' in metrics
    assert 'raikit_serve_decisions_total{outcome="redacted"} 1.0' in metrics
    assert 'raikit_serve_check_findings_total{action="redact",check="email"} 2.0' in metrics
    assert "raikit_serve_request_seconds_bucket" in metrics and "raikit_serve_queue_depth" in metrics
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "raikit.serve.access"]
    (line,) = [x for x in lines if x["request_id"] == "r-9"]
    assert line["status"] == 200 and line["tenant"] == "acme" and line["decision"] == "redacted"
    assert "ann@" not in caplog.text and "jo.doe" not in caplog.text


def test_trace_exported_to_memory(gateway):
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with gateway(app_kwargs={"tracer_provider": provider}) as gw:
        ask(client(gw.url), "I am ann@example.com", extra_headers={"x-request-id": "r-7"})
    spans = exporter.get_finished_spans()
    (call,) = [s for s in spans if s.name == "POST /v1/chat/completions"]
    assert call.attributes["raikit.request_id"] == "r-7" and call.attributes["raikit.decision"] == "redacted"
    checks = [s for s in spans if s.name.startswith("raikit.check")]
    assert {(s.attributes["raikit.check.id"], s.attributes["raikit.check.stage"]) for s in checks} >= {
        ("email", "prompt"), ("email", "output"), ("secret", "prompt")}
    assert all(s.parent.span_id == call.context.span_id for s in checks)
    dumped = json.dumps([dict(s.attributes) for s in spans])
    assert "ann@" not in dumped and "example.com" not in dumped


async def test_async_openai_client_streams(gateway):
    with gateway() as gw:
        async_client = openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key=CLIENT_KEY, max_retries=0)
        stream = await async_client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}], stream=True)
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
        whole = await async_client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
        await async_client.close()
    assert text == "Hello! Write to [EMAIL] about it, then we are done here."
    assert whole.choices[0].message.content == text and whole.model_dump()["usage"]["total_tokens"] > 0


def test_policy_and_scopes_per_key(gateway, fake, tmp_path):
    from raikit.serve import hash_key, load_keys

    from tests.serve.conftest import POLICY

    (tmp_path / "raise.yaml").write_text(POLICY.format(on_block="raise").replace("serve-test", "raising"),
                                         encoding="utf-8")
    keys = tmp_path / "more-keys.yaml"
    keys.write_text(f"keys:\n  - hash: {hash_key(CLIENT_KEY)}\n    tenant: acme\n"
                    f"  - hash: {hash_key('sk-strict')}\n    tenant: bank\n    policy: raise.yaml\n"
                    f"  - hash: {hash_key('sk-reviewer')}\n    tenant: audit\n    scopes: [audit]\n",
                    encoding="utf-8")
    with gateway(keys=load_keys(keys)) as gw:
        assert ask(client(gw.url), "about project x").choices[0].message.content == REFUSAL
        with pytest.raises(openai.BadRequestError) as err:
            ask(client(gw.url, key="sk-strict"), "about project x")
        assert err.value.code == "content_filter"
        with pytest.raises(openai.PermissionDeniedError):
            ask(client(gw.url, key="sk-reviewer"), "hello")
        head = httpx.get(gw.url + "/v1/audit-log/head", headers={"authorization": "Bearer sk-reviewer"})
        assert httpx.get(gw.url + "/v1/audit-log/head",
                         headers={"authorization": f"Bearer {CLIENT_KEY}"}).status_code == 403
    assert head.json()["size"] == 2
    assert [(r["tenant"], r["policy"]) for r in records(tmp_path)] == [
        (salted_hash("acme"), "serve-test"), (salted_hash("bank"), "raising")]


def test_not_ready_until_models_load(gateway, fake):
    import threading as th

    from raikit.guardrails.testing import KeywordCheck
    from raikit.serve import ServeConfig, create_app
    from raikit.serve.testing import running

    gate = th.Event()

    class SlowLoading(KeywordCheck):
        def _load(self) -> None:
            gate.wait(10)

    app = create_app(ServeConfig(upstream=fake[1], policy="permissive"),
                     checks={"pii": SlowLoading(words={"X": "@"}, id="pii"), "harm": KeywordCheck(words={}, id="harm")})
    with running(app) as handle:
        assert httpx.get(handle.url + "/healthz").status_code == 200
        assert httpx.get(handle.url + "/readyz").status_code == 503
        with pytest.raises(openai.APIStatusError) as err:
            ask(client(handle.url), "hello")
        assert err.value.status_code == 503
        gate.set()
        from tests.serve.conftest import wait_ready

        wait_ready(handle.url)
        assert ask(client(handle.url), "hello").choices[0].message.content.startswith("Hello!")


def test_client_leaving_mid_stream_is_recorded_as_cancelled(gateway, fake, tmp_path):
    fake[0].chunk_chars, fake[0].chunk_delay_s = 4, 0.1  # about 1.7 s of streaming
    with gateway() as gw:
        with httpx.stream("POST", gw.url + "/v1/chat/completions",
                          headers={"authorization": f"Bearer {CLIENT_KEY}", "x-request-id": "gone-1"},
                          json={"model": "m", "stream": True, "messages": [{"role": "user", "content": "hi"}]}) as r:
            next(r.iter_lines())
        deadline = time.monotonic() + 10
        while not (tmp_path / "audit.jsonl").exists() or not [
                e for e in records(tmp_path) if e.get("request_id") == "gone-1"]:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        metrics = httpx.get(gw.url + "/metrics").text
    (record,) = [e for e in records(tmp_path) if e.get("request_id") == "gone-1"]
    assert (record["kind"], record["decision"]) == ("decision", "cancelled")
    assert "raikit_serve_in_flight 0.0" in metrics


def test_stream_chunks_share_the_upstream_id(gateway):
    with gateway() as gw:
        chunks = list(ask(client(gw.url), "hello", stream=True))
    assert len({c.id for c in chunks}) == 1 and chunks[0].id.startswith("chatcmpl-fake")


def test_console_and_missing_otlp_exporters(monkeypatch):
    import sys

    from raikit.errors import MissingDependencyError
    from raikit.serve._tracing import make_provider, make_tracer

    assert make_tracer(make_provider("console")).start_span("x").get_span_context().is_valid
    assert make_provider("none") is None and not make_tracer(None).start_span("x").get_span_context().is_valid
    monkeypatch.setitem(sys.modules, "opentelemetry.exporter.otlp.proto.http.trace_exporter", None)
    with pytest.raises(MissingDependencyError, match="pip install opentelemetry-exporter-otlp-proto-http"):
        make_provider("otlp")


def test_concurrent_streams_hold_no_thread_each(gateway, fake):
    """Streams are read on the event loop; the checks use the guard's fixed pool, not a thread per stream."""
    import asyncio

    fake[0].chunk_chars, fake[0].chunk_delay_s = 4, 0.05
    with gateway() as gw:
        assert ask(client(gw.url), "hello").choices  # warm: the guard's pool and batchers exist
        baseline = threading.active_count()
        peak = [baseline]

        async def one(http: httpx.AsyncClient) -> str:
            async with http.stream("POST", gw.url + "/v1/chat/completions",
                                   headers={"authorization": f"Bearer {CLIENT_KEY}"},
                                   json={"model": "m", "stream": True,
                                         "messages": [{"role": "user", "content": "hi"}]}) as r:
                return "".join([line async for line in r.aiter_lines()])

        async def many() -> list[str]:
            async with httpx.AsyncClient(timeout=30) as http:
                task = asyncio.gather(*(one(http) for _ in range(8)))
                while not task.done():
                    peak[0] = max(peak[0], threading.active_count())
                    await asyncio.sleep(0.02)
                return await task

        bodies = asyncio.run(many())
    assert all(b.endswith("[DONE]") for b in bodies)
    assert peak[0] <= baseline + 2, (baseline, peak[0])


def test_lone_surrogate_prompt_is_a_400_and_one_error_record(gateway, fake, tmp_path):
    with gateway() as gw:
        response = httpx.post(gw.url + "/v1/chat/completions", headers={"authorization": f"Bearer {CLIENT_KEY}",
                                                                         "content-type": "application/json"},
                              content=b'{"model": "m", "messages": [{"role": "user", "content": "hi \\ud800 there"}]}')
    assert response.status_code == 400 and "lone surrogate" in response.json()["error"]["message"]
    assert fake[0].received == []
    assert [(r["decision"], r["error"]) for r in records(tmp_path)] == [("error", "InputError")]


def test_otlp_exporter_sends_spans_over_http(gateway, monkeypatch):
    """``trace_exporter="otlp"``: spans reach an OTLP/HTTP receiver, flushed at shutdown, with no text."""
    pytest.importorskip("opentelemetry.exporter.otlp.proto.http")
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
        ExportTraceServiceRequest,
        ExportTraceServiceResponse,
    )
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from raikit.serve.testing import running

    bodies: list[bytes] = []

    async def traces(request: Request) -> Response:
        bodies.append(await request.body())
        return Response(ExportTraceServiceResponse().SerializeToString(), media_type="application/x-protobuf")

    with running(Starlette(routes=[Route("/v1/traces", traces, methods=["POST"])])) as collector:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.url + "/v1/traces")
        with gateway(trace_exporter="otlp") as gw:
            ask(client(gw.url), "I am ann@example.com", extra_headers={"x-request-id": "r-otlp"})
    spans = [span for body in bodies for rs in ExportTraceServiceRequest.FromString(body).resource_spans
             for ss in rs.scope_spans for span in ss.spans]
    (call,) = [s for s in spans if s.name == "POST /v1/chat/completions"]
    attributes = {a.key: a.value.string_value for a in call.attributes}
    assert attributes["raikit.request_id"] == "r-otlp" and attributes["raikit.decision"] == "redacted"
    checks = [s for s in spans if s.name.startswith("raikit.check")]
    assert checks and all(s.trace_id == call.trace_id and s.parent_span_id == call.span_id for s in checks)
    assert not any(b"ann@" in body or b"jo.doe" in body for body in bodies)


def test_upstream_connections_are_kept_alive(gateway, fake):
    """HTTP/1.1 keep-alive to the upstream: sequential calls, streamed or not, reuse pooled connections."""
    with gateway() as gw:
        c = client(gw.url)
        for i in range(12):
            if i % 2:
                assert "".join(x.choices[0].delta.content or "" for x in ask(c, "hi", stream=True) if x.choices)
            else:
                assert ask(c, "hi").choices[0].message.content
    peers = [r["peer"] for r in fake[0].received]
    assert len(peers) == 12 and len(set(peers)) <= 2
