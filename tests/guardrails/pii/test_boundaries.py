"""Span boundary rules: greetings, "c/o", field labels, line breaks, quote markers, person lists,
prose after an address, doubled street types and job titles before a name."""

import pytest

from raikit.guardrails.pii._boundaries import is_label, is_role_phrase, split_span, title_before, trim_address


def _split(text: str, value: str, entity: str, **kw: bool) -> list[tuple[str, str]]:
    start = text.index(value)
    return [(text[s:e], t) for s, e, t in split_span(text, start, start + len(value), entity, **kw)]


def _trim(text: str, value: str) -> list[str]:
    start = text.index(value)
    return [text[s:e] for s, e, _ in trim_address(text, start, start + len(value))]


@pytest.mark.parametrize(
    ("text", "value", "entity", "expected"),
    [
        # greetings and time-of-day greetings open a letter, not a name
        ("Hello Sunay, your parcel is here.", "Hello Sunay", "PERSON", [("Sunay", "PERSON")]),
        ("Good morning Ms Tanaka, thanks.", "Good morning Ms Tanaka", "PERSON", [("Ms Tanaka", "PERSON")]),
        ("Liebe Anna Weber,", "Liebe Anna Weber", "PERSON", [("Anna Weber", "PERSON")]),
        # "c/o": the recipient before it is a person, the address after it stays an address
        ("to Jane Doe c/o Bright Labs, 12 Oak Street, Leeds.", "Jane Doe c/o Bright Labs, 12 Oak Street, Leeds",
         "STREET_ADDRESS", [("Jane Doe", "PERSON"), ("Bright Labs, 12 Oak Street, Leeds", "STREET_ADDRESS")]),
        # a line break opening a form field ends the name; the value after an address label is an address
        ("Name: Kurt Schreiner\nAddress: Am Markt 4, 12345 Berlin", "Kurt Schreiner\nAddress: Am Markt 4, 12345",
         "PERSON", [("Kurt Schreiner", "PERSON"), ("Am Markt 4, 12345", "STREET_ADDRESS")]),
        # a leading field label is not part of the value; a span that is only a label is dropped
        ("Shipping to: 22 Brook Lane, Dover", "Shipping to: 22 Brook Lane, Dover", "STREET_ADDRESS",
         [("22 Brook Lane, Dover", "STREET_ADDRESS")]),
        ("Shipping to: 22 Brook Lane", "Shipping to", "GPE", []),
        ("- **Name:** Sally Jones", "**Name:** Sally Jones", "PERSON", [("Sally Jones", "PERSON")]),
        # persons listed with "and" or commas are separate persons
        ("Invite Anna and Ben Smith.", "Anna and Ben Smith", "PERSON", [("Anna", "PERSON"), ("Ben Smith", "PERSON")]),
        ("founders: Kónya, Becker and Vasquez.", "Kónya, Becker and Vasquez", "PERSON",
         [("Kónya", "PERSON"), ("Becker", "PERSON"), ("Vasquez", "PERSON")]),
        # a name does not run over a line break, a bullet or a spaced em dash
        ("1. Nielsen — Rev.\n2. Ann Lee — Teacher", "Ann Lee — Teacher", "PERSON",
         [("Ann Lee", "PERSON"), ("Teacher", "PERSON")]),
        ("Mary Schreiner\n- Nurse", "Mary Schreiner\n- Nurse", "ORGANIZATION",
         [("Mary Schreiner", "ORGANIZATION"), ("Nurse", "ORGANIZATION")]),
        # a list number opening a line is not part of a name
        ("1. Nielsen\n2. Christopher Campbell", "2. Christopher Campbell", "PERSON", [("Christopher Campbell", "PERSON")]),
        # punctuation alone is no value
        ("* Location: Guinea\n*", "*", "STREET_ADDRESS", []),
    ],
)
def test_split_span_cuts_the_value_out_of_the_span(text, value, entity, expected):
    assert _split(text, value, entity) == expected


