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


# -- issue 17: hostile policy files are refused with a located error, quickly and in little memory --

def _alias_bomb(levels: int) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "version: 1\nname: bomb\nextra:\n" + "\n".join("  " + line for line in lines) + "\n"


@pytest.mark.parametrize("levels", [9, 10])
def test_a_yaml_alias_bomb_is_refused(levels: int) -> None:
    from raikit.guardrails import policy_from_string

    text = _alias_bomb(levels)
    assert len(text) < 700
    with pytest.raises(PolicyError) as info:
        policy_from_string(text, "bomb.yaml")
    [issue] = info.value.issues
    assert issue.file == "bomb.yaml" and issue.line > 0 and "alias" in issue.message


def test_twenty_thousand_nested_brackets_are_a_located_error_not_a_recursion_error() -> None:
    from raikit.guardrails import policy_from_string

    with pytest.raises(PolicyError) as info:
        policy_from_string("version: 1\nname: deep\nx: " + "[" * 20_000 + "]" * 20_000 + "\n", "deep.yaml")
    [issue] = info.value.issues
    assert (issue.line, "nested deeper") == (3, "nested deeper") and "nested deeper" in issue.message


def test_invalid_utf8_is_a_located_error(tmp_path) -> None:
    from raikit.guardrails import load_policy

    path = tmp_path / "bad.yaml"
    path.write_bytes(b"version: 1\nname: caf\xe9\n")
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    [issue] = info.value.issues
    assert (issue.line, issue.column) == (2, 10) and "UTF-8" in issue.message


def test_invalid_utf8_policy_exits_2_without_traceback(tmp_path) -> None:
    from click.testing import CliRunner

    from raikit.cli import cli

    path = tmp_path / "bad.yaml"
    path.write_bytes(b"version: 1\nname: \xff\xfe\n")
    for args in (["policy", "validate", str(path)], ["policy", "show", str(path)], ["scan", "x", "-p", str(path)]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2 and "Traceback" not in result.output and "UTF-8" in result.output, args


def test_oversized_policy_file_is_refused(tmp_path) -> None:
    from raikit.guardrails import load_policy

    path = tmp_path / "big.yaml"
    path.write_text("version: 1\nname: big\n# " + "x" * 5_000_000 + "\n")
    with pytest.raises(PolicyError, match="at most"):
        load_policy(path)


def test_a_lone_surrogate_in_a_policy_string_is_located() -> None:
    from raikit.guardrails import policy_from_string

    with pytest.raises(PolicyError) as info:
        policy_from_string("version: 1\nname: x\u0000\ud800\n", "s.yaml")
    assert info.value.issues[0].line == 2


def test_max_text_chars_is_a_validated_policy_setting() -> None:
    from raikit.guardrails import policy_from_string

    text = "version: 1\nname: lim\nchecks:\n  - id: d\n    type: denylist\n    params: {terms: [x]}\n    max_text_chars: {v}\n"
    assert policy_from_string(text.replace("{v}", "5000")).check("d").max_text_chars == 5000
    with pytest.raises(PolicyError, match="max_text_chars"):
        policy_from_string(text.replace("{v}", "0"))
