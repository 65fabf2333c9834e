"""Helpers for the watermark tests (synthetic natural-looking images)."""

from __future__ import annotations

import numpy as np


def natural_image(seed: int, height: int = 256, width: int = 256) -> np.ndarray:
    """A photo-like RGB image: multi-scale smooth texture, gradients, edges and fine grain."""
    import cv2

    rng = np.random.default_rng(seed)
    img = np.zeros((height, width, 3), dtype=np.float32)
    for cells, weight in ((4, 60.0), (16, 25.0), (64, 10.0)):
        small = rng.normal(0.0, 1.0, (cells, cells, 3)).astype(np.float32)
        img += weight * cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    yy, xx = np.mgrid[0:height, 0:width]
    img += (40.0 * xx / width)[:, :, None]
    for _ in range(6):  # a few hard-edged shapes
        cy, cx, r = rng.integers(0, height), rng.integers(0, width), rng.integers(10, 50)
        img[(yy - cy) ** 2 + (xx - cx) ** 2 < r * r] += rng.normal(0, 40, 3).astype(np.float32)
    img += rng.normal(0.0, 2.0, img.shape).astype(np.float32)
    return np.clip(img + 128.0 - img.mean(), 0, 255).astype(np.uint8)
