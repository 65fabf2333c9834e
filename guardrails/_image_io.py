"""Decode images for checks and watermarks with a pixel limit enforced *before* decoding.

A 20000x20000 PNG is a few kilobytes on disk and 1.2 GB once decoded ("decompression
bomb"). :func:`open_image_limited` reads only the header, refuses images over the limit with
a located :class:`InputError`, and only then decodes. Every decoding failure (truncated,
corrupt, not an image, Pillow's own bomb check) is an ``InputError`` too, never a traceback.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from raikit.errors import InputError, MissingDependencyError

#: Largest image decoded by default: 8192 x 8192 pixels (about 200 MB as RGB).
DEFAULT_MAX_PIXELS = 8192 * 8192

ERR_TOO_MANY = ("{name}: image is {width}x{height} = {pixels:,} pixels; at most {limit:,} are decoded "
                "(a decompression bomb?): resize it or raise max_pixels")
ERR_UNREADABLE = "{name}: cannot decode the image ({reason})"


def check_pixels(width: int, height: int, name: str, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
    """Raise :class:`InputError` when ``width * height`` exceeds ``max_pixels``.

    Example:
        >>> check_pixels(640, 480, "photo.png")
    """
    if width * height > max_pixels:
        raise InputError(ERR_TOO_MANY.format(name=name, width=width, height=height, pixels=width * height,
                                             limit=max_pixels))


def open_image_limited(source: str | os.PathLike[str] | bytes | Any, *, max_pixels: int = DEFAULT_MAX_PIXELS,
                       name: str | None = None) -> Any:
    """Open and decode an image, refusing more than ``max_pixels`` before any pixel is decoded.

    Args:
        source: A path, the encoded bytes, a binary file object, or an already decoded
            ``PIL.Image.Image`` (its size is checked; it is returned as is).
        max_pixels: The limit (width x height).
        name: How errors name the image (default: the path, or ``<image>``).

    Returns:
        The decoded ``PIL.Image.Image`` (``load()`` done).

    Raises:
        InputError: the image is too large, missing, truncated or not an image.
        MissingDependencyError: Pillow is not installed.

    Example:
        >>> import io
        >>> from PIL import Image
        >>> buf = io.BytesIO(); Image.new("RGB", (64, 32)).save(buf, "PNG")
        >>> open_image_limited(buf.getvalue()).size
        (64, 32)
    """
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError as err:  # pragma: no cover - Pillow ships with the watermark extra
        raise MissingDependencyError("Pillow", "pip install 'raikit[watermark]'") from err

    if isinstance(source, Image.Image):
        check_pixels(source.width, source.height, name or "<image>", max_pixels)
        return source
    if isinstance(source, bytes | bytearray):
        label, handle = name or "<image>", io.BytesIO(bytes(source))
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        label = name or str(path)
        if not path.is_file():
            raise InputError(f"{label}: image file not found")
        handle = path
    else:
        label, handle = name or "<image>", source
    failures = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError)
    try:
        img = Image.open(handle)  # reads the header only
    except Image.DecompressionBombError:
        limit = min(max_pixels, 2 * (Image.MAX_IMAGE_PIXELS or max_pixels))
        raise InputError(f"{label}: image has more than {limit:,} pixels (a decompression bomb); at most "
                         f"{max_pixels:,} are decoded") from None
    except failures as err:
        raise InputError(ERR_UNREADABLE.format(name=label, reason=type(err).__name__)) from None
    try:
        check_pixels(img.width, img.height, label, max_pixels)
        img.load()
    except InputError:
        img.close()
        raise
    except failures as err:
        img.close()
        raise InputError(ERR_UNREADABLE.format(name=label, reason=type(err).__name__)) from None
    return img
