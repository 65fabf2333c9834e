"""A content-addressed on-disk cache of encoder window features (training and benchmarks).

Each text is keyed by the SHA-256 of the text the encoder sees (``prepare``), so any list of
texts reuses what an earlier run already encoded. One store per encoder output: the store's
name carries a fingerprint of the features the encoder gives a fixed probe text, so a changed
runtime encoder (another checkpoint, int8 quantisation) never reuses stale features. The
cache lives outside the package (``/tmp`` by default).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from raikit.guardrails.harm._encoder import FEATURE_DIM, PREPARE_VERSION, WindowFeatures, prepare

logger = logging.getLogger(__name__)

DEFAULT_CACHE_DIR = Path("/tmp/raikit_harm_cache")
PROBE_TEXT = "The quick brown fox jumps over the lazy dog. I will kill this process now."


def _store_name(compute: Callable[[list[str]], WindowFeatures]) -> str:
    """The store of this encoder: window settings, text preparation and output fingerprint."""
    from raikit.guardrails.harm import _encoder

    probe = np.round(compute([PROBE_TEXT]).features.astype(np.float64), 3)
    fingerprint = hashlib.sha256(probe.tobytes()).hexdigest()[:12]
    return f"features_{_encoder.MAX_TOKENS}_{_encoder.STRIDE}_p{PREPARE_VERSION}_{fingerprint}.npz"


def _key(text: str) -> str:
    """Key of a text: what the encoder sees (texts that prepare alike share features)."""
    return hashlib.sha256(prepare(text).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def cached_window_features(
    texts: Sequence[str],
    compute: Callable[[list[str]], WindowFeatures],
    cache_dir: str | Path = DEFAULT_CACHE_DIR,
) -> WindowFeatures:
    """Window features of ``texts``, computing (with ``compute``) only the texts not cached yet.

    Args:
        texts: The texts.
        compute: Encodes a list of texts (for example ``get_encoder().window_features``); it
            is also asked for a probe text's features, which name the store.
        cache_dir: Folder of the cache file.

    Returns:
        Features and owners exactly as ``compute(texts)`` would return them, up to row order.

    Example:
        >>> from raikit.guardrails.harm import get_encoder
        >>> feats = cached_window_features(["hi"], get_encoder().window_features)  # doctest: +SKIP
    """
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    store = _store_name(compute)
    store_path = folder / store
    keys: list[str] = []
    feats = np.zeros((0, FEATURE_DIM), np.float32)
    owner_keys: list[int] = []
    if store_path.exists():
        with np.load(store_path, allow_pickle=False) as data:
            keys = [str(k) for k in data["keys"]]
            feats = data["features"]
            owner_keys = data["owner"].tolist()
    index = {k: i for i, k in enumerate(keys)}
    wanted = [_key(t) for t in texts]
    missing: dict[str, str] = {}
    for text, key in zip(texts, wanted):
        if key not in index and key not in missing:
            missing[key] = text
    if missing:
        new = compute(list(missing.values()))
        base = len(keys)
        new_keys = list(missing)
        keys.extend(new_keys)
        feats = np.concatenate([feats, new.features.astype(np.float32)])
        owner_keys.extend((base + new.owner).tolist())
        index = {k: i for i, k in enumerate(keys)}
        partial = folder / f".{store}.{os.getpid()}.tmp.npz"
        np.savez(partial, keys=np.array(keys), features=feats, owner=np.array(owner_keys, np.int64))
        os.replace(partial, store_path)  # readers never see a half-written store
        logger.info("cached %d new texts", len(new_keys))
    rows_of: dict[int, list[int]] = {}
    for row, key_index in enumerate(owner_keys):
        rows_of.setdefault(key_index, []).append(row)
    rows: list[int] = []
    owner: list[int] = []
    for text_index, key in enumerate(wanted):
        for row in rows_of[index[key]]:
            rows.append(row)
            owner.append(text_index)
    return WindowFeatures(features=feats[rows], owner=np.asarray(owner, np.int64))
