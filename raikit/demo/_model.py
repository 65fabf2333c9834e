"""Locate and load the bundled demo model once per process."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from raikit._hf import import_hf as _import_hf
from raikit.errors import MissingDependencyError

logger = logging.getLogger(__name__)

DEMO_GENERATOR_ID = "raikit-demo-gpt2"
DEMO_MODEL_DIR: Path = Path(__file__).resolve().parent / "model"

_REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")
_LOAD_LOCK = threading.Lock()
_CACHE: tuple[Any, Any] | None = None



def load_demo_model() -> tuple[Any, Any]:
    """Load the bundled demo GPT-2 and its tokenizer from :data:`DEMO_MODEL_DIR`.

    Loading happens once per process (thread-safe); later calls return the same objects.
    Nothing is downloaded: the files ship inside the package.

    Returns:
        ``(model, tokenizer)``: a ``GPT2LMHeadModel`` in eval mode and a fast tokenizer
        with left padding.

    Raises:
        MissingDependencyError: transformers/torch are not installed, or the model files
            are missing from the installation.

    Example:
        >>> model, tokenizer = load_demo_model()  # doctest: +SKIP
        >>> model.config.n_layer  # doctest: +SKIP
        4
    """
    global _CACHE
    cached = _CACHE
    if cached is not None:
        return cached
    with _LOAD_LOCK:
        if _CACHE is not None:
            return _CACHE
        torch, transformers = _import_hf()
        missing = [name for name in _REQUIRED_FILES if not (DEMO_MODEL_DIR / name).is_file()]
        if missing:
            raise MissingDependencyError(
                f"the bundled demo model (missing {', '.join(missing)} in {DEMO_MODEL_DIR})",
                "python scripts/train_demo_generator.py  # from a raikit source checkout",
            )
        from raikit._hf import load_local

        tokenizer = load_local("tokenizer", DEMO_MODEL_DIR)
        tokenizer.padding_side = "left"
        tokenizer.truncation_side = "left"
        model = load_local("causal-lm", DEMO_MODEL_DIR)
        model.to(torch.float32).eval()
        logger.debug("loaded demo model %s from %s", DEMO_GENERATOR_ID, DEMO_MODEL_DIR)
        _CACHE = (model, tokenizer)
        return _CACHE
