"""``raikit serve``: run the OpenAI-compatible guard gateway."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile

import click

from raikit.cli._common import EXIT_USAGE, handle_errors


@click.command()
@click.option("-p", "--policy", default="default", show_default=True,
              help="Default policy (bundled name or YAML path) for clients without their own.")
@click.option("--upstream", required=False, help="OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--keys", "keys_file", type=click.Path(dir_okay=False, exists=True),
              help="YAML map of hashed client keys to tenant and policy; without it there is no authentication.")
@click.option("--routes", "routes_file", type=click.Path(dir_okay=False, exists=True),
              help="YAML map of more base paths (e.g. /strict/v1) to policies; a key's own policy wins.")
@click.option("--upstream-key-env", default="OPENAI_API_KEY", show_default=True,
              help="Environment variable with the upstream API key (never logged or returned).")
@click.option("--audit-log", type=click.Path(dir_okay=False), help="Audit log path (HMAC key from $RAIKIT_LOG_KEY).")
@click.option("--checkpoint-key", type=click.Path(dir_okay=False, exists=True),
              help="Ed25519 private key file for /v1/audit-log/checkpoint (see `raikit log checkpoint`).")
@click.option("--checkpoint-origin", default="raikit-serve/audit-log", show_default=True)
@click.option("--max-body-bytes", default=1_000_000, show_default=True, type=int, help="Larger requests get 413.")
@click.option("--max-concurrency", default=64, show_default=True, type=int, help="Requests served at once.")
@click.option("--max-queue", default=64, show_default=True, type=int, help="Requests waiting beyond that; more get 429.")
@click.option("--upstream-timeout", default=60.0, show_default=True, type=float, help="Seconds; 504 when exceeded.")
@click.option("--traces", type=click.Choice(["none", "console", "otlp"]), default="none", show_default=True,
              help="OpenTelemetry exporter (otlp reads OTEL_EXPORTER_OTLP_*).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes; each loads the models and has its own --max-concurrency.")
@click.option("--graceful-timeout", default=30.0, show_default=True, type=float,
              help="Seconds to drain in-flight requests and streams on shutdown.")
@click.option("--hash-key", "hash_key_flag", is_flag=True,
              help="Read a client key on stdin, print its hash for the keys file, and exit.")
@handle_errors
def serve(policy: str, upstream: str | None, host: str, port: int, keys_file: str | None, routes_file: str | None,
          upstream_key_env: str, audit_log: str | None, checkpoint_key: str | None, checkpoint_origin: str,
          max_body_bytes: int, max_concurrency: int, max_queue: int, upstream_timeout: float, traces: str,
          workers: int, graceful_timeout: float, hash_key_flag: bool) -> None:
    """Run an OpenAI-compatible gateway that guards every call with a policy.

    Apps switch by changing the client's base_url to http://HOST:PORT/v1. Endpoints:
    /v1/chat/completions (streaming or not), /v1/models, /v1/scan, /v1/audit-log/head,
    /v1/audit-log/checkpoint, /healthz, /readyz, /metrics. Logs are JSON lines on stderr,
    without prompt or output text.

    \b
    Examples:
      raikit serve --policy default --upstream http://127.0.0.1:8000/v1
      echo -n "$CLIENT_KEY" | raikit serve --hash-key        # for the keys file
      RAIKIT_LOG_KEY=$(openssl rand -hex 32) raikit serve --upstream https://api.openai.com/v1 \\
          --keys keys.yaml --routes routes.yaml --audit-log audit.jsonl --port 8080 --workers 4
    """
    try:
        import uvicorn

        from raikit.serve import create_app, hash_key
        from raikit.serve._process import SETTINGS_ENV, build_config, configure_logging
    except ImportError as err:
        click.echo(f"error: raikit serve needs its extra: pip install 'raikit[serve]' ({err.name} is missing)",
                   err=True)
        sys.exit(EXIT_USAGE)
    if hash_key_flag:
        key = sys.stdin.read().strip()
        if not key:
            raise click.UsageError("pipe the client key on stdin")
        click.echo(hash_key(key))
        return
    if not upstream:
        raise click.UsageError("--upstream is required")
    configure_logging()
    from raikit._memory import bound_onednn_cache, release_large_blocks

    bound_onednn_cache()  # before the workers start: they inherit the environment
    release_large_blocks()
    settings = {
        "upstream": upstream, "policy": policy, "upstream_key_env": upstream_key_env, "keys_file": keys_file,
        "routes_file": routes_file, "audit_log": audit_log, "checkpoint_key": checkpoint_key,
        "checkpoint_origin": checkpoint_origin, "max_body_bytes": max_body_bytes, "max_concurrency": max_concurrency,
        "max_queue": max_queue, "upstream_timeout_s": upstream_timeout, "trace_exporter": traces,
    }
    config = build_config(settings)  # bad keys, routes or settings fail here, before any worker starts
    if not config.keys.enabled:
        logging.getLogger("raikit.serve").warning("no --keys file: every caller is accepted as tenant 'anonymous'")
    options = {"host": host, "port": port, "log_config": None, "access_log": False, "lifespan": "on",
               "timeout_graceful_shutdown": graceful_timeout}
    if workers == 1:
        uvicorn.run(create_app(config), **options)
        return
    from raikit.guardrails import load_policy

    for name in sorted(config.policies):  # a bad policy fails here, not in every worker
        load_policy(name)
    os.environ[SETTINGS_ENV] = json.dumps(settings)
    metrics_dir = tempfile.mkdtemp(prefix="raikit-serve-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir  # before any worker imports prometheus_client
    try:
        uvicorn.run("raikit.serve._process:app_from_env", factory=True, workers=workers, **options)
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)
