"""Policy defaults are written once, in the dataclasses; the schema takes them from there."""

from __future__ import annotations

from raikit.guardrails import policy_from_string
from raikit.guardrails._policy import CheckSpec, Policy


def test_an_empty_policy_resolves_to_the_dataclass_defaults() -> None:
    loaded = policy_from_string("version: 1\nname: x\n")
    expected = Policy(version=1, name="x")
    for section in ("description", "on_block", "refusal", "streaming", "watermark", "audit_log", "gates", "audit"):
        assert getattr(loaded, section) == getattr(expected, section), section


def test_a_check_resolves_to_the_check_spec_defaults() -> None:
    loaded = policy_from_string("version: 1\nname: x\nchecks:\n  - id: d\n    type: denylist\n    params: {terms: [a]}\n")
    assert loaded.checks[0] == CheckSpec(id="d", type="denylist", params={"terms": ["a"]})
