"""Third-party invisible marks: the ``invisible-watermark`` (imwatermark) dwtDct messages that
Stable Diffusion pipelines embed.

Stable Diffusion XL pipelines (diffusers' ``StableDiffusionXLWatermarker``) embed a fixed
48-bit message with ``WatermarkEncoder.encode(bgr, "dwtDct")``; the Stable Diffusion 1.x / 2.x
reference scripts embed the bytes ``StableDiffusionV1`` / ``SDV2``. Decoding is done by the
invisible-watermark package itself; a message counts as present when the bits that match
would happen by chance on an unmarked image with probability ``p <= P_THRESHOLD``
(binomial, corrected for the messages tried).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from raikit.errors import MissingDependencyError

INSTALL = "pip install invisible-watermark"
P_THRESHOLD = 1e-6
SDXL_MESSAGE = 0b101100111110110010010000011110111011000110011110


def _bits_of_bytes(data: bytes) -> list[int]:
    return [int(b) for b in np.unpackbits(np.frombuffer(data, dtype=np.uint8))]


KNOWN_MARKS: dict[str, list[int]] = {
    "stable-diffusion-xl": [int(b) for b in bin(SDXL_MESSAGE)[2:]],
    "stable-diffusion-v1": _bits_of_bytes(b"StableDiffusionV1"),
    "stable-diffusion-v2": _bits_of_bytes(b"SDV2"),
}


@dataclass(frozen=True)
class ThirdPartyMark:
    """A third-party mark found in an image.

    Attributes:
        name: Which known message (e.g. ``stable-diffusion-xl``).
        method: The invisible-watermark method (``dwtDct``).
        bits_matched: Bits equal to the known message.
        bits: Message length.
        p_value: Chance of this many matches on an unmarked image, times the messages tried.
    """

    name: str
    method: str
    bits_matched: int
    bits: int
    p_value: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def _binom_sf(k: int, n: int) -> float:
    """P(X >= k) for X ~ Binomial(n, 1/2)."""
    return sum(math.comb(n, i) for i in range(k, n + 1)) / 2.0**n


def detect_third_party(rgb: np.ndarray) -> list[ThirdPartyMark]:
    """Known third-party marks in an RGB uint8 image (images under 256x256 are skipped,
    as the encoders skip them).

    Raises:
        MissingDependencyError: invisible-watermark is not installed.

    Example:
        >>> detect_third_party(np.zeros((256, 256, 3), np.uint8))  # doctest: +SKIP
        []
    """
    try:
        from imwatermark import WatermarkDecoder
    except ImportError as err:
        raise MissingDependencyError("invisible-watermark (third-party mark detection)", INSTALL) from err
    if min(rgb.shape[:2]) < 256:
        return []
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    found = []
    for name, expected in KNOWN_MARKS.items():
        decoded = WatermarkDecoder("bits", len(expected)).decode(bgr, "dwtDct")
        matched = int(sum(int(a) == b for a, b in zip(decoded, expected, strict=True)))
        p = min(1.0, _binom_sf(matched, len(expected)) * len(KNOWN_MARKS))
        if p <= P_THRESHOLD:
            found.append(ThirdPartyMark(name, "dwtDct", matched, len(expected), p))
    return found
