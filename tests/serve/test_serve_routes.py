"""Policies per route: a routes file maps base paths to policies; a client key's own policy wins."""

from __future__ import annotations

import httpx
import openai
import pytest

from raikit.errors import InputError
from raikit.serve import hash_key, load_keys, load_routes
from tests.serve.conftest import CLIENT_KEY, records

FRUIT_POLICY = """\
version: 1
name: serve-fruit
on_block: refuse
refusal: "No fruit."
checks:
  - id: fruit
    type: denylist
    applies_to: both
    action: block
    params: {terms: {fruit: ["banana"]}}
"""
PINNED_KEY = "sk-pinned-tenant-42"


@pytest.fixture
def routed(tmp_path, policy_file):  # type: ignore[no-untyped-def]
    """A routes file with /fruit/v1 -> fruit policy (relative path), and a key pinned to the default one."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "fruit.yaml").write_text(FRUIT_POLICY, encoding="utf-8")
    routes = tmp_path / "routes.yaml"
    routes.write_text("routes:\n  /fruit/v1: policies/fruit.yaml\n", encoding="utf-8")
    keys = tmp_path / "keys2.yaml"
    keys.write_text(f"keys:\n  - hash: {hash_key(CLIENT_KEY)}\n    tenant: acme\n"
                    f"  - hash: {hash_key(PINNED_KEY)}\n    tenant: pinned\n    policy: {policy_file}\n",
                    encoding="utf-8")
    return {"routes": load_routes(routes), "keys": load_keys(keys)}


def ask(base: str, text: str, key: str = CLIENT_KEY, **kw):  # type: ignore[no-untyped-def]
    c = openai.OpenAI(base_url=base, api_key=key, max_retries=0)
    return c.chat.completions.create(model="fake-model", messages=[{"role": "user", "content": text}], **kw)


def test_route_policy_applies_under_its_base_path_only(gateway, fake, routed, tmp_path):
    with gateway(**routed) as gw:
        blocked = ask(gw.url + "/fruit/v1", "I like banana bread", extra_headers={"x-request-id": "f-1"})
        streamed = list(ask(gw.url + "/fruit/v1", "one banana please", stream=True))
        default = ask(gw.url + "/v1", "I like banana bread", extra_headers={"x-request-id": "d-1"})
        models = httpx.get(gw.url + "/fruit/v1/models", headers={"authorization": f"Bearer {CLIENT_KEY}"})
        scan = httpx.post(gw.url + "/fruit/v1/scan", headers={"authorization": f"Bearer {CLIENT_KEY}"},
                          json={"texts": ["banana", "apple"]}).json()
        metrics = httpx.get(gw.url + "/metrics").text
        missing = httpx.post(gw.url + "/other/v1/chat/completions", json={})
    assert blocked.choices[0].message.content == "No fruit." and blocked.choices[0].finish_reason == "content_filter"
    assert "".join(c.choices[0].delta.content or "" for c in streamed if c.choices) == "No fruit."
    # /v1 keeps --policy: banana is fine there, and its email redaction still runs.
    assert default.choices[0].message.content == "Hello! Write to [EMAIL] about it, then we are done here."
    assert models.status_code == 200 and models.json()["data"][0]["id"] == "fake-model"
    assert [r["outcome"] for r in scan["results"]] == ["blocked", "allowed"] and scan["policy"].endswith("fruit.yaml")
    assert 'raikit_serve_requests_total{route="/fruit/v1/chat/completions",status="200"} 2.0' in metrics
    assert missing.status_code == 404
    by_id = {r["request_id"]: r for r in records(tmp_path) if r["kind"] == "decision"}
    assert by_id["f-1"]["policy"] == "serve-fruit" and by_id["f-1"]["decision"] == "blocked"
    assert by_id["d-1"]["policy"] == "serve-test"
    assert len(fake[0].received) == 1  # blocked prompts never reached the upstream


def test_a_keys_own_policy_wins_over_the_route(gateway, routed, tmp_path):
    with gateway(**routed) as gw:
        pinned = ask(gw.url + "/fruit/v1", "I like banana bread", key=PINNED_KEY, extra_headers={"x-request-id": "p-1"})
    assert pinned.choices[0].message.content == "Hello! Write to [EMAIL] about it, then we are done here."
    (record,) = [r for r in records(tmp_path) if r["request_id"] == "p-1"]
    assert record["policy"] == "serve-test"


@pytest.mark.parametrize(("text", "message"), [
    ("routes:\n  strict/v1: strict\n", "expected a base path"),
    ("routes:\n  /v1: strict\n", "the /v1 route's policy is --policy"),
    ("routes:\n  /v1/strict: strict\n", "gateway's own"),
    ("routes:\n  /metrics: strict\n", "gateway's own"),
    ("routes:\n  /a/../v1: strict\n", "no . or .. segments"),
    ("routes:\n  /s/v1: 3\n", "expected a policy name or path"),
    ("routes: [/s/v1]\n", "mapping base paths to policies"),
    ("keys: []\nroutes: {}\n", "one key, 'routes'"),
])
def test_bad_routes_files_are_located_errors(tmp_path, text, message):
    path = tmp_path / "routes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="routes") as err:
        load_routes(path)
    assert message in str(err.value)


def test_route_policy_paths_resolve_against_the_routes_file(tmp_path):
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "routes.yaml"
    path.write_text("routes:\n  /strict/v1: strict\n  /pii/v1: ../pii.yaml\n", encoding="utf-8")
    assert load_routes(path) == {"/strict/v1": "strict", "/pii/v1": str((tmp_path / "pii.yaml").resolve())}
