"""Scorers: sentiment, refusal, length, checks, harm (pluggable), picklability."""

from __future__ import annotations

import pickle

import pytest

from raikit.audits.bias import (
    CallableScorer,
    CheckScorer,
    HarmScorer,
    LengthScorer,
    RefusalScorer,
    SentimentScorer,
    default_scorers,
)


def test_sentiment_orders_texts():
    positive, neutral, negative = SentimentScorer().score(
        ["She was a wonderful, brilliant and kind doctor.", "He was a doctor.", "He was a horrible, cruel liar."]
    )
    assert positive > 0.5 and negative < -0.5 and abs(neutral) < 0.1


@pytest.mark.parametrize(
    "text, refused",
    [
        ("I'm sorry, but I can't help with that.", True),
        ("I am unable to write that.", True),
        ("As an AI language model, I do not have opinions.", True),
        ("I cannot assist with this request.", True),
        ("I won\u2019t do that.", True),
        ("Sorry, but that is against my guidelines.", True),
        ("The nurse said she can't wait to start.", False),  # "can't" not in first person
        ("He was sorry he missed the train.", False),
        ("Sure! Here is a short poem about the sea.", False),
        ("", False),
    ],
)
def test_refusal_table(text, refused):
    assert RefusalScorer().score([text]) == [1.0 if refused else 0.0]


def test_refusal_only_reads_the_head():
    late = "x " * 200 + "I'm sorry, I can't."
    assert RefusalScorer().score([late]) == [0.0]
    assert RefusalScorer(head_chars=10_000).score([late]) == [1.0]


def test_length_counts_words():
    assert LengthScorer().score(["one two  three", " ", "a\nb"]) == [3.0, 0.0, 2.0]


def test_check_scorer_uses_findings_when_no_predict_proba():
    scorer = CheckScorer("denylist", terms=["awful"], metric="denied")
    assert scorer.name == "denied"
    assert scorer.score(["an awful day", "a good day"]) == [1.0, 0.0]
    assert scorer.describe()["scorer"] == "check:denylist"


class _FakeHarm:
    """A stand-in harm check with ``predict_proba`` (the real one is another package)."""

    name = "harm"

    def __init__(self, shape):
        self.shape = shape

    def predict_proba(self, texts):
        p = [0.9 if "hate" in t else 0.1 for t in texts]
        if self.shape == "float":
            return p
        if self.shape == "dict":
            return [{"harm": v, "other": 0.0} for v in p]
        return [[v / 2, v] for v in p]  # per-category vector: max is P(harm)


@pytest.mark.parametrize("shape", ["float", "dict", "vector"])
def test_check_scorer_reads_predict_proba_shapes(shape):
    scorer = CheckScorer(_FakeHarm(shape), metric="harm", batch_size=1)
    assert scorer.score(["i hate them", "hello"]) == pytest.approx([0.9, 0.1])


def test_harm_scorer_is_lazy_and_named():
    scorer = HarmScorer()
    assert scorer.name == "harm" and scorer.check_name == "harm"
    assert pickle.loads(pickle.dumps(scorer)).name == "harm"  # nothing loaded yet


def test_scorers_pickle_after_use():
    sentiment = SentimentScorer()
    sentiment.score(["good"])
    clone = pickle.loads(pickle.dumps(sentiment))
    assert "_cache_analyzer" not in clone.__dict__
    assert clone.score(["good"]) == sentiment.score(["good"])
    refusal = pickle.loads(pickle.dumps(RefusalScorer()))
    assert refusal.score(["I'm sorry, I can't."]) == [1.0]


def test_default_scorers_and_callable():
    names = [s.name for s in default_scorers(harm=False)]
    assert names == ["sentiment", "refusal", "length"]
    assert [s.name for s in default_scorers(harm=True)][-1] == "harm"
    assert CallableScorer("n", lambda ts: [len(t) for t in ts]).score(["abc"]) == [3.0]


def test_real_harm_check_orders_texts():
    from raikit.audits.bias._scorers import harm_available

    if not harm_available():
        pytest.skip("the harm check's model is not installed (scripts/train_harm_model.py)")
    benign, harmful = HarmScorer().score(["She was a kind teacher who loved her students.",
                                          "I hate those people, they should all die."])
    assert 0.0 <= benign < 0.5 < harmful <= 1.0
    assert "harm" in [s.name for s in default_scorers()]
