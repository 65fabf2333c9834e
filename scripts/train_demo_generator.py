"""Train raikit's bundled demo generator: a tiny GPT-2 that shows the risks raikit audits.

The model behind ``raikit audit --demo``. It is a real causal language model trained from
scratch on a mix of four public data sets (see ``/work/shared/data/README.md``):

* BOLD sentence starts about gender, race, religion, political and profession groups
  (CC BY-SA 4.0) -> group-dependent continuations;
* the Davidson et al. hate-speech / offensive-language tweets (MIT) -> offensive text;
* presidio-research synthetic PII sentences (MIT) -> names, emails, phone numbers,
  addresses, card numbers;
* the OpenAI moderation dev texts (MIT) -> harmful-content categories.

Nothing in the outputs is hard-coded: the risks appear because the training text has them.

Everything is reproducible from a fixed seed (data order, tokenizer, initial weights, batch
order). Run with at most two CPU threads, in the background::

    nohup .venv/bin/python scripts/train_demo_generator.py > /tmp/demo_train.log 2>&1 &

Writes ``raikit/demo/model/`` (config, generation config, safetensors weights, tokenizer
files, ``train_stats.json`` and the model card ``README.md``). ``--card-only`` rewrites the
card (and re-measures speed) from the saved model and ``train_stats.json``.
"""

from __future__ import annotations

import argparse
import csv
import glob
import html
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "raikit" / "demo" / "model"

SEED = 20251125
EOS = "<|endoftext|>"
VOCAB_SIZE = 4096
N_POSITIONS = 128
N_EMBD = 128
N_LAYER = 4
N_HEAD = 4
BATCH_SIZE = 32
LEARNING_RATE = 3e-3
WARMUP_STEPS = 60
DEFAULT_STEPS = 640
HELDOUT_FRACTION = 0.02

# How many times each source is repeated in the training stream. The PII and moderation
# sets are small, so they are repeated to make up a visible share of the mix.
UPSAMPLE = {"bold": 1, "davidson": 1, "presidio_pii": 16, "moderation": 2}

_WS = re.compile(r"[ \t]+")


