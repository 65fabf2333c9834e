"""Fixtures: a fake upstream and a gateway, both served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from raikit.audits import AuditLog  # noqa: E402
from raikit.serve import ServeConfig, create_app, hash_key, load_keys  # noqa: E402
from raikit.serve.testing import FakeUpstream, running  # noqa: E402

POLICY = """\
version: 1
name: serve-test
on_block: {on_block}
refusal: "Sorry, I can't help with that."
checks:
  - id: secret
    type: denylist
    applies_to: both
    action: block
    params: {{terms: {{secret: ["project x"]}}}}
  - id: email
    type: denylist
    applies_to: both
    action: redact
    params: {{patterns: {{EMAIL: ['[a-z.]+@example[.]com']}}}}
streaming: {{hold_back: 16}}
"""
CLIENT_KEY = "sk-client-test-0123456789"
UPSTREAM_KEY = "sk-upstream-SECRET-987654321"


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY.format(on_block="refuse"), encoding="utf-8")
    return path


@pytest.fixture
def keys_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys.yaml"
    path.write_text(f"keys:\n  - hash: {hash_key(CLIENT_KEY)}\n    tenant: acme\n"
                    f"    scopes: [chat, scan, audit]\n", encoding="utf-8")
    return path


@pytest.fixture
def fake() -> Iterator[tuple[FakeUpstream, str]]:
    upstream = FakeUpstream(reply="Hello! Write to jo.doe@example.com about it, then we are done here.")
    with running(upstream.app()) as handle:
        yield upstream, handle.url + "/v1"


@pytest.fixture
def log_key(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setenv("RAIKIT_LOG_KEY", "ab" * 32)
    monkeypatch.setenv("OPENAI_API_KEY", UPSTREAM_KEY)
    return bytes.fromhex("ab" * 32)


@pytest.fixture
def gateway(fake, policy_file, keys_file, log_key, tmp_path):  # type: ignore[no-untyped-def]
    """A factory: ``gateway(**config_overrides)`` -> context manager yielding (handle, app)."""

    @contextlib.contextmanager
    def start(app_kwargs: dict[str, Any] | None = None, **overrides: Any) -> Iterator[Any]:
        settings: dict[str, Any] = {"upstream": fake[1], "policy": str(policy_file), "keys": load_keys(keys_file),
                                    "audit_log": str(tmp_path / "audit.jsonl")}
        settings.update(overrides)
        app = create_app(ServeConfig(**settings), **(app_kwargs or {}))
        with running(app) as handle:
            handle.app = app
            wait_ready(handle.url)
            yield handle

    return start


def wait_ready(url: str, timeout: float = 60.0) -> None:
    import time

    import httpx

    deadline = time.monotonic() + timeout
    while httpx.get(url + "/readyz").status_code != 200:
        assert time.monotonic() < deadline, "gateway not ready"
        time.sleep(0.02)


def records(tmp_path: Path) -> list[dict[str, Any]]:
    from raikit.evidence._log import read_records

    return [{"kind": r["kind"], **r["event"]} for r in read_records(tmp_path / "audit.jsonl")]


__all__ = ["AuditLog", "CLIENT_KEY", "UPSTREAM_KEY", "records"]
