"""The guard in a real server: a Starlette app under uvicorn calling an OpenAI-compatible
upstream (20 ms model time) through the real ``openai`` client, unguarded and guarded with
the default policy, in the same run.

Three processes on 127.0.0.1: a fake upstream, the app (sync / async x stream / non-stream
endpoints, each unguarded and guarded) and this load generator (``--requests`` per endpoint,
``--concurrency`` in flight). Prompts are the human-written Self-Instruct seed instructions and
the upstream answers with their human-written outputs. Prints per endpoint the throughput
ratio guarded / unguarded, the p95 added latency, the app's event-loop lag p99 while the
guarded calls ran, errors and decision records per request; then the check CPU of a
2,000-character streamed answer against scanning it once.

    .venv/bin/pip install -e '.[serve,harm,pii]'
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/serve_load.py [--requests 500 --concurrency 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "benign" / "self_instruct_seed_tasks.jsonl"
KINDS = ("async", "async-stream", "sync", "sync-stream")
SYSTEM = "You are a helpful assistant. Answer briefly."
MODEL_TIME_S = 0.020


def load_tasks() -> list[tuple[str, str]]:
    """(prompt, answer) pairs, both human-written (Self-Instruct seed tasks)."""
    if not DATA.is_file():
        raise SystemExit(f"needs {DATA} (the shared data folder beside the checkout)")
    pairs = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        task = json.loads(line)
        instance = task["instances"][0]
        prompt = task["instruction"] + (("\n" + instance["input"]) if instance["input"] else "")
        if instance["output"].strip():
            pairs.append((prompt, instance["output"]))
    return pairs


# -- the fake upstream -------------------------------------------------------------------
def upstream_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, StreamingResponse
    from starlette.routing import Route

    answers = dict(load_tasks())

    async def completions(request: Request) -> Any:
        body = await request.json()
        prompt = body["messages"][-1]["content"]
        reply = answers.get(prompt, "I am not sure.")
        base = {"id": "chatcmpl-bench", "created": int(time.time()), "model": body["model"]}
        usage = {"prompt_tokens": len(prompt) // 4, "completion_tokens": len(reply) // 4,
                 "total_tokens": (len(prompt) + len(reply)) // 4}
        if not body.get("stream"):
            await asyncio.sleep(MODEL_TIME_S)
            return JSONResponse({**base, "object": "chat.completion", "usage": usage, "choices": [
                {"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}]})

        async def events() -> Any:
            def event(choices: list[Any], **extra: Any) -> str:
                return "data: " + json.dumps({**base, "object": "chat.completion.chunk", "choices": choices, **extra}) + "\n\n"

            yield event([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
            pieces = [reply[i : i + 16] for i in range(0, len(reply), 16)]
            for piece in pieces:
                await asyncio.sleep(MODEL_TIME_S / len(pieces))
                yield event([{"index": 0, "delta": {"content": piece}, "finish_reason": None}])
            yield event([{"index": 0, "delta": {}, "finish_reason": "stop"}])
            if (body.get("stream_options") or {}).get("include_usage"):
                yield event([], usage=usage)
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


# -- the app under test ------------------------------------------------------------------
class CountingSink:
    """Counts decision records per request id (what an audit log would receive)."""

    def __init__(self) -> None:
        self.per_request: dict[str, int] = {}
        self.outcomes: dict[str, int] = {}

    def append(self, event: dict[str, Any]) -> None:
        rid = event["request_id"]
        self.per_request[rid] = self.per_request.get(rid, 0) + 1
        self.outcomes[event["decision"]] = self.outcomes.get(event["decision"], 0) + 1


def server_app(upstream: str, policy: str = "default") -> Any:
    import openai
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse, StreamingResponse
    from starlette.routing import Route

    from raikit.guardrails import guard, request_context
    from raikit.guardrails.harm import _encoder

    # The 175 prompts and answers repeat every 175 requests: a feature cache that outlived a
    # cycle would score repeats for free. 64 windows still let harm reuse injection's pass
    # on the same prompts (a batch is <= 32 texts) but forget a text long before it returns.
    _encoder.FEATURE_CACHE_WINDOWS = 64
    sink = CountingSink()
    g = guard(policy, sink=sink)
    g.runner.load()
    sync_clients = {"plain": openai.OpenAI(base_url=upstream, api_key="x", max_retries=0, timeout=60)}
    async_clients = {"plain": openai.AsyncOpenAI(base_url=upstream, api_key="x", max_retries=0, timeout=60)}
    sync_clients["guarded"] = g(openai.OpenAI(base_url=upstream, api_key="x", max_retries=0, timeout=60))
    async_clients["guarded"] = g(openai.AsyncOpenAI(base_url=upstream, api_key="x", max_retries=0, timeout=60))
    lags: list[float] = []
    cpu = [time.process_time()]

    def messages(prompt: str) -> list[dict[str, str]]:
        return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}]

    async def run_async(request: Request) -> Any:
        mode = request.path_params["mode"]
        prompt = (await request.json())["prompt"]
        with request_context(request.headers["x-request-id"]):
            response = await async_clients[mode].chat.completions.create(model="m", messages=messages(prompt))
        return JSONResponse({"text": response.choices[0].message.content, "finish": response.choices[0].finish_reason})

    async def run_async_stream(request: Request) -> Any:
        mode = request.path_params["mode"]
        prompt = (await request.json())["prompt"]
        with request_context(request.headers["x-request-id"]):
            stream = await async_clients[mode].chat.completions.create(
                model="m", messages=messages(prompt), stream=True, stream_options={"include_usage": True}
            )

        async def body() -> Any:
            async for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content

        return StreamingResponse(body(), media_type="text/plain")

    def call_sync(mode: str, prompt: str, rid: str) -> Any:
        with request_context(rid):
            response = sync_clients[mode].chat.completions.create(model="m", messages=messages(prompt))
        return {"text": response.choices[0].message.content, "finish": response.choices[0].finish_reason}

    def open_sync_stream(mode: str, prompt: str, rid: str) -> Any:
        with request_context(rid):
            stream = sync_clients[mode].chat.completions.create(
                model="m", messages=messages(prompt), stream=True, stream_options={"include_usage": True}
            )
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                yield chunk.choices[0].delta.content

    async def run_sync(request: Request) -> Any:
        """A sync handler (as FastAPI runs a ``def`` endpoint: in the thread pool)."""
        mode, prompt = request.path_params["mode"], (await request.json())["prompt"]
        return JSONResponse(await run_in_threadpool(call_sync, mode, prompt, request.headers["x-request-id"]))

    async def run_sync_stream(request: Request) -> Any:
        mode, prompt = request.path_params["mode"], (await request.json())["prompt"]
        # a sync iterator: Starlette iterates it in its thread pool
        return StreamingResponse(open_sync_stream(mode, prompt, request.headers["x-request-id"]), media_type="text/plain")

    async def stats(request: Request) -> Any:
        ordered = sorted(lags) or [0.0]
        counts = list(sink.per_request.values())
        return JSONResponse({
            "lag_p99_ms": ordered[int(0.99 * (len(ordered) - 1))] * 1000, "lag_max_ms": ordered[-1] * 1000,
            "records": sum(counts), "requests_with_records": len(counts), "multi": sum(1 for c in counts if c != 1),
            "outcomes": sink.outcomes, "cpu_s": time.process_time() - cpu[0],
            "batches": {f"{stage}{'-large' if large else ''}": (b.batches, b.largest)
                        for (stage, large), b in g.runner._batchers.items()},
        })

    async def reset(request: Request) -> Any:
        lags.clear()
        cpu[0] = time.process_time()
        sink.per_request.clear()
        sink.outcomes.clear()
        return JSONResponse({})

    async def ticker() -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.005)
            lags.append(max(0.0, time.perf_counter() - start - 0.005))

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> Any:
        task = asyncio.create_task(ticker())
        yield
        task.cancel()

    app = Starlette(
        routes=[
            Route("/{mode}/async", run_async, methods=["POST"]),
            Route("/{mode}/async-stream", run_async_stream, methods=["POST"]),
            Route("/{mode}/sync", run_sync, methods=["POST"]),
            Route("/{mode}/sync-stream", run_sync_stream, methods=["POST"]),
            Route("/stats", stats),
            Route("/reset", reset, methods=["POST"]),
        ],
        lifespan=lifespan,
    )
    return app


# -- the load generator ------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(role: str, port: int, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}
    return subprocess.Popen([sys.executable, __file__, "--role", role, "--port", str(port), *extra], env=env)


async def wait_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 300.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"the server for {url} exited with code {proc.returncode}")
            try:
                await client.get(url)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.5)
    raise SystemExit(f"{url} did not come up")


async def load(base: str, path: str, prompts: list[str], n: int, concurrency: int, tag: str) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors = 0
    queue = list(range(n))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

        async def worker() -> None:
            nonlocal errors
            while queue:
                i = queue.pop()
                t = time.perf_counter()
                try:
                    headers = {"x-request-id": f"{tag}-{i}"}
                    async with client.stream("POST", path, json={"prompt": prompts[i % len(prompts)]}, headers=headers) as r:
                        async for _ in r.aiter_bytes():
                            pass
                        if r.status_code != 200:
                            errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - t)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
        stats = (await client.get("/stats")).json()
        await client.post("/reset")
    ordered = sorted(latencies)
    return {"rps": n / elapsed, "p50": statistics.median(ordered), "p95": ordered[int(0.95 * (n - 1))],
            "errors": errors, **stats}


def stream_cpu_ratio(text: str, chunk: int = 8, repeats: int = 3) -> tuple[float, float, float]:
    """Process CPU of the checks: a guarded stream of ``text`` vs one scan of it, both cold
    (the encoder's feature cache emptied first, else the single scan would be a cache hit)."""
    from raikit.guardrails import PolicyRunner, guard
    from raikit.guardrails.harm._encoder import get_encoder

    runner = PolicyRunner("default")
    runner.load()
    g = guard("default")
    g.runner = runner  # share the loaded checks

    @g
    def stream(prompt: str) -> Any:
        for i in range(0, len(text), chunk):
            yield text[i : i + chunk]

    runner.scan([text], stage="output")  # warm up
    once, streamed = [], []
    encoder = get_encoder()
    for _ in range(repeats):
        encoder.clear_cache()
        t = time.process_time()
        runner.scan([text], stage="output")
        once.append(time.process_time() - t)
        encoder.clear_cache()
        t = time.process_time()
        out = "".join(stream("Write about breakfast."))
        streamed.append(time.process_time() - t)
        assert out  # the stream produced text
    a, b = statistics.median(once), statistics.median(streamed)
    return a, b, b / a


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--isolation", choices=["thread", "process"], default="thread",
                        help="the default policy as is (thread) or extended with runtime.isolation: process")
    parser.add_argument("--role", choices=["upstream", "app"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--upstream", help=argparse.SUPPRESS)
    parser.add_argument("--policy", default="default", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        import uvicorn

        app = upstream_app() if args.role == "upstream" else server_app(args.upstream, args.policy)
        # keep-alive longer than a run's idle gaps: a connection the server closes just as a
        # client reuses it resets that request (seen as rare upstream ReadErrors under load)
        uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False, timeout_keep_alive=120)
        return

    import torch

    torch.set_num_threads(1)
    tasks = load_tasks()
    prompts = [p for p, _ in tasks]
    up_port, app_port = free_port(), free_port()
    policy = "default"
    if args.isolation == "process":
        import tempfile

        policy = str(Path(tempfile.mkdtemp()) / "default-process.yaml")
        Path(policy).write_text("version: 1\nname: default-process\nextends: default\nruntime: {isolation: process, workers: 2}\n")
    procs = [start("upstream", up_port)]
    procs.append(start("app", app_port, "--upstream", f"http://127.0.0.1:{up_port}/v1", "--policy", policy))
    base = f"http://127.0.0.1:{app_port}"
    try:
        asyncio.run(wait_up(f"http://127.0.0.1:{up_port}/", procs[0]))
        asyncio.run(wait_up(base + "/stats", procs[1]))
        kinds = args.kinds.split(",")
        print(f"{args.requests} requests per endpoint, {args.concurrency} concurrent; 20 ms model time; "
              f"default policy, model checks on worker {args.isolation}s")
        print(f"{'endpoint':<14} {'plain rps':>9} {'guard rps':>9} {'ratio':>6} {'plain p95':>9} {'guard p95':>9} "
              f"{'added p95':>9} {'lag p99 plain/guard':>19} {'app CPU/req plain/guard':>23} {'errors':>6} {'rec/req':>8}  outcomes")
        for kind in kinds:
            for mode in ("plain", "guarded"):  # warm up (models, connections), not measured
                asyncio.run(load(base, f"/{mode}/{kind}", prompts, 2 * args.concurrency, args.concurrency, f"warm-{mode}-{kind}"))
            plain = asyncio.run(load(base, f"/plain/{kind}", prompts, args.requests, args.concurrency, f"plain-{kind}"))
            guarded = asyncio.run(load(base, f"/guarded/{kind}", prompts, args.requests, args.concurrency, f"guarded-{kind}"))
            per_request = guarded["records"] / args.requests
            exact = guarded["requests_with_records"] == args.requests and guarded["multi"] == 0
            print(
                f"{kind:<14} {plain['rps']:9.1f} {guarded['rps']:9.1f} {guarded['rps'] / plain['rps']:5.2f}x "
                f"{plain['p95'] * 1000:7.0f}ms {guarded['p95'] * 1000:7.0f}ms {(guarded['p95'] - plain['p95']) * 1000:7.0f}ms "
                f"{plain['lag_p99_ms']:7.1f} / {guarded['lag_p99_ms']:5.1f} ms "
                f"{plain['cpu_s'] / args.requests * 1000:9.1f} / {guarded['cpu_s'] / args.requests * 1000:6.1f} ms "
                f"{plain['errors'] + guarded['errors']:6d} "
                f"{per_request:7.2f}{'' if exact else ' (' + str(guarded['requests_with_records']) + ' requests with records, ' + str(guarded['multi']) + ' with more than one)'}"
                f"  {guarded['outcomes']} batches={guarded['batches']} guarded errors={guarded['errors']}",
                flush=True,
            )
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
    answer = ""
    for _, out in tasks:
        answer += out.strip() + "\n\n"
        if len(answer) >= 2000:
            break
    once, streamed, ratio = stream_cpu_ratio(answer[:2000])
    print(f"streamed 2,000-char answer (8-char chunks): check CPU {streamed * 1000:.0f} ms vs one scan "
          f"{once * 1000:.0f} ms = {ratio:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
