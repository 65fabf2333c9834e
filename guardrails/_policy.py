"""Policies: which checks run, with which thresholds and actions, and the global settings.

A policy is YAML (``version: 1``), loaded safely, validated strictly and frozen. Errors name
the file, line, column and key path. ``extends: NAME|PATH`` inherits a bundled or another
policy: mappings merge key by key, checks merge by ``id`` (later keys override).
"""

from __future__ import annotations

import copy
import difflib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from raikit.errors import PolicyError, PolicyIssue
from raikit.guardrails import _schema as s
from raikit.guardrails._yaml import Mark, MarkedDict, MarkedList, load_marked_yaml

Action = Literal["allow", "warn", "redact", "block"]
ACTIONS = ("allow", "warn", "redact", "block")
SEVERITY = {"allow": 0, "warn": 1, "redact": 2, "block": 3}
#: The BOLD domains a policy's bias audit may name (the one list; the bias audit and CLI use it).
BOLD_DOMAINS = ("gender", "race", "religious_ideology", "political_ideology", "profession")


def bundled_policy_dir() -> Path:
    """The folder holding the bundled policies (``raikit.policies``)."""
    import raikit.policies

    return Path(raikit.policies.__file__).resolve().parent


def bundled_policies() -> list[str]:
    """Names of the bundled policies.

    Example:
        >>> {"default", "strict", "permissive"} <= set(bundled_policies())
        True
    """
    return sorted(p.stem for p in bundled_policy_dir().glob("*.yaml"))


@dataclass(frozen=True)
class TypeRule:
    """Per-type override inside a check (an entity type or a harm category)."""

    enabled: bool = True
    threshold: float | None = None
    action: Action | None = None


@dataclass(frozen=True)
class CheckSpec:
    """One check as the policy configures it."""

    id: str
    type: str
    enabled: bool = True
    applies_to: Literal["prompt", "output", "both"] = "both"
    params: dict[str, Any] = field(default_factory=dict)
    threshold: float = 0.5
    action: Action = "block"
    on_error: Literal["block", "warn"] = "block"
    timeout_s: float = 30.0
    per_type: dict[str, TypeRule] = field(default_factory=dict)
    ignore_echo: bool = False
    redact_with: Literal["placeholder", "pseudonym", "hash", "mask"] = "placeholder"
    #: Longest text (characters) the check accepts; longer ones fail the check (on_error).
    max_text_chars: int = 50_000
    #: Chat roles whose messages this check reads (texts without a role are always read).
    roles: tuple[str, ...] = ("user", "assistant")

    def applies(self, stage: str) -> bool:
        return self.enabled and self.applies_to in (stage, "both")

    def rule_for(self, type_: str) -> tuple[bool, float, Action]:
        """(enabled, threshold, action) for a finding type."""
        rule = self.per_type.get(type_)
        if rule is None:
            return True, self.threshold, self.action
        return (
            rule.enabled,
            self.threshold if rule.threshold is None else rule.threshold,
            self.action if rule.action is None else rule.action,
        )


@dataclass(frozen=True)
class ImageWatermarkSettings:
    enabled: bool = False
    key_env: str = "RAIKIT_WATERMARK_KEY"
    payload: str = "raikit"
    # C2PA content credentials on returned image files: variables naming the PEM files
    c2pa_cert_env: str | None = None
    c2pa_key_env: str | None = None


@dataclass(frozen=True)
class TextWatermarkSettings:
    enabled: bool = False
    key_env: str = "RAIKIT_WATERMARK_KEY"
    scheme: Literal["gumbel", "green"] = "gumbel"
    gamma: float = 0.25
    delta: float = 2.0
    context_width: int | None = None


@dataclass(frozen=True)
class WatermarkSettings:
    image: ImageWatermarkSettings = field(default_factory=ImageWatermarkSettings)
    text: TextWatermarkSettings = field(default_factory=TextWatermarkSettings)


@dataclass(frozen=True)
class AuditLogSettings:
    path: str | None = None
    key_env: str = "RAIKIT_LOG_KEY"
    durability: Literal["always", "interval"] = "interval"
    fsync_interval_ms: int = 50


@dataclass(frozen=True)
class StreamingSettings:
    hold_back: int = 64
    #: New characters gathered before the model checks first scan the stream; each scan
    #: doubles it, up to ``max_window``: the first text comes out early, and a long stream
    #: pays each scan's fixed cost (a model forward pass) a few times rather than per 256 characters.
    window: int = 256
    max_window: int = 1024


