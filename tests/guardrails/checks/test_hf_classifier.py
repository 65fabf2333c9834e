"""The ``transformers`` check with a tiny random BERT built here (nothing is downloaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from raikit.errors import InputError
from raikit.guardrails import load_check
from raikit.guardrails.checks.hf_classifier import TransformersClassifierCheck

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

WORDS = ["hello", "world", "you", "are", "kind", "awful", "the", "cat", "sat", "on", "mat", "a", "dog"]
LABELS = {0: "neutral", 1: "toxic", 2: "insult"}
MAX_POSITIONS = 24


def _build(folder: Path, problem_type: str | None) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *WORDS])}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]"
    )
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=MAX_POSITIONS,
        num_labels=len(LABELS),
        id2label=LABELS,
        label2id={v: k for k, v in LABELS.items()},
        problem_type=problem_type,
    )
    model = BertForSequenceClassification(config).eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def single_label(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("single"), "single_label_classification")


@pytest.fixture(scope="module")
def multi_label(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("multi"), "multi_label_classification")


def test_registry_builds_the_check(single_label: Path) -> None:
    check = load_check("transformers", model_path=str(single_label))
    assert isinstance(check, TransformersClassifierCheck)
    assert check.outputs == list(LABELS.values())


def test_softmax_probabilities_sum_to_one_without_label_map(single_label: Path) -> None:
    check = TransformersClassifierCheck(model_path=str(single_label))
    probs = check.predict_proba(["hello world", "you are awful", ""])
    assert len(probs) == 3
    for row in probs:
        assert set(row) == set(LABELS.values())
        assert sum(row.values()) == pytest.approx(1.0, abs=1e-5)
        assert all(0.0 <= p <= 1.0 for p in row.values())


def test_multi_label_is_read_from_config_and_uses_sigmoid(multi_label: Path) -> None:
    check = TransformersClassifierCheck(model_path=str(multi_label))
    row = check.predict_proba(["the cat sat on the mat"])[0]
    assert check.multi_label is True
    assert all(0.0 < p < 1.0 for p in row.values())
    assert sum(row.values()) != pytest.approx(1.0, abs=1e-3)


def test_label_map_keeps_only_mapped_labels_and_takes_the_max(single_label: Path) -> None:
    plain = TransformersClassifierCheck(model_path=str(single_label)).predict_proba(["you are awful"])[0]
    mapped = TransformersClassifierCheck(
        model_path=str(single_label), label_map={"toxic": "harassment", "2": "harassment"}
    ).predict_proba(["you are awful"])[0]
    assert list(mapped) == ["harassment"]
    assert mapped["harassment"] == pytest.approx(max(plain["toxic"], plain["insult"]), abs=1e-6)


def test_unknown_label_in_map_is_a_clear_error(single_label: Path) -> None:
    check = TransformersClassifierCheck(model_path=str(single_label), label_map={"hateful": "hate"})
    with pytest.raises(InputError, match="hateful.*neutral"):
        check.load()


def test_batching_does_not_change_scores(single_label: Path) -> None:
    texts = [" ".join(WORDS[: n + 1]) for n in range(len(WORDS))]
    one = TransformersClassifierCheck(model_path=str(single_label), batch_size=1).predict_proba(texts)
    many = TransformersClassifierCheck(model_path=str(single_label), batch_size=5).predict_proba(texts)
    for a, b in zip(one, many):
        for key in a:
            assert a[key] == pytest.approx(b[key], abs=1e-5)


def test_long_text_is_scored_by_windows_max_over_windows(single_label: Path) -> None:
    # 10 tokens per window with [CLS] and [SEP] -> 8 words; overlap 2 -> a new window every 6 words
    check = TransformersClassifierCheck(model_path=str(single_label), max_length=10, stride=2)
    words = "the cat sat on the mat a dog you are awful you are kind".split()
    assert len(words) == 14
    windows = [" ".join(words[0:8]), " ".join(words[6:14])]
    whole = check.predict_proba([" ".join(words)])[0]
    parts = check.predict_proba(windows)
    for key in whole:
        assert whole[key] == pytest.approx(max(p[key] for p in parts), abs=1e-5)
    # a single window differs from the max over both for at least one label
    assert any(abs(parts[0][k] - whole[k]) > 1e-6 or abs(parts[1][k] - whole[k]) > 1e-6 for k in whole)


def test_text_longer_than_model_positions_does_not_crash(single_label: Path) -> None:
    check = TransformersClassifierCheck(model_path=str(single_label))  # max_length 512 capped to 24
    text = " ".join(WORDS * 10)  # 130 tokens, > 24 positions
    row = check.predict_proba([text])[0]
    assert all(0.0 <= p <= 1.0 for p in row.values())


def test_scan_gives_whole_text_findings_at_threshold(single_label: Path) -> None:
    check = TransformersClassifierCheck(model_path=str(single_label), threshold=0.0, id="tox")
    text = "you are kind"
    findings = check.scan([text])[0]
    assert {f.type for f in findings} == set(LABELS.values())
    assert all(f.start is None and f.end is None and f.check_id == "tox" for f in findings)
    strict = TransformersClassifierCheck(model_path=str(single_label), threshold=1.0)
    assert strict.scan([text]) == [[]]


def test_missing_model_path_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    check = TransformersClassifierCheck(model_path=str(missing))
    with pytest.raises(InputError, match="no-such-model"):
        check.scan(["hello"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"max_length": 2}, "max_length"), ({"stride": 600}, "stride"), ({"batch_size": 0}, "batch_size")],
)
def test_bad_parameters_are_named(single_label: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TransformersClassifierCheck(model_path=str(single_label), **kwargs)


def test_redact_of_a_whole_text_score_blocks_and_does_not_hold_back_a_stream(single_label: Path) -> None:
    from raikit.guardrails import PolicyRunner, policy_from_string

    policy = policy_from_string(
        "version: 1\nname: t\nchecks:\n  - id: tox\n    type: transformers\n    action: redact\n"
        f"    threshold: 0.0\n    params: {{model_path: {str(single_label)!r}}}\n"
    )
    [result] = PolicyRunner(policy).scan(["you are kind"], stage="output")
    assert result.findings and all(f.start is None for f in result.findings)
    assert {f.action for f in result.findings} == {"block"}  # cannot be cut out
    assert result.outcome == "blocked"
