"""The trained head: a small MLP over encoder features with per-output Platt calibration.

Stored as ``head.npz`` (arrays) next to ``model.json`` (name, version, outputs, data).
Inference is plain numpy; only training needs torch.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HEAD_FILE = "head.npz"
META_FILE = "model.json"
ANY_OUTPUT = "any"
_ARRAYS = ("mean", "std", "w1", "b1", "w2", "b2", "platt_a", "platt_b")


def gelu(x: np.ndarray) -> np.ndarray:
    """The tanh approximation of GELU (the same one the training script uses)."""
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """A numerically stable logistic function."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


@dataclass(frozen=True)
class Head:
    """Weights of the MLP head and its calibration.

    Example:
        >>> import numpy as np
        >>> h = Head.random(["a", "b"], dim=4, hidden=3, seed=0)
        >>> h.predict(np.zeros((2, 4), dtype=np.float32)).shape
        (2, 2)
    """

    outputs: tuple[str, ...]
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]

    @classmethod
    def load(cls, folder: str | Path) -> Head:
        """Read ``head.npz`` and ``model.json`` from ``folder``.

        Raises:
            FileNotFoundError: A file is missing (the message names the path).
        """
        folder = Path(folder)
        for name in (HEAD_FILE, META_FILE):
            if not (folder / name).is_file():
                raise FileNotFoundError(f"harm model file not found: {folder / name}")
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        with np.load(folder / HEAD_FILE) as data:
            arrays = {k: np.asarray(data[k], dtype=np.float32) for k in _ARRAYS}
        return cls(outputs=tuple(meta["outputs"]), arrays=arrays, meta=meta)

    @classmethod
    def random(cls, outputs: list[str], dim: int, hidden: int, seed: int = 0) -> Head:
        """An untrained head (for tests)."""
        rng = np.random.default_rng(seed)
        k = len(outputs)
        arrays = {
            "mean": np.zeros(dim, np.float32),
            "std": np.ones(dim, np.float32),
            "w1": rng.normal(0, 0.1, (dim, hidden)).astype(np.float32),
            "b1": np.zeros(hidden, np.float32),
            "w2": rng.normal(0, 0.1, (hidden, k)).astype(np.float32),
            "b2": np.zeros(k, np.float32),
            "platt_a": np.ones(k, np.float32),
            "platt_b": np.zeros(k, np.float32),
        }
        return cls(outputs=tuple(outputs), arrays=arrays, meta={"outputs": list(outputs)})

    def save(self, folder: str | Path) -> None:
        """Write ``head.npz`` (float16 weights) and ``model.json`` into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {k: self.arrays[k].astype(np.float16) if k in ("w1", "w2") else self.arrays[k] for k in _ARRAYS}
        np.savez_compressed(folder / HEAD_FILE, **arrays)
        meta = dict(self.meta, outputs=list(self.outputs))
        (folder / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    def logits(self, features: np.ndarray) -> np.ndarray:
        """Uncalibrated logits, shape (rows, outputs)."""
        a = self.arrays
        x = (features - a["mean"]) / a["std"]
        return gelu(x @ a["w1"] + a["b1"]) @ a["w2"] + a["b2"]

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, shape (rows, outputs).

        If ``meta["any_covers"]`` lists outputs, the ``any`` output is raised to at least
        the highest of them: a text likely harmful in one category is likely harmful at all.
        """
        a = self.arrays
        return self.probabilities(self.logits(features) * a["platt_a"] + a["platt_b"])

    def probabilities(self, calibrated: np.ndarray) -> np.ndarray:
        """The sigmoid of calibrated logits, then the ``any_covers`` rule of :meth:`predict`."""
        probs = sigmoid(calibrated)
        covers = [self.outputs.index(k) for k in self.meta.get("any_covers", ()) if k in self.outputs]
        if covers and ANY_OUTPUT in self.outputs and len(probs):
            j = self.outputs.index(ANY_OUTPUT)
            probs[:, j] = np.maximum(probs[:, j], probs[:, covers].max(axis=1))
        return probs
