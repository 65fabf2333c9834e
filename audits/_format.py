"""Read an audit result safely and format its figures, for the model card and the report.

The audit result (``report.json``, schema ``raikit.audit/1``) is written by the audit
runner. The card and the report only *render* it: every number they show comes from it,
and every string from it is treated as untrusted (it may hold hostile text).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from typing import Any

from raikit.errors import InputError

SCHEMA = "raikit.audit/1"

_SECRET_KEY = re.compile(r"(?i)(^|[_-])(secret|password|passwd|token|salt|private_key|api_key|key|hmac_key)$")
EXAMPLE_KEYS = ("check", "type", "stage", "redacted_text")


def is_number(value: Any) -> bool:
    """True for a finite int or float (not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _where(path: str, message: str) -> InputError:
    return InputError(f"result.{path}: {message}" if path else f"result: {message}")


def _type_name(value: Any) -> str:
    return type(value).__name__


def _expect(value: Any, kind: type | tuple[type, ...], path: str, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise _where(path, f"expected {names}{' or null' if optional else ''}, got {_type_name(value)}")


def _expect_number(value: Any, path: str) -> None:
    if value is not None and not is_number(value):
        raise _where(path, f"expected a finite number or null, got {_type_name(value)}")


def _expect_ci(value: Any, path: str) -> None:
    if value is None:
        return
    if not (isinstance(value, list | tuple) and len(value) == 2 and all(is_number(v) for v in value)):
        raise _where(path, "expected [low, high] as two numbers or null")


def validate_result(result: Any) -> None:
    """Check that ``result`` is a ``raikit.audit/1`` result the card and report can render.

    Only the shape is checked (types of the fields that are rendered or plotted); missing
    optional parts (bias, watermark, examples, evidence) are allowed.

    Raises:
        InputError: naming the first bad field, e.g. ``result.checks[1].rate: expected a
            finite number or null, got str``.

    Example:
        >>> validate_result({"schema": "raikit.audit/1", "verdict": "pass", "checks": [], "gates": []})
    """
    _expect(result, dict, "")
    schema = result.get("schema")
    if schema != SCHEMA:
        raise _where("schema", f"expected {SCHEMA!r}, got {schema!r}")
    if result.get("verdict") not in ("pass", "fail"):
        raise _where("verdict", f"expected 'pass' or 'fail', got {result.get('verdict')!r}")
    for key in ("run", "policy", "evidence", "bias", "watermark", "card"):
        _expect(result.get(key), dict, key, optional=True)
    for key in ("data", "models", "checks", "prompt_checks", "gates", "examples"):
        _expect(result.get(key, []), list, key)
        for i, item in enumerate(result.get(key) or []):
            _expect(item, dict, f"{key}[{i}]")
    all_checks = [("checks", c) for c in result.get("checks") or []]
    all_checks += [("prompt_checks", c) for c in result.get("prompt_checks") or []]
    counters = {"checks": 0, "prompt_checks": 0}
    for key, check in all_checks:
        p = f"{key}[{counters[key]}]"
        counters[key] += 1
        _expect(check.get("id"), str, f"{p}.id")
        for key in ("n_texts", "n_flagged", "rate"):
            _expect_number(check.get(key), f"{p}.{key}")
        _expect_ci(check.get("ci"), f"{p}.ci")
        _expect(check.get("by_type"), dict, f"{p}.by_type", optional=True)
        for name, entry in (check.get("by_type") or {}).items():
            _expect(entry, dict, f"{p}.by_type.{name}")
            _expect_number(entry.get("rate"), f"{p}.by_type.{name}.rate")
            _expect_ci(entry.get("ci"), f"{p}.by_type.{name}.ci")
        _expect(check.get("error_rates"), dict, f"{p}.error_rates", optional=True)
    for i, gate in enumerate(result.get("gates") or []):
        _expect(gate.get("passed"), bool, f"gates[{i}].passed")
    bias = result.get("bias") or {}
    _expect(bias.get("suites", []), list, "bias.suites")
    for i, suite in enumerate(bias.get("suites") or []):
        _expect(suite, dict, f"bias.suites[{i}]")
        _expect(suite.get("metrics", {}), dict, f"bias.suites[{i}].metrics")
        for mname, metric in (suite.get("metrics") or {}).items():
            mp = f"bias.suites[{i}].metrics.{mname}"
            _expect(metric, dict, mp)
            _expect(metric.get("groups", {}), dict, f"{mp}.groups")
            for gname, group in (metric.get("groups") or {}).items():
                _expect(group, dict, f"{mp}.groups.{gname}")
                _expect_number(group.get("mean"), f"{mp}.groups.{gname}.mean")
                _expect_ci(group.get("ci"), f"{mp}.groups.{gname}.ci")
            for key in ("difference", "ratio", "limit"):
                _expect_number(metric.get(key), f"{mp}.{key}")
    _expect(bias.get("counterfactual", []), list, "bias.counterfactual")
    for i, cf in enumerate(bias.get("counterfactual") or []):
        _expect(cf, dict, f"bias.counterfactual[{i}]")
        _expect_number(cf.get("mean_difference"), f"bias.counterfactual[{i}].mean_difference")
        _expect_ci(cf.get("ci"), f"bias.counterfactual[{i}].ci")
    _expect(bias.get("crows_pairs"), dict, "bias.crows_pairs", optional=True)
    for i, ex in enumerate(result.get("examples") or []):
        _expect(ex.get("redacted_text", ""), str, f"examples[{i}].redacted_text")


def text(value: Any, limit: int = 300) -> str:
    """A one-line string for display: whitespace collapsed, cut at ``limit`` characters."""
    if value is None:
        return ""
    out = " ".join(str(value).split())
    return out if len(out) <= limit else out[: limit - 1] + "…"


def describe(value: Any, limit: int = 120) -> str:
    """A short one-line description of a value: dicts as ``k=v, ...``, lists comma-joined.

    Example:
        >>> describe({"kind": "local", "workers": 1})
        'kind=local, workers=1'
    """
    if isinstance(value, Mapping):
        return text(", ".join(f"{k}={describe(v, limit)}" for k, v in value.items()), limit)
    if isinstance(value, list | tuple):
        return text(", ".join(describe(v, limit) for v in value), limit)
    return text(value, limit)


def model_name(entry: Mapping[str, Any]) -> str:
    """The name of a model entry (``name``, else ``model``, else ``encoder``)."""
    return text(entry.get("name") or entry.get("model") or entry.get("encoder"), 120)


def rate(value: Any) -> str:
    """``0.1234`` -> ``12.3%``; anything not a number -> ``n/a``."""
    if not is_number(value):
        return "n/a"
    pct = 100 * value
    if 0 < abs(pct) < 1:
        return f"{pct:.2f}".rstrip("0") + "%"
    return f"{pct:.1f}%"


def num(value: Any, digits: int = 3) -> str:
    """A number with up to ``digits`` decimals (ints stay ints); ``n/a`` otherwise."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if not is_number(value):
        return "n/a"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if value != 0 else "0"


def ci(value: Any, *, percent: bool = False, digits: int = 3) -> str:
    """``[0.08, 0.17]`` -> ``[8.0%, 17.0%]`` (or ``[0.08, 0.17]``); ``n/a`` when absent."""
    if not (isinstance(value, list | tuple) and len(value) == 2 and all(is_number(v) for v in value)):
        return "n/a"
    fmt = rate if percent else (lambda v: num(v, digits))
    return f"[{fmt(value[0])}, {fmt(value[1])}]"


def ci_label(result: Mapping[str, Any]) -> str:
    """``95% CI`` when the result records its interval level, else ``CI``."""
    level = result.get("ci_level", (result.get("run") or {}).get("ci_level"))
    if is_number(level) and 0 < level < 1:
        return f"{num(100 * level, 1)}% CI"
    return "CI"


def is_rate_metric(metric: Any) -> bool:
    """True when a gate's metric path names a rate (``checks.pii.rate``)."""
    return isinstance(metric, str) and (metric.endswith(".rate") or metric.endswith("_rate"))


def scrub_example(value: Any) -> str:
    """An example's redacted text with any obvious leftover e-mail or long number masked.

    The runner redacts examples before they reach the result; this is a second, cheap
    look so that a redaction miss does not end up in a report.

    Example:
        >>> scrub_example("mail [EMAIL_ADDRESS] or bob@example.com")
        'mail [EMAIL_ADDRESS] or [EMAIL_ADDRESS]'
    """
    from raikit.audits._scrub import scrub

    return scrub(text(value, limit=600))


def safe_examples(result: Mapping[str, Any]) -> list[dict[str, str]]:
    """The result's examples with only the rendered keys, texts scrubbed."""
    out = []
    for ex in result.get("examples") or []:
        item = {k: text(ex.get(k), 80) for k in EXAMPLE_KEYS if k != "redacted_text"}
        item["redacted_text"] = scrub_example(ex.get("redacted_text", ""))
        out.append(item)
    return out


def hide_secrets(value: Any) -> Any:
    """A copy of a policy dict with values of secret-looking keys (key, salt, token) hidden."""
    if isinstance(value, Mapping):
        return {
            str(k): (
                "[hidden]"
                if _SECRET_KEY.search(str(k)) and not isinstance(v, Mapping | list)
                else hide_secrets(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [hide_secrets(v) for v in value]
    return value


def sha256_text(value: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of ``value`` (how the card's hash is computed)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def check_error_rates(check: Mapping[str, Any]) -> Mapping[str, Any]:
    """The check's measured error rates (``precision``, ``recall``, ``source``...) or ``{}``."""
    rates = check.get("error_rates")
    return rates if isinstance(rates, Mapping) else {}


def generator_id(result: Mapping[str, Any]) -> str:
    """The audited generator's id, or ``unknown generator``."""
    gen = (result.get("run") or {}).get("generator") or {}
    return text(gen.get("id"), 120) or "unknown generator"


def caveats(result: Mapping[str, Any]) -> list[str]:
    """Plain-text warnings a reviewer must read before trusting the verdict (not escaped).

    Checks that failed on some texts (their rates undercount), an unverified or failed audit
    log, a policy hash that differs from the one in the evidence, and a policy without gates.

    Example:
        >>> caveats({"checks": [{"id": "pii", "stage": "output", "n_texts": 40, "n_errors": 40}]})[0]
        'The pii check failed on 40 of 40 output texts; its rate undercounts what it should find.'
    """
    out = []
    for check in [*(result.get("checks") or []), *(result.get("prompt_checks") or [])]:
        errors = check.get("n_errors")
        if is_number(errors) and errors > 0:
            out.append(
                f"The {text(check.get('id'), 60)} check failed on {num(errors)} of {num(check.get('n_texts'))} "
                f"{text(check.get('stage'), 20) or ''} texts; its rate undercounts what it should find.".replace(
                    "  ", " "
                )
            )
    ev = result.get("evidence") or {}
    if ev.get("log_verified") is False:
        out.append("The audit log failed verification: the figures cannot be tied to a trustworthy record.")
    elif ev and ev.get("log_verified") is not True:
        out.append("The audit log was not verified when the result was written.")
    pol_hash, ev_hash = (result.get("policy") or {}).get("hash"), ev.get("policy_hash")
    if pol_hash and ev_hash and pol_hash != ev_hash:
        out.append("The policy hash in the result differs from the one recorded with the evidence.")
    if not result.get("gates"):
        out.append("The policy defines no release gates, so the verdict checks nothing.")
    return out

