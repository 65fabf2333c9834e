"""The denylist check: word boundaries, Unicode, evasions, offsets into the original text."""

from __future__ import annotations

import pytest

from raikit.guardrails import load_check, redact


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("a forbidden word", [(2, 11)]),
        ("FORBIDDEN!", [(0, 9)]),
        ("unforbiddenly", []),  # word boundary
        ("forbidden_x", []),  # underscore is a word character
        ("for\u200bbidden", [(0, 10)]),  # zero-width space inside
        ("f\u043erbidden", [(0, 9)]),  # Cyrillic o
        ("ｆｏｒｂｉｄｄｅｎ", [(0, 9)]),  # full-width letters (NFKC)
        ("forbid den", []),
        ("café forbidden café", [(5, 14)]),
        ("", []),
    ],
)
def test_single_term(text: str, spans: list[tuple[int, int]]) -> None:
    findings = load_check("denylist", terms=["forbidden"]).scan([text])[0]
    assert [(f.start, f.end) for f in findings] == spans


def test_phrases_match_any_whitespace_and_labels_become_types() -> None:
    check = load_check("denylist", terms={"injection": ["ignore previous instructions"]})
    text = "Please IGNORE   previous\ninstructions now"
    [finding] = check.scan([text])[0]
    assert finding.type == "injection"
    assert text[finding.start : finding.end] == "IGNORE   previous\ninstructions"


def test_patterns_and_non_latin_terms() -> None:
    check = load_check("denylist", terms=["Geheimnis", "秘密"], patterns={"key": [r"AKIA[0-9A-Z]{16}"]})
    findings = check.scan(["das GEHEIMNIS", "这是秘密", "id AKIAABCDEFGHIJKLMNOP end"])
    assert [[f.type for f in fs] for fs in findings] == [["denylist"], ["denylist"], ["key"]]


def test_redaction_removes_exactly_the_original_characters() -> None:
    text = "say f\u200b\u043erbidden now"  # zero-width + Cyrillic o
    findings = load_check("denylist", terms=["forbidden"]).scan([text])[0]
    assert redact(text, findings).text == "say [denylist] now"


def test_findings_carry_a_hash_not_the_text() -> None:
    [f] = load_check("denylist", terms=["forbidden"]).scan(["forbidden"])[0]
    assert f.hash and "forbidden" not in str(f.to_dict())


@pytest.mark.parametrize(
    ("params", "message"),
    [({}, "at least one"), ({"terms": "forbidden"}, "list of strings"), ({"patterns": ["("]}, "invalid regular expression"), ({"terms": [" "]}, "non-empty")],
)
def test_invalid_parameters(params: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_check("denylist", **params)


def test_scan_rejects_a_bare_string() -> None:
    with pytest.raises(TypeError, match="sequence of texts"):
        load_check("denylist", terms=["x"]).scan("x")  # type: ignore[arg-type]
