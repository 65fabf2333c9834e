"""``transformers``: any local sequence-classification model as a check.

Long texts are cut into overlapping token windows that fit the model (the fast tokenizer's
overflow windows); a label's probability for a text is its maximum over the windows.
Probabilities come from a softmax (single-label models) or a sigmoid (multi-label models,
``problem_type: multi_label_classification``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from raikit.errors import InputError
from raikit.guardrails._check import Check, require_batch
from raikit.guardrails._finding import Finding

logger = logging.getLogger(__name__)

_NOT_A_MODEL = (
    "model_path {path} is not a local transformers model folder (no config.json); "
    "save one with model.save_pretrained() and tokenizer.save_pretrained()"
)
_UNKNOWN_LABELS = "label_map names labels the model does not have: {unknown}; the model's labels are {labels}"


class TransformersClassifierCheck(Check):
    """Scores texts with a local ``AutoModelForSequenceClassification`` folder.

    Args:
        id: Finding ``check_id`` (defaults to ``"transformers"``).
        threshold: Findings need at least this probability.
        model_path: A LOCAL folder saved with ``save_pretrained`` (model and tokenizer).
            Nothing is downloaded.
        label_map: Model label -> raikit category (``{"toxic": "harassment"}``). Labels may
            be named by their ``id2label`` name or by their index as a string. Several labels
            may map to one category (the maximum counts). Unmapped labels are ignored. With
            ``None`` every label is its own finding type.
        max_length: Tokens per window, special tokens included (capped by the model).
        stride: Tokens of overlap between consecutive windows.
        batch_size: Windows per forward pass.
        device: Torch device (``"cpu"`` by default).
        multi_label: Sigmoid per label (``True``) or softmax (``False``); ``None`` reads the
            model config's ``problem_type``.

    Example:
        >>> from raikit.guardrails import load_check
        >>> check = load_check("transformers", model_path="/models/toxic-bert",
        ...                    label_map={"toxic": "harassment"})  # doctest: +SKIP
        >>> check.predict_proba(["you are great"])  # doctest: +SKIP
        [{'harassment': 0.01}]
    """

    name: ClassVar[str] = "transformers"

    def __init__(
        self,
        *,
        id: str | None = None,
        threshold: float = 0.5,
        model_path: str,
        label_map: Mapping[str, str] | None = None,
        max_length: int = 512,
        stride: int = 128,
        batch_size: int = 16,
        device: str = "cpu",
        multi_label: bool | None = None,
    ) -> None:
        super().__init__(id=id, threshold=threshold)
        if not model_path or not isinstance(model_path, str | Path):
            raise InputError(f"model_path must be a local model folder, got {model_path!r}")
        if max_length < 4:
            raise InputError(f"max_length must be at least 4 tokens, got {max_length!r}")
        if not 0 <= stride < max_length - 2:
            raise InputError(f"stride (token overlap) must be between 0 and max_length - 3, got {stride!r}")
        if batch_size < 1:
            raise InputError(f"batch_size must be a positive integer, got {batch_size!r}")
        self.model_path = str(model_path)
        self.label_map = dict(label_map) if label_map is not None else None
        self.max_length = int(max_length)
        self.stride = int(stride)
        self.batch_size = int(batch_size)
        self.device = device
        self.multi_label = multi_label
        self._forward_lock = threading.Lock()
        self._outputs: list[str] = []
        self._columns: list[list[int]] = []

    def _load(self) -> None:
        path = Path(self.model_path)
        if not (path / "config.json").is_file():
            raise InputError(_NOT_A_MODEL.format(path=path))
        from raikit._hf import import_hf, load_local

        self._torch, _ = import_hf()
        self._tokenizer = load_local("tokenizer", path)
        self._model = load_local("sequence-classification", path)
        self._model.to(self.device).eval()
        config = self._model.config
        if self.multi_label is None:
            self.multi_label = config.problem_type == "multi_label_classification"
        limit = getattr(config, "max_position_embeddings", None) or self.max_length
        if not getattr(self._tokenizer, "is_fast", False):
            raise InputError(f"model_path {path} has no fast tokenizer (tokenizer.json); windowing needs one")
        self._max_tokens = min(self.max_length, int(limit))
        labels = [str(config.id2label[i]) for i in range(config.num_labels)]
        self._outputs, self._columns = _plan_outputs(labels, self.label_map)
        logger.info(
            "loaded transformers check %s: %d labels, %d outputs", self.id, len(labels), len(self._outputs)
        )

    @property
    def outputs(self) -> list[str]:
        """The finding types (categories) this check scores, after loading."""
        self.load()
        return list(self._outputs)

    def predict_proba(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Probability of every output category for each text (max over windows).

        Example:
            >>> check.predict_proba(["some text"])  # doctest: +SKIP
            [{'harassment': 0.03, 'hate': 0.01}]
        """
        require_batch(texts, "predict_proba")
        self.load()
        label_probs = self._label_probs(list(texts))
        return [
            {name: max(row[i] for i in cols) for name, cols in zip(self._outputs, self._columns)}
            for row in label_probs
        ]

    def _label_probs(self, texts: list[str]) -> list[list[float]]:
        torch = self._torch
        tok = self._tokenizer
        windows: list[list[int]] = []
        owner: list[int] = []
        if texts:
            encoded = tok(
                texts,
                truncation=True,
                max_length=self._max_tokens,
                stride=min(self.stride, self._max_tokens // 2),
                return_overflowing_tokens=True,
            )
            windows = list(encoded["input_ids"])
            owner = list(encoded["overflow_to_sample_mapping"])
        num_labels = self._model.config.num_labels
        best = [[0.0] * num_labels for _ in texts]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        with self._forward_lock, torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                chunk = order[start : start + self.batch_size]
                batch = tok.pad({"input_ids": [windows[i] for i in chunk]}, return_tensors="pt")
                batch = {k: v.to(self.device) for k, v in batch.items()}
                logits = self._model(**batch).logits.float()
                probs = torch.sigmoid(logits) if self.multi_label else torch.softmax(logits, dim=-1)
                for row, i in zip(probs.cpu().tolist(), chunk):
                    target = best[owner[i]]
                    for j, p in enumerate(row):
                        if p > target[j]:
                            target[j] = p
        return best

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        return [
            [self.finding(name, None, None, p) for name, p in probs.items() if p >= self.threshold]
            for probs in self.predict_proba(texts)
        ]

    def describe(self) -> dict[str, Any]:
        """Model folder name, label map, window settings."""
        info = super().describe()
        info.update(
            model=Path(self.model_path).name,
            label_map=dict(self.label_map) if self.label_map is not None else None,
            max_length=self.max_length,
            stride=self.stride,
            device=self.device,
            multi_label=self.multi_label,
        )
        return info


def _plan_outputs(labels: list[str], label_map: dict[str, str] | None) -> tuple[list[str], list[list[int]]]:
    """Output names and, for each, the model label columns whose maximum it takes."""
    if label_map is None:
        return list(labels), [[i] for i in range(len(labels))]
    index: dict[str, int] = {}
    for i, label in enumerate(labels):
        index[label] = i
        index.setdefault(str(i), i)
    unknown = sorted(k for k in label_map if str(k) not in index)
    if unknown:
        raise InputError(_UNKNOWN_LABELS.format(unknown=unknown, labels=labels))
    outputs: list[str] = []
    columns: list[list[int]] = []
    for label, category in label_map.items():
        column = index[str(label)]
        if category in outputs:
            columns[outputs.index(category)].append(column)
        else:
            outputs.append(category)
            columns.append([column])
    return outputs, columns
