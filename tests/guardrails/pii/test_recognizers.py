import re

import pytest

from raikit.errors import InputError
from raikit.guardrails.pii import PiiEngine, custom_recognizer
from raikit.guardrails.pii._recognizers import boost_with_context, has_context


@pytest.fixture(scope="module")
def engine():
    return PiiEngine(model=None)


def _found(engine, text):
    return [(d.type, text[d.start : d.end]) for d in engine.analyze([text])[0] if d.score >= 0.35]


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("card 4111 1111 1111 1111 please", "CREDIT_CARD", "4111 1111 1111 1111"),
        ("pay to GB82WEST12345698765432 today", "IBAN_CODE", "GB82WEST12345698765432"),
        ("iban DE89 3704 0044 0532 0130 00.", "IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
        ("mail Ann.Lee@example.org now", "EMAIL_ADDRESS", "Ann.Lee@example.org"),
        ("from 192.168.10.20 again", "IP_ADDRESS", "192.168.10.20"),
        ("my ssn is 536-22-1234", "US_SSN", "536-22-1234"),
        ("call me at (415) 555-0132", "PHONE_NUMBER", "(415) 555-0132"),
        ("see https://www.example.com/path for it", "DOMAIN_NAME", "https://www.example.com/path"),
        ("he is 47 years old", "AGE", "47"),
        ("my zip code is 90210", "ZIP_CODE", "90210"),
        ("thanks Dr. Moreau", "TITLE", "Dr."),
    ],
)
def test_pattern_recognizers_find_structured_values(engine, text, entity, value):
    assert (entity, value) in _found(engine, text)


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("card 4111 1111 1111 1112 please", "CREDIT_CARD"),  # bad Luhn
        ("pay to GB82WEST12345698765433 today", "IBAN_CODE"),  # bad IBAN checksum
        ("we sold 12345 units in 2021 for 4000 dollars", "ZIP_CODE"),  # ordinary numbers
        ("we sold 12345 units in 2021 for 4000 dollars", "PHONE_NUMBER"),
        ("the cup holds 47 ml", "AGE"),
    ],
)
def test_negatives_are_not_reported(engine, text, entity):
    assert entity not in [t for t, _ in _found(engine, text)]


def test_custom_recognizer_with_regex_context_and_deny_list():
    spec = {
        "name": "employee",
        "entity": "EMPLOYEE_ID",
        "patterns": [{"regex": r"\bE-\d{6}\b", "score": 0.3}],
        "context": ["employee"],
        "deny_list": ["Project Falcon"],
    }
    engine = PiiEngine(model=None, entities=["EMPLOYEE_ID"], custom_recognizers=[spec])
    with_context = "employee number E-123456"
    without = "ticket E-123456"
    (d,) = engine.analyze([with_context])[0]
    assert (d.type, with_context[d.start : d.end]) == ("EMPLOYEE_ID", "E-123456")
    assert d.score == pytest.approx(0.65)
    (plain,) = engine.analyze([without])[0]
    assert plain.score == pytest.approx(0.3)
    text = "status of project falcon?"
    (deny,) = engine.analyze([text])[0]
    assert text[deny.start : deny.end] == "project falcon" and deny.score == 1.0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"entity": "X", "regex": "a"}, "unknown key(s) regex"),
        ({"patterns": [{"regex": "a"}]}, "custom_recognizers[0].entity"),
        ({"entity": "X", "patterns": [{"regex": "(", "score": 0.5}]}, "patterns[0].regex"),
        ({"entity": "X", "patterns": [{"regex": "a", "score": 2}]}, "patterns[0].score"),
        ({"entity": "X"}, "give patterns or deny_list"),
    ],
)
def test_bad_custom_recognizer_is_located(spec, message):
    with pytest.raises(InputError, match=re.escape(message)):
        custom_recognizer(spec, "custom_recognizers[0]")


def test_context_rule_adds_and_lifts_score():
    text = "my zip code is 90210"
    assert has_context(text, 15, 20, ["zip"])
    assert not has_context(text, 15, 20, ["phone"])
    assert boost_with_context(text, 0.01, 15, 20, ["zip"]) == pytest.approx(0.4)
    assert boost_with_context(text, 0.5, 15, 20, ["zip"]) == pytest.approx(0.85)
    assert boost_with_context(text, 0.5, 15, 20, ["phone"]) == 0.5


def _prefilter_corpus(shared_data):
    import json

    rows = json.loads((shared_data / "pii" / "presidio_synth_dev.json").read_text(encoding="utf-8"))
    return [r["full_text"] for r in rows[:400]] + [
        "mail ann@example.com or visit https://example.org/a, ip 10.0.0.1 or fe80::1",
        "card 4111 1111 1111 1111, ssn 536-22-1234, IBAN DE89370400440532013000, age 42 years old",
    ]


def test_prefilters_never_skip_a_recognizer_that_would_find_something(engine, shared_data):
    """Each prefiltered recognizer finds nothing in text lacking what its prefilter asks for, and
    the engine's detections are the same with and without the prefilters."""
    from raikit.guardrails.pii._recognizers import PREFILTERS

    texts = _prefilter_corpus(shared_data)
    for rec, need in engine._active:
        if need is None:
            continue
        assert rec.name in PREFILTERS
        for text in texts:
            stripped = text
            while need.search(stripped):
                stripped = need.sub(" ", stripped)
            assert rec.analyze(stripped, list(rec.supported_entities), None) == [], (rec.name, stripped[:40])
    unfiltered = PiiEngine(model=None)
    unfiltered._active = [(rec, None) for rec, _ in unfiltered._active]
    assert engine.analyze(texts) == unfiltered.analyze(texts)
