"""The pre-release audit: generate over prompt suites, run the policy's checks, gate, record.

One call produces the whole chain of evidence in an output folder: ``report.json``,
``report.html``, ``MODEL_CARD.md`` and a verified, tamper-evident ``audit-log.jsonl``.
"""

from __future__ import annotations

import logging
import math
import os
import secrets
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from raikit.audits._suites import AuditPrompt, load_suite
from raikit.audits._targets import GenerationTarget
from raikit.guardrails import Decision, Policy, PolicyRunner, StageResult, load_policy, redact
from raikit.guardrails._runner import hashes_of

logger = logging.getLogger(__name__)

EXIT_PASS, EXIT_GATE_FAILED, EXIT_EVIDENCE = 0, 1, 3
DEMO_WATERMARK_KEY = "raikit-demo-watermark-key (public: for the demo only)"
_MAX_EXAMPLES = 12


@dataclass
class AuditOutcome:
    """What :func:`run_audit` produced: the result dict, the files written and the exit code."""

    result: dict[str, Any]
    exit_code: int
    paths: dict[str, Path]


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a proportion.

    Example:
        >>> [round(x, 3) for x in wilson_interval(5, 100)]
        [0.022, 0.112]
    """
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _rate_entry(count: int, n: int) -> dict[str, Any]:
    lo, hi = wilson_interval(count, n)
    return {"count": count, "rate": count / n if n else 0.0, "ci": [round(lo, 4), round(hi, 4)]}


def _acted(findings: Sequence[Any]) -> list[Any]:
    """Findings the policy acted on (echoes the policy ignores do not count)."""
    return [f for f in findings if (f.action or "allow") != "allow"]


def summarize_checks(
    policy: Policy, runner: PolicyRunner, results: list[StageResult], stage: str
) -> list[dict[str, Any]]:
    """Per check: texts flagged, rate with CI, counts by type, new vs echo, error rates."""
    entries = []
    n = len(results)
    for spec in runner.specs(stage):
        flagged = 0
        by_type: dict[str, int] = {}
        new = echo = errors = 0
        for result in results:
            mine = [f for f in result.findings if f.check_id == spec.id]
            acted = _acted(mine)
            if acted:
                flagged += 1
            for type_ in {f.type for f in acted}:
                by_type[type_] = by_type.get(type_, 0) + 1
            new += sum(1 for f in mine if f.hash is not None and not f.echo)
            echo += sum(1 for f in mine if f.echo)
            errors += any(e.check_id == spec.id for e in result.errors)
        described = runner.checks[spec.id].describe()
        entry: dict[str, Any] = {
            "id": spec.id,
            "type": spec.type,
            "stage": stage,
            "n_texts": n,
            "n_flagged": flagged,
            **{k: v for k, v in _rate_entry(flagged, n).items() if k != "count"},
            "by_type": {t: _rate_entry(c, n) for t, c in sorted(by_type.items())},
            "n_errors": errors,
        }
        if new or echo:
            entry["new_vs_echo"] = {"new": new, "echo": echo}
        if isinstance(described.get("error_rates"), dict):
            entry["error_rates"] = described["error_rates"]
        entries.append(entry)
    return entries


def evaluate_gates(
    policy: Policy,
    checks: list[dict[str, Any]],
    bias: dict[str, Any] | None,
    baseline: dict[str, Any] | None,
    prompt_checks: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Each release gate with its value, limit and verdict."""
    gates: list[dict[str, Any]] = []
    by_id = {c["id"]: c for c in checks}
    for check in [*checks, *(prompt_checks or [])]:
        if check.get("n_errors"):
            # A check that crashed measured nothing: the audit fails closed.
            gates.append(
                {
                    "name": f"check_ran:{check['stage']}:{check['id']}",
                    "metric": f"{check['stage']} texts where {check['id']} failed",
                    "value": check["n_errors"],
                    "limit": 0,
                    "passed": False,
                }
            )
    for key, limit in policy.gates.max_rate.items():
        check_id, _, type_ = key.partition(":")
        check = by_id.get(check_id)
        if check is None:
            continue
        value = check["by_type"].get(type_, {"rate": 0.0})["rate"] if type_ else check["rate"]
        metric = f"checks.{check_id}.by_type.{type_}.rate" if type_ else f"checks.{check_id}.rate"
        gates.append({"name": f"max_rate:{key}", "metric": metric, "value": round(value, 4), "limit": limit, "passed": value <= limit})
    if bias:
        from raikit.audits.bias import bias_gates

        gates.extend(bias_gates(bias))
    if baseline:
        tolerance = policy.gates.regression_tolerance
        before = {c["id"]: c for c in baseline.get("checks", [])}
        for check in checks:
            old = before.get(check["id"])
            if old is None:
                continue
            limit = old["rate"] + tolerance
            gates.append(
                {
                    "name": f"regression:{check['id']}",
                    "metric": f"checks.{check['id']}.rate",
                    "value": round(check["rate"], 4),
                    "limit": round(limit, 4),
                    "baseline": old["rate"],
                    "passed": check["rate"] <= limit,
                }
            )
    return gates


