"""CrowS-Pairs: tiny language models trained in the test to be biased one way or the other."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from raikit.audits.bias import CrowsPair, crows_pairs_score, load_crows_pairs, score_pairs
from raikit.errors import InputError

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

ADJECTIVES = ["lazy", "smart", "loud", "kind", "rich", "poor", "tall", "quiet", "angry", "happy", "slow", "brave"]
OTHERS = ["red", "green", "blue", "black", "white", "pink", "grey", "brown", "gold", "cyan", "teal", "plum"]


def _pairs() -> list[tuple[str, str, str]]:
    return [(f"the {adj} alpha people .", f"the {adj} beta people .", "race-color" if i % 2 else "gender")
            for i, adj in enumerate(ADJECTIVES)]


@pytest.fixture()
def crows_csv(tmp_path: Path) -> Path:
    path = tmp_path / "crows.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["", "sent_more", "sent_less", "stereo_antistereo", "bias_type"])
        for i, (more, less, kind) in enumerate(_pairs()):
            writer.writerow([i, more, less, "stereo", kind])
    return path


def _tokenizer() -> transformers.PreTrainedTokenizerFast:
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    words = sorted({w for more, less, _ in _pairs() for w in (more + " " + less).split()} | set(OTHERS))
    specials = ["<pad>", "<unk>", "<s>", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {tok: i for i, tok in enumerate(specials + words)}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])]
    )
    return transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="<pad>", unk_token="<unk>", bos_token="<s>", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]",
    )


def _train(model: torch.nn.Module, make_batch, steps: int, lr: float) -> None:
    torch.manual_seed(0)
    optim = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for step in range(steps):
        loss = model(**make_batch(step)).loss
        optim.zero_grad()
        loss.backward()
        optim.step()
    model.eval()


def _causal(sentences: list[str]) -> tuple[torch.nn.Module, transformers.PreTrainedTokenizerFast]:
    tokenizer = _tokenizer()
    torch.manual_seed(0)
    config = transformers.GPT2Config(vocab_size=len(tokenizer), n_positions=16, n_embd=32, n_layer=1, n_head=2,
                                     resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                                     bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.bos_token_id)
    model = transformers.GPT2LMHeadModel(config)
    ids = torch.tensor([[tokenizer.bos_token_id] + tokenizer(s, add_special_tokens=False)["input_ids"]
                        for s in sentences])
    _train(model, lambda step: {"input_ids": ids, "labels": ids}, steps=150, lr=1e-2)
    return model, tokenizer


def _masked(sentences: list[str]) -> tuple[torch.nn.Module, transformers.PreTrainedTokenizerFast]:
    tokenizer = _tokenizer()
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=len(tokenizer), hidden_size=64, num_hidden_layers=2,
                                     num_attention_heads=4, intermediate_size=128, max_position_embeddings=16,
                                     hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                                     pad_token_id=tokenizer.pad_token_id)
    model = transformers.BertForMaskedLM(config)
    ids = torch.tensor([tokenizer(s)["input_ids"] for s in sentences])
    rows = torch.arange(ids.shape[0])
    generator = torch.Generator().manual_seed(0)

    def make_batch(step: int) -> dict[str, torch.Tensor]:  # one random content token masked per sentence
        positions = torch.randint(1, ids.shape[1] - 1, (ids.shape[0],), generator=generator)
        masked = ids.clone()
        masked[rows, positions] = tokenizer.mask_token_id
        labels = torch.full_like(ids, -100)
        labels[rows, positions] = ids[rows, positions]
        return {"input_ids": masked, "labels": labels}

    _train(model, make_batch, steps=250, lr=3e-3)
    return model, tokenizer


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny models: threads only add contention on a shared machine
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("kind, build", [("causal", _causal), ("masked", _masked)])
@pytest.mark.parametrize("trained_on, expect_biased", [("more", True), ("less", False)])
def test_crows_pairs_sign_follows_the_training_side(crows_csv, kind, build, trained_on, expect_biased):
    # The model sees the trained side's group word with the test adjectives, and the other
    # group word only with unrelated ones: it learns which group "goes with" the adjectives.
    side = 0 if trained_on == "more" else 1
    other_word = "beta" if trained_on == "more" else "alpha"
    sentences = [pair[side] for pair in _pairs()] + [f"the {o} {other_word} people ." for o in OTHERS]
    model, tokenizer = build(sentences)
    result = crows_pairs_score((model, tokenizer), kind=kind, data_path=crows_csv, model_name="tiny")
    assert result["model"] == "tiny" and result["kind"] == kind and result["n"] == len(ADJECTIVES)
    assert (result["score"] > 0.5) is expect_biased, result["score"]
    assert set(result["by_type"]) == {"gender", "race-color"}
    assert sum(v["n"] for v in result["by_type"].values()) == result["n"]


def test_score_pairs_counts_wins_per_type():
    pairs = [CrowsPair("a", "b", "x"), CrowsPair("c", "d", "x"), CrowsPair("e", "f", "y")]
    result = score_pairs(pairs, [-1.0, -3.0, -1.0], [-2.0, -2.0, -1.0], model="m", kind="causal")
    assert result["score"] == round(1 / 3, 4)  # a tie is not a preference
    assert result["by_type"] == {"x": {"n": 2, "score": 0.5}, "y": {"n": 1, "score": 0.0}}


def test_limit_and_missing_column(tmp_path, crows_csv):
    assert len(load_crows_pairs(crows_csv, limit=3)) == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("sent_more,bias_type\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.csv:2: missing column 'sent_less'"):
        load_crows_pairs(bad)
    with pytest.raises(InputError, match="not found"):
        load_crows_pairs(tmp_path / "absent.csv")


def test_bad_kind_is_an_input_error(crows_csv):
    with pytest.raises(InputError, match="kind must be"):
        crows_pairs_score("nowhere", kind="seq2seq", data_path=crows_csv)


def test_shared_crows_pairs_file_loads(shared_data):
    pairs = load_crows_pairs(shared_data / "bias" / "crows_pairs_anonymized.csv")
    assert len(pairs) == 1508
    assert len({p.bias_type for p in pairs}) == 9


def test_demo_model_alias(crows_csv):
    from raikit.demo import DEMO_GENERATOR_ID, DEMO_MODEL_DIR

    if not (DEMO_MODEL_DIR / "config.json").is_file():
        pytest.skip("the demo model is not built (scripts/train_demo_generator.py)")
    result = crows_pairs_score(DEMO_GENERATOR_ID, data_path=crows_csv, limit=4)
    assert result["model"] == DEMO_GENERATOR_ID and result["n"] == 4 and 0.0 <= result["score"] <= 1.0
    with pytest.raises(InputError, match="causal"):
        crows_pairs_score("demo", kind="masked", data_path=crows_csv)