@dataclass(frozen=True)
class RuntimeSettings:
    """How a guard runs its checks: its own worker pool, micro-batching and backpressure."""

    workers: int = 2
    #: Longest wait for company after a batch of several requests (a lone request goes at once).
    batch_wait_ms: float = 2.0
    max_batch: int = 32
    max_pending: int = 256
    #: ``auto``: raikit's own checks on worker threads (they stop themselves at their budget),
    #: third-party checks on worker processes; ``thread``: every check on threads (an overrun
    #: third-party check is abandoned, not stopped); ``process``: every model and third-party
    #: check on worker processes, one killed and replaced when its check overruns.
    isolation: Literal["auto", "thread", "process"] = "auto"
    #: Address-space limit of each worker process (MB); a worker over it is replaced and the
    #: call follows on_error.
    worker_memory_mb: int = 4096


@dataclass(frozen=True)
class GateSettings:
    max_rate: dict[str, float] = field(default_factory=dict)
    max_gap: dict[str, float] = field(default_factory=dict)
    regression_tolerance: float = 0.02
    #: Highest share of attack-suite prompts (suites ``injection``, ``pii_extraction``) that
    #: may get through the policy in the audit; ``None``: no attack gate.
    max_attack_success: float | None = None


@dataclass(frozen=True)
class BiasAuditSettings:
    enabled: bool = False
    bold_domains: list[str] = field(default_factory=list)
    per_group: int = 20
    counterfactual: bool = True
    crows_pairs: bool = False
    seed: int = 0


@dataclass(frozen=True)
class AuditSettings:
    suites: list[str] = field(default_factory=lambda: ["demo"])
    max_new_tokens: int = 40
    temperature: float = 0.9
    seed: int = 0
    bias: BiasAuditSettings = field(default_factory=BiasAuditSettings)


@dataclass(frozen=True)
class Policy:
    """A validated, resolved policy. Build it with :func:`load_policy`."""

    version: int
    name: str
    description: str = ""
    checks: tuple[CheckSpec, ...] = ()
    on_block: Literal["raise", "refuse"] = "raise"
    refusal: str = "Sorry, I can't help with that."
    streaming: StreamingSettings = field(default_factory=StreamingSettings)
    runtime: RuntimeSettings = field(default_factory=RuntimeSettings)
    watermark: WatermarkSettings = field(default_factory=WatermarkSettings)
    audit_log: AuditLogSettings = field(default_factory=AuditLogSettings)
    gates: GateSettings = field(default_factory=GateSettings)
    audit: AuditSettings = field(default_factory=AuditSettings)
    source: str = field(default="<memory>", compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The resolved policy as plain data (what ``raikit policy show`` prints)."""
        data = asdict(self)
        data.pop("source")
        data["checks"] = list(data["checks"])
        return data

    @property
    def hash(self) -> str:
        """``sha256:<hex>`` of the resolved policy's canonical JSON."""
        blob = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), default=str)
        import hashlib

        return "sha256:" + hashlib.sha256(blob.encode()).hexdigest()

    def check(self, check_id: str) -> CheckSpec:
        for spec in self.checks:
            if spec.id == check_id:
                return spec
        raise KeyError(check_id)


def _identifier(value: Any, ctx: s.Context, path: str, mark: Mark) -> str:
    value = s.string(value, ctx, path, mark)
    if not all(c.isalnum() or c in "-_" for c in value):
        raise s.Invalid(f"expected letters, digits, '-' or '_', got {s.shown(value)}")
    return value


