from __future__ import annotations

from pathlib import Path

import numpy as np

from training.harm.cache import PROBE_TEXT, cached_window_features
from raikit.guardrails.harm._encoder import FEATURE_DIM, WindowFeatures


def _fake(calls: list[list[str]]):
    def compute(texts: list[str]) -> WindowFeatures:
        calls.append(list(texts))
        rows, owner = [], []
        for i, t in enumerate(texts):
            for w in range(1 + len(t) // 10):  # longer texts get more windows
                rows.append(np.full(FEATURE_DIM, len(t) + w, np.float32))
                owner.append(i)
        return WindowFeatures(np.array(rows), np.array(owner))

    return compute


def test_only_new_texts_are_computed_and_results_match(tmp_path: Path) -> None:
    calls: list[list[str]] = []
    first = cached_window_features(["short", "a much longer text here"], _fake(calls), tmp_path)
    second = cached_window_features(["a much longer text here", "new one", "short"], _fake(calls), tmp_path)
    assert [c for c in calls if c != [PROBE_TEXT]] == [["short", "a much longer text here"], ["new one"]]
    direct = _fake([])(["a much longer text here", "new one", "short"])
    np.testing.assert_array_equal(second.owner, direct.owner)
    np.testing.assert_array_equal(second.features, direct.features)
    assert first.features.shape[0] == 1 + 3


def test_a_changed_encoder_output_gets_its_own_store(tmp_path: Path) -> None:
    calls: list[list[str]] = []
    cached_window_features(["short"], _fake(calls), tmp_path)

    def quantised(texts: list[str]) -> WindowFeatures:  # the same texts, slightly other numbers
        out = _fake(calls)(texts)
        return WindowFeatures(out.features + 0.01, out.owner)

    again = cached_window_features(["short"], quantised, tmp_path)
    assert calls.count(["short"]) == 2  # recomputed, not read from the first encoder's store
    np.testing.assert_array_equal(again.features, quantised(["short"]).features)
    assert len(list(tmp_path.glob("features_*.npz"))) == 2
