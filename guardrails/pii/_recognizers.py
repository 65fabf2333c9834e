"""Pattern recognizers: presidio's predefined ones plus raikit's, and YAML-declared custom ones.

Every recognizer here is a real ``presidio_analyzer`` recognizer; they run on normalised text
without presidio's NLP engine (context words are applied by :func:`boost_with_context`).
presidio is imported inside functions only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from raikit.errors import InputError, MissingDependencyError

PRESIDIO_INSTALL = "pip install 'raikit[pii]'"
CONTEXT_FACTOR = 0.35
MIN_SCORE_WITH_CONTEXT = 0.4
_CONTEXT_BEFORE = 6
_CONTEXT_AFTER = 2
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)

CUSTOM_KEYS = frozenset({"name", "entity", "patterns", "context", "deny_list"})
PATTERN_KEYS = frozenset({"regex", "score", "name"})


def _after(*phrases: str, then: str) -> str:
    """A lookbehind for any of ``phrases`` (each fixed-width, so they can be alternatives), tried
    only after a phrase's last letter and where the text continues with ``then`` (cheap tests
    first keep the pattern fast)."""
    last = re.escape("".join(sorted({p[-1] for p in phrases})))
    return f"(?<=[{last}] )(?={then})(?:" + "|".join(f"(?<=\\b{re.escape(p)} )" for p in phrases) + ")"


# raikit's own patterns (regex, score); context words raise the score of a match.
_AGE_UNITS = r"(?:years?|yrs?|yo|y/o|y\.o\.?|ans|Jahre|jährig|años|anni|anos|jaar)"
_AGE_PATTERNS = (
    (r"\b\d{1,3}(?=[\s-]*" + _AGE_UNITS + r"(?:[\s-]*old)?\b)", 0.6),
    (r"(?<=\baged )\d{1,3}\b", 0.6),
    (r"(?<=\bage of )\d{1,3}\b", 0.6),
    (r"(?<=\bturned )\d{1,3}\b", 0.5),
    (r"(?<=\bturn )\d{1,3}\b", 0.5),
    (r"(?<=\bage: )\d{1,3}\b", 0.6),
    (r"(?<=\bage )\d{1,3}\b", 0.5),
    (r"(?<=\bage is )\d{1,3}\b", 0.6),
    (r"\b\d{1,3}(?=(?:st|nd|rd|th) birthday\b)", 0.6),
    # "when she was 36", "I'm 23." (a bare number ending the clause)
    (_after("when he was", "when she was", "when they were", "when I was", "when we were", "when you were",
            then=r"\d")
     + r"\d{1,3}\b(?![.,:]\d|\s*(?:%|am\b|pm\b|o'clock|[:h]\d))", 0.5),
    (_after("I'm", "i'm", "I am", "i am", "Im", "im", then=r"\d")
     + r"\d{1,3}(?=\s*(?:[.,!;)]|$|\band\b|\bso\b|\bbut\b))", 0.5),
    # "in her early 40s"
    (_after("in his", "in her", "in their", "in my", "in your", "in our", then=r"[eml\d]")
     + r"(?:(?:early|mid|late)[\s-])?\d0s\b", 0.5),
)
_AGE_CONTEXT = ["age", "aged", "old", "turned", "turn", "birthday", "year-old", "years"]
_ZIP_PATTERNS = (
    (r"\b\d{5}(?:-\d{4})?\b", 0.05),
    (r"\b\d{3}[ -]?\d{2}\b", 0.01),
    (r"\b\d{4}(?: ?[A-Z]{2})?\b", 0.01),
    (r"\b\d{2}-\d{3}\b", 0.01),
    (r"\b\d{4}-\d{3}\b", 0.01),
    (r"\b\d{5}-\d{3}\b", 0.01),
)
_ZIP_CONTEXT = ["zip", "zipcode", "postal", "postcode", "post code", "plz", "cep"]
_TITLE_PATTERNS = (
    (r"\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Rev|Sr|Sra|Hr|Fr)\.(?=\s+[A-Z])", 0.6),
    (r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lady|Lord)\b(?=\s+[A-Z][a-z])", 0.5),
    # "Hello, this is Dr." at the end of a clause
    (r"\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Rev)\.(?=\s*(?:$|[.,;!?]))", 0.5),
)


def _job_title_patterns(job_words: Sequence[str]) -> tuple[tuple[str, float], ...]:
    """A job title (up to three words and a job noun) after "as (a)" ("as a data analyst"), after a
    dash in a list ("Ann Lee — Photographer"), or alone on a later line of a signature block."""
    jobs = r"(?i:" + "|".join(sorted({re.escape(w) for w in job_words}, key=len, reverse=True)) + r")s?\b"
    lead = _after("as", "As", "as a", "as an", "As a", "As an", then=r"[^\W\d_]")
    word = r"(?!(?:a|an|the|as|of|to|and|or|in|for|soon|well|long|much|far)\b)[\w/&'’-]+[ \t]"
    return (
        (lead + r"(?!(?:a|an|the)\b)(?:" + word + r"){0,3}?" + jobs, 0.5),
        (r"(?<=[—–] )(?:" + word + r"){0,3}?" + jobs + r"(?=[ \t]*(?:$|,))", 0.5),
        (r"(?<=\n)[ \t]*(?=[^\n]{3,60}$)(?:" + word + r"){0,3}?" + jobs + r"[ \t]*$", 0.5),
    )


# A name right after an honorific ("Mr. Yaco Angulo"): 0.45, below the default policy's threshold
# (the NER decides whether the name is a person's there; a public figure is often one too).
_NAMED_AFTER_HONORIFIC = (
    (_after("Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Mr.", "Mrs.", "Ms.", "Mx.", "Dr.", "Prof.", "Miss", "Sir", "Dame",
            then="[A-Z]")
     + r"[A-Z][^\W\d_]+(?:[\'’-][^\W\d_]+)?(?: [A-Z]\.?)?(?: [A-Z][^\W\d_]+(?:[\'’-][^\W\d_]+)?){0,2}\b", 0.45),
)


def _alternatives(words: Sequence[str], *, first_letter_either_case: bool = False) -> str:
    def one(word: str) -> str:
        first = f"[{word[0]}{word[0].lower()}]" if first_letter_either_case else re.escape(word[0])
        return first + re.escape(word[1:]).replace(r"\ ", r"\s+")

    return "|".join(one(w) for w in sorted(set(words), key=len, reverse=True))


def _organization_pattern(suffixes: Sequence[str]) -> tuple[str, float]:
    """One to four capitalised words and a legal form or company word ("Bolduc LLC", "Round Stones Inc")."""
    name = r"(?:\d+\s+)?[A-Z][\w'’&-]*(?:,?[ \t]+(?:(?:and|&|of|de|der|und|et|y|e)[ \t]+)?[A-Z][\w'’&-]*){0,3}"
    return r"\b" + name + r",?[ \t]+(?:" + _alternatives(suffixes) + r")(?![\w-])", 0.5


def _nrp_pattern(words: Sequence[str]) -> tuple[str, float]:
    """A nationality, religion or political group, capitalised as written ("Norwegian", "Buddhist")
    or all in lower case ("a norwegian citizen")."""
    return r"\b(?:" + _alternatives(words, first_letter_either_case=True) + r")s?\b", 0.5


# A name in a letter's greeting or after its closing ("Dear Ann Lee,", "Regards,\nAnn Lee").
_NAME_WORDS = r"[A-Z][^\W\d_]+(?:[\'’-][^\W\d_]+)?(?: [A-Z]\.)?(?:[ -][A-Z][^\W\d_]+(?:[\'’-][^\W\d_]+)?){0,2}"
_NOT_ADDRESSEES = r"(?!(?:Sir|Sirs|Madam|Customer|Customers|Team|All|Everyone|Friends?|Colleagues?|Hiring|Valued|" \
    r"Mr|Mrs|Ms|Mx|Dr|Prof|Miss|There|Folks|Guys|Reader|Readers|Members?|Parents?|Students?)\b)"
_LETTER_NAMES = (
    (_after("Dear", "Hi", "Hello", "Hey", "Dearest", "Liebe", "Lieber", "Hallo", "Cher", "Chère", "Querido", "Querida",
            then="[A-Z]") + _NOT_ADDRESSEES + _NAME_WORDS + r"(?=[ \t]*[,!:\n])", 0.5),
    ("(?=[A-Z])(?:" + "|".join(f"(?<={w},\n)" for w in ("Regards", "regards", "Sincerely", "Best", "Thanks",
                                                          "Cheers", "wishes", "Yours", "faithfully", "sincerely",
                                                          "truly", "Grüße", "Gruß", "Cordialement"))
     + r")" + _NAME_WORDS + r"(?=[ \t]*(?:\n|$))", 0.5),
)
# Phone numbers in an international or North American layout that ``phonenumbers`` rejects (an
# unassigned range is still written as a phone number); the structure rules then judge them.
_PHONE_LAYOUTS = (
    (r"(?<![\w+])(?:\+|00)\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{2,5}){2,4}(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w-])", 0.4),
    (r"(?<![\w+-])(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w-])", 0.4),
    (r"(?<![\w+-])1-\d{3}-\d{3}-\d{4}(?:\s?x\d{1,6})?(?![\w-])", 0.4),
)
_DATE_TIME_CONTEXT = ["date", "born", "birth", "birthday", "dob", "on", "at", "since", "when", "time", "day",
                      "appointment", "sent", "geboren", "datum", "né", "née", "nacido", "fecha"]


def _date_time_patterns() -> tuple[tuple[str, float], ...]:
    """Dates and times in their common written forms (ISO, numeric, month names, weekdays, clock times).

    Relative days ("last night", "next week") and decades ("the 60s") name no one's date: not matched.
    """
    month = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
             r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
    full_month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    weekday = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    year = r"(?:1[89]\d\d|20\d\d)"
    time = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?(?:[AaPp]\.?[Mm]\.?))?"
    lead = _after("in", "In", "since", "Since", "during", "During", "until", "till", "by", "of", "from", "before",
                  "after", "early", "late", "mid", "born", "around", "circa", "c.", "year", "the year", "in early",
                  "in late", "founded in", "est.", then="[A-Z12]")
    return (
        (r"\b\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[T ]" + time + r"(?:Z|[+-]\d{2}:?\d{2})?)?\b", 0.6),
        (r"\b(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|[12]\d|3[01])/(?:\d{4}|\d{2})\b(?!/)", 0.5),
        (r"\b(?:0?[1-9]|[12]\d|3[01])[.-](?:0?[1-9]|1[0-2])[.-]" + year + r"\b(?![.-]\d)", 0.5),
        (r"\b(?:" + weekday + r",?\s+)?(?:the\s+)?" + day + r"(?:\s+of)?\s+" + month + r"(?:,?\s+" + year + r")?\b", 0.6),
        (r"\b(?:" + weekday + r",?\s+)?" + month + r"\s+" + day + r"(?:,?\s+" + year + r")?(?![\d:])\b", 0.6),
        (r"\b" + month + r",?\s+" + year + r"\b", 0.55),
        # a weekday, not "last Sunday" or "every Monday" (relative days name no one's date)
        (r"(?<!last )(?<!next )(?<!this )(?<!every )(?<!Last )(?<!Next )(?<!This )(?<!Every )\b" + weekday + r"\b", 0.5),
        (lead + full_month + r"\b", 0.45),
        (lead + year + r"\b(?![.,:/-]?\d)", 0.45),
        (r"(?<![\d:.])\b" + time + r"(?![\d:])", 0.5),
        (r"\b(?:1[0-2]|0?[1-9])\s?(?:[ap]\.m\.|[AP]M|[ap]m)\b", 0.5),
    )


# Names, places and organisations in a form field score below the default policy's threshold: the
# NER decides there; the other types are not acted on by it.
_FIELD_SCORES = {"PERSON": 0.45, "GPE": 0.45, "ORGANIZATION": 0.45}
_FIELD_VALUE_SHAPES = {
    "PERSON": r"[A-Z][^\W\d_]*\.?(?:[ -](?:[A-Z][^\W\d_]*\.?|de|van|von|der|da|di|del|le|la)){0,4}",
    "GPE": r"[A-Z][^\W\d_]*(?:[ -](?:[A-Z][^\W\d_]*|de|du|del|la|le|am|an|der|on|upon|sur|los|las|and)){0,4}",
    "ORGANIZATION": r"[A-Z0-9][\w&.'’-]*(?:[ -][\w&.'’-]+){0,5}",
    "DATE_TIME": r"[\w][\w ,./:-]{2,30}[\w.]",
    "AGE": r"\d{1,3}\b",
    "TITLE": r"[^\W\d_][\w /&'’-]{1,60}[^\W_]",
}


def _field_value_recognizer(fields: Mapping[str, Sequence[str]]) -> Any:
    """Values of form fields ("Name: Ann Lee", ``"city": "Lyon"``) reported as the field's type."""
    pa = _presidio()
    compiled = []
    for entity, labels in fields.items():
        label = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
        compiled.append((entity, re.compile(
            r"(?:^|(?<=[\s{,(\[|*\-]))[\"']?(?i:" + label + r")[\"']?[ \t]*[:=][ \t]*[\"']?"
            r"(?P<value>" + _FIELD_VALUE_SHAPES[entity] + r")(?=[ \t]*(?:$|[\n,;|\"'}\])]|\.(?:\s|$)))",
            re.MULTILINE,
        )))

    class FieldValueRecognizer(pa.EntityRecognizer):
        def load(self) -> None:
            return None

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            out = []
            for entity, pattern in compiled:
                if entity not in entities:
                    continue
                for m in pattern.finditer(text):
                    start, end = m.span("value")
                    out.append(pa.RecognizerResult(entity, start, end, _FIELD_SCORES.get(entity, 0.5)))
            return out

    return FieldValueRecognizer(supported_entities=list(fields), name="raikit_field_value")