def _check_type(value: Any, ctx: s.Context, path: str, mark: Mark) -> str:
    from raikit.guardrails._registry import available_checks

    value = s.string(value, ctx, path, mark)
    names = available_checks()
    if value not in names:
        close = difflib.get_close_matches(value, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise s.Invalid(f"unknown check type {s.shown(value)}{hint}; installed: {', '.join(names)}")
    return value


def _roles(value: Any, ctx: s.Context, path: str, mark: Mark) -> tuple[str, ...]:
    items = s.list_of(s.string)(value, ctx, path, mark)
    if not items:
        raise s.Invalid("expected a non-empty list of chat roles (e.g. [user, assistant])")
    return tuple(items)


_ACTION = s.choice(*ACTIONS)
_TYPE_RULE = s.mapping(
    s.defaults_of(TypeRule, {"enabled": s.boolean, "threshold": s.optional(s.number(0, 1)), "action": s.optional(_ACTION)}),
    TypeRule,
)
_CHECK = s.mapping(
    s.defaults_of(
        CheckSpec,
        {
            "id": _identifier,
            "type": _check_type,
            "enabled": s.boolean,
            "applies_to": s.choice("prompt", "output", "both"),
            "params": s.any_mapping,
            "threshold": s.number(0, 1),
            "action": _ACTION,
            "on_error": s.choice("block", "warn"),
            "timeout_s": s.number(0.001, 3600),
            "per_type": s.dict_of(_TYPE_RULE),
            "ignore_echo": s.boolean,
            "redact_with": s.choice("placeholder", "pseudonym", "hash", "mask"),
            "max_text_chars": s.integer(1, 100_000_000),
            "roles": _roles,
        },
    ),
    CheckSpec,
)


def _section(cls: type, validators: dict[str, Any]) -> Any:
    """A policy section: its mapping validator, built into ``cls`` (defaults from ``cls``)."""
    return s.mapping(s.defaults_of(cls, validators), cls)


_KEY_ENV = s.string
_SEED = s.integer(0, 2**32 - 1)
# Every default below is the dataclass's own (see the classes above); only the policy's top
# level builds a dict (``extends`` is merged away) and so states its list default here.
_POLICY = s.mapping(
    s.defaults_of(
        Policy,
        {
            "version": (s.integer(1, 1), s.REQUIRED),
            "name": _identifier,
            "description": s.string,
            "extends": (s.string, None),
            "checks": (s.list_of(_CHECK), list),
            "on_block": s.choice("raise", "refuse"),
            "refusal": s.string,
            "streaming": _section(StreamingSettings, {"hold_back": s.integer(0, 100_000), "window": s.integer(16, 1_000_000),
                                                     "max_window": s.integer(16, 1_000_000)}),
            "runtime": _section(
                RuntimeSettings,
                {
                    "workers": s.integer(1, 64),
                    "batch_wait_ms": s.number(0, 1000),
                    "max_batch": s.integer(1, 4096),
                    "max_pending": s.integer(1, 1_000_000),
                    "isolation": s.choice("auto", "thread", "process"),
                    "worker_memory_mb": s.integer(64, 1_048_576),
                },
            ),
            "watermark": _section(
                WatermarkSettings,
                {
                    "image": _section(
                        ImageWatermarkSettings,
                        {
                            "enabled": s.boolean,
                            "key_env": _KEY_ENV,
                            "payload": s.string,
                            "c2pa_cert_env": s.optional(_KEY_ENV),
                            "c2pa_key_env": s.optional(_KEY_ENV),
                        },
                    ),
                    "text": _section(
                        TextWatermarkSettings,
                        {
                            "enabled": s.boolean,
                            "key_env": _KEY_ENV,
                            "scheme": s.choice("gumbel", "green"),
                            "gamma": s.number(0.01, 0.99),
                            "delta": s.number(0, 20),
                            "context_width": s.optional(s.integer(1, 8)),
                        },
                    ),
                },
            ),
            "audit_log": _section(
                AuditLogSettings,
                {
                    "path": s.optional(s.string),
                    "key_env": _KEY_ENV,
                    "durability": s.choice("always", "interval"),
                    "fsync_interval_ms": s.integer(1, 60_000),
                },
            ),
            "gates": _section(
                GateSettings,
                {
                    "max_rate": s.dict_of(s.number(0, 1)),
                    "max_gap": s.dict_of(s.number(0, 1e9)),
                    "regression_tolerance": s.number(0, 1),
                    "max_attack_success": s.optional(s.number(0, 1)),
                },
            ),
            "audit": _section(
                AuditSettings,
                {
                    "suites": s.list_of(s.string),
                    "max_new_tokens": s.integer(1, 4096),
                    "temperature": s.number(0, 10),
                    "seed": _SEED,
                    "bias": _section(
                        BiasAuditSettings,
                        {
                            "enabled": s.boolean,
                            "bold_domains": s.list_of(s.choice(*BOLD_DOMAINS)),
                            "per_group": s.integer(1, 1_000_000),
                            "counterfactual": s.boolean,
                            "crows_pairs": s.boolean,
                            "seed": _SEED,
                        },
                    ),
                },
            ),
        },
    ),
)


def _merge(base: Any, child: Any) -> Any:
    """Deep-merge ``child`` over ``base``; ``checks`` lists merge by ``id``."""
    if isinstance(base, dict) and isinstance(child, dict):
        out = MarkedDict(mark=getattr(child, "mark", None))
        for src in (base, child):
            for key, value in src.items():
                out[key] = _merge(out[key], value) if key in out and src is child else copy.deepcopy(value)
                if isinstance(src, MarkedDict):
                    out.key_marks[key] = src.key_marks.get(key, out.mark)
                    out.value_marks[key] = src.value_marks.get(key, out.mark)
        return out
    return copy.deepcopy(child)


def _merge_checks(base: Any, child: Any) -> MarkedList:
    out = MarkedList(mark=getattr(child, "mark", None))
    index: dict[Any, int] = {}
    for items in (base, child):
        marks = getattr(items, "item_marks", [getattr(items, "mark", None)] * len(items))
        for item, mark in zip(items, marks, strict=True):
            key = item.get("id") if isinstance(item, dict) else None
            if key is not None and key in index and items is child:
                out[index[key]] = _merge(out[index[key]], item)
                out.item_marks[index[key]] = mark
            else:
                if key is not None:
                    index[key] = len(out)
                out.append(copy.deepcopy(item))
                out.item_marks.append(mark)
    return out


def _resolve_source(ref: str, relative_to: Path | None) -> Path:
    if ref in bundled_policies():
        return bundled_policy_dir() / f"{ref}.yaml"
    path = Path(ref)
    if not path.is_absolute() and relative_to is not None and not path.exists():
        path = relative_to / path
    return path


def _read_policy_text(path: Path, file: str) -> str:
    """The policy file's text: size-limited, strict UTF-8, every decoding error located."""
    from raikit.guardrails._yaml import MAX_CHARS

    try:
        size = path.stat().st_size
        if size > 4 * MAX_CHARS:
            raise PolicyError([PolicyIssue(file, 0, 0, "", f"policy file is {size:,} bytes; at most {4 * MAX_CHARS:,}")])
        data = path.read_bytes()
    except OSError as err:
        raise PolicyError([PolicyIssue(file, 0, 0, "", f"cannot read policy: {err.strerror or err}")]) from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise PolicyError([PolicyIssue(file, line, column, "", f"invalid UTF-8 (byte 0x{data[err.start]:02x}); "
                                       "save the policy as UTF-8")]) from None


def _read_document(path: Path, seen: tuple[Path, ...]) -> Any:
    file = str(path)
    text = _read_policy_text(path, file)
    document = load_marked_yaml(text, file)
    if not isinstance(document, dict):
        raise PolicyError([PolicyIssue(file, 1, 1, "", "a policy must be a YAML mapping")])
    parent = document.get("extends")
    if parent is None:
        return document
    mark = document.value_marks.get("extends", document.mark) if isinstance(document, MarkedDict) else Mark(file, 0, 0)
    if not isinstance(parent, str):
        raise PolicyError([PolicyIssue(file, mark.line, mark.column, "extends", f"expected a policy name or path, got {s.shown(parent)}")])
    parent_path = _resolve_source(parent, path.parent).resolve()
    if parent_path in seen:
        raise PolicyError([PolicyIssue(file, mark.line, mark.column, "extends", f"circular extends through {parent_path}")])
    if not parent_path.is_file():
        close = difflib.get_close_matches(parent, bundled_policies(), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f"; bundled: {', '.join(bundled_policies())}"
        raise PolicyError([PolicyIssue(file, mark.line, mark.column, "extends", f"no policy named {s.shown(parent)}{hint}")])
    base = _read_document(parent_path, (*seen, parent_path))
    merged = _merge(base, {k: v for k, v in document.items() if k != "checks"})
    if isinstance(document, MarkedDict):
        for key in document:
            if key != "checks":
                merged.key_marks[key] = document.key_marks[key]
                merged.value_marks[key] = document.value_marks[key]
    if "checks" in document:
        merged["checks"] = _merge_checks(base.get("checks", []), document["checks"])
        merged.value_marks["checks"] = document.value_marks.get("checks", merged.mark)
        merged.key_marks["checks"] = document.key_marks.get("checks", merged.mark)
    merged.pop("extends", None)
    return merged


def _cross_checks(document: Any, policy: Policy, file: str) -> list[PolicyIssue]:
    """Rules across fields: unique ids, gates naming real checks, params the check accepts."""
    from raikit.guardrails._registry import check_class

    issues: list[PolicyIssue] = []
    checks_node = document.get("checks", [])
    marks = getattr(checks_node, "item_marks", [])
    ids: dict[str, int] = {}
    for index, spec in enumerate(policy.checks):
        mark = marks[index] if index < len(marks) else Mark(file, 0, 0)
        if spec.id in ids:
            issues.append(PolicyIssue(mark.file, mark.line, mark.column, f"checks[{index}].id", f"duplicate check id {spec.id!r} (also checks[{ids[spec.id]}])"))
        ids.setdefault(spec.id, index)
        node = checks_node[index] if index < len(checks_node) else {}
        pmark = node.value_marks.get("params", mark) if isinstance(node, MarkedDict) else mark
        cls = check_class(spec.type)
        unknown = _unknown_params(cls, spec.params)
        if unknown:
            allowed = _allowed_params(cls)
            params_node = node.get("params") if isinstance(node, dict) else None
            if isinstance(params_node, MarkedDict):
                pmark = params_node.key_marks.get(unknown[0], pmark)
            close = difflib.get_close_matches(unknown[0], allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; allowed: {', '.join(allowed)}"
            issues.append(PolicyIssue(pmark.file, pmark.line, pmark.column, f"checks[{index}].params.{unknown[0]}", f"unknown parameter for check type {spec.type!r}{hint}"))
            continue
        try:
            cls(id=spec.id, threshold=spec.threshold, **spec.params)
        except (TypeError, ValueError) as err:
            issues.append(PolicyIssue(pmark.file, pmark.line, pmark.column, f"checks[{index}].params", f"invalid parameters for check type {spec.type!r}: {err}"))
    gates = document.get("gates", {})
    rates = gates.get("max_rate", {}) if isinstance(gates, dict) else {}
    for key in rates:
        check_id = str(key).split(":", 1)[0]
        if check_id not in ids:
            mark = rates.key_marks.get(key, Mark(file, 0, 0)) if isinstance(rates, MarkedDict) else Mark(file, 0, 0)
            close = difflib.get_close_matches(check_id, list(ids), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            issues.append(PolicyIssue(mark.file, mark.line, mark.column, f"gates.max_rate.{key}", f"no check with id {check_id!r}{hint}"))
    return issues


def _allowed_params(cls: type) -> list[str]:
    import inspect

    params = inspect.signature(cls.__init__).parameters.values()
    return [p.name for p in params if p.kind == p.KEYWORD_ONLY and p.name not in ("id", "threshold")]


def _unknown_params(cls: type, params: dict[str, Any]) -> list[str]:
    import inspect

    if any(p.kind == p.VAR_KEYWORD for p in inspect.signature(cls.__init__).parameters.values()):
        return []
    allowed = set(_allowed_params(cls))
    return [name for name in params if name not in allowed]


def load_policy(source: str | Path | Policy = "default") -> Policy:
    """Load, resolve and validate a policy.

    Args:
        source: A bundled policy name (``default``, ``strict``, ``permissive``), a path to a
            YAML file, or an already loaded :class:`Policy` (returned as is).

    Raises:
        PolicyError: With every problem found, each naming file, line, column and key path.

    Example:
        >>> policy = load_policy("default")
        >>> policy.version, policy.name
        (1, 'default')
    """
    if isinstance(source, Policy):
        return source
    path = _resolve_source(str(source), None)
    if not path.is_file():
        hint = ""
        close = difflib.get_close_matches(str(source), bundled_policies(), n=1)
        if close:
            hint = f" (did you mean {close[0]!r}?)"
        raise PolicyError([PolicyIssue(str(source), 0, 0, "", f"no such policy file or bundled policy{hint}")])
    path = path.resolve()
    document = _read_document(path, (path,))
    return _build(document, str(path), "bundled:" + path.stem if path.parent == bundled_policy_dir() else str(path))


def policy_from_string(text: str, file: str = "<string>") -> Policy:
    """Load a policy from YAML text (``extends`` paths resolve against the current folder)."""
    document = load_marked_yaml(text, file)
    if not isinstance(document, dict):
        raise PolicyError([PolicyIssue(file, 1, 1, "", "a policy must be a YAML mapping")])
    if "extends" in document:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            temp = Path(tmp) / "policy.yaml"
            temp.write_text(text, encoding="utf-8")
            try:
                document = _read_document(temp, (temp,))
            except PolicyError as err:
                raise PolicyError([PolicyIssue(file if i.file == str(temp) else i.file, i.line, i.column, i.path, i.message) for i in err.issues]) from None
    return _build(document, file, file)


def _build(document: Any, file: str, source: str) -> Policy:
    values, issues = s.validate(_POLICY, document, file)
    if issues:
        raise PolicyError(issues)
    values.pop("extends", None)
    values["checks"] = tuple(values["checks"])
    policy = Policy(**values, source=source)
    issues = _cross_checks(document, policy, file)
    if issues:
        raise PolicyError(issues)
    return policy
