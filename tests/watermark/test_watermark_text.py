"""Green-list text watermark: processor with greedy / sampling / beam search, detector, validation."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from raikit.errors import InputError  # noqa: E402
from raikit.watermark import TextWatermark, key_id  # noqa: E402
from raikit.watermark._text_green import context_seed, green_mask, is_green  # noqa: E402

KEY = "text-key-0001"


def green_fraction(wm: TextWatermark, ids: list[int]) -> float:
    """Fraction of generated tokens that are green (every position, repeats included)."""
    key = wm._key
    seeds = np.array([context_seed(key, (ids[i - 1],)) for i in range(1, len(ids))], dtype=np.uint64)
    return float(is_green(seeds, np.array(ids[1:], dtype=np.uint64), wm.gamma).mean())


def generate(model, tok, wm: TextWatermark | None, *, batch: int = 3, new: int = 60, seed: int = 0, **kwargs):
    torch.manual_seed(seed)
    prompt = torch.randint(0, 299, (batch, 4))
    processors = [wm.logits_processor()] if wm is not None else None
    out = model.generate(
        prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=new, min_new_tokens=new,
        logits_processor=processors, pad_token_id=tok.pad_token_id, **kwargs,
    )
    return [row[3:].tolist() for row in out]  # last prompt token gives the first context


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param({"do_sample": False}, id="greedy"),
        pytest.param({"do_sample": True, "temperature": 1.0, "top_k": 0}, id="sampling"),
        pytest.param({"do_sample": False, "num_beams": 3}, id="beam"),
    ],
)
def test_processor_biases_generation(tiny_lm, mode) -> None:
    model, tok = tiny_lm
    wm = TextWatermark(key=KEY, tokenizer=tok, scheme="green", gamma=0.25, delta=8.0)
    marked = generate(model, tok, wm, batch=6, **mode)
    plain = generate(model, tok, None, batch=6, **mode)
    assert len(marked) == 6  # batched
    assert marked != plain
    for ids in marked:
        assert green_fraction(wm, ids) > 0.8
    # a random model left alone picks green tokens about gamma of the time (greedy loops
    # make single rows noisy, so compare averages)
    assert np.mean([green_fraction(wm, ids) for ids in plain]) < 0.6


def test_detector_separates_marked_from_unmarked(tiny_lm) -> None:
    model, tok = tiny_lm
    wm = TextWatermark(key=KEY, tokenizer=tok, scheme="green", delta=4.0)
    marked = generate(model, tok, wm, do_sample=True, top_k=0, new=80, seed=1)
    plain = generate(model, tok, None, do_sample=True, top_k=0, new=80, seed=1)
    for ids in marked:
        result = wm.detect(tok.decode(ids))
        assert result.found and result.z_score >= 4 and result.p_value < 1e-4 and not result.too_short
        assert result.reason is None and result.scheme == "green"
        assert result.key_id == key_id(KEY)
    for ids in plain:
        result = wm.detect(tok.decode(ids))
        assert not result.found and result.reason == "no_signal" and "key id" in result.message


def test_wrong_key_detects_nothing(tiny_lm) -> None:
    model, tok = tiny_lm
    wm = TextWatermark(key=KEY, tokenizer=tok, scheme="green", delta=4.0)
    other = TextWatermark(key="a-different-key", tokenizer=tok, scheme="green", delta=4.0)
    for ids in generate(model, tok, wm, do_sample=True, top_k=0, new=80, seed=2):
        assert not other.detect(tok.decode(ids)).found


def test_too_short_text(tiny_lm) -> None:
    _, tok = tiny_lm
    wm = TextWatermark(key=KEY, tokenizer=tok, scheme="green", min_tokens=25)
    result = wm.detect(" ".join(f"w{i}" for i in range(10)))
    assert result.too_short and not result.found and result.scored_tokens == 9
    assert result.reason == "too_short" and "9 scored tokens, 25 needed" in result.message
    assert wm.detect("").too_short


def test_repeated_pairs_do_not_inflate_z(tiny_lm) -> None:
    _, tok = tiny_lm
    wm = TextWatermark(key=KEY, tokenizer=tok, scheme="green", min_tokens=5)
    # find a green pair (a -> b) and (b -> a), then repeat "a b" many times
    mask = {a: green_mask(wm._key, (a,), 299, wm.gamma) for a in range(299)}
    a, b = next((a, b) for a in range(299) for b in range(299) if a != b and mask[a][b] and mask[b][a])
    text = " ".join([f"w{a} w{b}"] * 200)
    result = wm.detect(text)
    assert result.scored_tokens == 2 and not result.found
    # a marked-looking text repeated three times scores the same pairs plus the joins
    words = [f"w{i}" for i in range(40)]
    once = wm.detect(" ".join(words))
    thrice = wm.detect(" ".join(words * 3))
    assert thrice.scored_tokens == once.scored_tokens + 1
    assert abs(thrice.p_value - once.p_value) < 0.2


def test_bias_is_delta_after_temperature() -> None:
    wm = TextWatermark(key=KEY, tokenizer=lambda text: {"input_ids": []}, scheme="green", delta=2.0, gamma=0.5)
    ids = torch.tensor([[5, 17]])
    scores = torch.randn(1, 300)
    out = wm.logits_processor(temperature=0.5)(ids, scores)
    mask = torch.from_numpy(green_mask(wm._key, (17,), 300, 0.5))
    # generate divides by the temperature after the processor: the bias is then exactly delta
    assert torch.allclose(out / 0.5, scores / 0.5 + 2.0 * mask.float())


@pytest.mark.parametrize("vocab", [300, 9000])  # precomputed table / per-context cache
def test_processor_does_not_mutate_scores_and_adds_delta_on_green(vocab: int) -> None:
    wm = TextWatermark(key=KEY, tokenizer=lambda text: {"input_ids": []}, scheme="green", delta=3.0, gamma=0.5)
    proc = wm.logits_processor()
    ids = torch.tensor([[5, 17], [9, 17], [3, 250]])
    scores = torch.randn(3, vocab)
    scores[0, 0] = float("-inf")
    before = scores.clone()
    out = proc(ids, scores)
    assert torch.equal(scores, before) and out is not scores
    for row, ctx in enumerate([17, 17, 250]):
        mask = torch.from_numpy(green_mask(wm._key, (ctx,), vocab, 0.5))
        expected = before[row] + 3.0 * mask.float()
        assert torch.equal(out[row], expected)
    assert len(proc._device_tables) == (1 if vocab == 300 else 0)
    assert len(proc._cache) == (0 if vocab == 300 else 2)  # one cached mask per distinct context


def test_processor_batch_matches_single_rows() -> None:
    wm = TextWatermark(key=KEY, tokenizer=lambda text: {"input_ids": []}, scheme="green", context_width=2)
    proc = wm.logits_processor()
    ids = torch.randint(0, 100, (4, 6))
    scores = torch.randn(4, 100, dtype=torch.float64)
    batched = proc(ids, scores)
    single = torch.cat([proc(ids[i : i + 1], scores[i : i + 1]) for i in range(4)])
    assert torch.equal(batched, single) and batched.dtype == torch.float64


def test_green_fraction_is_gamma_on_average() -> None:
    key = b"k" * 16
    fractions = [green_mask(key, (c,), 5000, 0.25).mean() for c in range(50)]
    assert abs(np.mean(fractions) - 0.25) < 0.01
    assert len({green_mask(key, (c,), 5000, 0.25).tobytes() for c in range(5)}) == 5


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"gamma": 0.0}, "gamma"),
        ({"gamma": 1.5}, "gamma"),
        ({"gamma": "0.25"}, "gamma"),
        ({"delta": -1.0}, "delta"),
        ({"delta": float("inf")}, "delta"),
        ({"context_width": 0}, "context_width"),
        ({"context_width": 1.5}, "context_width"),
        ({"min_tokens": 0}, "min_tokens"),
        ({"p_threshold": 0.0}, "p_threshold"),
        ({"p_threshold": 2}, "p_threshold"),
        ({"scheme": "kgw"}, "scheme"),
        ({"tokenizer": None}, "tokenizer"),
        ({"key": ""}, "key"),
    ],
)
def test_constructor_validation_names_argument_and_value(kwargs, name) -> None:
    args = {"key": KEY, "tokenizer": lambda text: {"input_ids": []}}
    args.update(kwargs)
    with pytest.raises(InputError) as err:
        TextWatermark(**args)
    message = str(err.value)
    assert name in message
    if name not in ("tokenizer", "key"):
        assert repr(next(iter(kwargs.values()))) in message


def test_detect_rejects_non_text() -> None:
    wm = TextWatermark(key=KEY, tokenizer=lambda text: {"input_ids": []})
    with pytest.raises(InputError, match="str"):
        wm.detect([1, 2, 3])  # type: ignore[arg-type]
