"""``raikit serve`` as a user runs it: a subprocess with the bundled default policy (real models)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import openai
import pytest

from raikit.serve.testing import FakeUpstream, free_port, running


def test_help_has_an_example() -> None:
    from click.testing import CliRunner

    from raikit.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "raikit serve --policy default --upstream" in result.output


def test_hash_key_and_missing_upstream() -> None:
    from click.testing import CliRunner

    from raikit.cli import cli
    from raikit.serve import hash_key

    assert CliRunner().invoke(cli, ["serve", "--hash-key"], input="sk-abc\n").output.strip() == hash_key("sk-abc")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2 and "--upstream is required" in result.output


def test_bad_keys_file_is_a_located_error(tmp_path) -> None:
    from click.testing import CliRunner

    from raikit.cli import cli

    keys = tmp_path / "keys.yaml"
    keys.write_text("keys:\n  - hash: plain-key\n    tenant: a\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--upstream", "http://127.0.0.1:1/v1", "--keys", str(keys)])
    assert result.exit_code == 2 and "keys[0].hash" in result.output and "plain-key" not in result.output


def test_bad_routes_file_is_a_located_error(tmp_path) -> None:
    from click.testing import CliRunner

    from raikit.cli import cli

    routes = tmp_path / "routes.yaml"
    routes.write_text("routes:\n  /v1/strict: strict\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--upstream", "http://127.0.0.1:1/v1", "--routes", str(routes)])
    assert result.exit_code == 2 and "routes['/v1/strict']" in result.output and "gateway's own" in result.output


@pytest.mark.slow
def test_default_policy_subprocess_redacts_pii_and_logs_json(tmp_path) -> None:
    pytest.importorskip("presidio_analyzer")
    fake = FakeUpstream(reply="Sure, I will email the report to maria.garcia@example.org tomorrow morning.")
    port = free_port()
    env = {**os.environ, "RAIKIT_LOG_KEY": "ef" * 32, "OPENAI_API_KEY": "sk-upstream-secret-1", "OMP_NUM_THREADS": "1"}
    with running(fake.app()) as upstream:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from raikit.cli import main; main()", "serve", "--policy", "default",
             "--upstream", upstream.url + "/v1", "--port", str(port), "--audit-log", str(tmp_path / "log.jsonl")],
            env=env, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 240
            while True:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "gateway not ready"
                time.sleep(0.5)
            client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="none", max_retries=0)
            answer = client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "Please send the report."}])
            streamed = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "Please send the report."}], stream=True)
                if c.choices)
        finally:
            proc.send_signal(signal.SIGTERM)
            _, stderr = proc.communicate(timeout=60)
    assert answer.choices[0].message.content == "Sure, I will email the report to [EMAIL_ADDRESS] tomorrow morning."
    assert streamed == answer.choices[0].message.content
    # uvicorn re-raises SIGTERM after its graceful shutdown, so the exit status is -15.
    assert proc.returncode in (0, -signal.SIGTERM)
    assert "raikit serve stopped: audit log flushed" in stderr
    import json

    access = [json.loads(line) for line in stderr.splitlines() if line.startswith('{"time"')]
    assert [a["decision"] for a in access] == ["redacted", "redacted"]
    assert "maria.garcia" not in stderr and "sk-upstream-secret-1" not in stderr
    from raikit.evidence._log import read_records

    assert [r["event"]["decision"] for r in read_records(tmp_path / "log.jsonl")] == ["redacted", "redacted"]
