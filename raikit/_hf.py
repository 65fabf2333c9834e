"""Load Hugging Face models quietly and strictly offline."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_loading() -> Iterator[None]:
    """Hide transformers' weight-loading progress bars while loading, then restore them.

    Library code must not draw on the user's terminal; the CLI shows its own progress.
    """
    from transformers.utils import logging as hf_logging

    enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if enabled:
            hf_logging.enable_progress_bar()