def _examples(results: list[StageResult], originals: list[str]) -> list[dict[str, Any]]:
    """Redacted outputs that had findings: every spanned finding is cut out, whatever its action."""
    from raikit.audits._scrub import scrub

    examples = []
    for result, original in zip(results, originals, strict=True):
        acted = _acted(result.findings)
        if not acted:
            continue
        # Cut out every matched value (findings with a hash); whole-text scores stay readable.
        spanned = [f for f in result.findings if f.start is not None and f.hash is not None]
        text = scrub(redact(original, spanned).text)
        first = acted[0]
        examples.append({"check": first.check_id, "type": first.type, "stage": result.stage, "redacted_text": text[:400]})
        if len(examples) >= _MAX_EXAMPLES:
            break
    return examples


def _log_key(out_dir: Path) -> tuple[bytes, str | None]:
    """The HMAC key for the audit log: ``$RAIKIT_LOG_KEY``, else a key kept beside the log."""
    from raikit.audits import load_key

    if os.environ.get("RAIKIT_LOG_KEY"):
        return load_key(), None
    key_file = out_dir / "audit-log.key"
    if not key_file.is_file():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
        logger.warning("RAIKIT_LOG_KEY is not set: generated a log key in %s (keep keys elsewhere for real evidence)", key_file)
    return load_key(file=key_file), str(key_file)


def _watermark_key(policy: Policy, target: GenerationTarget) -> tuple[str | None, str]:
    settings = policy.watermark.text
    if not settings.enabled or target.tokenizer is None:
        return None, "disabled" if not settings.enabled else "not an HF generator"
    key = os.environ.get(settings.key_env)
    if key:
        return key, f"${settings.key_env}"
    if target.kind == "demo":
        return DEMO_WATERMARK_KEY, "demo key"
    return None, f"${settings.key_env} not set"


