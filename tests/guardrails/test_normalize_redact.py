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


# -- issue 17: every format and default-ignorable code point, confusables, lone surrogates ----------

FORMAT_CHARACTERS = [
    *[chr(c) for c in range(0x202A, 0x202F)],  # bidi embeddings and overrides
    *[chr(c) for c in range(0x2066, 0x206A)],  # bidi isolates
    "\u034f",  # combining grapheme joiner
    "\u061c", "\u180e", "\u2060", "\u2064", "\ufeff", "\u00ad",
    *[chr(c) for c in range(0xFE00, 0xFE10)],  # variation selectors
    "\U000e0100", "\U000e01ef",  # variation selectors supplement
    "\U000e0001", "\U000e0020", "\U000e0041", "\U000e007f",  # tag characters
    "\u115f", "\u1160", "\u3164", "\uffa0",  # Hangul fillers
    "\u17b4", "\u17b5", "\u180b", "\u180f", "\U0001d173",
]


@pytest.mark.parametrize("char", FORMAT_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_every_format_and_ignorable_character_is_stripped(char: str) -> None:
    text = f"jo{char}hn 41{char}11"
    n = normalize(text)
    assert n.text == "john 4111"
    assert n.to_original(0, 4) == (0, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\U0001d41f\U0001d428\U0001d428", "foo"),  # mathematical bold
        ("\u13aa\u13b3\u13a2", "AWT"),  # Cherokee letters that look like Latin capitals
        ("\u0261oogle", "google"),  # Latin script g
        ("\u0660\u0661\u0662 \u0967\u0968", "012 12"),  # Arabic-Indic and Devanagari digits
        ("\u2160", "I"),  # Roman numeral one via NFKC
    ],
)
def test_confusables_fold_to_their_ascii_prototype(text: str, expected: str) -> None:
    assert normalize(text).text == expected


def test_lone_surrogates_never_crash_normalisation_and_are_refused_at_the_boundary() -> None:
    from raikit.errors import InputError
    from raikit.guardrails._normalize import check_text, check_texts

    n = normalize("a\ud800b")
    assert n.text == "a\ufffdb" and n.to_original(2, 3) == (2, 3)
    with pytest.raises(InputError, match=r"prompt: a lone surrogate code point at offset 1"):
        check_text("a\ud800b", "prompt")
    with pytest.raises(InputError, match=r"texts\[1\]"):
        check_texts(["ok", "\udfff"])
    assert "\ud800" not in str(pytest.raises(InputError, check_text, "x\ud800").value)


def test_report_scrub_runs_after_normalisation() -> None:
    from raikit.audits._scrub import scrub

    assert scrub("mail jo\u034f.doe@exa\u202emple.com") == "mail [EMAIL_ADDRESS]"
    assert scrub("card 4111\u202e 1111\u2066 1111 1111") == "card [NUMBER]"


@pytest.fixture(scope="module")
def pii():
    pytest.importorskip("spacy")
    from raikit.guardrails import load_check

    check = load_check("pii")
    check.load()
    return check


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("my card is 4111\u202e 1111 1111 1111 thanks", "CREDIT_CARD"),
        ("mail jo.doe@exa\u2066mple.com today", "EMAIL_ADDRESS"),
        ("write to jo.doe@example.com \ud800 now", "EMAIL_ADDRESS"),  # a surrogate crashed the check
    ],
)
def test_pii_is_found_through_format_characters_and_surrogates(pii, text: str, kind: str) -> None:
    [found] = pii.scan([text])
    assert kind in {f.type for f in found}
    redacted = redact(text, found).text
    assert "1111 1111" not in redacted and "example.com" not in redacted.replace("\u2066", "")
