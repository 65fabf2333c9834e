"""The secrets check: provider tokens, keys, passwords; typed redaction; no flags on plain code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from raikit.guardrails import redact
from raikit.guardrails.checks.secrets import SecretsCheck

ROOT = Path(__file__).resolve().parents[3]
CASES = [json.loads(line) for line in (ROOT / "benchmarks" / "data" / "secrets_cases.jsonl").open()]
GH = "ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5"


@pytest.fixture(scope="module")
def check() -> SecretsCheck:
    return SecretsCheck()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_provider_table_is_found_with_its_kind(check: SecretsCheck, case: dict[str, str]) -> None:
    findings = check.scan([case["text"]])[0]
    assert findings, case["kind"]
    kinds = {f.type.removeprefix("SECRET:") for f in findings}
    expected = {case["kind"]} | ({"keyword_secret"} if case["kind"] == "high_entropy_string" else set())
    assert kinds & expected


@pytest.mark.parametrize(
    "text",
    [
        "The commit sha is 3f2a9c1d8e7b6a5f4c3d2e1f0a9b8c7d6e5f4a3b and the uuid 123e4567-e89b-12d3-a456-426614174000.",
        "def login(user, password):\n    return check(user, password=password)",
        "password = os.environ['DB_PASSWORD']",
        'api_key = "<your-api-key>"',
        "token = get_token(session)",
        "Your password is incorrect, please try again.",
        "The file header reads -----BEGIN RSA PRIVATE KEY----- in PEM files.",
        "Set OPENAI_API_KEY=sk-... in your shell, then run the script.",
        "color: #1e7b3a; --pass: #1e7b3a;",
        "Visit https://example.com/docs/getting-started for the tutorial.",
        "twilio SIDs look like ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        'url = URL("https://jo%40mail.example:a%20secret@host.example:8080/path")',
        "",
    ],
)
def test_no_flags_on_code_and_prose_without_secrets(check: SecretsCheck, text: str) -> None:
    assert check.scan([text])[0] == []


def test_redaction_keeps_the_type_and_only_the_password_of_a_url(check: SecretsCheck) -> None:
    text = f"push with {GH} to postgres://app:Winter2024!@db.internal/app"
    findings = check.scan([text])[0]
    out = redact(text, findings).text
    assert out == "push with [SECRET:github_token] to postgres://app:[SECRET:connection_string_password]@db.internal/app"


@pytest.mark.parametrize(
    "evasion",
    [GH[:6] + "\u200b" + GH[6:], GH.replace("a", "\u0430", 1)],  # zero-width space; Cyrillic a
    ids=["zero-width", "homoglyph"],
)
def test_evasions_are_undone_and_offsets_map_back(check: SecretsCheck, evasion: str) -> None:
    text = f"token: {evasion} end"
    [finding] = check.scan([text])[0]
    assert finding.type == "SECRET:github_token"
    assert (finding.start, finding.end) == (7, 7 + len(evasion))


def test_percent_encoded_url_passwords_are_decoded_before_judging() -> None:
    check = SecretsCheck(use_detect_secrets=False)
    prose = check.scan(["https://jo%40mail.example:two%20words@host.example/x"])[0]
    real = check.scan(["redis://svc:Rk%2F9x%21Lq2v@cache.internal:6379/0"])[0]
    assert prose == []
    assert [f.type for f in real] == ["SECRET:connection_string_password"]


def test_findings_carry_a_hash_not_the_value(check: SecretsCheck) -> None:
    [finding] = check.scan([f"key {GH}"])[0]
    assert finding.hash and GH not in json.dumps(finding.to_dict())


def test_kinds_filter_and_bad_kinds_argument() -> None:
    only = SecretsCheck(kinds=["private_key"])
    assert only.scan([f"key {GH}"])[0] == []
    with pytest.raises(TypeError, match="list of secret kinds"):
        SecretsCheck(kinds="github_token")


def test_raikit_patterns_alone_still_find_the_common_tokens() -> None:
    check = SecretsCheck(use_detect_secrets=False)
    assert [f.type for f in check.scan([f"key {GH}"])[0]] == ["SECRET:github_token"]
    assert check.describe()["engine"] == "raikit patterns"