def _presidio() -> Any:
    try:
        import presidio_analyzer
    except ImportError as err:
        raise MissingDependencyError("presidio-analyzer", PRESIDIO_INSTALL) from err
    return presidio_analyzer


def _pattern_recognizer(
    entity: str, name: str, patterns: Iterable[tuple[str, float]], context: list[str]
) -> Any:
    pa = _presidio()
    return pa.PatternRecognizer(
        supported_entity=entity,
        name=name,
        patterns=[pa.Pattern(f"{name}_{i}", regex, score) for i, (regex, score) in enumerate(patterns)],
        context=context,
        global_regex_flags=re.DOTALL | re.MULTILINE,
    )


_tld_extractor: Any = None


def _offline_email_recognizer() -> Any:
    """presidio's EmailRecognizer, validating the domain with tldextract's bundled suffix list.

    Stock presidio calls ``tldextract.extract``, which fetches the Public Suffix List from the
    network on first use; raikit never goes online at run time.
    """
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    class OfflineEmailRecognizer(EmailRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            global _tld_extractor
            if _tld_extractor is None:
                import tldextract

                _tld_extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
            return _tld_extractor(pattern_text).fqdn != ""

    return OfflineEmailRecognizer(name="EmailRecognizer")


_PHONE_CANDIDATE = re.compile(r"[+(]?\d[\d \t().\-/x]{4,}\d")


def _windowed_phone_recognizer(regions: Sequence[str]) -> Any:
    """presidio's PhoneRecognizer, run only on digit runs that could be phone numbers.

    ``phonenumbers`` scans the whole text once per region; running it on short candidate
    windows (7+ digits) instead gives the same matches many times faster.
    """
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    class WindowedPhoneRecognizer(PhoneRecognizer):
        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            results = []
            for cand in _PHONE_CANDIDATE.finditer(text):
                if sum(ch.isdigit() for ch in cand.group()) < 7:
                    continue
                lo, hi = cand.start(), cand.end()
                while lo > 0 and cand.start() - lo < 12 and not text[lo - 1].isspace():
                    lo -= 1
                while hi < len(text) and hi - cand.end() < 12 and not text[hi].isspace():
                    hi += 1
                for res in super().analyze(text[lo:hi], entities, None):
                    res.start += lo
                    res.end += lo
                    results.append(res)
            return results

    return WindowedPhoneRecognizer(supported_regions=tuple(regions), name="PhoneRecognizer")


_FR_NIR = (
    r"\b[12][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?(?:\d{2}|2[AB])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}\b"
)


def _fr_nir_recognizer() -> Any:
    """French social security number (NIR): format and its mod-97 key."""
    pa = _presidio()

    class FrNirRecognizer(pa.PatternRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            value = re.sub(r"[ .]", "", pattern_text).upper()
            if len(value) != 15:
                return False
            body = value[:13].replace("2A", "19").replace("2B", "18")
            return body.isdigit() and 97 - int(body) % 97 == int(value[13:])

    return FrNirRecognizer(
        supported_entity="FR_NIR", name="raikit_fr_nir", patterns=[pa.Pattern("fr_nir", _FR_NIR, 0.5)],
        context=["nir", "insee", "sécurité", "sociale", "sécu"], supported_language="fr",
    )


# What a text must hold for a predefined recognizer to find anything (checked before it runs):
# every pattern of the id, card, phone, age and postcode recognizers needs a digit (and the
# crypto one, "bc1" or a leading 1/3); an e-mail needs "@", an IP a digit or ":", a URL a dot
# before two letters (".com", ".org/"); a date a digit, a month or a weekday; a title "as", an
# honorific, a dash or a line break; a letter's name its greeting or closing; a form field a colon. Recognizers not listed (addresses, custom ones) always run.
_NEEDS_DIGIT = re.compile(r"\d")
PREFILTERS: dict[str, re.Pattern[str]] = {
    "EmailRecognizer": re.compile("@"),
    "IpRecognizer": re.compile(r"[\d:]"),
    "UrlRecognizer": re.compile(r"\.[A-Za-z]{2}"),
    **{name: _NEEDS_DIGIT for name in (
        "CreditCardRecognizer", "CryptoRecognizer", "IbanRecognizer", "MedicalLicenseRecognizer", "NhsRecognizer",
        "PhoneRecognizer", "UsBankRecognizer", "UsLicenseRecognizer", "UsItinRecognizer", "UsPassportRecognizer",
        "UsSsnRecognizer", "DeTaxIdRecognizer", "DeIdCardRecognizer", "DePassportRecognizer",
        "DeSocialSecurityRecognizer", "EsNifRecognizer", "EsNieRecognizer", "raikit_fr_nir", "raikit_age", "raikit_zip",
        "raikit_phone",
    )},
    "raikit_date_time": re.compile(r"\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|day\b"),
    "raikit_title": re.compile(r"\b(?:as|As|Mr|Mrs|Ms|Mx|Dr|Prof|Rev|Sr|Sra|Hr|Fr|Miss|Sir|Dame|Lady|Lord)\b|[—–\n]"),
    "raikit_honorific_name": re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Miss|Sir|Dame)\b"),
    "raikit_letter_name": re.compile(r"Dear|Hi|Hello|Hey|Liebe|Hallo|Cher|Chère|Querid|,\n"),
    "raikit_field_value": re.compile("[:=]"),
}


def default_recognizers() -> list[Any]:
    """presidio's predefined recognizers plus raikit's own.

    raikit's: AGE, ZIP_CODE, TITLE (honorifics, job titles), DATE_TIME, PERSON (after an honorific,
    in a letter's greeting or closing), ORGANIZATION (legal forms), NRP, phone layouts that
    ``phonenumbers`` rejects, form-field values, street addresses (:mod:`._address`) and the
    French NIR.

    URLs are reported as ``DOMAIN_NAME``; phone numbers are matched for 16 regions; national ids
    with a checksum or a strict format are matched for the US, the UK, Germany, Spain and France
    (they run on text of any language: an id keeps its format in any sentence).

    Example:
        >>> sorted({e for r in default_recognizers() for e in r.supported_entities})[:3]  # doctest: +SKIP
        ['AGE', 'CREDIT_CARD', 'CRYPTO']
    """
    _presidio()
    from presidio_analyzer import predefined_recognizers as pr

    from raikit.guardrails.pii._address import address_recognizer
    from raikit.guardrails.pii._structure import word_list

    regions = ("US", "GB", "DE", "FR", "IT", "ES", "NL", "SE", "FI", "DK", "NO", "PL", "CA", "AU", "IN", "BR")
    return [
        pr.CreditCardRecognizer(),
        pr.CryptoRecognizer(),
        _offline_email_recognizer(),
        pr.IbanRecognizer(),
        pr.IpRecognizer(),
        pr.MedicalLicenseRecognizer(),
        pr.NhsRecognizer(),
        _windowed_phone_recognizer(regions),
        pr.UrlRecognizer(supported_entity="DOMAIN_NAME"),
        pr.UsBankRecognizer(),
        pr.UsLicenseRecognizer(),
        pr.UsItinRecognizer(),
        pr.UsPassportRecognizer(),
        pr.UsSsnRecognizer(),
        pr.DeTaxIdRecognizer(),
        pr.DeIdCardRecognizer(),
        pr.DePassportRecognizer(),
        pr.DeSocialSecurityRecognizer(),
        pr.EsNifRecognizer(),
        pr.EsNieRecognizer(),
        _fr_nir_recognizer(),
        _pattern_recognizer("AGE", "raikit_age", _AGE_PATTERNS, _AGE_CONTEXT),
        _pattern_recognizer("ZIP_CODE", "raikit_zip", _ZIP_PATTERNS, _ZIP_CONTEXT),
        _pattern_recognizer("TITLE", "raikit_title", (*_TITLE_PATTERNS, *_job_title_patterns(word_list("job_words"))), []),
        _pattern_recognizer("DATE_TIME", "raikit_date_time", _date_time_patterns(), _DATE_TIME_CONTEXT),
        _pattern_recognizer("PERSON", "raikit_honorific_name", _NAMED_AFTER_HONORIFIC, []),
        _pattern_recognizer("PERSON", "raikit_letter_name", _LETTER_NAMES, []),
        _pattern_recognizer("PHONE_NUMBER", "raikit_phone", _PHONE_LAYOUTS, []),
        _field_value_recognizer(word_list("field_values")),
        _pattern_recognizer(
            "ORGANIZATION", "raikit_organization", [_organization_pattern(word_list("organization_suffixes"))], []
        ),
        _pattern_recognizer("NRP", "raikit_nrp", [_nrp_pattern(word_list("nrp_words"))], []),
        address_recognizer(),
    ]


def custom_recognizer(spec: Mapping[str, Any], where: str = "custom_recognizers[0]") -> Any:
    """Build a presidio ``PatternRecognizer`` from a YAML-style dict.

    Args:
        spec: ``{name, entity, patterns: [{regex, score}], context: [words], deny_list: [words]}``;
            ``patterns`` or ``deny_list`` (or both) must be given.
        where: Location used in error messages.

    Raises:
        InputError: An unknown key, a missing entity, a bad regex or score (located by ``where``).

    Example:
        >>> r = custom_recognizer({"name": "emp", "entity": "EMPLOYEE_ID",
        ...                        "patterns": [{"regex": r"E-\\d{6}", "score": 0.5}]})  # doctest: +SKIP
    """
    if not isinstance(spec, Mapping):
        raise InputError(f"{where}: expected a mapping, got {type(spec).__name__}")
    unknown = sorted(set(spec) - CUSTOM_KEYS)
    if unknown:
        allowed = ", ".join(sorted(CUSTOM_KEYS))
        raise InputError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {allowed}")
    entity = spec.get("entity")
    if not isinstance(entity, str) or not entity:
        raise InputError(f"{where}.entity: expected an entity type such as EMPLOYEE_ID")
    patterns = []
    for i, pat in enumerate(spec.get("patterns") or []):
        here = f"{where}.patterns[{i}]"
        if not isinstance(pat, Mapping) or set(pat) - PATTERN_KEYS or "regex" not in pat:
            raise InputError(f"{here}: expected {{regex, score}}")
        score = pat.get("score", 0.5)
        if not isinstance(score, int | float) or isinstance(score, bool) or not 0 <= score <= 1:
            raise InputError(f"{here}.score: expected a number in [0, 1], got {score!r}")
        try:
            re.compile(pat["regex"])
        except (re.error, TypeError) as err:
            raise InputError(f"{here}.regex: not a valid regular expression ({err})") from err
        patterns.append((str(pat["regex"]), float(score)))
    deny = list(spec.get("deny_list") or [])
    if not patterns and not deny:
        raise InputError(f"{where}: give patterns or deny_list")
    pa = _presidio()
    name = str(spec.get("name") or f"custom_{entity.lower()}")
    return pa.PatternRecognizer(
        supported_entity=entity,
        name=name,
        patterns=[pa.Pattern(f"{name}_{i}", r, s) for i, (r, s) in enumerate(patterns)] or None,
        deny_list=deny or None,
        context=[str(w) for w in spec.get("context") or []] or None,
    )


def _words_around(text: str, start: int, end: int) -> set[str]:
    before = _WORD.findall(text[max(0, start - 80) : start])[-_CONTEXT_BEFORE:]
    after = _WORD.findall(text[end : end + 40])[:_CONTEXT_AFTER]
    return {w.casefold() for w in before + after}


def has_context(text: str, start: int, end: int, context: Sequence[str]) -> bool:
    """Whether a context word (or its plural/prefix) is near ``text[start:end]``.

    Example:
        >>> has_context("my zip code is 90210", 15, 20, ["zip"])
        True
    """
    if not context:
        return False
    words = _words_around(text, start, end)
    window = text[max(0, start - 80) : start].casefold()
    for raw in context:
        word = raw.casefold()
        if " " in word:
            if word in window:
                return True
        elif any(w == word or (len(word) >= 4 and w.startswith(word)) for w in words):
            return True
    return False


def boost_with_context(text: str, score: float, start: int, end: int, context: Sequence[str]) -> float:
    """presidio's context rule: a nearby context word adds 0.35 (and lifts to at least 0.4)."""
    if has_context(text, start, end, context):
        return min(1.0, max(score + CONTEXT_FACTOR, MIN_SCORE_WITH_CONTEXT))
    return score