@pytest.mark.parametrize(
    ("text", "value", "entity"),
    [
        ("Hilda Sunay called.", "Hilda Sunay", "PERSON"),  # "Hi" inside a name is no greeting
        ("Dearborn Heights is near.", "Dearborn Heights", "GPE"),
        ("C/ Mayor 5, Madrid", "C/ Mayor 5, Madrid", "STREET_ADDRESS"),  # Spanish "calle", not "c/o"
        ("12 Oak St\nLeeds LS1 4AP", "12 Oak St\nLeeds LS1 4AP", "STREET_ADDRESS"),  # an address block spans lines
        ("White, Willis and Hoffman LLP", "White, Willis and Hoffman", "ORGANIZATION"),  # a firm is one name
        ("Standard And Poors", "Standard And Poors", "ORGANIZATION"),
        ("Bill Gates spoke.", "Bill Gates", "PERSON"),  # "Bill" alone is a name, "Bill to" a label
        ("Bill", "Bill", "PERSON"),
        ("Unit 4 – 12 Smith Street, Sydney NSW 2000", "Unit 4 – 12 Smith Street, Sydney NSW 2000", "STREET_ADDRESS"),
        ("1. Nielsen\n3. Mai 2020", "3. Mai 2020", "DATE_TIME"),  # a German date keeps its day
    ],
)
def test_split_span_leaves_whole_values_alone(text, value, entity):
    assert _split(text, value, entity) == [(value, entity)]


def test_an_address_keeps_its_quote_markers_until_it_is_judged():
    text = "> 935 Gordon Terrace\n> Suite 828"
    assert _split(text, text[2:], "STREET_ADDRESS", markers=False) == [(text[2:], "STREET_ADDRESS")]
    assert _trim(text, text[2:]) == ["935 Gordon Terrace", "Suite 828"]


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("> Ashgrove\n> 7 Kookaburra Meander\n> Perth WA 6000", "7 Kookaburra Meander\n> Perth WA 6000",
         ["7 Kookaburra Meander", "Perth WA 6000"]),
        ("The shop is on Main Street between 5th Avenue and Oak Road.", "Main Street between 5th Avenue and Oak Road",
         ["Main Street", "5th Avenue and Oak Road"]),
        ("We are at 5 Rue Victor Hugo, 3rd floor on the left.", "5 Rue Victor Hugo, 3rd floor on the left",
         ["5 Rue Victor Hugo, 3rd floor"]),
        ("The bus drops you off at 77 Elm Street St.", "77 Elm Street St.", ["77 Elm Street"]),
        ("Pedestrians must enter on Sludevej 13 St. now", "Sludevej 13 St.", ["Sludevej 13"]),
    ],
)
def test_trim_address_cuts_markers_prose_and_a_doubled_street_type(text, value, expected):
    assert _trim(text, value) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Meet at Main St. at noon", "Main St."),  # one street type: kept
        ("Turn into 13th St. here", "13th St."),
        ("Calle de la Paz 5, Madrid", "Calle de la Paz 5, Madrid"),  # connectors of a street name stay
        ("please ship to 12 elm street in boston", "12 elm street in boston"),  # lower-case text: no prose cut
        ("Our office: 23/426 MG Road, Bengaluru 560001", "23/426 MG Road, Bengaluru 560001"),
    ],
)
def test_trim_address_keeps_whole_addresses(text, value):
    assert _trim(text, value) == [value]


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("The meeting with marketing director Sofia Rossi is at noon.", "Sofia", "marketing director "),
        ("Flight booked for veterinary surgeon Robert departing Lyon.", "Robert", "veterinary surgeon "),
        ("Please meet engineer Ann Lee.", "Ann", "engineer "),  # "meet" is no part of the title
    ],
)
def test_title_before_finds_a_job_title_before_a_name(text, name, title):
    start = text.index(name)
    first = title_before(text, start)
    assert first is not None and text[first:start] == title


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I had lunch with Sofia Rossi today.", "Sofia"),
        ("Our new neighbour Sofia moved in.", "Sofia"),  # "neighbour" is no job word
        ("engineer\nSofia Rossi", "Sofia"),  # another line
    ],
)
def test_title_before_finds_nothing_without_a_job_word(text, name):
    assert title_before(text, text.index(name)) is None


