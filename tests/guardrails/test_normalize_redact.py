"""Normalisation with offset maps, and redaction operators."""

from __future__ import annotations

import pytest

from raikit.guardrails import Finding, normalize, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("zero\u200bwidth\u200d", "zerowidth"),
        ("soft\u00adhyphen", "softhyphen"),
        ("p\u0430yp\u0430l", "paypal"),  # Cyrillic a
        ("ﬁle", "file"),  # ligature via NFKC
        ("call 5 5 5 1 2 3 4", "call 5551234"),
        ("2 cats and 3 dogs", "2 cats and 3 dogs"),  # short digit runs stay
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text).text == expected


def test_offsets_map_back_to_the_original() -> None:
    text = "mail: j\u200bo@ex\u0430mple.com!"
    norm = normalize(text)
    start = norm.text.index("jo@")
    end = start + len("jo@example.com")
    o_start, o_end = norm.to_original(start, end)
    assert text[o_start:o_end] == "j\u200bo@ex\u0430mple.com"


def f(type_: str, start: int, end: int, score: float = 1.0, hash_: str | None = None) -> Finding:
    return Finding(check_id="c", type=type_, start=start, end=end, score=score, hash=hash_)


TEXT = "Ann met Bob and Ann again"


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("placeholder", "[PERSON] met [PERSON] and [PERSON] again"),
        ("pseudonym", "[PERSON_1] met [PERSON_2] and [PERSON_1] again"),
        ("hash", "[PERSON:h1] met [PERSON:h2] and [PERSON:h1] again"),
        ("mask", "*** met *** and *** again"),
    ],
)
def test_operators(operator: str, expected: str) -> None:
    findings = [f("PERSON", 0, 3, hash_="h1"), f("PERSON", 8, 11, hash_="h2"), f("PERSON", 16, 19, hash_="h1")]
    result = redact(TEXT, findings, operator)  # type: ignore[arg-type]
    assert result.text == expected
    for rep in result.replacements:
        assert result.text[rep.new_start : rep.new_end].startswith(("[", "*"))


def test_overlapping_findings_merge_and_input_is_untouched() -> None:
    findings = [f("PERSON", 0, 7, 0.6), f("LOCATION", 4, 11, 0.9)]
    assert redact(TEXT, findings).text == "[LOCATION] and Ann again"
    assert TEXT == "Ann met Bob and Ann again"


def test_unknown_operator() -> None:
    with pytest.raises(ValueError, match="operator must be one of"):
        redact(TEXT, [], "shred")  # type: ignore[arg-type]
