"""Synthetic PII text for training and testing: Faker values poured into templates.

Templates are strings with ``{{ENTITY}}`` placeholders. Every generated sentence comes with
the character spans of the values put in, so a NER can be trained on it and a detector
scored against it. Faker is imported lazily (it is a training/benchmark tool, not a runtime
dependency).

Example:
    >>> gen = SynthGenerator(seed=0)
    >>> text, spans = gen.fill("Call {{PERSON}} on {{PHONE_NUMBER}}.")
    >>> [label for _, _, label in spans]
    ['PERSON', 'PHONE_NUMBER']
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from typing import Any

Span = tuple[int, int, str]

LOCALES: tuple[str, ...] = (
    "en_US", "en_GB", "en_CA", "en_AU", "en_IE", "de_DE", "de_AT", "de_CH", "fr_FR", "es_ES",
    "it_IT", "pl_PL", "cs_CZ", "hu_HU", "fi_FI", "sv_SE", "nl_NL", "pt_BR", "pt_PT", "da_DK",
    "no_NO", "sl_SI", "tr_TR", "ro_RO", "hr_HR", "sk_SK", "et_EE", "lv_LV", "lt_LT", "en_IN",
)

NATIONALITIES: tuple[str, ...] = (
    "American", "British", "English", "Scottish", "Welsh", "Irish", "Canadian", "Australian",
    "Mexican", "Brazilian", "Argentinian", "Chilean", "Colombian", "Peruvian", "Ecuadorean",
    "German", "French", "Spanish", "Italian", "Portuguese", "Dutch", "Belgian", "Swiss",
    "Austrian", "Polish", "Czech", "Slovak", "Hungarian", "Romanian", "Bulgarian", "Greek",
    "Turkish", "Russian", "Ukrainian", "Belarusian", "Lithuanian", "Latvian", "Estonian",
    "Finnish", "Swedish", "Norwegian", "Danish", "Icelandic", "Greenlander", "Slovenian",
    "Croatian", "Serbian", "Bosnian", "Albanian", "Cypriot", "Maltese", "Moroccan", "Algerian",
    "Tunisian", "Egyptian", "Nigerian", "Kenyan", "Ethiopian", "Ghanaian", "South African",
    "Israeli", "Palestinian", "Lebanese", "Syrian", "Iraqi", "Iranian", "Saudi", "Emirati",
    "Afghan", "Pakistani", "Indian", "Bangladeshi", "Sri Lankan", "Nepalese", "Chinese",
    "Japanese", "Korean", "Vietnamese", "Thai", "Cambodian", "Filipino", "Indonesian",
    "Malaysian", "Singaporean", "New Zealander", "Jamaican", "Cuban", "Haitian", "Belizean",
    "Christian", "Catholic", "Protestant", "Muslim", "Jewish", "Hindu", "Buddhist", "Sikh",
    "Mormon", "Orthodox", "Sunni", "Shia", "Shiite", "Evangelical", "atheist",
    "Democrat", "Republican", "Conservative", "Labour", "Socialist", "Communist", "Liberal",
    "Green", "Libertarian", "Hispanic", "Latino", "Latina", "Asian", "African American",
    "Caucasian", "Arab", "Kurdish", "Roma", "Basque", "Catalan", "Flemish", "Québécois",
)
PREFIXES: tuple[str, ...] = (
    "Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Prof.", "Mr", "Mrs", "Ms", "Dr", "Sir", "Rev.",
)
RELATIVE_DATES: tuple[str, ...] = (
    "yesterday", "tomorrow", "last Monday", "next Friday", "this morning", "last night",
    "two weeks ago", "in March", "on Christmas Eve", "last year", "next month",
)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _driver_license(fake: Any, rng: random.Random) -> str:
    forms = (
        lambda: rng.choice("ABCDEFGHJKLMNPRSTUWY") + _digits(rng, rng.choice((7, 8, 12, 14))),
        lambda: _digits(rng, rng.choice((7, 8, 9))),
        lambda: f"{_digits(rng, 4)}-{_digits(rng, 2)}-{_digits(rng, 4)}",
        lambda: f"{rng.choice('ABCDEFGHJKLMNPRSTUWY')}{_digits(rng, 3)}-{_digits(rng, 4)}-{_digits(rng, 4)}",
    )
    return rng.choice(forms)()


def _date_time(fake: Any, rng: random.Random) -> str:
    d = fake.date_time_between(start_date="-90y", end_date="+2y")
    forms = (
        lambda: str(d.year),
        lambda: f"{d.month}/{d.day}/{d.year}",
        lambda: f"{d.day}/{d.month}/{d.year}",
        lambda: d.strftime("%Y-%m-%d"),
        lambda: d.strftime("%Y-%m-%d %H:%M:%S"),
        lambda: d.strftime("%d.%m.%Y"),
        lambda: d.strftime("%B %d, %Y").replace(" 0", " "),
        lambda: d.strftime("%d %B %Y").lstrip("0"),
        lambda: d.strftime("%b %d").replace(" 0", " "),
        lambda: d.strftime("%A"),
        lambda: d.strftime("%B %Y"),
        lambda: d.strftime("%B"),
        lambda: d.strftime("%H:%M"),
        lambda: d.strftime("%I:%M %p").lstrip("0"),
        lambda: d.strftime("%A, %B %d").replace(" 0", " "),
        lambda: f"the {d.year % 100 // 10 * 10}s" if rng.random() < 0.5 else f"the {d.year // 10 * 10}s",
        lambda: rng.choice(RELATIVE_DATES),
    )
    weights = (8, 5, 2, 3, 3, 2, 3, 2, 1, 3, 2, 1, 1, 1, 1, 1, 1)
    return rng.choices(forms, weights)[0]()


def _street_address(fake: Any, rng: random.Random) -> str:
    forms = (
        lambda: fake.street_address(),
        lambda: fake.address(),
        lambda: fake.address().replace("\n", ", "),
        lambda: f"{fake.street_address()}, {fake.city()}",
        lambda: f"{fake.street_address()}, {fake.city()}, {fake.country()} {fake.postcode()}",
        lambda: fake.street_name(),
        lambda: f"{fake.building_number()} {fake.street_name()}",
        lambda: rng.choice(("Apt. ", "Suite ", "Unit ", "Flat ")) + _digits(rng, rng.choice((2, 3))),
    )
    weights = (6, 4, 3, 3, 2, 2, 2, 1)
    return rng.choices(forms, weights)[0]()


def _gpe(fake: Any, rng: random.Random) -> str:
    forms = (
        lambda: fake.city(),
        lambda: fake.country(),
        lambda: fake.city().upper(),
        lambda: getattr(fake, "state", fake.city)(),
        lambda: getattr(fake, "state_abbr", fake.city)(),
    )
    return rng.choices(forms, (6, 4, 1, 1, 1))[0]()


def _title(fake: Any, rng: random.Random) -> str:
    if rng.random() < 0.55:
        return rng.choice(PREFIXES)
    job = fake.job()
    return job if rng.random() < 0.85 else job.lower()


def _phone(fake: Any, rng: random.Random) -> str:
    if rng.random() < 0.1:
        return f"+{rng.randint(1, 99)} {_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}"
    return fake.phone_number()


def _zip(fake: Any, rng: random.Random) -> str:
    return fake.postcode()


def _credit_card(fake: Any, rng: random.Random) -> str:
    number = fake.credit_card_number()
    r = rng.random()
    if r < 0.15 and len(number) == 16:
        return " ".join(number[i : i + 4] for i in range(0, 16, 4))
    if r < 0.25 and len(number) == 16:
        return "-".join(number[i : i + 4] for i in range(0, 16, 4))
    return number


def _domain(fake: Any, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.5:
        return fake.url()
    if r < 0.8:
        return fake.domain_name()
    return fake.url().rstrip("/") + "/" + fake.uri_path()


def _ip(fake: Any, rng: random.Random) -> str:
    return fake.ipv4() if rng.random() < 0.85 else fake.ipv6()


def _iban(fake: Any, rng: random.Random) -> str:
    iban = fake.iban()
    if rng.random() < 0.3:
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban


def _person(fake: Any, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.45:
        return f"{fake.first_name()} {fake.last_name()}"
    if r < 0.65:
        return fake.first_name()
    if r < 0.75:
        return fake.last_name()
    if r < 0.85:
        return f"{fake.first_name()} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {fake.last_name()}"
    return fake.name()


def _email(fake: Any, rng: random.Random) -> str:
    if rng.random() < 0.4:
        name = fake.first_name() + rng.choice(("", ".", "_")) + fake.last_name()
        name = name if rng.random() < 0.5 else name.lower()
        return f"{name}@{fake.free_email_domain()}"
    return fake.email()


VALUE_MAKERS: dict[str, Callable[[Any, random.Random], str]] = {
    "PERSON": _person,
    "STREET_ADDRESS": _street_address,
    "GPE": _gpe,
    "ORGANIZATION": lambda fake, rng: fake.company(),
    "CREDIT_CARD": _credit_card,
    "DATE_TIME": _date_time,
    "TITLE": _title,
    "PHONE_NUMBER": _phone,
    "AGE": lambda fake, rng: str(rng.choices((rng.randint(1, 17), rng.randint(18, 99)), (1, 5))[0]),
    "NRP": lambda fake, rng: (
        rng.choice(NATIONALITIES) if rng.random() < 0.85 else rng.choice(NATIONALITIES).lower()
    ),
    "EMAIL_ADDRESS": _email,
    "ZIP_CODE": _zip,
    "DOMAIN_NAME": _domain,
    "IBAN_CODE": _iban,
    "US_SSN": lambda fake, rng: fake.ssn() if rng.random() < 0.8 else fake.ssn().replace("-", " "),
    "IP_ADDRESS": _ip,
    "US_DRIVER_LICENSE": _driver_license,
}
ENTITY_TYPES: tuple[str, ...] = tuple(VALUE_MAKERS)
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
# Types whose values must come from an English-speaking locale (US SSN, US licence).
_US_ONLY = frozenset({"US_SSN", "US_DRIVER_LICENSE"})


class SynthGenerator:
    """Pours Faker values into ``{{ENTITY}}`` templates, with a fixed seed.

    Args:
        seed: Seeds Python's ``random`` and every Faker instance.
        locales: Faker locales to draw values from.

    Example:
        >>> SynthGenerator(seed=1).fill("{{AGE}}")[1][0][2]
        'AGE'
    """

    def __init__(self, seed: int = 0, locales: Sequence[str] = LOCALES) -> None:
        from faker import Faker

        self.rng = random.Random(seed)
        self.locales = tuple(locales)
        # English-speaking locales are drawn more often, as in the texts we scan.
        self.weights = tuple(6 if loc.startswith("en_") else 1 for loc in self.locales)
        self._fakers = {}
        for i, loc in enumerate(self.locales):
            fake = Faker(loc)
            fake.seed_instance(seed * 1000 + i)
            self._fakers[loc] = fake
        self._us = self._fakers.get("en_US") or Faker("en_US")

    def value(self, entity: str, locale: str | None = None) -> str:
        """One fresh value of ``entity`` (a type of :data:`ENTITY_TYPES`)."""
        if entity in _US_ONLY:
            fake = self._us
        else:
            fake = self._fakers[locale or self.rng.choices(self.locales, self.weights)[0]]
        try:
            return VALUE_MAKERS[entity](fake, self.rng)
        except AttributeError:  # a provider missing in this locale
            return VALUE_MAKERS[entity](self._us, self.rng)

    def fill(self, template: str) -> tuple[str, list[Span]]:
        """Fill every placeholder of ``template``; values in one sentence share a locale."""
        locale = self.rng.choices(self.locales, self.weights)[0]
        out: list[str] = []
        spans: list[Span] = []
        cursor = 0
        length = 0
        for match in _PLACEHOLDER.finditer(template):
            literal = template[cursor : match.start()]
            out.append(literal)
            length += len(literal)
            entity = match.group(1)
            value = self.value(entity, locale)
            out.append(value)
            spans.append((length, length + len(value), entity))
            length += len(value)
            cursor = match.end()
        out.append(template[cursor:])
        return "".join(out), spans

    def refill(self, text: str, spans: Sequence[Span]) -> tuple[str, list[Span]]:
        """Replace each labelled value of ``text`` by a fresh value of the same type."""
        locale = self.rng.choices(self.locales, self.weights)[0]
        return replace_spans(
            text, spans, lambda value, entity: self.value(entity, locale) if entity in VALUE_MAKERS else value
        )


def dev_split(
    rows: Sequence[dict[str, Any]], held_out: float = 0.3, seed: int = 0
) -> tuple[list[int], list[int]]:
    """Split rows of the presidio synth file by template, so held-out rows use unseen templates.

    Args:
        rows: The rows (each may carry ``template_id``; rows without one are split by index).
        held_out: Share of templates kept back.
        seed: Seed of the shuffle.

    Returns:
        ``(train_indices, held_out_indices)``.

    Example:
        >>> train, test = dev_split([{"template_id": i % 5} for i in range(10)], held_out=0.4)
        >>> len(test)
        4
    """
    groups = sorted({row.get("template_id", i) for i, row in enumerate(rows)}, key=str)
    random.Random(seed).shuffle(groups)
    kept = set(groups[: round(len(groups) * held_out)])
    train = [i for i, row in enumerate(rows) if row.get("template_id", i) not in kept]
    test = [i for i, row in enumerate(rows) if row.get("template_id", i) in kept]
    return train, test


EVASION_HOMOGLYPHS = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "A": "А", "E": "Е",
    "O": "О", "C": "С", "P": "Р", "T": "Т", "H": "Н", "K": "К", "M": "М", "B": "В",
}


def evade(text: str, spans: Sequence[Span], rng: random.Random) -> tuple[str, list[Span], list[str]]:
    """Apply one evasion to each labelled value (zero-width characters, Cyrillic homoglyphs or
    spaced-out digits) and move the spans; also returns the evasion kind of each span.

    Example:
        >>> text, spans, kinds = evade("call 555 now", [(5, 8, "PHONE_NUMBER")], random.Random(2))
        >>> len(spans) == len(kinds) == 1
        True
    """
    kinds: list[str] = []

    def evaded(value: str, entity: str) -> str:
        choices = ("zw", "homoglyph", "spaced") if any(c.isdigit() for c in value) else ("zw", "homoglyph")
        kind = rng.choice(choices)
        kinds.append(kind)
        if kind == "zw":
            chars = list(value)
            places = rng.sample(range(1, len(chars)), min(2, len(chars) - 1)) if len(chars) > 1 else []
            for i in sorted(places, reverse=True):
                chars.insert(i, rng.choice(("\u200b", "\u200c", "\u00ad")))
            return "".join(chars)
        if kind == "homoglyph":
            return "".join(EVASION_HOMOGLYPHS.get(c, c) if rng.random() < 0.5 else c for c in value)
        return re.sub(r"\d+", lambda m: " ".join(m.group(0)), value)

    new_text, new_spans = replace_spans(text, spans, evaded)
    return new_text, new_spans, kinds


def replace_spans(
    text: str, spans: Sequence[Span], new_value: Callable[[str, str], str]
) -> tuple[str, list[Span]]:
    """Replace each labelled value by ``new_value(value, entity)`` and move the spans to match.

    Overlapping spans after the first are left as they are (and dropped from the result).

    Example:
        >>> replace_spans("call 555 now", [(5, 8, "PHONE")], lambda v, e: "5 5 5")
        ('call 5 5 5 now', [(5, 10, 'PHONE')])
    """
    out: list[str] = []
    new: list[Span] = []
    cursor = length = 0
    for start, end, entity in sorted(spans):
        if start < cursor:
            continue
        out.append(text[cursor:start])
        length += start - cursor
        value = new_value(text[start:end], entity)
        out.append(value)
        new.append((length, length + len(value), entity))
        length += len(value)
        cursor = end
    out.append(text[cursor:])
    return "".join(out), new
