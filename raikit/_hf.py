"""Load Hugging Face models and tokenizers in one way: from a local folder, offline, quietly.

Every raikit module that loads a ``transformers`` model goes through :func:`load_local`, so
nothing is fetched from a hub at run time and no weight-loading progress bar is drawn on the
user's terminal (the CLI shows its own progress).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from raikit.errors import InputError, MissingDependencyError

HF_INSTALL = "pip install 'raikit[hf]'"
Kind = Literal["tokenizer", "causal-lm", "masked-lm", "sequence-classification"]
_AUTO = {
    "tokenizer": "AutoTokenizer",
    "causal-lm": "AutoModelForCausalLM",
    "masked-lm": "AutoModelForMaskedLM",
    "sequence-classification": "AutoModelForSequenceClassification",
}


def import_hf() -> tuple[Any, Any]:
    """``(torch, transformers)``.

    Raises:
        MissingDependencyError: Either is not installed (names the pip command).
    """
    try:
        import torch
        import transformers
    except ImportError as err:
        raise MissingDependencyError("transformers and torch", HF_INSTALL) from err
    return torch, transformers


@contextmanager
def quiet_loading() -> Iterator[None]:
    """Hide transformers' weight-loading progress bars while loading, then restore them."""
    from transformers.utils import logging as hf_logging

    enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if enabled:
            hf_logging.enable_progress_bar()


def load_local(kind: Kind, path: str | Path, **kwargs: Any) -> Any:
    """A tokenizer or model of ``kind`` from the local folder ``path`` (never the hub).

    Models come back in eval mode.

    Raises:
        MissingDependencyError: transformers/torch are not installed.
        InputError: The folder does not hold a loadable ``kind`` (the message names it).

    Example:
        >>> load_local("tokenizer", "/no/such/folder")  # doctest: +SKIP
        Traceback (most recent call last):
        raikit.errors.InputError: cannot load a tokenizer from /no/such/folder: OSError
    """
    _, transformers = import_hf()
    auto = getattr(transformers, _AUTO[kind])
    try:
        with quiet_loading():
            loaded = auto.from_pretrained(str(path), local_files_only=True, **kwargs)
    except (OSError, ValueError) as err:
        raise InputError(f"cannot load a {kind.replace('-', ' ')} from {path}: {type(err).__name__}") from err
    return loaded if kind == "tokenizer" else loaded.eval()
