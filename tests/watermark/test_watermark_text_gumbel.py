"""Exponential-minimum (gumbel) text watermark: exact sampling, detection, the window scan."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from raikit.errors import InputError  # noqa: E402
from raikit.watermark import TextWatermark  # noqa: E402
from raikit.watermark._text_gumbel import COLUMNS, ExponentialTable, context_entry, token_scores  # noqa: E402
from raikit.watermark._text_scan import scan  # noqa: E402

KEY = "gumbel-key-0001"
NO_TOKENIZER = {"tokenizer": lambda text: {"input_ids": []}}


def generate(model, tok, wm, *, batch=4, new=80, seed=0, temperature=1.0):
    torch.manual_seed(seed)
    prompt = torch.randint(0, 299, (batch, 4))
    procs = [wm.logits_processor(temperature=temperature)] if wm is not None else None
    out = model.generate(
        prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=new, min_new_tokens=new, do_sample=True,
        temperature=temperature, top_k=0, top_p=1.0, logits_processor=procs, pad_token_id=tok.pad_token_id,
    )
    return [row[4:].tolist() for row in out]


@pytest.mark.parametrize("temperature", [0.7, 1.0])
def test_sampler_is_exact_for_fresh_contexts(temperature) -> None:
    """Chosen tokens over many distinct contexts follow softmax(logits / T): no distortion."""
    wm = TextWatermark(key=KEY, context_width=2, **NO_TOKENIZER)
    proc = wm.logits_processor(temperature=temperature)
    torch.manual_seed(0)
    vocab, n = 40, 20_000
    logits = torch.randn(vocab) * 2
    ids = torch.randint(0, 10**6, (n, 2))
    out = proc(ids, logits.expand(n, vocab).clone())
    assert torch.isinf(out).sum(-1).eq(vocab - 1).all()  # one token left per row
    freq = torch.bincount(out.argmax(-1), minlength=vocab).double() / n
    p = torch.softmax(logits.double() / temperature, -1)
    assert 0.5 * (freq - p).abs().sum() < 0.02  # total variation; a biased sampler is far off


def test_repeated_context_is_left_to_the_sampler_and_scores_untouched() -> None:
    wm = TextWatermark(key=KEY, context_width=2, **NO_TOKENIZER)
    proc = wm.logits_processor()
    ids = torch.tensor([[7, 8, 9, 7, 8], [1, 2, 3, 4, 5]])
    scores = torch.randn(2, 50)
    before = scores.clone()
    out = proc(ids, scores)
    assert torch.equal(scores, before)
    assert torch.equal(out[0], before[0])  # context (7, 8) seen before: unchanged
    assert int(torch.isfinite(out[1]).sum()) == 1


def test_exponentials_match_between_torch_table_and_detector() -> None:
    key = b"k" * 16
    table = ExponentialTable(key).full().astype(np.float64)
    row, offset = context_entry(key, (3, 4))
    e = np.exp(table[row, (np.arange(300) + offset) % COLUMNS])
    scores = token_scores(key, [(row, offset)] * 300, list(range(300)))
    assert np.allclose(scores, -np.log(-np.expm1(-e)), rtol=1e-5)
    assert 0.85 < scores.mean() < 1.15  # Exp(1) on an unmarked choice
    assert 0.85 < e.mean() < 1.15 and e.min() > 0


def test_detects_marked_and_not_unmarked_or_other_key(tiny_lm) -> None:
    model, tok = tiny_lm
    wm = TextWatermark(key=KEY, tokenizer=tok)
    other = TextWatermark(key="another-key", tokenizer=tok)
    for ids in generate(model, tok, wm, seed=1):
        det = wm.detect(tok.decode(ids))
        assert det.found and det.p_value < 1e-4 and det.scheme == "gumbel" and det.reason is None
        assert not other.detect(tok.decode(ids)).found
    for ids in generate(model, tok, None, seed=1):
        det = wm.detect(tok.decode(ids))
        assert not det.found and det.reason == "no_signal"


def test_marked_passage_inside_human_text_is_found_with_its_span(tiny_lm) -> None:
    model, tok = tiny_lm
    wm = TextWatermark(key=KEY, tokenizer=tok)
    marked = generate(model, tok, wm, batch=1, new=80, seed=3)[0]
    rng = np.random.default_rng(0)
    before, after = rng.integers(0, 299, 600).tolist(), rng.integers(0, 299, 600).tolist()
    ids = before + marked + after
    text = tok.decode(ids)
    whole = wm.detect(text)
    assert whole.found and whole.windows_tested > 50
    start, end = whole.span_tokens
    overlap = min(end, 600 + len(marked)) - max(start, 600)
    assert overlap >= 0.6 * (end - start) and overlap >= 0.5 * len(marked)
    cs, ce = whole.span_chars
    assert 0 <= cs < ce <= len(text)
    # the same human text alone is not marked
    assert not wm.detect(tok.decode(before + after)).found


@pytest.mark.parametrize("kind", ["gamma", "binomial"])
def test_scan_p_value_is_corrected_for_the_windows(kind) -> None:
    """On unmarked scores the corrected p-value is (conservatively) uniform: FPR <= alpha."""
    rng = np.random.default_rng(1)
    alpha, trials, n = 0.05, 600, 400
    hits = raw_hits = 0
    for _ in range(trials):
        s = rng.exponential(1.0, n) if kind == "gamma" else (rng.random(n) < 0.25).astype(float)
        res = scan(s, kind=kind, gamma=0.25, min_tokens=25)
        hits += res.p_value <= alpha
        raw_hits += res.p_value / res.windows <= alpha  # the uncorrected minimum
    assert hits / trials <= alpha
    assert raw_hits / trials > 2 * alpha  # without the correction it would fail open


def test_processor_validation() -> None:
    wm = TextWatermark(key=KEY, **NO_TOKENIZER)
    for kwargs, name in (({"temperature": 0}, "temperature"), ({"top_k": -1}, "top_k"), ({"top_p": 0}, "top_p")):
        with pytest.raises(InputError, match=name):
            wm.logits_processor(**kwargs)


def test_from_settings_reads_the_policy() -> None:
    class Settings:
        scheme = "green"
        gamma = 0.5
        delta = 1.5

    wm = TextWatermark.from_settings(Settings(), key=KEY, **NO_TOKENIZER)
    assert (wm.scheme, wm.gamma, wm.delta, wm.context_width) == ("green", 0.5, 1.5, 1)


def test_processor_context_entries_match_the_detector() -> None:
    wm = TextWatermark(key=KEY, context_width=3, **NO_TOKENIZER)
    proc = wm.logits_processor()
    context = torch.tensor([[0, 1, 2], [4095, 17, 9], [70000, 5, 123456]])
    row, offset = proc._entries(context)
    expected = [context_entry(KEY.encode(), tuple(c)) for c in context.tolist()]
    assert list(zip(row.tolist(), offset.tolist(), strict=True)) == expected
    assert len(set(expected)) == 3  # different contexts, different entries


def test_vocabulary_beyond_the_table_is_a_clear_error() -> None:
    from raikit.errors import InputError

    proc = TextWatermark(key=KEY, context_width=1, **NO_TOKENIZER).logits_processor()
    with pytest.raises(InputError, match="green"):
        proc(torch.tensor([[1, 2]]), torch.zeros(1, COLUMNS + 1))
