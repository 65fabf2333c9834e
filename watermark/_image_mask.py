"""Perceptual masking for the image mark: where the eye (and SSIM) tolerates a change.

A change of variance ``n`` in a 7x7 window whose luma has variance ``s`` costs that window
about ``n / (2 s + C2)`` of SSIM's contrast-structure term (``C2 = (0.03 * 255)**2``, the
constant of Wang et al. 2004); flat windows are the ones a uniform mark spoils. The mask
(a just-noticeable-difference map) makes the mark's local amplitude follow
``sqrt(2 s + C2)``: strong in texture, weak in flat sky, so the SSIM loss is about equal
everywhere. :func:`ssim` is the same statistic as ``skimage.metrics.structural_similarity``
(uniform 7x7 window, sample covariance, mean over channels and the interior), used by the
embedder to settle the global strength on a quality target.
"""

from __future__ import annotations

import numpy as np

WINDOW = 7
C1 = (0.01 * 255.0) ** 2
C2 = (0.03 * 255.0) ** 2
# a texture may take at most this multiple of the mean amplitude (keeps edges clean)
MASK_CAP = 3.0


def _box(x: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.blur(x, (WINDOW, WINDOW), borderType=cv2.BORDER_REFLECT)


def _local_variance(y: np.ndarray) -> np.ndarray:
    mean = _box(y)
    return np.maximum(_box(y * y) - mean * mean, 0.0)


def jnd_mask(luma: np.ndarray) -> np.ndarray:
    """Per-pixel amplitude weights (mean square 1) from the local luma variance."""
    import cv2

    amp = np.sqrt(2.0 * _local_variance(luma.astype(np.float32)) + C2)
    # the change must be invisible in the flattest window it touches: take the local minimum
    amp = cv2.erode(amp, np.ones((WINDOW, WINDOW), np.uint8))
    amp = cv2.GaussianBlur(amp, (0, 0), 2.0)
    amp = np.minimum(amp, MASK_CAP * float(np.sqrt(np.mean(amp**2))))
    return (amp / float(np.sqrt(np.mean(amp**2)))).astype(np.float32)


class SSIM:
    """SSIM against one fixed reference (its window statistics computed once)."""

    def __init__(self, reference: np.ndarray) -> None:
        ref = reference.astype(np.float32)
        self._ref = ref
        self._mean = _box(ref)
        self._var = _box(ref * ref) - self._mean**2
        self._c1 = self._mean**2 + C1

    def __call__(self, other: np.ndarray) -> float:
        """Mean SSIM of ``other`` (same shape, grey levels 0-255) against the reference."""
        y = other.astype(np.float32)
        n = WINDOW * WINDOW
        cov = np.float32(n / (n - 1.0))
        pad = (WINDOW - 1) // 2
        mx, my = self._mean, _box(y)
        vy = _box(y * y)
        vy -= my * my
        vxy = _box(self._ref * y)
        vxy -= mx * my
        num = (2 * mx * my + C1) * (2 * cov * vxy + C2)
        den = (self._c1 + my * my) * (cov * (self._var + vy) + C2)
        return float((num / den)[pad:-pad, pad:-pad].mean(dtype=np.float64))


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM of two HxWx3 (or HxW) images in grey levels 0-255."""
    return SSIM(a)(b)
