from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from raikit.guardrails.harm._head import Head, gelu, sigmoid


def test_round_trip_keeps_predictions(tmp_path: Path) -> None:
    head = Head.random(["a", "b", "c"], dim=8, hidden=5, seed=1)
    head.arrays["platt_a"][:] = [0.5, 1.0, 2.0]
    head.arrays["platt_b"][:] = [-1.0, 0.0, 1.0]
    head.save(tmp_path)
    loaded = Head.load(tmp_path)
    x = np.random.default_rng(0).normal(size=(4, 8)).astype(np.float32)
    assert loaded.outputs == ("a", "b", "c")
    np.testing.assert_allclose(loaded.predict(x), head.predict(x), atol=2e-3)  # float16 weights


def test_missing_files_name_the_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="head.npz"):
        Head.load(tmp_path)


def test_activation_functions() -> None:
    x = np.array([-50.0, -1.0, 0.0, 1.0, 50.0])
    p = sigmoid(x)
    assert np.all((p >= 0) & (p <= 1)) and p[2] == pytest.approx(0.5)
    assert gelu(np.array([0.0]))[0] == 0.0 and gelu(np.array([3.0]))[0] == pytest.approx(3.0, abs=0.01)


def test_any_covers_raises_any_to_the_highest_listed_output(tmp_path: Path) -> None:
    plain = Head.random(["a", "b", "any"], dim=6, hidden=4, seed=2)
    plain.arrays["platt_b"][:] = [3.0, -3.0, -3.0]  # "a" high, "b" and "any" low
    covered = Head(outputs=plain.outputs, arrays=plain.arrays, meta={"any_covers": ["a", "b"]})
    covered.save(tmp_path)
    x = np.random.default_rng(1).normal(size=(5, 6)).astype(np.float32)
    before, after = plain.predict(x), Head.load(tmp_path).predict(x)
    np.testing.assert_allclose(after[:, :2], before[:, :2], atol=2e-3)
    assert np.all(after[:, 2] >= np.maximum(before[:, 0], before[:, 1]) - 2e-3)
    assert np.all(after[:, 2] > before[:, 2] + 0.1)
