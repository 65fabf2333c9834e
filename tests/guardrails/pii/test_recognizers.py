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


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        # dates and times
        ("She was born on 10/5/1971.", "DATE_TIME", "10/5/1971"),
        ("Date: 1970-09-29 20:21:24", "DATE_TIME", "1970-09-29 20:21:24"),
        ("Geburtsdatum 14.05.1982", "DATE_TIME", "14.05.1982"),
        ("on 29 October 1972 we met", "DATE_TIME", "29 October 1972"),
        ("due July 19, 2028", "DATE_TIME", "July 19, 2028"),
        ("Sent: Apr 4", "DATE_TIME", "Apr 4"),
        ("founded in March 2014", "DATE_TIME", "March 2014"),
        ("flew to Lyon on Saturday", "DATE_TIME", "Saturday"),
        ("The company was founded in 1945.", "DATE_TIME", "1945"),
        ("the call at 23:10 was short", "DATE_TIME", "23:10"),
        ("see you at 5 pm", "DATE_TIME", "5 pm"),
        # ages
        ("when they were 36.", "AGE", "36"),
        ("i'm 23, and you?", "AGE", "23"),
        ("Résumé : Ann, 41 ans, habite Lyon", "AGE", "41"),
        ("her 40th birthday", "AGE", "40"),
        ("a man in his early 40s", "AGE", "early 40s"),
        # titles
        ("I used to work for NATO as Passenger booking clerk.", "TITLE", "Passenger booking clerk"),
        ("She works as a senior data analyst.", "TITLE", "senior data analyst"),
        ("Hello, this is Dr.", "TITLE", "Dr."),
        ("1. Leah N. Murray — Photographer\n2. Neill — catering manager", "TITLE", "catering manager"),
        ("Jamie Pratt\n\nTalking-books clerk\nAcme Ltd", "TITLE", "Talking-books clerk"),
        # names after an honorific, in a letter, in a form field
        ("please correct it to Mr. Yaco Angulo?", "PERSON", "Yaco Angulo"),
        ("Dear Audrey-Nathalie Tremblay,\nthank you.", "PERSON", "Audrey-Nathalie Tremblay"),
        ("Regards,\nFrancisca Gil\nNurse", "PERSON", "Francisca Gil"),
        ('{"name": "Ann Lee", "city": "Saint Kitts and Nevis"}', "PERSON", "Ann Lee"),
        ('{"name": "Ann Lee", "city": "Saint Kitts and Nevis"}', "GPE", "Saint Kitts and Nevis"),
        ("* Owner: Iona Montgomery\n* Location: Donna Ville", "GPE", "Donna Ville"),
        # organisations, nationalities, phone layouts phonenumbers rejects
        ("The shipment for Bolduc LLC is late.", "ORGANIZATION", "Bolduc LLC"),
        ("The Norwegian delegation arrives.", "NRP", "Norwegian"),
        ("He is a proud norwegian citizen.", "NRP", "norwegian"),  # a nationality in lower case
        ("| Jamie Roden | +1-485-515-9476x53813 |", "PHONE_NUMBER", "+1-485-515-9476x53813"),
        ("Tel. +43 105351060, IBAN", "PHONE_NUMBER", "+43 105351060"),
    ],
)
def test_raikit_patterns_find_values(engine, text, entity, value):
    assert (entity, value) in _found(engine, text)


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("I will be travelling next week and again last night.", "DATE_TIME"),  # relative days name no date
        ("on the last Sunday before Labor Day", "DATE_TIME"),
        ("the car makers of the 60s", "DATE_TIME"),  # a decade
        ("BP 118/72, pain 4/10, Python 3.10.12, score 2-1", "DATE_TIME"),
        ("Given 50cc NS at 0400, UO 30cc/hr.", "DATE_TIME"),  # clinical times without a colon
        ("as a result, as a matter of fact, as soon as possible", "TITLE"),
        ("Tell the driver to wait.", "TITLE"),
        ("Please have the manager call me back.", "TITLE"),
        ("Name: a short description of the task", "PERSON"),  # a field value must look like a name
        ("Dear Sir, Hi there,", "PERSON"),
        ("We shipped 250 units and 3 pallets on time.", "AGE"),
        ("Order 123456789 has not arrived; the ratio was 12-34-5678.", "PHONE_NUMBER"),
        ("Customer service is open; see our Services page.", "ORGANIZATION"),
        ("Order an americano and two englishmen-free teas.", "NRP"),  # "americano" is no "american"
    ],
)
def test_raikit_patterns_leave_ordinary_text_alone(engine, text, entity):
    assert entity not in [t for t, _ in _found(engine, text)]


def test_patterns_acted_on_by_default_score_below_its_threshold_on_weak_evidence(engine):
    """A name after an honorific or in a form field is left to the NER by the default policy (0.5)."""
    for text, value in (("thanks to Mr. Yaco Angulo", "Yaco Angulo"), ("Owner: Iona Montgomery", "Iona Montgomery")):
        (d,) = [d for d in engine.analyze([text])[0] if text[d.start : d.end] == value]
        assert d.type == "PERSON" and 0.35 <= d.score < 0.5
