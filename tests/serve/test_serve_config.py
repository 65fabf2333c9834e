"""Client keys: hashed storage, lookup, located errors; gateway settings validation."""

from __future__ import annotations

import re

import pytest

from raikit.errors import InputError
from raikit.serve import KeyStore, ServeConfig, hash_key, load_keys


def test_lookup_by_hash_only(tmp_path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(f"keys:\n  - hash: {hash_key('sk-a')}\n    tenant: a\n    policy: strict\n"
                    f"  - hash: {hash_key('sk-b')}\n    tenant: b\n    policy: pol/b.yaml\n    scopes: [audit]\n",
                    encoding="utf-8")
    store = load_keys(path)
    assert "sk-a" not in path.read_text()
    a, b = store.lookup("Bearer sk-a"), store.lookup("bearer  sk-b ")
    assert (a.tenant, a.policy, a.scopes) == ("a", "strict", ("chat", "scan"))
    assert (b.tenant, b.policy, b.scopes) == ("b", str((tmp_path / "pol/b.yaml").resolve()), ("audit",))
    for header in (None, "", "sk-a", "Bearer sk-c", "Basic sk-a"):
        assert store.lookup(header) is None


def test_no_keys_means_anonymous() -> None:
    assert KeyStore().lookup(None).tenant == "anonymous"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("  - hash: sk-plain\n    tenant: a\n", "keys[0].hash"),
        (f"  - hash: {hash_key('x')}\n", "keys[0].tenant"),
        (f"  - hash: {hash_key('x')}\n    tenant: a\n    scopes: [admin]\n", "keys[0].scopes"),
        (f"  - hash: {hash_key('x')}\n    tenant: a\n    role: x\n", "unknown keys"),
        (f"  - hash: {hash_key('x')}\n    tenant: a\n  - hash: {hash_key('x')}\n    tenant: b\n", "duplicate"),
    ],
)
def test_bad_keys_files(tmp_path, entry: str, message: str) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text("keys:\n" + entry, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as err:
        load_keys(path)
    assert "sk-plain" not in str(err.value)


@pytest.mark.parametrize(("field", "value"), [("upstream", "ftp://x"), ("max_concurrency", 0),
                                              ("trace_exporter", "jaeger"), ("max_body_bytes", -1)])
def test_config_validation(field: str, value: object) -> None:
    settings = {"upstream": "http://127.0.0.1:1/v1", field: value}
    with pytest.raises(InputError, match=field):
        ServeConfig(**settings)


def test_upstream_loses_its_trailing_slash() -> None:
    assert ServeConfig(upstream="http://h/v1/").upstream == "http://h/v1"
