"""Parameter checks shared by the encoder + head model checks (harm, injection)."""

from __future__ import annotations

from collections.abc import Mapping

from raikit.errors import InputError

ERR_BAD_THRESHOLD = "thresholds[{name!r}] must be a number between 0 and 1, got {value!r}"
ERR_BAD_BATCH = "batch_size must be a positive integer, got {value!r}"


def check_model_params(thresholds: Mapping[str, object], batch_size: int) -> None:
    """Reject a per-label threshold outside [0, 1] or a batch size below 1.

    Raises:
        InputError: Names the threshold or the batch size and the value received.
    """
    for name, value in thresholds.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
            raise InputError(ERR_BAD_THRESHOLD.format(name=name, value=value))
    if batch_size < 1:
        raise InputError(ERR_BAD_BATCH.format(value=batch_size))
