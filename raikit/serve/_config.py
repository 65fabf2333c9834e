"""Gateway settings, client keys and routes: who may call, with which policy, as which tenant.

Client keys are stored hashed (``sha256:<hex>``); the plain key is only ever compared by
its hash. The keys file is YAML::

    keys:
      - hash: sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
        tenant: acme
        policy: strict          # bundled name or a path relative to this file (optional)
        scopes: [chat, scan]    # chat, scan, audit (default: chat, scan)

The routes file (``--routes``) maps more base paths to policies; each serves the OpenAI API
(``<route>/chat/completions``, ``<route>/models``, ``<route>/scan``) beside the default
``/v1``, so an app picks a policy by its ``base_url``::

    routes:
      /strict/v1: strict        # base_url http://gateway:8080/strict/v1
      /pii/v1: pii-only.yaml    # bundled name or a path relative to this file

A client key's own policy wins over its route's (a tenant pinned to a policy cannot leave
it by changing URLs); then the route's; then ``--policy``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from raikit.errors import InputError

SCOPES = ("chat", "scan", "audit")
_HASH = re.compile(r"sha256:[0-9a-f]{64}")
DEFAULT_SCOPES = ("chat", "scan")
_ROUTE = re.compile(r"(/[A-Za-z0-9._~-]+)+")
DEFAULT_ROUTE = "/v1"
_RESERVED = ("/v1", "/healthz", "/readyz", "/metrics")


def _route_problem(route: Any) -> str | None:
    """Why ``route`` cannot be a base path of its own, or None."""
    if not isinstance(route, str) or not _ROUTE.fullmatch(route) or any(
            part in (".", "..") for part in route.split("/")):
        return "expected a base path such as /strict/v1 (letters, digits, . _ ~ -; no . or .. segments)"
    if any(route == r or route.startswith(r + "/") for r in _RESERVED):
        return f"{route} is the gateway's own (the /v1 route's policy is --policy)"
    return None


def hash_key(key: str) -> str:
    """The stored form of a client API key.

    Example:
        >>> hash_key("test")
        'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
    """
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Client:
    """A client the gateway knows: its tenant, policy (None = the default) and scopes."""

    tenant: str
    policy: str | None = None
    scopes: tuple[str, ...] = DEFAULT_SCOPES


ANONYMOUS = Client(tenant="anonymous", scopes=SCOPES)


@dataclass
class KeyStore:
    """Hashed client keys; ``None`` for :attr:`clients` means authentication is off."""

    clients: dict[str, Client] | None = None

    @property
    def enabled(self) -> bool:
        return self.clients is not None

    def lookup(self, authorization: str | None) -> Client | None:
        """The client for an ``Authorization: Bearer <key>`` header, or None."""
        if self.clients is None:
            return ANONYMOUS
        if not authorization or not authorization.lower().startswith("bearer "):
            return None
        digest = hash_key(authorization[7:].strip())
        for stored, client in self.clients.items():
            if hmac.compare_digest(stored, digest):
                return client
        return None


def load_keys(path: str | Path) -> KeyStore:
    """Read a keys file (see the module docs).

    Raises:
        InputError: the file is unreadable or an entry is malformed (names the entry, never a key).
    """
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise InputError(f"cannot read keys file {str(path)!r}: {err}") from err
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise InputError(f"{path}: expected a mapping with a 'keys' list")
    clients: dict[str, Client] = {}
    for index, entry in enumerate(document["keys"]):
        where = f"{path}: keys[{index}]"
        if not isinstance(entry, dict):
            raise InputError(f"{where}: expected a mapping")
        unknown = set(entry) - {"hash", "tenant", "policy", "scopes"}
        if unknown:
            raise InputError(f"{where}: unknown keys {sorted(unknown)}")
        digest = entry.get("hash")
        if not isinstance(digest, str) or not _HASH.fullmatch(digest.lower()):
            raise InputError(f"{where}.hash: expected 'sha256:<64 hex digits>' (see `raikit serve --hash-key`)")
        tenant = entry.get("tenant")
        if not isinstance(tenant, str) or not tenant:
            raise InputError(f"{where}.tenant: expected a non-empty string")
        policy = entry.get("policy")
        if policy is not None:
            policy = _policy_ref(policy, path, f"{where}.policy")
        scopes = entry.get("scopes", list(DEFAULT_SCOPES))
        if not isinstance(scopes, list) or not all(s in SCOPES for s in scopes):
            raise InputError(f"{where}.scopes: expected a list of {list(SCOPES)}")
        if digest.lower() in clients:
            raise InputError(f"{where}.hash: duplicate key")
        clients[digest.lower()] = Client(tenant=tenant, policy=policy, scopes=tuple(scopes))
    return KeyStore(clients)


def _policy_ref(value: Any, source: Path, where: str) -> str:
    """A policy name as given, or a policy path resolved against the file that names it."""
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}: expected a policy name or path")
    if value.endswith((".yaml", ".yml")) or "/" in value:
        return str((source.parent / value).resolve())
    return value


def load_routes(path: str | Path) -> dict[str, str]:
    """Read a routes file (see the module docs): base path -> policy.

    Raises:
        InputError: the file is unreadable, a route is not a plain path, collides with the
            gateway's own paths, or its policy is not a name or path.
    """
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise InputError(f"cannot read routes file {str(path)!r}: {err}") from err
    if not isinstance(document, dict) or set(document) != {"routes"} or not isinstance(document["routes"], dict):
        raise InputError(f"{path}: expected a mapping with one key, 'routes', mapping base paths to policies")
    routes: dict[str, str] = {}
    for route, policy in document["routes"].items():
        where = f"{path}: routes[{route!r}]"
        problem = _route_problem(route)
        if problem is not None:
            raise InputError(f"{where}: {problem}")
        routes[route] = _policy_ref(policy, path, where)
    return routes


@dataclass
class ServeConfig:
    """Everything ``raikit serve`` needs.

    Attributes:
        upstream: Base URL of the OpenAI-compatible upstream, e.g. ``http://127.0.0.1:9000/v1``.
        policy: Default policy (bundled name or path) for clients without their own.
        upstream_key_env: Environment variable holding the upstream API key (never logged).
        keys: Client keys; authentication is off when ``keys.enabled`` is False.
        audit_log: Audit log path (key from ``$RAIKIT_LOG_KEY``); defaults to the policy's.
        checkpoint_key: Ed25519 private key file (note format) for signed checkpoints.
        checkpoint_origin: Origin line of checkpoints.
        max_body_bytes: Larger requests get 413.
        max_concurrency: Requests served at once; ``max_queue`` more wait up to
            ``queue_timeout_s``, the rest get 429.
        upstream_timeout_s: Read timeout for the upstream (504 when exceeded).
        trace_exporter: ``none`` (default), ``console`` or ``otlp``.
        routes: More base paths and their policies (see :func:`load_routes`); ``/v1`` uses ``policy``.
    """

    upstream: str
    policy: str = "default"
    upstream_key_env: str = "OPENAI_API_KEY"
    keys: KeyStore = field(default_factory=KeyStore)
    audit_log: str | None = None
    checkpoint_key: str | None = None
    checkpoint_origin: str = "raikit-serve/audit-log"
    max_body_bytes: int = 1_000_000
    max_concurrency: int = 64
    max_queue: int = 64
    queue_timeout_s: float = 10.0
    upstream_timeout_s: float = 60.0
    upstream_connect_timeout_s: float = 5.0
    max_scan_texts: int = 256
    trace_exporter: str = "none"
    routes: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.upstream.startswith(("http://", "https://")):
            raise InputError(f"upstream must be an http(s) URL, got {self.upstream!r}")
        for name in ("max_body_bytes", "max_concurrency", "max_scan_texts"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) <= 0:
                raise InputError(f"{name} must be a positive integer, got {getattr(self, name)!r}")
        if self.trace_exporter not in ("none", "console", "otlp"):
            raise InputError(f"trace_exporter must be none, console or otlp, got {self.trace_exporter!r}")
        self.upstream = self.upstream.rstrip("/")
        for route in self.routes:
            problem = _route_problem(route)
            if problem is not None:
                raise InputError(f"routes[{route!r}]: {problem}")

    @property
    def policies(self) -> set[str]:
        """Every policy the gateway may run: the default, the routes' and the client keys'."""
        keyed = {c.policy for c in (self.keys.clients or {}).values() if c.policy}
        return {self.policy, *self.routes.values(), *keyed}
