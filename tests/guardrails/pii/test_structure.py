"""Structure and context rules: numbers, abbreviations and passwords are not PII by shape alone."""

import pytest

from raikit.guardrails.pii._structure import in_context, plausible


def _check(text: str, value: str, entity: str, score: float = 0.85) -> float | None:
    start = text.index(value)
    return plausible(text, entity, start, start + len(value), score)


@pytest.mark.parametrize(
    ("text", "value", "entity"),
    [
        ("Halftime 0-1", "Halftime 0-1", "STREET_ADDRESS"),  # a score
        ("Scores 9 5 4 14 tonight", "Scores 9 5 4 14", "STREET_ADDRESS"),
        ("Convert 5 miles to kilometres.", "5 miles", "STREET_ADDRESS"),
        ("box score 9 5 4 14", "9 5 4 14", "PHONE_NUMBER"),
        ("Given 100cc at 0600", "0600", "PHONE_NUMBER"),
        ("2200 cc out since 1900", "2200", "PHONE_NUMBER"),
        ("Order 123456789 shipped", "123456789", "PHONE_NUMBER"),  # a bare digit run, no phone context
        ("kickoff 19:45 tonight", "19:45", "PHONE_NUMBER"),
        ("seen on 2014-05-17", "2014-05-17", "PHONE_NUMBER"),
        ("the ratio was 12-34-5678", "12-34-5678", "US_SSN"),  # not the SSN layout
        ("ref 666-12-3456 in the log", "666-12-3456", "US_SSN"),  # area 666 is never issued
        ("ref 900-12-3456 in the log", "900-12-3456", "US_SSN"),  # area 9xx is never issued
        ("ref 123-00-4567 in the log", "123-00-4567", "US_SSN"),  # group 00
        ("case 123456789 closed", "123456789", "US_SSN"),  # no separators, no context
        ("upgrade to version 1.2.3.4 now", "1.2.3.4", "IP_ADDRESS"),
        ("value 300.1.2.3 is out of range", "300.1.2.3", "IP_ADDRESS"),
        ("my password is hunter2@secret", "hunter2@secret", "EMAIL_ADDRESS"),
        ("my password is hunter2@secret", "hunter2@secret", "DOMAIN_NAME"),
        ("GU: foley patent", "GU", "GPE"),
        ("RESP: clear bilat", "RESP", "PERSON"),
        ("CV: RRR", "CV", "PERSON"),
        ("Order 48213 ships Monday", "48213", "ZIP_CODE"),  # a postcode needs a context word or an address
        ("row 401 023 2137 in a table", "401 023 2137", "UK_NHS"),
    ],
)
def test_false_positive_kinds_are_dropped(text, value, entity):
    assert _check(text, value, entity) is None


@pytest.mark.parametrize(
    ("text", "value", "entity"),
    [
        ("Call me on (415) 555-0132 please", "(415) 555-0132", "PHONE_NUMBER"),
        ("call 555 1234 tonight", "555 1234", "PHONE_NUMBER"),
        ("my mobile is 01512345678", "01512345678", "PHONE_NUMBER"),
        ("Tel. +49 30 1234567", "+49 30 1234567", "PHONE_NUMBER"),
        ("SSN 078-05-1120 on file", "078-05-1120", "US_SSN"),
        ("social security number 078051120", "078051120", "US_SSN"),
        ("login from 203.0.113.42", "203.0.113.42", "IP_ADDRESS"),
        ("mail ann.lee@example.org", "ann.lee@example.org", "EMAIL_ADDRESS"),
        ("lives at 12 Oak Street, Springfield", "12 Oak Street, Springfield", "STREET_ADDRESS"),
        ("Anschrift: Hauptstraße 5, Berlin", "Hauptstraße 5", "STREET_ADDRESS"),
        ("my zip code is 90210", "90210", "ZIP_CODE"),
        ("NHS number 401 023 2137", "401 023 2137", "UK_NHS"),
        ("Ann Lee and I met", "Ann Lee", "PERSON"),
        ("Norway and the USA", "USA", "GPE"),
    ],
)
def test_values_with_structure_and_context_are_kept(text, value, entity):
    assert _check(text, value, entity) is not None


def test_a_lone_name_without_context_keeps_a_share_of_its_score():
    lone = _check("Name three famous works by Beethoven.", "Beethoven", "PERSON")
    cued = _check("Hi, I'm Beethoven.", "Beethoven", "PERSON")
    assert lone is not None and cued is not None
    assert lone < 0.85 * 0.7 < cued


def test_context_of_a_phone_number_in_other_languages():
    for text in ("Ruf mich an: 030 1234567", "Appelle-moi au 01 23 45 67 89", "Llama al 912 345 678"):
        digits = text.split(": ")[-1] if ": " in text else text.split(" au ")[-1] if " au " in text else "912 345 678"
        start = text.index(digits)
        assert in_context(text, "PHONE_NUMBER", start, start + len(digits)), text
