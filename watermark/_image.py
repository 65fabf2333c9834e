"""Public image API: embed and detect on numpy arrays, PIL images and files."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from raikit.errors import InputError, MissingDependencyError

from ._keys import key_id, normalize_key

logger = logging.getLogger(__name__)

ImageT = TypeVar("ImageT")

INSTALL = "pip install 'raikit[watermark]'"
TOO_SMALL = "image {name} is {width}x{height} pixels; the watermark needs at least {minimum}x{minimum}"
UNREADABLE = "cannot read image file {name}: {reason}"
NOT_FOUND = "image file {name} does not exist"
BAD_ARRAY = (
    "image array {name} must be HxW, HxWx3 or HxWx4 uint8 (or float in [0, 1]); "
    "got shape {shape} dtype {dtype}"
)
BAD_TYPE = "image must be a numpy array, a PIL image or a file path; got {kind}"
NO_OUT = "embedding into file {name} needs out=PATH (or overwrite=True to replace the file in place)"
OUT_EXISTS = "output file {name} already exists; pass overwrite=True to replace it"
SAVE_FAILED = "cannot write image file {name}: {reason}"
LOSSY_QUALITY = 95
REASON_NO_SYNC = "no_sync"
REASON_DAMAGED = "not_decoded"
REASONS = {
    REASON_NO_SYNC: (
        "no synchronisation: the keyed pilot of key id {key_id} was not found in any of {tried} geometries "
        "(unmarked, marked with another key, or a geometry outside the search)"
    ),
    REASON_DAMAGED: (
        "the keyed pilot of key id {key_id} was found (score {score:.1f}) but the payload did not decode "
        "(too damaged)"
    ),
}


@dataclass(frozen=True)
class ImageDetection:
    """The result of :func:`detect_image`.

    Attributes:
        found: A mark made with this key was decoded and its keyed tag verified, or (given
            payloads) verified against one of them.
        payload: The decoded payload id (``None`` if not found, or if the payload was long,
            stored as a hash, and not among the candidates).
        bit_errors: Coded bits the error-correcting code had to correct (verified: coded bits
            that disagree with the payload's).
        p_value: Chance that an unmarked image (or one marked with another key) matches this
            well, corrected for every message checked over every geometry candidate tried
            (``tags_checked * 2**-32``; for a payload found by verification, plus the
            correlation test's bound; 1.0 when not found).
        key_id: Public id of the key used (never the key).
        payload_digest: Hex of the decoded payload field (useful for hashed payloads).
        magnification: The geometry candidate that matched (1.0 = no rescaling).
        candidates_tried: Decoding attempts made (geometry and tile-shift candidates).
        tags_checked: Keyed tags checked over those attempts (a list decoder checks up to 16
            messages per attempt): the multiple-testing count of the p-value.
        elapsed_ms: Detection time in milliseconds.
        extra: ``pilot_score``, ``geometry`` (the map undone, or how the payload was verified),
            ``template_score`` and ``verified`` (found by verification, not blind decoding).
        reason: Why nothing was found (``"no_sync"``, ``"not_decoded"``), ``None`` when found.
        message: The reason in words.
    """

    found: bool
    payload: str | None
    bit_errors: int
    p_value: float
    key_id: str
    payload_digest: str | None = None
    magnification: float = 1.0
    candidates_tried: int = 0
    tags_checked: int = 0
    elapsed_ms: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def _require() -> None:
    try:
        import cv2  # noqa: F401
        from PIL import Image  # noqa: F401
    except ImportError as err:
        raise MissingDependencyError("the image watermark dependencies (opencv, Pillow)", INSTALL) from err


def _check_size(height: int, width: int, name: str) -> None:
    from ._image_core import MIN_SIDE

    if min(height, width) < MIN_SIDE:
        raise InputError(TOO_SMALL.format(name=name, width=width, height=height, minimum=MIN_SIDE))


def _read_file(path: Path) -> Any:
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise InputError(NOT_FOUND.format(name=path))
    try:
        with Image.open(path) as probe:
            probe.verify()
        img = Image.open(path)
        img.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
        raise InputError(UNREADABLE.format(name=path, reason=type(err).__name__)) from err
    return img


def _array_to_rgb(arr: np.ndarray, name: str) -> tuple[np.ndarray, Any]:
    """RGB uint8 view of an array plus what is needed to rebuild the original layout."""
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise InputError(BAD_ARRAY.format(name=name, shape=arr.shape, dtype=arr.dtype))
    as_float = arr.dtype.kind == "f"
    if as_float:
        if arr.size and (np.nanmin(arr) < 0 or np.nanmax(arr) > 1):
            raise InputError(BAD_ARRAY.format(name=name, shape=arr.shape, dtype=arr.dtype))
        data = np.clip(np.rint(arr * 255.0), 0, 255).astype(np.uint8)
    elif arr.dtype == np.uint8:
        data = arr
    else:
        raise InputError(BAD_ARRAY.format(name=name, shape=arr.shape, dtype=arr.dtype))
    if data.ndim == 2:
        rgb = np.repeat(data[:, :, None], 3, axis=2)
    else:
        rgb = data[:, :, :3]
    return np.ascontiguousarray(rgb), (arr.ndim, arr.dtype, data)


def _rgb_to_array(rgb: np.ndarray, info: Any) -> np.ndarray:
    ndim, dtype, data = info
    if ndim == 2:
        out = rgb[:, :, 0]
    elif data.shape[2] == 4:
        out = np.concatenate([rgb, data[:, :, 3:]], axis=2)
    else:
        out = rgb
    if np.dtype(dtype).kind == "f":
        return (out.astype(np.float64) / 255.0).astype(dtype)
    return out


def _pil_to_rgb(img: Any) -> np.ndarray:
    return np.asarray(img.convert("RGB"))


def _rgb_to_pil(rgb: np.ndarray, original: Any) -> Any:
    from PIL import Image

    marked = Image.fromarray(rgb, mode=None)
    if original.mode == "RGBA":
        marked.putalpha(original.getchannel("A"))
    elif original.mode == "L":
        marked = marked.convert("L")
    marked.info.update({k: v for k, v in original.info.items() if k in ("dpi", "icc_profile")})
    return marked


def _save(img: Any, out: Path) -> None:
    fmt_kwargs: dict[str, Any] = {}
    suffix = out.suffix.lower()
    if suffix in (".jpg", ".jpeg", ".webp"):
        fmt_kwargs["quality"] = LOSSY_QUALITY
        if img.mode == "RGBA" and suffix != ".webp":
            img = img.convert("RGB")
    try:
        img.save(out, **fmt_kwargs)
    except (OSError, ValueError, KeyError) as err:
        raise InputError(SAVE_FAILED.format(name=out, reason=type(err).__name__)) from err


def embed_image(
    image: ImageT,
    *,
    key: bytes | str,
    payload: str | int | bytes = "default",
    out: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    psnr: float | None = None,
) -> ImageT:
    """Mark an image with a keyed, error-corrected payload.

    The payload (a model or deployment id; up to 7 bytes are carried verbatim, longer ids
    as a hash) and a 32-bit keyed tag are convolutionally coded and spread over a keyed
    pattern repeated across the image, with a keyed Fourier template for geometric sync, in
    the luma only. The strength follows local texture (perceptual masking) and is the
    largest that keeps the PSNR at ``psnr`` dB and the SSIM at 0.9815.

    Args:
        image: An HxWx3 (or HxW, HxWx4) uint8 numpy array, a PIL image, or a file path.
        key: The secret key.
        payload: The id to embed.
        out: For a file path input: where to write the marked image (format from the suffix;
            JPEG and WebP are written at quality 95).
        overwrite: Allow replacing an existing file (including the input itself when
            ``out`` is not given).
        psnr: Lowest PSNR in dB (default 38.1; lower is more robust and more visible).

    Returns:
        The marked image in the type given: a new array, a new PIL image, or the output path.

    Raises:
        InputError: Unreadable or corrupt file, image smaller than 128x128, bad array, or an
            output that would overwrite a file without ``overwrite=True``.

    Example:
        >>> import numpy as np
        >>> img = np.full((256, 256, 3), 128, dtype=np.uint8)
        >>> marked = embed_image(img, key="my secret", payload="model-1")
        >>> detect_image(marked, key="my secret").payload
        'model-1'
    """
    _require()
    from ._image_core import TARGET_PSNR, embed_rgb

    k = normalize_key(key)
    target = TARGET_PSNR if psnr is None else float(psnr)
    if isinstance(image, (str, os.PathLike)):
        src = Path(image)
        dest = Path(out) if out is not None else None
        if dest is None and not overwrite:
            raise InputError(NO_OUT.format(name=src))
        dest = dest or src
        if dest.exists() and not overwrite:
            raise InputError(OUT_EXISTS.format(name=dest))
        img = _read_file(src)
        _check_size(img.height, img.width, str(src))
        marked = _rgb_to_pil(embed_rgb(_pil_to_rgb(img), k, payload, target), img)
        _save(marked, dest)
        logger.info("watermarked image file (key_id=%s, %dx%d)", key_id(k), img.width, img.height)
        return type(image)(dest) if isinstance(image, str) else dest  # type: ignore[return-value]
    if isinstance(image, np.ndarray):
        rgb, info = _array_to_rgb(image, "<array>")
        _check_size(rgb.shape[0], rgb.shape[1], "<array>")
        return _rgb_to_array(embed_rgb(rgb, k, payload, target), info)  # type: ignore[return-value]
    if _is_pil(image):
        _check_size(image.height, image.width, "<PIL image>")  # type: ignore[attr-defined]
        marked_rgb = embed_rgb(_pil_to_rgb(image), k, payload, target)
        return _rgb_to_pil(marked_rgb, image)  # type: ignore[return-value]
    raise InputError(BAD_TYPE.format(kind=type(image).__name__))


def _is_pil(obj: Any) -> bool:
    try:
        from PIL import Image
    except ImportError:
        return False
    return isinstance(obj, Image.Image)


def load_rgb(image: Any) -> tuple[np.ndarray, str]:
    """An RGB uint8 array and a display name for any supported image input."""
    if isinstance(image, (str, os.PathLike)):
        path = Path(image)
        img = _read_file(path)
        return _pil_to_rgb(img), str(path)
    if isinstance(image, np.ndarray):
        return _array_to_rgb(image, "<array>")[0], "<array>"
    if _is_pil(image):
        return _pil_to_rgb(image), "<PIL image>"
    raise InputError(BAD_TYPE.format(kind=type(image).__name__))


def detect_image(
    image: Any, *, key: bytes | str, payloads: list[str | int | bytes] | None = None
) -> ImageDetection:
    """Look for a mark made with ``key``.

    Tries the unchanged geometry, then the rotations / scales / aspect changes / flips the
    keyed Fourier template reports (and their half turns, ranked and polished on the pilot),
    then a pilot search over kept downscales, two tile shifts each, and stops at the first
    candidate whose keyed tag verifies (each attempt checks the Viterbi message and, when
    that fails, the next 15 most likely ones). The p-value is ``tags_checked * 2**-32``.

    When ``payloads`` are given and no tag verifies, each reading is also verified against
    them: the soft values are correlated with each payload's coded bits, which finds a mark
    too damaged to decode blind (``extra["verified"]`` is then true; the p-value adds the
    test's bound, corrected for every reading and payload tested). Name every payload you
    embed under the key: a mark whose payload is not among them is not reported.

    Args:
        image: A numpy array, PIL image or file path.
        key: The secret key.
        payloads: The ids you may have embedded under ``key``: needed to name payloads longer
            than 7 bytes (those are embedded as a hash), and verified when blind decoding fails.

    Returns:
        An :class:`ImageDetection`.

    Raises:
        InputError: Unreadable, corrupt or too small image.

    Example:
        >>> import numpy as np
        >>> detect_image(np.zeros((256, 256, 3), np.uint8), key="my secret").found
        False
    """
    _require()
    from ._image_core import detect_rgb
    from ._payload import DecodedMessage, payload_bytes

    k = normalize_key(key)
    for candidate in payloads or []:
        payload_bytes(candidate)  # a bad candidate is an error whichever path finds the mark
    rgb, name = load_rgb(image)
    _check_size(rgb.shape[0], rgb.shape[1], name)
    start = time.perf_counter()
    raw = detect_rgb(rgb, k, payloads)
    elapsed = (time.perf_counter() - start) * 1000.0
    from ._image_core import MIN_PILOT_SCORE

    payload = DecodedMessage(raw.valid, raw.field).payload(payloads) if raw.valid else None
    reason = None if raw.valid else (REASON_DAMAGED if raw.pilot_score >= MIN_PILOT_SCORE else REASON_NO_SYNC)
    message = REASONS[reason].format(key_id=key_id(k), tried=raw.candidates_tried, score=raw.pilot_score) if reason else None
    logger.info(
        "image watermark detection (key_id=%s): found=%s tried=%d", key_id(k), raw.valid, raw.candidates_tried
    )
    return ImageDetection(
        found=raw.valid,
        payload=payload,
        bit_errors=raw.bit_errors,
        p_value=raw.p_value,
        key_id=key_id(k),
        payload_digest=raw.field.hex() if raw.valid else None,
        magnification=raw.magnification,
        candidates_tried=raw.candidates_tried,
        tags_checked=raw.tags_checked,
        elapsed_ms=elapsed,
        extra={"pilot_score": round(raw.pilot_score, 3), "geometry": raw.geometry,
               "template_score": round(raw.template_score, 2), "verified": raw.verified_p is not None},
        reason=reason,
        message=message,
    )
