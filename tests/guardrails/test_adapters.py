"""Adapters: a real OpenAI client against a local server, a tiny HF GPT-2 pipeline."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from raikit.guardrails import guard, last_decision, policy_from_string
from raikit.guardrails.testing import KeywordCheck

EMAIL = "jo.doe@example.com"
REPLY = f"Sure, write to {EMAIL} and we will answer within two working days."
POLICY = """
version: 1
name: adapters
on_block: refuse
refusal: REFUSED
streaming: {hold_back: 24, window: 16}
checks:
  - id: pii
    type: denylist
    params: {terms: [unused]}
    action: redact
  - id: words
    type: denylist
    applies_to: output
    params: {terms: {BAD: [forbidden]}}
    action: block
"""


class _ChatHandler(BaseHTTPRequestHandler):
    received: list[dict] = []

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append(body)
        last = body["messages"][-1]["content"]
        reply = "this is forbidden" if "bad" in last else REPLY
        base = {"id": "chatcmpl-1", "created": int(time.time()), "model": body["model"]}
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for i in range(0, len(reply), 5):
                chunk = {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": reply[i : i + 5]}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            return
        payload = {
            **base,
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def chat_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ChatHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def guarded(client: object) -> object:
    return guard(policy_from_string(POLICY), checks={"pii": KeywordCheck(words={"EMAIL_ADDRESS": EMAIL}, id="pii")})(client)


def test_openai_client_redacts_prompt_and_output(chat_server: str) -> None:
    openai = pytest.importorskip("openai")
    client = guarded(openai.OpenAI(base_url=chat_server, api_key="test", max_retries=0))
    response = client.chat.completions.create(model="m", messages=[{"role": "user", "content": f"I am {EMAIL}"}])
    assert response.choices[0].message.content == REPLY.replace(EMAIL, "[EMAIL_ADDRESS]")
    assert _ChatHandler.received[-1]["messages"][0]["content"] == "I am [EMAIL_ADDRESS]"
    assert last_decision().outcome == "redacted"  # type: ignore[union-attr]


def test_openai_client_blocks_output_with_refusal(chat_server: str) -> None:
    openai = pytest.importorskip("openai")
    client = guarded(openai.OpenAI(base_url=chat_server, api_key="test", max_retries=0))
    response = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "say something bad"}])
    assert response.choices[0].message.content == "REFUSED"
    assert response.choices[0].finish_reason == "content_filter"


def test_openai_streaming_redacts_across_chunks(chat_server: str) -> None:
    openai = pytest.importorskip("openai")
    client = guarded(openai.OpenAI(base_url=chat_server, api_key="test", max_retries=0))
    stream = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=True)
    pieces = [chunk.choices[0].delta.content for chunk in stream]
    assert "".join(pieces) == REPLY.replace(EMAIL, "[EMAIL_ADDRESS]")
    assert len(pieces) > 1
    assert last_decision().stage == "stream"  # type: ignore[union-attr]


def test_async_openai_client(chat_server: str) -> None:
    openai = pytest.importorskip("openai")

    async def run() -> tuple[str, str]:
        client = guarded(openai.AsyncOpenAI(base_url=chat_server, api_key="test", max_retries=0))
        plain = await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
        stream = await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=True)
        streamed = "".join([c.choices[0].delta.content async for c in stream])
        return plain.choices[0].message.content, streamed

    plain, streamed = asyncio.run(run())
    expected = REPLY.replace(EMAIL, "[EMAIL_ADDRESS]")
    assert plain == expected and streamed == expected


# --- Hugging Face pipeline with a tiny GPT-2 built from a config ------------------------


@pytest.fixture(scope="module")
def tiny_pipeline() -> object:
    transformers = pytest.importorskip("transformers")
    tokenizers = pytest.importorskip("tokenizers")
    words = ["hello", "world", "my", "mail", "is", "forbidden", "the", "a", "cat", "[EMAIL_ADDRESS]", EMAIL]
    vocab = {"<unk>": 0, "<eos>": 1, **{w: i + 2 for i, w in enumerate(words)}}
    tok = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = tokenizers.pre_tokenizers.WhitespaceSplit()
    tok.decoder = tokenizers.decoders.WordPiece(prefix="##")  # joins words with spaces
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", eos_token="<eos>", pad_token="<eos>")
    config = transformers.GPT2Config(vocab_size=len(vocab), n_positions=64, n_embd=16, n_layer=1, n_head=2)
    import torch

    torch.manual_seed(0)
    model = transformers.GPT2LMHeadModel(config).eval()
    return transformers.pipeline("text-generation", model=model, tokenizer=fast, device="cpu")


def test_hf_pipeline_redacts_prompt_and_checks_full_output(tiny_pipeline: object) -> None:
    pipe = guarded(tiny_pipeline)
    out = pipe(f"my mail is {EMAIL}", max_new_tokens=5, do_sample=False)
    text = out[0]["generated_text"]
    assert text.startswith("my mail is [EMAIL_ADDRESS]")  # the model saw the redacted prompt
    assert EMAIL not in text
    decision = last_decision()
    assert decision is not None and decision.generator_id.startswith("hf-pipeline:text-generation")


def test_hf_pipeline_output_block(tiny_pipeline: object) -> None:
    pipe = guarded(tiny_pipeline)
    # the words check applies to outputs only; the full text echoes the prompt
    assert pipe("the forbidden cat", max_new_tokens=3, do_sample=False) == [{"generated_text": "REFUSED"}]
    assert last_decision().outcome == "blocked"  # type: ignore[union-attr]


def test_hf_pipeline_gets_the_text_watermark_processor(tiny_pipeline: object, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("raikit.watermark")
    monkeypatch.setenv("RAIKIT_WATERMARK_KEY", "test-key-0123456789")
    text = POLICY + "watermark:\n  text: {enabled: true, gamma: 0.5, delta: 20.0}\n"
    pipe = guard(policy_from_string(text), checks={"pii": KeywordCheck(words={"EMAIL_ADDRESS": EMAIL}, id="pii")})(tiny_pipeline)
    pipe("hello world", max_new_tokens=20, do_sample=True, return_full_text=False)
    decision = last_decision()
    assert decision is not None and decision.watermark is not None
    assert decision.watermark["status"] == "marked" and "test-key" not in json.dumps(decision.watermark)


def test_hf_model_with_tokenizer_gets_the_watermark(tiny_pipeline: object, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("raikit.watermark")
    monkeypatch.setenv("RAIKIT_WATERMARK_KEY", "test-key-0123456789")
    text = POLICY + "watermark:\n  text: {enabled: true, gamma: 0.5, delta: 20.0}\n"
    g = guard(policy_from_string(text), checks={"pii": KeywordCheck(words={"EMAIL_ADDRESS": EMAIL}, id="pii")})
    model, tokenizer = tiny_pipeline.model, tiny_pipeline.tokenizer  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="wrap_model"):
        g(model)
    generate = g.wrap_model(model, tokenizer)
    out = generate(f"my mail is {EMAIL}", max_new_tokens=5, do_sample=False)
    assert isinstance(out, str) and EMAIL not in out
    decision = last_decision()
    assert decision is not None and decision.watermark["status"] == "marked"  # type: ignore[index]


def test_hf_pipeline_batch_in_batch_out_with_one_refusal_inside(tiny_pipeline: object) -> None:
    pipe = guarded(tiny_pipeline)
    out = pipe(["the forbidden cat", "hello world"], max_new_tokens=3, do_sample=False)
    assert isinstance(out, list) and len(out) == 2
    assert out[0] == [{"generated_text": "REFUSED"}]
    assert out[1][0]["generated_text"].startswith("hello world")
    decision = last_decision()
    assert decision is not None and decision.outcome == "blocked" and decision.refused


def test_hf_pipeline_batch_blocked_at_prompt_is_a_batch_of_refusals(tiny_pipeline: object) -> None:
    text = POLICY.replace("    applies_to: output\n", "")
    pipe = guard(policy_from_string(text), checks={"pii": KeywordCheck(words={"EMAIL_ADDRESS": EMAIL}, id="pii")})(tiny_pipeline)
    out = pipe(["the forbidden cat", "hello world"], max_new_tokens=3, do_sample=False)
    assert out == [[{"generated_text": "REFUSED"}], [{"generated_text": "REFUSED"}]]
