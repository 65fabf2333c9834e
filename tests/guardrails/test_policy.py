"""Policy loading: bundled policies, extends, and every kind of located error."""

from __future__ import annotations

from pathlib import Path

import pytest

from raikit.errors import PolicyError
from raikit.guardrails import bundled_policies, load_policy, policy_from_string

BASE = "version: 1\nname: p\n"


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def only_issue(err: pytest.ExceptionInfo[PolicyError]):
    assert len(err.value.issues) == 1, err.value.issues
    return err.value.issues[0]


@pytest.mark.parametrize("name", ["default", "strict", "permissive"])
def test_bundled_policies_load_and_are_documented(name: str) -> None:
    policy = load_policy(name)
    assert policy.version == 1 and policy.name == name
    assert policy.hash.startswith("sha256:")
    source = Path(__file__).resolve().parents[2] / "policies" / f"{name}.yaml"
    assert source.read_text().startswith(f"# raikit bundled policy: {name}")
    assert name in bundled_policies()


def test_strict_extends_default_and_overrides_by_id() -> None:
    default, strict = load_policy("default"), load_policy("strict")
    assert [c.id for c in strict.checks] == [c.id for c in default.checks]
    assert strict.check("pii").action == "block" and default.check("pii").action == "redact"
    # keys not overridden are inherited
    assert strict.check("pii").per_type == default.check("pii").per_type
    assert strict.on_block == "raise" and strict.audit_log.path == "raikit-audit.jsonl"
    assert strict.gates.max_rate["pii"] == 0.01


def test_user_policy_extends_bundled_and_adds_a_check(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "version: 1\nname: mine\nextends: default\nchecks:\n  - id: words\n    type: denylist\n    params: {terms: [foo]}\n",
    )
    policy = load_policy(path)
    assert [c.id for c in policy.checks][-1] == "words"
    assert policy.check("harm").type == "harm"


@pytest.mark.parametrize(
    ("text", "line", "column", "path", "message"),
    [
        (BASE + "checks:\n  - id: a\n    type: denylist\n    params: {terms: [x]}\n    threshold: high\n", 7, 16, "checks[0].threshold", 'expected a number between 0 and 1, got "high"'),
        (BASE + "checks:\n  - id: a\n    type: denylist\n    params: {terms: [x]}\n    threshold: 1.5\n", 7, 16, "checks[0].threshold", "expected a number between 0 and 1, got 1.5"),
        (BASE + "chekcs: []\n", 3, 1, "chekcs", "unknown key (did you mean 'checks'?)"),
        (BASE + "checks:\n  - id: a\n    type: denylist\n    params: {terms: [x]}\n    action: deny\n", 7, 13, "checks[0].action", 'expected one of allow, warn, redact, block, got "deny"'),
        (BASE + "checks:\n  - id: a\n    type: denylst\n", 5, 11, "checks[0].type", 'unknown check type "denylst" (did you mean \'denylist\'?)'),
        (BASE + "checks:\n  - type: denylist\n    params: {terms: [x]}\n", 4, 5, "checks[0].id", "required key is missing"),
        (BASE + "checks:\n  - id: a\n    type: denylist\n    params: {terms: [x]}\n    on_error: ignore\n", 7, 15, "checks[0].on_error", 'expected one of block, warn, got "ignore"'),
        (BASE + "checks:\n  - id: a\n    type: denylist\n    params: {terms: [x], colour: red}\n", 6, 26, "checks[0].params.colour", "unknown parameter for check type 'denylist'"),
        (BASE + "checks:\n  - id: a\n    type: denylist\n    params: {terms: [x]}\n  - id: a\n    type: denylist\n    params: {terms: [y]}\n", 7, 5, "checks[1].id", "duplicate check id 'a'"),
        (BASE + "gates:\n  max_rate: {pi: 0.1}\n", 4, 14, "gates.max_rate.pi", "no check with id 'pi'"),
        (BASE + "name: q\n", 3, 1, "name", "duplicate key (first defined at line 2)"),
        ("version: 2\nname: p\n", 1, 10, "version", "expected an integer between 1 and 1, got 2"),
        (BASE + "checks: [\n", 4, 1, "", "invalid YAML"),
        (BASE + "extends: defualt\n", 3, 10, "extends", "no policy named \"defualt\" (did you mean 'default'?)"),
        (BASE + "streaming: {hold_back: -1}\n", 3, 24, "streaming.hold_back", "expected an integer between 0 and 100000, got -1"),
    ],
)
def test_each_error_names_file_line_column_and_key(
    tmp_path: Path, text: str, line: int, column: int, path: str, message: str
) -> None:
    file = write(tmp_path, text)
    with pytest.raises(PolicyError) as err:
        load_policy(file)
    issue = only_issue(err)
    assert issue.file == str(file.resolve())
    assert (issue.line, issue.column, issue.path) == (line, column, path)
    assert message in issue.message
    assert str(issue).startswith(f"{file.resolve()}:{line}:{column}")


def test_error_in_child_points_at_child_file_when_extending(tmp_path: Path) -> None:
    file = write(tmp_path, "version: 1\nname: mine\nextends: default\nchecks:\n  - id: pii\n    threshold: nope\n")
    with pytest.raises(PolicyError) as err:
        load_policy(file)
    issue = only_issue(err)
    assert (issue.file, issue.line, issue.path) == (str(file.resolve()), 6, "checks[1].threshold")


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    file = write(tmp_path, BASE + "refusl: x\non_block: maybe\n")
    with pytest.raises(PolicyError) as err:
        load_policy(file)
    assert [i.path for i in err.value.issues] == ["refusl", "on_block"]


def test_missing_file_and_circular_extends(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="no such policy file"):
        load_policy(tmp_path / "absent.yaml")
    write(tmp_path, "version: 1\nname: a\nextends: b.yaml\n", "a.yaml")
    write(tmp_path, "version: 1\nname: b\nextends: a.yaml\n", "b.yaml")
    with pytest.raises(PolicyError, match="circular extends"):
        load_policy(tmp_path / "a.yaml")


def test_unsafe_yaml_tags_are_rejected(tmp_path: Path) -> None:
    file = write(tmp_path, BASE + "refusal: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(PolicyError, match="invalid YAML"):
        load_policy(file)


def test_policy_from_string_and_hash_is_stable() -> None:
    text = BASE + "checks:\n  - id: a\n    type: denylist\n    params: {terms: [x]}\n"
    assert policy_from_string(text).hash == policy_from_string(text).hash
    changed = policy_from_string(text.replace("[x]", "[y]"))
    assert changed.hash != policy_from_string(text).hash
