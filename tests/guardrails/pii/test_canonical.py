import pytest

from raikit.guardrails.pii import canonical


@pytest.mark.parametrize(
    ("entity", "a", "b"),
    [
        ("CREDIT_CARD", "4111 1111 1111 1111", "4111-1111-1111-1111"),
        ("PHONE_NUMBER", "(415) 555-0132", "415.555.0132"),
        ("US_SSN", "123-45-6789", "123 45 6789"),
        ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32", "gb82west12345698765432"),
        ("EMAIL_ADDRESS", "Ann.Lee@Example.COM", "ann.lee@example.com"),
        ("DOMAIN_NAME", "https://www.Example.com/", "example.com"),
        ("PERSON", "Ann  LEE", "ann lee"),
        ("STREET_ADDRESS", "12 Main St.,\nSpringfield", "12 main st. springfield"),
    ],
)
def test_same_value_in_two_formats_has_one_canonical_form(entity, a, b):
    assert canonical(entity, a) == canonical(entity, b)


@pytest.mark.parametrize(
    ("entity", "a", "b"),
    [
        ("CREDIT_CARD", "4111 1111 1111 1111", "4111 1111 1111 1112"),
        ("PERSON", "Ann Lee", "Anne Lee"),
        ("EMAIL_ADDRESS", "ann@example.com", "ann@example.org"),
    ],
)
def test_different_values_stay_different(entity, a, b):
    assert canonical(entity, a) != canonical(entity, b)
