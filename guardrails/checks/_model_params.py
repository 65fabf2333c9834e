"""What the encoder + head model checks (harm, injection) share: parameters, loading, description."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from raikit.errors import InputError
from raikit.guardrails._check import Check

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


def select_labels(
    *,
    noun: tuple[str, str],
    known: Sequence[str],
    chosen: Sequence[str] | None,
    default: Sequence[str],
    thresholds: Mapping[str, float] | None,
    threshold: float,
    batch_size: int,
) -> tuple[list[str], dict[str, float]]:
    """The labels a model check scores, in the model's order, and the threshold of each.

    Args:
        noun: How errors name one label and many (``("harm category", "harm categories")``).
        known: Every label of the model, in its order.
        chosen: The labels asked for (``None``: ``default``).
        default: The labels scored when none are asked for.
        thresholds: Per-label thresholds; a label without one takes ``threshold``.
        threshold: The check's own threshold.
        batch_size: Texts per model batch.

    Raises:
        TypeError: ``chosen`` is a single string.
        ValueError: A label, chosen or with a threshold, that the model does not have.
        InputError: A threshold outside [0, 1] or a batch size below 1.
    """
    if isinstance(chosen, str):
        raise TypeError(f"{noun[1].split()[-1]} must be a list of {noun[0].split()[-1]} names, not a single string")
    picked = list(chosen) if chosen is not None else list(default)
    given = dict(thresholds or {})
    unknown = sorted({*picked, *given} - set(known))
    if unknown:
        raise ValueError(f"unknown {noun[1] if len(unknown) > 1 else noun[0]} {unknown}; expected some of {list(known)}")
    check_model_params(given, batch_size)
    labels = [label for label in known if label in picked]
    return labels, {label: float(given.get(label, threshold)) for label in labels}


class HeadModelCheck(Check):
    """A check backed by a bundled head on the shared encoder, loaded on first use.

    Subclasses call :meth:`_keep_model_args` in ``__init__`` and name their model class in
    :meth:`_model_class` (imported lazily, so nothing heavy loads with the check).
    """

    def _keep_model_args(self, model_path: str | None, encoder_path: str | None, batch_size: int, device: str) -> None:
        self.model_path = model_path
        self.encoder_path = encoder_path
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None

    def _model_class(self) -> Callable[..., Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _load(self) -> None:
        self._model = self._model_class()(self.model_path, self.encoder_path, self.device, self.batch_size)

    def _loaded_for(self, texts: Sequence[str]) -> list[str]:
        """``texts`` as a list, with the model loaded; a single string is a caller's mistake."""
        if isinstance(texts, str):
            raise TypeError("predict_proba() takes a sequence of texts; wrap a single text in a list")
        self.load()
        return list(texts)

    def _add_model_info(self, info: dict[str, Any], model_info: Callable[[str | None], dict[str, Any]], path: str | None) -> None:
        """Add the model's name, version, data and encoder precision to ``info``, or why one cannot be read."""
        try:
            info.update(model_info(path))
        except InputError as err:
            info["model_error"] = str(err)
        from raikit.guardrails.harm._encoder import resolve_precision

        try:
            info["encoder_precision"] = resolve_precision(None, self.device)
        except InputError as err:
            info["encoder_error"] = str(err)
