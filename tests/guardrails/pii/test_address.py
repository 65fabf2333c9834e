"""Street addresses found by their structure (raikit.guardrails.pii._address)."""

from pathlib import Path

import pytest

from raikit.guardrails.pii import PiiEngine, _address
from raikit.guardrails.pii._address import STRONG, find_addresses, street_word


def _found(text: str) -> list[str]:
    return [text[a.start : a.end] for a in find_addresses(text)]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # number + street name + USPS suffix, unit, city, state, ZIP
        ("Ship it to 742 Evergreen Terrace, Springfield, IL 62704 please.", "742 Evergreen Terrace, Springfield, IL 62704"),
        ("It's in 675 224 Forrest Hill Road Suite 833 Milford New Zealand", "675 224 Forrest Hill Road Suite 833 Milford New Zealand"),
        ("9139 David Point Apt. 894\nNew Lisa, WY 74256", "9139 David Point Apt. 894\nNew Lisa, WY 74256"),
        # street type before the name (French, Polish, Italian), house number before or after
        ("It is 143 31 rue de la Hulotais Apt. 087 SAINT-PRIEST France", "143 31 rue de la Hulotais Apt. 087 SAINT-PRIEST France"),
        ("The bus drops you off at 643 ul. Biskupa Bogedaina 118", "643 ul. Biskupa Bogedaina 118"),
        ("Deliver to: Holinka, 33 avenue de Provence", "33 avenue de Provence"),
        ("from Strada Dolores, 95 to the station", "Strada Dolores, 95"),
        # compound street words and street words after the name
        ("The address of Persint is 6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677",
         "6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677"),
        ("Dirección: Schuchhardtstr. 7\n13763 Beilngries. Teléfono: 030 1234567.", "Schuchhardtstr. 7\n13763 Beilngries"),
        ("Árpád fejedelem útja 62. and Király u. 15.", "Árpád fejedelem útja 62."),
        ("It's in 0269 Stensås terrasse 38\n Suite 621\n ARENDAL\n Norway", "0269 Stensås terrasse 38\n Suite 621\n ARENDAL\n Norway"),
        # units, PO boxes, military addresses
        ("Deliver to: Ann, 609 P.O. Box 186 Apt. 561, ALT-DIETMANNS, Austria", "609 P.O. Box 186 Apt. 561, ALT-DIETMANNS, Austria"),
        ("PSC 3294, Box 9168\nAPO AA 61487", "PSC 3294, Box 9168\nAPO AA 61487"),
        ("send to unit 4526 box 0671\ndpo ap 40902, please", "unit 4526 box 0671\ndpo ap 40902"),
        ("Our offices are located at USNS Møller\nFPO AA 85844", "USNS Møller\nFPO AA 85844"),
        # an announced street name and number, an intersection, a postcode line after a blank line
        ("The bus drops you off at 077 Příční 1429", "077 Příční 1429"),
        ("I need a taxi from the corner of Csabai kapu 39. and Mathias Pass on Friday.",
         "the corner of Csabai kapu 39. and Mathias Pass"),
        ("Where is 23680 Parijsstraat 8\n Apt. 026\n Zoetermeer\n\n Netherlands 91196?",
         "23680 Parijsstraat 8\n Apt. 026\n Zoetermeer\n\n Netherlands 91196"),
        # Australian street types, Indian house numbers
        ("Ship to 15 Wattle Crossway, Brisbane QLD 4000", "15 Wattle Crossway, Brisbane QLD 4000"),
        ("It is 7 Kookaburra Meander, Perth WA 6000.", "7 Kookaburra Meander, Perth WA 6000"),
        ("Our office: 23/426 MG Road, Bengaluru 560001", "23/426 MG Road, Bengaluru 560001"),
        # lower-case text
        ("address:\n947 trg revolucije 17 apt. 858 begunje na gorenjskem slovenia.",
         "947 trg revolucije 17 apt. 858 begunje na gorenjskem slovenia"),
    ],
)
def test_addresses_are_found_whole(text, address):
    assert address in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "During 1984 the Civil Rights Act of 2016 passed.",
        "Press 1 for sales or 2 for support.",
        "Chapter 5 covers Python 3 and Windows 10. The room 101 is on floor 2.",
        "Set the timeout to 30 seconds and retry 3 times.",
        "Dr. Ann Lee lives in St. Louis. Route 66 is famous. Send it via email 3 times.",
        "We shipped 250 units and 3 pallets on time.",
        "Pt resting comfortably, VSS. Given 50cc NS at 0400, UO 30cc/hr.",
        "We drove around the Silverstone Circuit today. Follow the link below.",
    ],
)
def test_ordinary_text_has_no_address(text):
    assert [a for a in find_addresses(text) if a.score >= 0.35] == []


def test_an_address_stops_at_the_end_of_its_sentence_and_before_the_next_field():
    assert _found("Our new office is at 3657 Laukaantie 80, Finland 11507. Come visit us!") == [
        "3657 Laukaantie 80, Finland 11507"
    ]
    text = "Billing address: 233 Erzsébet tér 19.\n Domoszló\n Hungary 34796\nShipping address: none"
    assert _found(text) == ["233 Erzsébet tér 19.\n Domoszló\n Hungary 34796"]
    assert _found("Kulusuk\nUSS Lorenzen\nFPO AE 25990\nKulusuk\n\nDear Ann,\nThanks.")[0].endswith("Kulusuk")


def test_weak_evidence_scores_below_the_default_policy_threshold():
    # a street name without a house number is not enough for the default policy to act
    assert all(a.score < 0.5 for a in find_addresses("Meet me at Abbey Road or in Central Park."))
    (weak,) = find_addresses("Give me 5 Key Points")  # "Points" is a USPS suffix and an ordinary word
    assert weak.score < 0.35
    (named,) = find_addresses("Walk along Oak Street to the park.")
    assert named.score < 0.5
    (strong,) = find_addresses("I live at 12 Oak Street.")
    assert strong.score >= STRONG


def test_street_words():
    assert street_word("Hauptstraße") and street_word("Boulevard") and street_word("apt.")
    assert not street_word("Park") and not street_word("During") and not street_word("Professor")


def test_engine_merges_address_parts_and_keeps_the_name_beside_them():
    engine = PiiEngine(model=None)
    text = "Ship to 742 Evergreen Terrace, Springfield, IL 62704."
    found = [(d.type, text[d.start : d.end]) for d in engine.analyze([text])[0]]
    assert ("STREET_ADDRESS", "742 Evergreen Terrace, Springfield, IL 62704") in found


@pytest.mark.parametrize("name", ["addresses.yaml", "context.yaml"])
def test_word_lists_hold_only_words(name: str) -> None:
    """YAML reads unquoted ON, NO, yes or null as booleans and None; a word list must not hold one."""
    import yaml

    data = yaml.safe_load((Path(_address.__file__).parent / name).read_text(encoding="utf-8"))
    odd: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            odd.extend(f"{path}: {item!r}" for item in node if isinstance(item, bool) or item is None)
            for item in node:
                walk(item, path)

    walk(data, name)
    assert not odd


def test_an_ontario_address_tail_is_a_region() -> None:
    assert "ON" in _address._lists()["regions"] and "True" not in _address._lists()["regions"]
