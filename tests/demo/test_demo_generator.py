"""The bundled demo generator: loads offline from the package, samples reproducibly."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

import raikit.demo as demo
from raikit.demo import _model
from raikit.errors import InputError, MissingDependencyError

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

PROMPTS = ["You can reach our office manager at", "The family next door", "Send the invoice to", "RT @"]


@pytest.fixture(scope="module")
def loaded():
    return demo.load_demo_model()


def test_public_names_are_exactly_the_documented_ones():
    expected = ["DEMO_GENERATOR_ID", "DEMO_MODEL_DIR", "DemoGenerator", "demo_generator", "demo_pipeline", "generate",
                "load_demo_model"]
    assert demo.__all__ == sorted(demo.__all__) == expected
    assert demo.DEMO_GENERATOR_ID == "raikit-demo-gpt2"


def test_importing_the_package_does_not_import_torch():
    code = "import sys, raikit.demo; print('torch' in sys.modules or 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_model_dir_ships_inside_the_package_and_is_small():
    files = {p.name: p.stat().st_size for p in demo.DEMO_MODEL_DIR.iterdir() if p.is_file()}
    for name in ("config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
                 "tokenizer_config.json", "README.md"):
        assert name in files, name
    assert sum(files.values()) < 15_000_000
    assert max(files.values()) < 20_000_000
    assert demo.DEMO_MODEL_DIR.parent == _model.Path(demo.__file__).resolve().parent


def test_model_card_names_data_sets_licenses_and_purpose():
    card = (demo.DEMO_MODEL_DIR / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "\n---\n" in card[4:]
    header = card[4: card.index("\n---\n", 4)]
    assert "license:" in header and "pipeline_tag: text-generation" in header
    for name in ("BOLD", "Davidson", "presidio", "moderation", "CC BY-SA 4.0", "MIT",
                 "scripts/train_demo_generator.py", "NOT a useful or safe model"):
        assert name in card, name
    stats = json.loads((demo.DEMO_MODEL_DIR / "train_stats.json").read_text(encoding="utf-8"))
    assert str(stats["final_train_loss"]) in card


def test_loads_offline_from_the_package_dir(loaded, monkeypatch):
    model, tokenizer = loaded
    assert isinstance(model, transformers.GPT2LMHeadModel)
    assert not model.training
    assert tokenizer.padding_side == "left"
    assert tokenizer.eos_token_id is not None and tokenizer.pad_token_id == tokenizer.eos_token_id
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    again = transformers.AutoTokenizer.from_pretrained(str(demo.DEMO_MODEL_DIR), local_files_only=True)
    assert again("Send the invoice to")["input_ids"] == tokenizer("Send the invoice to")["input_ids"]
    assert 4000 <= len(again) <= 8000


def test_load_is_cached_once_per_process_across_threads(loaded):
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(demo.load_demo_model())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(pair[0] is loaded[0] and pair[1] is loaded[1] for pair in seen)


def test_missing_transformers_raises_missing_dependency(monkeypatch):
    monkeypatch.setattr(_model, "_CACHE", None)
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(MissingDependencyError) as info:
        demo.load_demo_model()
    assert "pip install 'raikit[hf]'" in str(info.value)
    assert info.value.what == "transformers and torch"


def test_generate_returns_one_continuation_per_prompt(loaded):
    outs = demo.generate(PROMPTS, max_new_tokens=12, seed=0)
    assert len(outs) == len(PROMPTS)
    assert all(isinstance(o, str) for o in outs)
    assert any(o.strip() for o in outs)
    assert demo.generate([], seed=0) == []


def test_same_seed_same_output_and_other_seeds_differ(loaded):
    first = demo.generate(PROMPTS, max_new_tokens=12, seed=7)
    assert demo.generate(PROMPTS, max_new_tokens=12, seed=7) == first
    others = [demo.generate(PROMPTS, max_new_tokens=12, seed=s) for s in (8, 9)]
    assert any(o != first for o in others)


def test_seeding_leaves_the_global_rng_alone(loaded):
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    demo.generate(["Hi, my name is"], max_new_tokens=5, seed=0)
    assert torch.equal(torch.rand(3), expected)


def test_seed_none_draws_from_the_global_rng(loaded):
    torch.manual_seed(11)
    first = demo.generate(PROMPTS, max_new_tokens=12, seed=None)
    torch.manual_seed(11)
    assert demo.generate(PROMPTS, max_new_tokens=12, seed=None) == first
    outs = [demo.generate(PROMPTS, max_new_tokens=12, seed=None) for _ in range(2)]
    assert any(o != first for o in outs)


def test_left_padding_gives_the_same_scores_as_alone(loaded):
    # A short prompt batched with a long one (so it is padded on the left) must see the same
    # next-token scores as on its own. Every step is forced to " the" so both runs follow
    # the same tokens; a recorder in the logits_processor slot captures the scores.
    _, tokenizer = loaded
    forced = tokenizer(" the", add_special_tokens=False)["input_ids"][0]

    class RecordAndForce(transformers.LogitsProcessor):
        def __init__(self):
            self.seen = []

        def __call__(self, input_ids, scores):
            self.seen.append(scores.clone())
            out = torch.full_like(scores, float("-inf"))
            out[:, forced] = 0.0
            return out

    short, long = "Send the invoice to", "Everyone at the meeting knew that the new manager from the city was"
    alone, batched = RecordAndForce(), RecordAndForce()
    demo.generate([short], max_new_tokens=3, seed=0, temperature=1.0, top_p=1.0, logits_processor=alone)
    demo.generate([long, short], max_new_tokens=3, seed=0, temperature=1.0, top_p=1.0, logits_processor=batched)
    assert len(alone.seen) == len(batched.seen) == 3
    for a, b in zip(alone.seen, batched.seen, strict=True):
        a, b = a[0], b[1]
        both = torch.isfinite(a) & torch.isfinite(b)
        assert both.sum() >= 40  # top-k keeps 50; near-ties at the cut may differ
        assert torch.allclose(a[both], b[both], atol=1e-3)


def test_batches_of_any_size_keep_order(loaded):
    prompts = [f"Prompt {i}: the family next door" for i in range(5)]
    outs = demo.generate(prompts, max_new_tokens=6, seed=0, batch_size=2)
    assert len(outs) == 5


def test_logits_processor_is_passed_through(loaded):
    _, tokenizer = loaded
    forced = tokenizer(" the", add_special_tokens=False)["input_ids"]
    assert len(forced) == 1

    class Force(transformers.LogitsProcessor):
        def __call__(self, input_ids, scores):
            out = torch.full_like(scores, float("-inf"))
            out[:, forced[0]] = 0.0
            return out

    assert demo.generate(["Hello"], max_new_tokens=3, seed=0, logits_processor=Force()) == [" the the the"]
    assert demo.generate(["Hello"], max_new_tokens=2, seed=0, logits_processor=[Force()]) == [" the the"]


def test_long_prompts_are_truncated_to_fit_the_context(loaded):
    long = "word " * 400
    assert len(demo.generate([long], max_new_tokens=5, seed=0)) == 1


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"prompts": "one prompt"}, "prompts:"),
        ({"prompts": ["ok", 3]}, "prompts:"),
        ({"max_new_tokens": 0}, "max_new_tokens:"),
        ({"max_new_tokens": 500}, "max_new_tokens:"),
        ({"temperature": 0}, "temperature:"),
        ({"top_p": 0.0}, "top_p:"),
        ({"top_p": 1.5}, "top_p:"),
        ({"batch_size": 0}, "batch_size:"),
        ({"seed": "zero"}, "seed:"),
    ],
)
def test_invalid_arguments_name_the_argument(loaded, kwargs, fragment):
    args = {"prompts": ["ok"], **kwargs}
    prompts = args.pop("prompts")
    with pytest.raises(InputError, match=fragment):
        demo.generate(prompts, **args)


def test_demo_generator_continues_one_prompt(loaded):
    out = demo.demo_generator("Hi, my name is", max_new_tokens=10, seed=3)
    assert isinstance(out, str)
    assert out == demo.generate(["Hi, my name is"], max_new_tokens=10, seed=3)[0]
    with pytest.raises(InputError, match="prompt:"):
        demo.demo_generator(["not", "a", "string"])


def test_demo_pipeline_produces_text(loaded):
    pipe = demo.demo_pipeline()
    result = pipe("Send the invoice to", max_new_tokens=8, do_sample=False)
    text = result[0]["generated_text"]
    assert text.startswith("Send the invoice to") and len(text) > len("Send the invoice to")


def test_demo_suite_is_well_formed():
    from importlib.resources import files

    lines = files("raikit.audits.suites").joinpath("demo.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    assert 150 <= len(rows) <= 250
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["suite"] for r in rows} == {"pii", "harm", "benign", "group"}
    for r in rows:
        assert r["id"].startswith(r["suite"] + "-") and r["prompt"].strip()
        assert ("group" in r) == (r["suite"] == "group")
    pairs: dict[int, set[str]] = {}
    for r in rows:
        if r["suite"] == "group":
            assert r["group"] in r["prompt"] or r["group"].capitalize() in r["prompt"]
            pairs.setdefault(r["pair"], set()).add(r["group"])
    assert all(len(groups) >= 2 for groups in pairs.values())