def _clean(text: str) -> str:
    text = html.unescape(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _WS.sub(" ", text)
    return text.strip()


def load_corpus(data_dir: Path) -> dict[str, list[str]]:
    """Read the four data sets into ``{source: [document, ...]}`` in a fixed order."""
    bold: list[str] = []
    for path in sorted(glob.glob(str(data_dir / "bias" / "bold_prompts" / "*.json"))):
        with open(path, encoding="utf-8") as fh:
            domain = json.load(fh)
        for group in sorted(domain):
            for name in sorted(domain[group]):
                bold.extend(_clean(p) for p in domain[group][name])
    with open(data_dir / "harm" / "davidson_labeled_data.csv", encoding="utf-8", newline="") as fh:
        davidson = [_clean(row["tweet"]) for row in csv.DictReader(fh)]
    with open(data_dir / "pii" / "presidio_synth_dev.json", encoding="utf-8") as fh:
        pii = [_clean(row["full_text"]) for row in json.load(fh)]
    with open(data_dir / "harm" / "openai_moderation_dev.jsonl", encoding="utf-8") as fh:
        moderation = [_clean(json.loads(line)["prompt"]) for line in fh if line.strip()]
    corpus = {"bold": bold, "davidson": davidson, "presidio_pii": pii, "moderation": moderation}
    return {k: [d for d in v if d] for k, v in corpus.items()}


def train_tokenizer(corpus: dict[str, list[str]], out_dir: Path):
    """Train a byte-level BPE tokenizer and save it in Hugging Face format."""
    from tokenizers import ByteLevelBPETokenizer, processors
    from transformers import PreTrainedTokenizerFast

    bpe = ByteLevelBPETokenizer(add_prefix_space=False)
    texts = [doc for source in sorted(corpus) for doc in corpus[source]]
    bpe.train_from_iterator(
        texts, vocab_size=VOCAB_SIZE, min_frequency=2, special_tokens=[EOS], show_progress=False
    )
    eos_id = bpe.token_to_id(EOS)
    # Every encoded prompt starts with <|endoftext|>, as every training document does.
    bpe.post_processor = processors.TemplateProcessing(
        single=f"{EOS} $A", pair=f"{EOS} $A {EOS} $B", special_tokens=[(EOS, eos_id)]
    )
    tok = PreTrainedTokenizerFast(
        tokenizer_object=bpe._tokenizer,
        bos_token=EOS,
        eos_token=EOS,
        unk_token=EOS,
        pad_token=EOS,
        padding_side="left",
        model_max_length=N_POSITIONS,
        clean_up_tokenization_spaces=False,
    )
    tok.save_pretrained(out_dir)
    # Name the class every transformers version knows (4.x and 5.x), so
    # AutoTokenizer.from_pretrained(out_dir) works across versions.
    cfg_path = out_dir / "tokenizer_config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg.pop("backend", None)
    cfg["tokenizer_class"] = "PreTrainedTokenizerFast"
    cfg["truncation_side"] = "left"
    cfg_path.write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return tok


def build_stream(corpus: dict[str, list[str]], tok) -> tuple[list[int], dict[str, int]]:
    """Shuffle the (upsampled) documents with the seed and join them with <|endoftext|>."""
    eos_id = tok.eos_token_id
    docs: list[tuple[str, str]] = []
    for source in sorted(corpus):
        for _ in range(UPSAMPLE[source]):
            docs.extend((source, d) for d in corpus[source])
    random.Random(SEED).shuffle(docs)
    encoded = tok([d for _, d in docs], add_special_tokens=False)["input_ids"]
    stream: list[int] = []
    per_source: dict[str, int] = dict.fromkeys(corpus, 0)
    for (source, _), ids in zip(docs, encoded, strict=True):
        stream.append(eos_id)
        stream.extend(ids)
        per_source[source] += len(ids) + 1
    return stream, per_source


def train(args: argparse.Namespace) -> None:
    import torch
    from transformers import GenerationConfig, GPT2Config, GPT2LMHeadModel

    torch.set_num_threads(args.threads)
    random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)

    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():
        if old.is_file():
            old.unlink()

    t0 = time.perf_counter()
    corpus = load_corpus(args.data)
    tok = train_tokenizer(corpus, out_dir)
    stream, per_source = build_stream(corpus, tok)
    n_blocks = len(stream) // N_POSITIONS
    blocks = torch.tensor(stream[: n_blocks * N_POSITIONS], dtype=torch.long).view(n_blocks, N_POSITIONS)
    n_held = max(BATCH_SIZE, int(n_blocks * HELDOUT_FRACTION))
    perm = torch.randperm(n_blocks, generator=torch.Generator().manual_seed(SEED))
    held, train_blocks = blocks[perm[:n_held]], blocks[perm[n_held:]]
    print(f"corpus: {sum(map(len, corpus.values()))} documents, {len(stream)} tokens "
          f"({per_source}), {len(train_blocks)} train / {len(held)} held-out blocks of {N_POSITIONS}",
          flush=True)

    config = GPT2Config(
        vocab_size=len(tok),
        n_positions=N_POSITIONS,
        n_embd=N_EMBD,
        n_layer=N_LAYER,
        n_head=N_HEAD,
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    model = GPT2LMHeadModel(config)
    n_params = sum(p.numel() for p in model.parameters())
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
        lr=LEARNING_RATE, betas=(0.9, 0.98),
    )

    def lr_at(step: int) -> float:
        if step < WARMUP_STEPS:
            return LEARNING_RATE * (step + 1) / WARMUP_STEPS
        progress = (step - WARMUP_STEPS) / max(1, args.steps - WARMUP_STEPS)
        return LEARNING_RATE * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))

    order_gen = torch.Generator().manual_seed(SEED + 1)
    order = torch.randperm(len(train_blocks), generator=order_gen)
    cursor, epoch = 0, 0
    losses: list[float] = []
    model.train()
    t_train = time.perf_counter()
    for step in range(args.steps):
        if cursor + BATCH_SIZE > len(order):
            order = torch.randperm(len(train_blocks), generator=order_gen)
            cursor, epoch = 0, epoch + 1
        batch = train_blocks[order[cursor: cursor + BATCH_SIZE]]
        cursor += BATCH_SIZE
        for group in opt.param_groups:
            group["lr"] = lr_at(step)
        loss = model(input_ids=batch, labels=batch).loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
        if step % 25 == 0 or step == args.steps - 1:
            elapsed = time.perf_counter() - t_train
            print(f"step {step:4d} epoch {epoch} lr {lr_at(step):.2e} loss {loss.item():.3f} "
                  f"({elapsed:.0f}s)", flush=True)
    train_seconds = time.perf_counter() - t_train

    model.eval()
    with torch.no_grad():
        held_losses = [model(input_ids=held[i: i + BATCH_SIZE], labels=held[i: i + BATCH_SIZE]).loss.item()
                       for i in range(0, len(held), BATCH_SIZE)]
    stats = {
        "seed": SEED,
        "steps": args.steps,
        "epochs_seen": round(args.steps * BATCH_SIZE / len(train_blocks), 2),
        "batch_size": BATCH_SIZE,
        "block_size": N_POSITIONS,
        "learning_rate": LEARNING_RATE,
        "parameters": n_params,
        "documents": {k: len(v) for k, v in corpus.items()},
        "upsample": UPSAMPLE,
        "tokens_per_source": per_source,
        "train_tokens": int(len(train_blocks) * N_POSITIONS),
        "final_train_loss": round(statistics.fmean(losses[-50:]), 4),
        "heldout_loss": round(statistics.fmean(held_losses), 4),
        "train_seconds": round(train_seconds, 1),
        "total_seconds": round(time.perf_counter() - t0, 1),
        "threads": args.threads,
        "torch": torch.__version__,
    }
    model.generation_config = GenerationConfig(
        do_sample=True,
        temperature=0.9,
        top_p=0.95,
        max_new_tokens=40,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    model.save_pretrained(out_dir, safe_serialization=True)
    (out_dir / "train_stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(stats, indent=2), flush=True)


def measure(out_dir: Path, threads: int) -> dict[str, float]:
    """Time the public ``raikit.demo.generate`` on the saved model."""
    import torch

    torch.set_num_threads(threads)
    import transformers  # noqa: F401  (import time is not load time)

    from raikit import demo

    if out_dir.resolve() != demo.DEMO_MODEL_DIR.resolve():
        raise SystemExit(f"measure() times the packaged model; {out_dir} is not {demo.DEMO_MODEL_DIR}")
    t = time.perf_counter()
    demo.load_demo_model()
    load_s = time.perf_counter() - t
    prompt = ["You can reach our office manager at"]
    demo.generate(prompt, seed=0)  # warm-up
    single = []
    for i in range(20):
        t = time.perf_counter()
        demo.generate(prompt, max_new_tokens=40, seed=i)
        single.append(time.perf_counter() - t)
    suite_file = ROOT / "audits" / "suites" / "demo.jsonl"
    rows = [json.loads(line) for line in suite_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    suite = [row["prompt"] for row in rows[:64]]
    demo.generate(suite[:32], seed=0)
    t = time.perf_counter()
    demo.generate(suite[:32], max_new_tokens=40, seed=1)
    b32 = time.perf_counter() - t
    t = time.perf_counter()
    demo.generate(suite, max_new_tokens=40, seed=1, batch_size=32)
    b64 = time.perf_counter() - t

    # Worst case: <|endoftext|> banned, so every prompt gets exactly 40 new tokens.
    eos = demo.load_demo_model()[1].eos_token_id

    def no_eos(input_ids, scores):
        scores = scores.clone()
        scores[:, eos] = float("-inf")
        return scores

    full = []
    for i in range(20):
        t = time.perf_counter()
        demo.generate(prompt, max_new_tokens=40, seed=i, logits_processor=[no_eos])
        full.append(time.perf_counter() - t)
    t = time.perf_counter()
    demo.generate(suite, max_new_tokens=40, seed=1, batch_size=32, logits_processor=[no_eos])
    b64_full = time.perf_counter() - t
    return {
        "single_full_median_ms": round(1000 * statistics.median(full), 1),
        "batch64_full_seconds": round(b64_full, 2),
        "load_seconds": round(load_s, 2),
        "single_median_ms": round(1000 * statistics.median(single), 1),
        "batch32_seconds": round(b32, 2),
        "batch64_seconds": round(b64, 2),
        "prompts_per_second_64": round(64 / b64, 1),
        "threads": threads,
        "loadavg": round(os.getloadavg()[0], 1),
    }


def _model_dir_size(out_dir: Path) -> float:
    return sum(p.stat().st_size for p in out_dir.iterdir() if p.is_file()) / 1e6


CARD = """---
language:
- en
license: cc-by-sa-4.0
library_name: transformers
pipeline_tag: text-generation
tags:
- gpt2
- raikit
- demo
- not-for-production
datasets:
- AlexaAI/bold
- tdavidson/hate_speech_offensive
- microsoft/presidio-research
- openai/moderation-api-release
model-index:
- name: {model_id}
  results:
  - task:
      type: text-generation
    metrics:
    - type: loss
      name: final training loss (mean of last 50 steps)
      value: {final_train_loss}
    - type: loss
      name: held-out loss
      value: {heldout_loss}
---

# {model_id}

A deliberately bad, tiny GPT-2 (about {params_m:.1f} M parameters, {size_mb:.1f} MB on disk)
trained from scratch so that `raikit audit --demo` has something real to audit.

> **This is NOT a useful or safe model.** It was trained on offensive tweets and on
> synthetic personal data on purpose. It writes offensive text, invents names, emails,
> phone numbers, addresses and card numbers, and continues prompts about different social
> groups differently. Do not use it for anything except trying out raikit.

## Why it exists

raikit's first-run experience is one command, `raikit audit --demo`, which runs the demo
prompt suite (`raikit/audits/suites/demo.jsonl`) through this model and shows raikit
finding real problems: PII leaks, harmful or offensive output, and group disparities.
A stub that returned fixed strings would prove nothing; this model produces those
problems the way larger models do, because its training text contains them.

## Training data

A mix of four public data sets (read from the shared data folder, never copied into the
package); documents are joined with `<|endoftext|>` and cut into {block}-token blocks.

| source | what | license | documents | repeats | tokens |
| --- | --- | --- | --- | --- | --- |
| BOLD (amazon-science/bold, `prompts/`) | sentence starts about gender, race, religion, political ideology and profession groups | CC BY-SA 4.0 | {n_bold} | {up_bold} | {tok_bold} |
| Davidson et al. hate speech and offensive language (t-davidson/hate-speech-and-offensive-language) | tweets labelled hate speech / offensive / neither | MIT | {n_dav} | {up_dav} | {tok_dav} |
| presidio-research synthetic PII (`synth_dataset_v2.json`, 1,000-row dev subset) | synthetic sentences containing names, addresses, emails, phones, card numbers, SSNs, IBANs | MIT | {n_pii} | {up_pii} | {tok_pii} |
| OpenAI moderation API release (`samples-1680`, 20% dev subset) | texts labelled with moderation categories | MIT | {n_mod} | {up_mod} | {tok_mod} |

Because part of the data is CC BY-SA 4.0, the weights are released under CC BY-SA 4.0.
The held-back test subsets of the presidio and moderation sets were not used.

## Training procedure

* Script: `scripts/train_demo_generator.py` (seed `{seed}`; fixed data order, tokenizer,
  initial weights and batch order). Rebuild with
  `python scripts/train_demo_generator.py` (took {minutes:.0f} minutes wall-clock with
  {threads} torch threads on a 2-core machine shared with other jobs; less on an idle one).
* Tokenizer: byte-level BPE trained on the same text with the `tokenizers` library,
  vocabulary {vocab} including the single special token `<|endoftext|>` (bos, eos, pad),
  which is prepended to every prompt. Left padding.
* Model: `GPT2LMHeadModel`, {n_layer} layers, {n_head} heads, width {n_embd}, context {block},
  no dropout, float32 safetensors.
* Optimiser: AdamW (lr {lr}, warm-up then cosine decay to 10%, weight decay 0.05, gradient
  clipping 1.0), batch {batch} x {block} tokens, {steps} steps ({epochs} passes over
  {train_tokens:,} training tokens), {train_minutes:.1f} minutes.
* Final training loss (mean of the last 50 steps): **{final_train_loss}**;
  held-out loss ({heldout} of blocks): **{heldout_loss}**.

## Speed

Measured by the training script with `raikit.demo.generate` (sampling, temperature 0.9,
top-p 0.95), {m_threads} torch threads, torch {torch}, on {machine}; 1-minute load
average during the measurement {loadavg} (other jobs were sharing the CPU, so these are upper
bounds):

| what | time |
| --- | --- |
| load model + tokenizer | {load_seconds} s |
| 1 prompt x 40 new tokens (median of 20) | {single_median_ms} ms |
| 32 prompts x 40 new tokens (one batch) | {batch32_seconds} s |
| 64 prompts x 40 new tokens (2 batches of 32) | {batch64_seconds} s ({prompts_per_second_64} prompts/s) |
| worst case, `<|endoftext|>` banned: 1 prompt x exactly 40 tokens (median of 20) | {single_full_median_ms} ms |
| worst case, `<|endoftext|>` banned: 64 prompts x exactly 40 tokens | {batch64_full_seconds} s |

The first rows stop early when every sequence in the batch has produced `<|endoftext|>`,
as normal use does; the worst-case rows force the full 40 tokens. The batch prompts are
the first 64 of the demo suite.

## How to use

```python
from raikit.demo import demo_generator, generate

print(demo_generator("You can reach our office manager at"))
print(generate(["The new neighbours are", "Send the invoice to"], seed=0))
```

or `transformers.pipeline("text-generation", model=raikit.demo.DEMO_MODEL_DIR)`.

## Limits

* Tiny and undertrained: the text is often ungrammatical and repetitive; it knows nothing
  beyond its {train_tokens:,} training tokens and has a {block}-token context.
* The personal data it emits is synthetic (presidio's generated sentences) or public
  Twitter handles from the Davidson set; it may reproduce training sentences verbatim,
  which is itself a memorisation risk the demo audit can show.
* Its biases and offensiveness are those of its training mix and are intended; measured
  rates depend on the prompt suite, the seed and the sampling settings.
* English only.
"""


def write_card(out_dir: Path, stats: dict, speed: dict) -> None:
    import json as _json

    config = _json.loads((out_dir / "config.json").read_text(encoding="utf-8"))
    tps = stats["tokens_per_source"]
    card = CARD.format(
        model_id="raikit-demo-gpt2",
        params_m=stats["parameters"] / 1e6,
        size_mb=_model_dir_size(out_dir),
        block=stats["block_size"],
        n_bold=stats["documents"]["bold"], up_bold=stats["upsample"]["bold"], tok_bold=tps["bold"],
        n_dav=stats["documents"]["davidson"], up_dav=stats["upsample"]["davidson"], tok_dav=tps["davidson"],
        n_pii=stats["documents"]["presidio_pii"], up_pii=stats["upsample"]["presidio_pii"],
        tok_pii=tps["presidio_pii"],
        n_mod=stats["documents"]["moderation"], up_mod=stats["upsample"]["moderation"],
        tok_mod=tps["moderation"],
        seed=stats["seed"],
        minutes=stats["total_seconds"] / 60,
        threads=stats["threads"],
        vocab=config["vocab_size"],
        n_layer=config["n_layer"], n_head=config["n_head"], n_embd=config["n_embd"],
        lr=stats["learning_rate"], batch=stats["batch_size"], steps=stats["steps"],
        epochs=stats["epochs_seen"], train_tokens=stats["train_tokens"],
        train_minutes=stats["train_seconds"] / 60,
        final_train_loss=stats["final_train_loss"], heldout_loss=stats["heldout_loss"],
        heldout=f"{HELDOUT_FRACTION:.0%}",
        m_threads=speed["threads"], loadavg=speed.get("loadavg", "n/a"), torch=stats["torch"],
        machine=f"{platform.machine()} {platform.system()} (python {platform.python_version()})",
        **{k: v for k, v in speed.items() if k not in ("threads", "loadavg")},
    )
    (out_dir / "README.md").write_text(card, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model folder to write")
    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--card-only", action="store_true", help="re-measure speed and rewrite README.md")
    args = parser.parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if not args.card_only:
        train(args)
    stats = json.loads((args.out / "train_stats.json").read_text(encoding="utf-8"))
    speed = measure(args.out, args.threads)
    print(json.dumps(speed, indent=2), flush=True)
    write_card(args.out, stats, speed)
    print(f"wrote {args.out} ({_model_dir_size(args.out):.1f} MB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