def run_audit(
    target: GenerationTarget,
    *,
    policy: str | Policy = "default",
    out_dir: str | Path = "raikit-report",
    limit: int | None = None,
    baseline: dict[str, Any] | None = None,
    executor: Any = None,
    progress: bool = True,
    batch_size: int = 32,
    bias: bool | None = None,
    checks: dict[str, Any] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> AuditOutcome:
    """Audit ``target`` with ``policy`` and write the evidence to ``out_dir``.

    Args:
        target: What generates (see :mod:`raikit.audits._targets`).
        policy: Bundled name, path or :class:`Policy`.
        out_dir: Folder for report.json, report.html, MODEL_CARD.md and audit-log.jsonl.
        limit: Use only the first ``limit`` prompts of the suites (quick runs).
        baseline: A previous release's report.json (dict): rates may not regress beyond
            the policy's ``regression_tolerance``.
        executor: Executor for the bias audit (default: local, inline).
        progress: Show progress bars.
        batch_size: Prompts per generation batch.
        bias: Run the bias section (default: as the policy says).
        checks: Ready check instances by id, replacing the policy's (fakes in tests).
        clock: Monotonic clock in seconds.

    Returns:
        The result, exit code (0 pass, 1 a gate failed, 3 evidence failed) and paths.

    Example:
        >>> from raikit.audits import demo_target, run_audit  # doctest: +SKIP
        >>> run_audit(demo_target(), out_dir="report").exit_code  # doctest: +SKIP
        1
    """
    from raikit import __version__
    from raikit.audits import AuditLog
    from raikit.audits._progress import progress_bar

    policy = load_policy(policy)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started_at = datetime.now(UTC)
    t0 = clock()
    run_id = uuid.uuid4().hex
    key, key_file = _log_key(out)
    log_path = out / "audit-log.jsonl"
    log = AuditLog(log_path, key=key, durability=policy.audit_log.durability, fsync_interval_ms=policy.audit_log.fsync_interval_ms)
    try:
        log.append({"kind": "policy_load", "policy": policy.name, "policy_hash": policy.hash, "run_id": run_id})

        prompts: list[AuditPrompt] = []
        data: list[dict[str, Any]] = []
        for ref in policy.audit.suites:
            items, info = load_suite(ref)
            prompts.extend(items)
            data.append(info)
        if limit is not None:
            prompts = prompts[:limit]
        texts = [p.prompt for p in prompts]

        runner = PolicyRunner(policy, checks=checks)
        wm_key, wm_source = _watermark_key(policy, target)
        processor = None
        if wm_key is not None:
            from raikit.watermark import TextWatermark

            settings = policy.watermark.text
            watermark = TextWatermark.from_settings(settings, key=wm_key, tokenizer=target.tokenizer)
            sampling = TextWatermark.sampling_params(
                None, do_sample=True, temperature=getattr(target.generate, "temperature", None),
                top_p=getattr(target.generate, "top_p", None),
            )
            processor = watermark.logits_processor(**sampling)

        outputs: list[str] = []
        with progress_bar("generating", total=len(texts), enabled=progress) as advance:
            for start in range(0, len(texts), batch_size):
                batch = texts[start : start + batch_size]
                seeds = [policy.audit.seed + start + i for i in range(len(batch))]
                outputs.extend(target.generate(batch, seeds, processor))
                advance(len(batch))

        prompt_results: list[StageResult] = []
        output_results: list[StageResult] = []
        with progress_bar("checking", total=2 * len(texts), enabled=progress) as advance:
            for start in range(0, len(texts), batch_size):
                p_res = runner.scan(texts[start : start + batch_size], stage="prompt")
                advance(len(p_res))
                o_res = runner.scan(
                    outputs[start : start + batch_size], stage="output", prompt_hashes=[hashes_of(r) for r in p_res]
                )
                advance(len(o_res))
                prompt_results.extend(p_res)
                output_results.extend(o_res)

        for item, p_res, o_res in zip(prompts, prompt_results, output_results, strict=True):
            decision = Decision(policy_name=policy.name, policy_hash=policy.hash, generator_id=target.id)
            decision.absorb(p_res)
            decision.absorb(o_res)
            record = decision.to_record()
            record.update({"run_id": run_id, "prompt_id": item.id})
            log.append(record)

        checks = summarize_checks(policy, runner, output_results, "output")
        prompt_checks = summarize_checks(policy, runner, prompt_results, "prompt")

        watermark_summary: dict[str, Any] = {"text": None, "image": None}
        if processor is not None:
            detections = [watermark.detect(o) for o in outputs]
            scored = [d for d in detections if not d.too_short]
            found = sum(1 for d in scored if d.found)
            watermark_summary["text"] = {
                "enabled": True,
                "key_id": _key_id(wm_key),
                "key_source": wm_source,
                "scheme": watermark.scheme,
                "n": len(scored),
                "too_short": len(detections) - len(scored),
                "detected": found,
                "rate": round(found / len(scored), 4) if scored else None,
                "mean_z": round(sum(d.z_score for d in scored) / len(scored), 3) if scored else None,
            }
        else:
            watermark_summary["text"] = {"enabled": False, "reason": wm_source}

        bias_result = None
        run_bias = policy.audit.bias.enabled if bias is None else bias
        if run_bias:
            bias_result = _run_bias(policy, target, executor, progress, batch_size)
            data.extend(bias_result.pop("_data", []))

        gates = evaluate_gates(policy, checks, bias_result, baseline, prompt_checks)
        models = [_model_entry(spec_id, check.describe()) for spec_id, check in runner.checks.items()]
        finished_at = datetime.now(UTC)
        result: dict[str, Any] = {
            "schema": "raikit.audit/1",
            "raikit_version": __version__,
            "ci_level": 0.95,
            "ci_method": "Wilson score interval for rates; seeded bootstrap for bias means",
            "verdict": "pass" if all(g["passed"] for g in gates) else "fail",
            "run": {
                "id": run_id,
                "started": started_at.isoformat(),
                "finished": finished_at.isoformat(),
                "duration_s": round(clock() - t0, 2),
                "generator": {"id": target.id, "kind": target.kind},
                "executor": getattr(executor, "describe", lambda: {"kind": "local", "workers": 1})(),
                "n_prompts": len(prompts),
            },
            "policy": {"name": policy.name, "hash": policy.hash, "source": policy.source, "resolved": policy.to_dict()},
            "data": data,
            "models": models,
            "checks": checks,
            "prompt_checks": prompt_checks,
            "gates": gates,
            "bias": bias_result,
            "watermark": watermark_summary,
            "examples": _examples(output_results, outputs),
        }
        log.append(
            {
                "kind": "audit_run",
                "run_id": run_id,
                "policy_hash": policy.hash,
                "generator": target.id,
                "verdict": result["verdict"],
                "gates": [{"name": g["name"], "passed": g["passed"]} for g in gates],
            }
        )
    finally:
        log.close()

    verified = AuditLog(log_path, key=key).verify()
    seq, head = verified.records, verified.head_hash
    result["evidence"] = {
        "log_path": log_path.name,
        "log_records": seq,
        "log_head_hash": head,
        "log_verified": bool(verified.ok),
        "log_key": "stored beside the log (demo only)" if key_file else "$RAIKIT_LOG_KEY",
        "policy_hash": policy.hash,
        "card_sha256": None,
    }
    paths = _write_evidence(result, out)
    exit_code = EXIT_EVIDENCE if not verified.ok else EXIT_PASS if result["verdict"] == "pass" else EXIT_GATE_FAILED
    return AuditOutcome(result, exit_code, {"log": log_path, **paths})


def _model_entry(check_id: str, described: dict[str, Any]) -> dict[str, Any]:
    """A check's models for the report: what ``describe()`` says, minus policy settings."""
    skip = {"id", "type", "input", "threshold", "error_rates"}
    entry = {k: v for k, v in described.items() if k not in skip and isinstance(v, str | int | float | list)}
    entry.setdefault("name", described.get("type", check_id))
    return {"check": check_id, **entry}


def _key_id(key: str) -> str:
    from raikit.watermark import key_id

    return key_id(key)


def _run_bias(policy: Policy, target: GenerationTarget, executor: Any, progress: bool, batch_size: int) -> dict[str, Any]:
    """The bias section: BOLD domains when the data is present, counterfactual pairs always."""
    from raikit.audits.bias import BiasSuiteSpec, data_dir, run_bias_audit
    from raikit.errors import InputError

    settings = policy.audit.bias
    suites: list[Any] = []
    skipped: list[str] = []
    try:
        data_dir()
        suites.extend(BiasSuiteSpec.bold(domain=d, per_group=settings.per_group) for d in settings.bold_domains)
    except InputError as err:
        if settings.bold_domains or settings.crows_pairs:
            logger.warning("bias audit: BOLD/CrowS-Pairs skipped: %s", err)
            skipped.append(f"BOLD {', '.join(settings.bold_domains)} and CrowS-Pairs: {err}")
    if settings.counterfactual:
        suites.append(BiasSuiteSpec.counterfactual())
    if not suites:
        return {"suites": [], "counterfactual": [], "crows_pairs": None, "skipped": skipped}
    result = run_bias_audit(
        target.generate,
        suites,
        executor=executor,
        seed=settings.seed,
        batch_size=batch_size,
        progress=progress,
        gates=policy.gates.max_gap,
        crows_pairs={"model": target.id} if settings.crows_pairs and target.kind == "demo" and not skipped else None,
    )
    result["skipped"] = skipped
    return result


def _write_evidence(result: dict[str, Any], out: Path) -> dict[str, Path]:
    """Card first (its hash goes into the report), then the HTML report and report.json."""
    from raikit.audits import write_model_card, write_report

    card_path, card_sha = write_model_card(result, out / "MODEL_CARD.md")
    result["evidence"]["card_sha256"] = card_sha
    report = write_report(result, out, card_sha256=card_sha)
    return {"card": card_path, "html": report.html, "json": report.json}
