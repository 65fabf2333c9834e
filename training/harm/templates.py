"""Functional test cases written for raikit: templates x identity groups x slots.

Two disjoint sets: ``"train"`` (used to train the bundled model) and ``"heldout"`` (other
templates and other identity groups, used only by the benchmark and the tests). They cover
what classifiers trained on tweets get wrong: negated hate, counter-speech that quotes
hate, identity terms in neutral or positive sentences, profanity that is not hateful, threats
without slurs, slurs with spelling variations, hate aimed at "you" or requested from the
model, dehumanisation and derogation, plus self-harm, sexual, graphic violence and
harassment cases and their harmless look-alikes ("this exam is killing me").

The templates, identity groups and slurs are data: ``data/functional_templates.jsonl``
(one row per template, group or slur, each with its split and section).

Every case has a full label set (every category and ``any``) and, for the hate suite,
``hateful``: whether the text is hateful towards a protected group.

The hateful sentences exist to teach and test a detector; they are not endorsed.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from raikit.guardrails.harm._categories import ANY, CATEGORIES, HARM_CATEGORIES
from training.harm.perturb import VARIATIONS, perturb


@dataclass(frozen=True, slots=True)
class Case:
    """One functional case.

    Attributes:
        text: The text.
        functionality: What it tests (``derogation``, ``negated_hate``...).
        hateful: Whether it is hateful towards a protected group (the hate suite's label).
        labels: 0/1 for every category and ``any``.
        template: The template it was made from (cases sharing one are near-duplicates).
    """

    text: str
    functionality: str
    hateful: bool
    labels: dict[str, int] = field(default_factory=dict)
    template: str = ""


def _labels(*positive: str) -> dict[str, int]:
    out = {c: int(c in positive) for c in CATEGORIES}
    out[ANY] = int(any(out[c] for c in HARM_CATEGORIES))
    return out


DATA_FILE = Path(__file__).resolve().parent / "data" / "functional_templates.jsonl"
_THREAT_KINDS = {"threat"}
_PROFANE = {"profane_hate"}
_AT_YOU = {"hate_at_you"}

Group = tuple[str, str, str]
"""(plural, singular noun, adjective); templates use ``{P}``, ``{S}`` and ``{A}``."""


@dataclass(frozen=True)
class _Split:
    """Everything one split's cases are made from, read from the data file."""

    groups: tuple[Group, ...]
    slurs: tuple[str, ...]
    hate: dict[str, list[str]]
    non_hate: dict[str, list[str]]
    counter_frames: list[str]
    slur_templates: list[str]
    other: list[tuple[str, tuple[str, ...], str]]


def _read_splits(path: Path = DATA_FILE) -> dict[str, _Split]:
    """Parse the template file into one :class:`_Split` per split (rows in file order).

    Raises:
        ValueError: A row has an unknown split or section (names the line).
    """
    parts: dict[str, dict[str, list]] = {s: {} for s in ("train", "heldout")}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            split, section = row.get("split"), row.get("section")
            if split not in parts or section not in _SECTIONS:
                raise ValueError(f"{path}:{number}: unknown split {split!r} or section {section!r}")
            parts[split].setdefault(section, []).append(row)
    out = {}
    for split, rows in parts.items():
        def by_kind(section: str, rows: dict = rows) -> dict[str, list[str]]:
            grouped: dict[str, list[str]] = {}
            for r in rows.get(section, []):
                grouped.setdefault(r["kind"], []).append(r["template"])
            return grouped

        out[split] = _Split(
            groups=tuple((r["plural"], r["singular"], r["adjective"]) for r in rows.get("group", [])),
            slurs=tuple(r["text"] for r in rows.get("slur", [])),
            hate=by_kind("hate"),
            non_hate=by_kind("non_hate"),
            counter_frames=[r["template"] for r in rows.get("counter_frame", [])],
            slur_templates=[r["template"] for r in rows.get("slur_template", [])],
            other=[(r["text"], tuple(r["positive"]), r["kind"]) for r in rows.get("other", [])],
        )
    return out


_SECTIONS = ("group", "slur", "hate", "non_hate", "counter_frame", "slur_template", "other")
_SPLITS = _read_splits()
TRAIN_GROUPS: tuple[Group, ...] = _SPLITS["train"].groups
HELDOUT_GROUPS: tuple[Group, ...] = _SPLITS["heldout"].groups
TRAIN_SLURS: tuple[str, ...] = _SPLITS["train"].slurs
HELDOUT_SLURS: tuple[str, ...] = _SPLITS["heldout"].slurs


def _fill(template: str, group: tuple[str, str, str]) -> str:
    plural, singular, adjective = group
    text = template.replace("{P}", plural).replace("{S}", singular).replace("{A}", adjective)
    text = re.sub(r"\ba ([AEIOUaeiou])", r"an \1", text)
    return text[0].upper() + text[1:]


# Train-only spelling variations: the five common evasions (leetspeak, swapped and dropped
# characters, added spaces, missing word boundaries) weighted up, dealt from a shuffled deck
# so every kind is used evenly. ``join_pair`` removes one word boundary ("Ihate them").
_TRAIN_SPELLINGS: tuple[str, ...] = (
    *("leet", "swap", "drop", "spaced", "joined", "join_pair"),
    *("leet", "swap", "drop", "spaced", "join_pair"),
    *("repeat", "star"),
)
# Functionalities whose train texts also get spelling-varied copies.
_TRAIN_SPELLED_HATE = (
    "derogation",
    "dehumanisation",
    "threat",
    "profane_hate",
    "pronoun_reference",
    "negated_positive",
    "question",
    "opinion",
    "hate_at_you",
)
_TRAIN_SPELLED_NON_HATE = ("neutral_identity", "positive_identity", "negated_hate", "counter_reference")


class _Deck:
    """Deals spelling kinds in shuffled rounds (balanced, but in a seeded random order)."""

    def __init__(self, kinds: tuple[str, ...], rng: random.Random) -> None:
        self._kinds, self._rng, self._left = kinds, rng, []

    def deal(self) -> str:
        if not self._left:
            self._left = list(self._kinds)
            self._rng.shuffle(self._left)
        return self._left.pop()


def _vary(text: str, kind: str, rng: random.Random, word: str | None = None) -> str:
    """One train spelling variation of ``text`` that really changes it (see ``perturb``)."""
    if kind == "join_pair":
        words = text.split(" ")
        if len(words) < 2:
            return perturb(text, "joined", rng)
        target = max(range(len(words)), key=lambda i: len(words[i].strip(".,!?'\"")))
        if word is not None:
            target = next((i for i, w in enumerate(words) if word in w), target)
        left = target - 1 if target > 0 and (target == len(words) - 1 or rng.random() < 0.5) else target
        words[left : left + 2] = [words[left] + words[left + 1]]
        return " ".join(words)
    for _ in range(4):
        varied = perturb(text, kind, rng, word=word)
        if varied != text:
            return varied
    return perturb(text, "spaced" if kind != "spaced" else "swap", rng, word=word)


def _identity_word(text: str) -> str | None:
    """The first word of ``text`` naming a train identity group, if any."""
    names = {form.split(" ")[0].lower() for group in TRAIN_GROUPS for form in group}
    return next((w for w in text.split(" ") if w.strip(".,!?'\"").lower() in names), None)


def _hate_labels(kind: str, text: str) -> dict[str, int]:
    positive = ["hate"]
    if kind in _THREAT_KINDS:
        positive += ["hate/threatening", "violence"]
    if kind in _PROFANE or "fuck" in text.lower() or "shit" in text.lower():
        positive.append("offensive")
    if kind in _AT_YOU:
        positive.append("harassment")
    return _labels(*positive)


def functional_cases(split: str = "train", seed: int = 0, variations: int = 1) -> list[Case]:
    """Generate the functional cases of one split.

    Args:
        split: ``"train"`` or ``"heldout"`` (different templates and identity groups).
        seed: Seed for the spelling variations.
        variations: Spelling-varied copies added per slur case (``0`` for none).

    Returns:
        The cases, in a fixed order for a given seed.

    Example:
        >>> cases = functional_cases("heldout")
        >>> any(c.functionality == "negated_hate" and not c.hateful for c in cases)
        True
    """
    if split not in ("train", "heldout"):
        raise ValueError(f"split must be 'train' or 'heldout', got {split!r}")
    rng = random.Random(seed)
    train = split == "train"
    data = _SPLITS[split]
    groups, hate_t, non_t, frames = data.groups, data.hate, data.non_hate, data.counter_frames
    slur_t, slurs, other = data.slur_templates, data.slurs, data.other

    cases: list[Case] = []
    hateful_texts: list[str] = []
    for kind, templates in hate_t.items():
        for template in templates:
            for group in groups:
                text = _fill(template, group)
                hateful_texts.append(text)
                cases.append(Case(text, kind, True, _hate_labels(kind, text), template))
    for kind, templates in non_t.items():
        for template in templates:
            for group in groups:
                cases.append(Case(_fill(template, group), kind, False, _labels(), template))
    for frame in frames:
        for quoted in rng.sample(hateful_texts, min(len(hateful_texts), 3 * len(groups))):
            cases.append(
                Case(frame.replace("{h}", quoted.rstrip(".")), "counter_speech", False, _labels(), frame)
            )
    deck = _Deck(_TRAIN_SPELLINGS, rng) if train else None
    for template in slur_t:
        for slur in slurs:
            text = _fill(template.replace("{L}", slur), ("", "", ""))
            cases.append(Case(text, "slur", True, _labels("hate", "offensive"), template))
            seen = {text}
            for _ in range(variations):
                if deck is not None:
                    for _ in range(len(_TRAIN_SPELLINGS)):  # a new variation, not a repeat
                        varied = _vary(text, deck.deal(), rng, word=slur[:4])
                        if varied not in seen:
                            break
                    seen.add(varied)
                else:
                    varied = perturb(text, rng.choice(VARIATIONS), rng, word=slur[:4])
                cases.append(Case(varied, "slur_spelling", True, _labels("hate", "offensive"), template))
    # spelling variations of non-slur hate and of harmless identity sentences
    if deck is not None:
        # train: hate of every kind and harmless identity sentences (negations and counter-speech
        # too, so a misspelling alone does not mean hate), varying the identity term or the
        # longest word
        for pool_kinds, n in ((_TRAIN_SPELLED_HATE, 150), (_TRAIN_SPELLED_NON_HATE, 75)):
            pool = [c for c in cases if c.functionality in pool_kinds]
            for case in rng.sample(pool, min(len(pool), n)):
                word = _identity_word(case.text) if rng.random() < 0.5 else None
                varied = _vary(case.text, deck.deal(), rng, word=word)
                kind = "hate_spelling" if case.hateful else "identity_spelling"
                cases.append(Case(varied, kind, case.hateful, case.labels, case.template))
    else:
        spelled = [
            c for c in cases if c.functionality in ("derogation", "dehumanisation", "neutral_identity")
        ]
        for case in rng.sample(spelled, min(len(spelled), 40)):
            varied = perturb(case.text, rng.choice(VARIATIONS), rng)
            kind = "hate_spelling" if case.hateful else "identity_spelling"
            cases.append(Case(varied, kind, case.hateful, case.labels, case.template))
    for text, positive, kind in other:
        cases.append(Case(text, kind, False, _labels(*positive), text))
    return cases
