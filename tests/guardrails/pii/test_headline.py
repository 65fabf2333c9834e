import pytest

from raikit.guardrails.pii._engine import HEADLINE_FACTOR, _down_weight_headlines, _extend_addresses, _Raw
from raikit.guardrails.pii._headline import headline_runs

HEADLINE = "see Why Ten Cities Are Racing To The Top Of The Charts (And Who Wins) today"


def _span(text, value, type_="PERSON", score=0.85):
    start = text.index(value)
    return _Raw(type_, start, start + len(value), score, "ner")


def test_headline_run_covers_the_title_case_stretch_only():
    runs = headline_runs(HEADLINE)
    expected = "Why Ten Cities Are Racing To The Top Of The Charts (And Who Wins)"
    assert [HEADLINE[s:e] for s, e in runs] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "I live at 1221 Avenue Of The Americas, New York, NY 10020.",  # two function words only
        "THE BANK OF THE WEST AND THE CITY OF LONDON ARE IN THE NEWS",  # all caps is not counted
        "Ann Lee and Bob Stone moved to the city of Oslo in the spring of the year",  # prose
        "Of The And To",  # too short
    ],
)
def test_prose_addresses_and_short_runs_are_not_headlines(text):
    assert headline_runs(text) == []


def test_runs_do_not_cross_lines():
    text = "Ten Cities Are Racing\nTo The Top Of Charts"
    assert headline_runs(text) == []
    assert headline_runs(text.replace("\n", " ")) == [(0, len(text))]


def test_a_comma_ends_the_run_so_a_greeting_stays_out():
    text = "Dear Ann Lee, I Am Writing To You About The Invoice Of May"
    runs = headline_runs(text)
    assert runs and all(s >= text.index(",") for s, _ in runs)


def test_ner_spans_inside_a_headline_are_down_weighted_but_patterns_and_honorifics_are_not():
    text = "Interview: Why Ann Lee Is The Best Of The Bunch With Dr. Bob Stone And You"
    raws = [
        _span(text, "Ann Lee"),
        _span(text, "Bob Stone"),
        _span(text, "Bunch", "ORGANIZATION"),
        _Raw("ORGANIZATION", 0, 9, 0.9, "custom_org_deny_list"),
    ]
    out = {text[r.start : r.end]: r.score for r in _down_weight_headlines(text, raws)}
    assert out["Ann Lee"] == pytest.approx(0.85 * HEADLINE_FACTOR)
    assert out["Bunch"] == pytest.approx(0.85 * HEADLINE_FACTOR)
    assert out["Bob Stone"] == 0.85  # "Dr." right before it is evidence of a person
    assert out[text[0:9]] == 0.9  # a recognizer's match, not the NER's guess


def test_spans_outside_headlines_keep_their_score():
    text = "Ann Lee wrote to me about the invoice yesterday."
    raws = [_span(text, "Ann Lee")]
    assert _down_weight_headlines(text, raws) == raws


@pytest.mark.parametrize(
    ("text", "address", "expected"),
    [
        ("send it to 4 Elm St Suite 967 Apt. 26, Lascano now", "4 Elm St", "4 Elm St Suite 967 Apt. 26"),
        (
            "Grand Rapids United States 21959 please",
            "Grand Rapids United States",
            "Grand Rapids United States 21959",
        ),
        ("at 4 Elm St, 80694-1234.", "4 Elm St", "4 Elm St, 80694-1234"),
        ("at 4 Elm St 12 times", "4 Elm St", "4 Elm St"),  # too short for a postcode
        ("at 4 Elm St 5551234567 call", "4 Elm St", "4 Elm St"),  # a phone number, not a postcode
        ("at 4 Elm St\n80694", "4 Elm St", "4 Elm St"),  # not on the same line
        ("at 4 Elm St 80694@mail.example", "4 Elm St", "4 Elm St"),  # part of another value
    ],
)
def test_address_absorbs_following_unit_and_postcode(text, address, expected):
    (out,) = _extend_addresses(text, [_span(text, address, "STREET_ADDRESS")])
    assert text[out.start : out.end] == expected


def test_address_extension_stops_at_the_next_detection_and_ignores_other_types():
    text = "4 Elm St 80694 and Ann Lee 80694"
    addr, zip_, person = (
        _span(text, "4 Elm St", "STREET_ADDRESS"),
        _Raw("ZIP_CODE", 9, 14, 0.4, "ner"),
        _span(text, "Ann Lee"),
    )
    out = _extend_addresses(text, [addr, zip_, person])
    assert [(r.type, text[r.start : r.end]) for r in out] == [
        ("STREET_ADDRESS", "4 Elm St"), ("ZIP_CODE", "80694"), ("PERSON", "Ann Lee"),
    ]


def test_a_headline_name_also_found_outside_the_headline_keeps_its_score():
    text = "Why Ann Lee Is The Best Of The Bunch\nLast week Lee spoke to the board."
    inside = _span(text, "Ann Lee")
    outside = _Raw("PERSON", text.rindex("Lee"), text.rindex("Lee") + 3, 0.85, "ner")
    out = _down_weight_headlines(text, [inside, outside])
    assert [r.score for r in out] == [0.85, 0.85]
    other_type = _Raw("GPE", outside.start, outside.end, 0.85, "ner")
    out = _down_weight_headlines(text, [inside, other_type])
    assert out[0].score == pytest.approx(0.85 * HEADLINE_FACTOR)