@pytest.mark.parametrize(("value", "expected"), [("Shipping to", True), ("Address", True), ("Attendees", True),
                                                 ("E-mail", True), ("Ann Lee", False), ("Bill", False)])
def test_is_label(value, expected):
    assert is_label(value) is expected


def _raw(text, value, entity, score=0.85, start=None):
    from raikit.guardrails.pii._engine import _Raw

    s = text.index(value) if start is None else start
    return _Raw(entity, s, s + len(value), score, "ner")


def test_engine_reports_a_job_title_before_a_name_and_an_honorific_cut_from_a_name_as_titles():
    from raikit.guardrails.pii._engine import _split_titles

    entities = frozenset({"PERSON", "TITLE"})
    text = "The meeting with marketing director Sofia Rossi; Sibylla Zahn — Mrs."
    raws = [_raw(text, "Sofia Rossi", "PERSON"), _raw(text, "Mrs.", "PERSON")]
    out = {(text[r.start : r.end], r.type) for r in _split_titles(text, raws, entities)}
    assert out == {("Sofia Rossi", "PERSON"), ("marketing director", "TITLE"), ("Mrs.", "TITLE")}


def test_engine_adds_no_title_over_another_detection_or_without_the_title_type():
    from raikit.guardrails.pii._engine import _split_titles

    text = "Acme Director Sofia Rossi"
    raws = [_raw(text, "Acme Director", "ORGANIZATION"), _raw(text, "Sofia Rossi", "PERSON")]
    assert [r.type for r in _split_titles(text, raws, frozenset({"PERSON", "TITLE", "ORGANIZATION"}))] == [
        "ORGANIZATION", "PERSON"]
    text = "marketing director Sofia Rossi"
    assert [r.type for r in _split_titles(text, [_raw(text, "Sofia Rossi", "PERSON")], frozenset({"PERSON"}))] == [
        "PERSON"]


def test_engine_trims_addresses_after_the_rules_and_keeps_their_score():
    from raikit.guardrails.pii._engine import _split_address_lines

    text = "> 7 Kookaburra Meander\n> Perth WA 6000"
    out = _split_address_lines(text, [_raw(text, text[2:], "STREET_ADDRESS", 0.7)])
    assert [(text[r.start : r.end], r.score) for r in out] == [("7 Kookaburra Meander", 0.7), ("Perth WA 6000", 0.7)]


@pytest.mark.parametrize(
    ("text", "value", "role"),
    [
        ("As a newly hired sports coach, what are your plans?", "sports coach", True),
        ("Write a thank-you note to my piano teacher.", "piano teacher", True),
        ("the new head chef starts monday", "head chef", True),
        ("please ask peter baker to call me", "peter baker", False),  # a surname that is a job word
        ("As a newly hired Sports Coach, what now?", "Sports Coach", False),  # not lower case: left to the NER
        ("a\njohn baker", "john baker", False),  # the determiner is on another line
        ("an ann lee", "ann lee", False),  # no job word
    ],
)
def test_a_lower_case_job_after_a_determiner_is_a_role_not_a_name(text: str, value: str, role: bool) -> None:
    start = text.index(value)
    assert is_role_phrase(text, start, start + len(value)) is role


def test_the_engine_reports_a_role_phrase_as_a_title_not_a_person() -> None:
    from raikit.guardrails.pii._engine import PiiEngine

    text = "As a newly hired sports coach, what are your plans for the first 30 days on the job?"
    found = [(d.type, text[d.start:d.end]) for d in PiiEngine(model="raikit").analyze([text])[0]]
    assert not any(t == "PERSON" for t, _ in found), found
