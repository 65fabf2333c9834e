"""raikit's own written training cases (chat- and web-style prose of every category)."""

from __future__ import annotations

import re

from raikit.guardrails.harm import ANY, CATEGORIES
from training.harm.templates import functional_cases
from raikit.guardrails.harm._categories import HARM_CATEGORIES
from training.harm.templates import HELDOUT_GROUPS
from training.harm.written import written_cases


def test_written_cases_have_consistent_labels() -> None:
    cases = written_cases()
    assert cases == written_cases()  # deterministic
    assert len({c.text for c in cases}) == len(cases)
    for case in cases:
        assert set(case.labels) == {*CATEGORIES, ANY}
        assert case.labels["offensive"] is None  # not annotated, masked in training
        assert case.labels[ANY] == int(any(case.labels[c] for c in HARM_CATEGORIES))
        assert case.hateful == bool(case.labels["hate"])
        if case.labels["hate/threatening"]:
            assert case.labels["hate"] and case.labels["violence"]
        if case.labels["sexual/minors"]:
            assert case.labels["sexual"]
        if case.labels["violence/graphic"]:
            assert case.labels["violence"]


def test_written_cases_cover_every_category_and_harmless_lookalikes() -> None:
    cases = written_cases()
    for category in HARM_CATEGORIES:
        assert sum(c.labels[category] for c in cases) >= 10, category
    harmful = sum(c.labels[ANY] for c in cases)
    assert sum(c.labels[ANY] == 0 for c in cases) >= harmful * 0.6  # look-alikes, not only harm


def test_written_cases_never_use_heldout_groups_or_texts() -> None:
    cases = written_cases()
    texts = " ".join(c.text for c in cases)
    for plural, singular, _ in HELDOUT_GROUPS:
        for name in (plural, singular):
            assert not re.search(rf"\b{re.escape(name)}\b", texts), name
    assert not {c.text for c in cases} & {c.text for c in functional_cases("heldout")}
