"""The public surface of raikit.watermark and its import cost."""

from __future__ import annotations

import subprocess
import sys

import raikit.watermark as wm

DOCUMENTED = [
    "ContentCredentials", "ImageDetection", "TextDetection", "TextWatermark", "ThirdPartyMark", "attach_credentials",
    "detect_image", "detect_third_party", "embed_image", "key_id", "mark_images", "read_credentials", "sign_outputs",
]


def test_exports_are_exactly_the_documented_names() -> None:
    assert wm.__all__ == sorted(wm.__all__) == DOCUMENTED
    assert all(hasattr(wm, name) for name in DOCUMENTED)


def test_import_is_light() -> None:
    code = "import sys, raikit.watermark; print(sorted(m for m in ('torch', 'transformers', 'cv2', 'PIL', 'imwatermark', 'c2pa', 'scipy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_key_id_is_public_and_stable() -> None:
    assert wm.key_id("abc") == wm.key_id(b"abc") and len(wm.key_id("abc")) == 8
    assert wm.key_id("abc") != wm.key_id("abd")
