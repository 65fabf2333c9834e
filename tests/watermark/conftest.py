"""Fixtures for the watermark tests: a tiny random language model and its tokenizer."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# image distortions live with the benchmarks (not in the installed package)
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


@pytest.fixture(scope="session")
def tiny_lm():
    """A tiny random GPT-2 and a word-level fast tokenizer over the words w0..w{V-1}."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    tokenizers = pytest.importorskip("tokenizers")
    vocab_size = 300
    vocab = {f"w{i}": i for i in range(vocab_size - 1)}
    vocab["[UNK]"] = vocab_size - 1
    raw = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab, unk_token="[UNK]"))
    raw.pre_tokenizer = tokenizers.pre_tokenizers.WhitespaceSplit()
    raw.decoder = tokenizers.decoders.WordPiece(prefix="##", cleanup=False)
    tok = transformers.PreTrainedTokenizerFast(tokenizer_object=raw, unk_token="[UNK]", pad_token="[UNK]", eos_token="[UNK]")
    torch.manual_seed(0)
    cfg = transformers.GPT2Config(
        vocab_size=vocab_size, n_positions=256, n_embd=32, n_layer=2, n_head=2,
        bos_token_id=0, eos_token_id=vocab_size - 1, pad_token_id=vocab_size - 1,
    )
    model = transformers.GPT2LMHeadModel(cfg).eval()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny model: extra threads only add contention
    yield model, tok
    torch.set_num_threads(threads)
