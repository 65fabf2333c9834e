"""The bundled NER's tagger head: constrained BILUO decoding and the decoder it replaces."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from raikit.guardrails.pii._tagger import TAGGER_FILE, context_features, tag_index, viterbi


def _valid(tags: tuple[int, ...]) -> bool:
    inside = -1  # label of the open entity, -1 when outside
    for tag in tags:
        label, part = (tag - 1) // 4, "BILU"[(tag - 1) % 4] if tag else "O"
        if inside >= 0:
            if part not in "IL" or label != inside:
                return False
            inside = -1 if part == "L" else inside
        elif part in "IL":
            return False
        elif part == "B":
            inside = label
    return inside < 0


def _spans(tags: tuple[int, ...]) -> list[tuple[int, int, int]]:
    out, start = [], 0
    for t, tag in enumerate(tags):
        if not tag:
            continue
        label, part = (tag - 1) // 4, "BILU"[(tag - 1) % 4]
        if part == "U":
            out.append((t, t + 1, label))
        elif part == "B":
            start = t
        elif part == "L":
            out.append((start, t + 1, label))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_viterbi_finds_the_best_valid_sequence(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, n_labels = int(rng.integers(1, 5)), 2
    log_probs = rng.normal(size=(n, 1 + 4 * n_labels)) * 3
    best = max((t for t in itertools.product(range(1 + 4 * n_labels), repeat=n) if _valid(t)),
               key=lambda t: sum(log_probs[i, tag] for i, tag in enumerate(t)))
    assert viterbi(log_probs) == _spans(best)


def test_viterbi_never_leaves_an_entity_open() -> None:
    # Greedy per-token choice would be B-0 at the end of the text; a valid sequence cannot end there.
    log_probs = np.log(np.full((2, 5), 0.01))
    log_probs[0, tag_index(0, "U")] = np.log(0.6)
    log_probs[1, tag_index(0, "B")] = np.log(0.9)
    log_probs[1, 0] = np.log(0.05)
    assert viterbi(log_probs) == [(0, 1, 0)]


def test_viterbi_reads_multi_token_entities() -> None:
    log_probs = np.log(np.full((4, 9), 0.01))
    for t, tag in enumerate((0, tag_index(1, "B"), tag_index(1, "I"), tag_index(1, "L"))):
        log_probs[t, tag] = 0.0
    assert viterbi(log_probs) == [(1, 4, 1)]


def test_context_features_pad_both_ends() -> None:
    vecs = np.arange(6, dtype=np.float32).reshape(3, 2)
    feats = context_features(vecs)
    assert feats.shape == (3, 6)
    assert feats[0].tolist() == [0, 0, 0, 1, 2, 3]
    assert feats[2].tolist() == [2, 3, 4, 5, 0, 0]


def test_bundled_model_uses_its_tagger_head_and_finds_entities() -> None:
    pytest.importorskip("spacy")
    from raikit.guardrails.pii._ner import BUNDLED_PATH, load_ner

    assert (BUNDLED_PATH / TAGGER_FILE).is_file(), "rebuild: python scripts/train_pii_ner.py --tagger-only"
    ner = load_ner("raikit")
    assert ner.describe()["model_decoder"] == "tagger head"
    text = "Please email Maria Gonzalez at maria.gonzalez@example.com about the Berlin office."
    found = {(text[e.start:e.end], e.type) for e in ner.predict([text])[0]}
    assert ("Maria Gonzalez", "PERSON") in found
    assert ("maria.gonzalez@example.com", "EMAIL_ADDRESS") in found
    assert ner.predict(["What is the capital of France?", ""])[1] == []


def test_a_model_without_a_head_keeps_spacys_decoder() -> None:
    pytest.importorskip("spacy")
    from raikit.guardrails.pii._ner import load_ner

    assert load_ner("raikit-de").describe()["model_decoder"] == "transition"


def test_malformed_head_weights_name_the_file_and_what_is_wrong() -> None:
    spacy = pytest.importorskip("spacy")
    from raikit.guardrails.pii._ner import BUNDLED_PATH
    from raikit.guardrails.pii._tagger import TaggedNer

    nlp = spacy.load(BUNDLED_PATH)
    with pytest.raises(ValueError, match=f"{TAGGER_FILE}: missing arrays w2, b2"):
        TaggedNer(nlp, {"w1": np.zeros((192, 4)), "b1": np.zeros(4), "labels": np.array(["PERSON"])})
    bad = {"w1": np.zeros((192, 4)), "b1": np.zeros(4), "w2": np.zeros((4, 9)), "b2": np.zeros(9),
           "labels": np.array(["PERSON"])}
    with pytest.raises(ValueError, match="do not fit 1 labels"):
        TaggedNer(nlp, bad)
