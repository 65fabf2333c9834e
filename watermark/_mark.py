"""Mark every image in a generator's return value (used by the guard)."""

from __future__ import annotations

import copy
import dataclasses
import logging
from pathlib import Path
from typing import Any

import numpy as np

from raikit.errors import InputError

from ._image import _is_pil, embed_image

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def _is_image_array(obj: Any) -> bool:
    return (
        isinstance(obj, np.ndarray)
        and (obj.dtype == np.uint8 or obj.dtype.kind == "f")
        and (obj.ndim == 2 or (obj.ndim == 3 and obj.shape[2] in (3, 4)))
        and min(obj.shape[:2]) >= 8
    )


def mark_images(obj: Any, *, key: bytes | str, payload: str | int | bytes = "default") -> tuple[Any, int]:
    """Return a copy of ``obj`` with every image in it marked, and how many were marked.

    Walks PIL images, numpy images (HxWx3/4 or a batch NxHxWxC), image files given as
    ``pathlib.Path`` (PNG, JPEG, WebP: marked in place), lists, tuples, dicts (for
    example Hugging Face pipeline outputs such as ``[{"image": <PIL>}]``) and dataclass-like
    outputs with an ``images`` attribute (diffusers). Anything else is returned unchanged.
    Images smaller than the watermark's minimum are left unmarked and logged (without content).

    Args:
        obj: A generator's return value.
        key: The secret key.
        payload: The id to embed.

    Returns:
        ``(marked_copy, count)``.

    Example:
        >>> import numpy as np
        >>> out, n = mark_images([{"image": np.zeros((256, 256, 3), np.uint8)}], key="k3y!", payload="m1")
        >>> n
        1
    """
    count = 0

    def mark_one(img: Any) -> Any:
        nonlocal count
        try:
            # a file is marked in place (its path is what the generator returns)
            marked = embed_image(img, key=key, payload=payload, overwrite=isinstance(img, Path))
        except InputError as err:
            logger.warning("image left unmarked: %s", err)
            return img
        count += 1
        return marked

    def walk(x: Any) -> Any:
        if _is_pil(x):
            return mark_one(x)
        if isinstance(x, Path):
            return mark_one(x) if x.suffix.lower() in IMAGE_SUFFIXES and x.is_file() else x
        if isinstance(x, np.ndarray):
            if _is_image_array(x):
                return mark_one(x)
            if x.ndim == 4 and x.shape[3] in (3, 4):
                return np.stack([walk(frame) for frame in x])
            return x
        if isinstance(x, dict):
            return type(x)((k, walk(v)) for k, v in x.items()) if type(x) is dict else _copy_mapping(x, walk)
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, tuple):
            items = [walk(v) for v in x]
            return type(x)(*items) if hasattr(x, "_fields") else tuple(items)
        if dataclasses.is_dataclass(x) and not isinstance(x, type):
            changes = {f.name: walk(getattr(x, f.name)) for f in dataclasses.fields(x)}
            try:
                return dataclasses.replace(x, **changes)
            except (TypeError, ValueError):
                clone = copy.copy(x)
                for name, value in changes.items():
                    object.__setattr__(clone, name, value)
                return clone
        if hasattr(x, "images") and not isinstance(x, type):
            clone = copy.copy(x)
            clone.images = walk(x.images)
            return clone
        return x

    return walk(obj), count


def _copy_mapping(x: Any, walk: Any) -> Any:
    clone = copy.copy(x)
    for k in list(clone.keys()):
        clone[k] = walk(x[k])
    return clone
