"""Common image distortions for the watermark benchmarks and tests (RGB uint8 in and out; not installed)."""

from __future__ import annotations

import io

import numpy as np


def jpeg(rgb: np.ndarray, quality: int = 50) -> np.ndarray:
    """Re-encode as JPEG at ``quality``."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB")).copy()


def resize(rgb: np.ndarray, factor: float = 0.5) -> np.ndarray:
    """Resize by ``factor`` then back to the original size."""
    import cv2

    h, w = rgb.shape[:2]
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def brightness(rgb: np.ndarray, change: float = 0.2) -> np.ndarray:
    """Multiply every channel by ``1 + change`` (clipped)."""
    return np.clip(rgb.astype(np.float32) * (1.0 + change), 0, 255).round().astype(np.uint8)


def noise(rgb: np.ndarray, sigma: float = 5.0, seed: int = 0) -> np.ndarray:
    """Add Gaussian noise of standard deviation ``sigma`` (independent per channel)."""
    rng = np.random.default_rng(seed)
    noisy = rgb.astype(np.float32) + rng.normal(0.0, sigma, rgb.shape)
    return np.clip(noisy, 0, 255).round().astype(np.uint8)


def crop(rgb: np.ndarray, fraction: float = 0.1, seed: int | None = None) -> np.ndarray:
    """Cut ``fraction`` of each side length (centred, or at a seeded random offset) and
    rescale the rest back to the original size."""
    import cv2

    h, w = rgb.shape[:2]
    ch, cw = round(h * (1 - fraction)), round(w * (1 - fraction))
    if seed is None:
        top, left = (h - ch) // 2, (w - cw) // 2
    else:
        rng = np.random.default_rng(seed)
        top, left = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    return cv2.resize(rgb[top : top + ch, left : left + cw], (w, h), interpolation=cv2.INTER_LINEAR)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB between two uint8 images."""
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10.0 * np.log10(255.0**2 / mse)


ATTACKS = {
    "none": lambda x: x,
    "jpeg75": lambda x: jpeg(x, 75),
    "jpeg50": lambda x: jpeg(x, 50),
    "resize0.5": lambda x: resize(x, 0.5),
    "bright+20": lambda x: brightness(x, 0.2),
    "bright-20": lambda x: brightness(x, -0.2),
    "noise5": lambda x: noise(x, 5.0),
    "crop10": lambda x: crop(x, 0.1),
    "crop10r": lambda x: crop(x, 0.1, seed=1),
}
