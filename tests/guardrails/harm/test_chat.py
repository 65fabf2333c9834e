from __future__ import annotations

import re

from raikit.guardrails.harm import ANY, CATEGORIES, functional_cases
from raikit.guardrails.harm._categories import HARM_CATEGORIES
from raikit.guardrails.harm._chat import chat_cases
from raikit.guardrails.harm._templates import HELDOUT_GROUPS


def test_chat_cases_have_consistent_labels() -> None:
    cases = chat_cases()
    assert cases == chat_cases()  # deterministic
    for case in cases:
        assert set(case.labels) == {*CATEGORIES, ANY}
        assert case.labels["offensive"] is None  # not annotated, masked in training
        assert case.labels[ANY] == int(any(case.labels[c] for c in HARM_CATEGORIES))
        assert case.hateful == bool(case.labels["hate"])
        if case.labels["hate/threatening"]:
            assert case.labels["hate"] and case.labels["violence"]
        if case.labels["sexual/minors"]:
            assert case.labels["sexual"]


def test_chat_cases_cover_moderation_categories_and_harmless_lookalikes() -> None:
    cases = chat_cases()
    for category in ("violence", "violence/graphic", "self-harm", "harassment", "hate/threatening", "sexual"):
        assert sum(c.labels[category] for c in cases) >= 3, category
    assert sum(c.labels[ANY] == 0 for c in cases) >= 20


def test_chat_cases_never_use_heldout_groups_or_texts() -> None:
    cases = chat_cases()
    texts = " ".join(c.text for c in cases)
    for plural, singular, _ in HELDOUT_GROUPS:
        for name in (plural, singular):
            assert not re.search(rf"\b{re.escape(name)}\b", texts), name
    assert not {c.text for c in cases} & {c.text for c in functional_cases("heldout")}
