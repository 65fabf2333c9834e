"""Encoder features for the training recipes: one cached encoding path and the window helpers.

Both heads (harm, injection) train on frozen window features of the runtime encoder
(:class:`raikit.guardrails.harm._encoder.Encoder`, whatever precision it runs at) and score a
text as the max over its windows. This module holds the lines the recipes share:

- :func:`encoded`: a ``features(texts)`` callable backed by the content-addressed cache.
- :func:`sorted_windows`, :func:`windows_of`: windows ordered by text, and a subset of texts.
- :func:`text_logits`: a head's logits per text (max over its windows).
- :func:`train_window_mlp`: the MLP fitted on the max over each text's windows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from raikit.guardrails.harm._encoder import WindowFeatures, get_encoder
from raikit.guardrails.harm._head import Head
from training.harm.cache import DEFAULT_CACHE_DIR, cached_window_features

if TYPE_CHECKING:
    import torch

Features = Callable[[list[str]], WindowFeatures]


def encoded(cache_dir: str | Path = DEFAULT_CACHE_DIR, batch_size: int = 64) -> Features:
    """``features(texts)``: window features of the packaged encoder, cached under ``cache_dir``.

    Example:
        >>> feats = encoded("/tmp/raikit_cache")  # doctest: +SKIP
        >>> feats(["hello"]).features.shape  # doctest: +SKIP
        (1, 1152)
    """
    encoder = get_encoder(precision="float32")  # heads train on float32 features on every machine
    return lambda texts: cached_window_features(
        texts, lambda todo: encoder.window_features(todo, batch_size=batch_size), cache_dir
    )


def sorted_windows(windows: WindowFeatures) -> tuple[np.ndarray, np.ndarray]:
    """Features and owners with the windows of each text together, texts in order."""
    order = np.argsort(windows.owner, kind="stable")
    return windows.features[order], windows.owner[order]


def windows_of(x: np.ndarray, owner: np.ndarray, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The windows of ``texts`` (sorted indices), owners renumbered 0..len(texts)-1."""
    keep = np.isin(owner, texts)
    return x[keep], np.searchsorted(texts, owner[keep])


def text_logits(head: Head, x: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Uncalibrated logits per text: the max over its windows, shape (n, outputs)."""
    out = np.full((n, len(head.outputs)), -np.inf, np.float32)
    np.maximum.at(out, owner, head.logits(x))
    return out


def masked_bce(logits: torch.Tensor, target: torch.Tensor, known: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy over the known labels only (``known`` is 1 where a label exists),
    each text weighted by ``weight`` (its source's loss share), averaged over the weights."""
    import torch

    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="none")
    weights = known * weight[:, None]
    return (loss * weights).sum() / weights.sum().clamp(min=1e-6)


def train_window_mlp(
    x: np.ndarray,
    owner: np.ndarray,
    y: np.ndarray,
    mask: np.ndarray,
    weight: np.ndarray,
    *,
    outputs: Sequence[str],
    any_covers: Sequence[str],
    hidden: int,
    epochs: int,
    batch: int,
    seed: int,
) -> Head:
    """Fit an MLP on window features ``x``; a text's logits are the max over its windows.

    ``owner`` maps windows to texts (sorted, every text has a window); ``y``, ``mask`` and
    ``weight`` are per text (a masked, weighted BCE: unknown labels do not count). Training
    on the max over windows (as inference scores) lets one window of a long text carry its
    label without teaching the head that the text's other windows carry it too.

    Returns:
        A head with identity calibration (``platt_a`` 1, ``platt_b`` 0).
    """
    import torch

    torch.manual_seed(seed)
    k = y.shape[1]
    mean, std = x.mean(0), x.std(0) + 1e-4
    xt = torch.from_numpy((x - mean) / std)
    yt, mt, wt = torch.from_numpy(y), torch.from_numpy(mask), torch.from_numpy(weight)
    starts = np.searchsorted(owner, np.arange(len(y) + 1))
    model = torch.nn.Sequential(
        torch.nn.Dropout(0.1), torch.nn.Linear(x.shape[1], hidden), torch.nn.GELU(approximate="tanh"),
        torch.nn.Dropout(0.3), torch.nn.Linear(hidden, k),
    )
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(y), generator=gen).numpy()
        for begin in range(0, len(order), batch):
            texts = order[begin : begin + batch]
            counts = starts[texts + 1] - starts[texts]
            rows = np.concatenate([np.arange(starts[t], starts[t + 1]) for t in texts])
            slot = torch.from_numpy(np.repeat(np.arange(len(texts)), counts))
            per_window = model(xt[rows])
            logits = torch.full((len(texts), k), -1e4).scatter_reduce(
                0, slot[:, None].expand_as(per_window), per_window, reduce="amax"
            )
            idx = torch.from_numpy(texts)
            loss = masked_bce(logits, yt[idx], mt[idx], wt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    lin1, lin2 = model[1], model[4]
    arrays = {
        "mean": mean.astype(np.float32), "std": std.astype(np.float32),
        "w1": lin1.weight.detach().numpy().T.copy(), "b1": lin1.bias.detach().numpy().copy(),
        "w2": lin2.weight.detach().numpy().T.copy(), "b2": lin2.bias.detach().numpy().copy(),
        "platt_a": np.ones(k, np.float32), "platt_b": np.zeros(k, np.float32),
    }
    return Head(outputs=tuple(outputs), arrays=arrays, meta={"any_covers": list(any_covers)})
