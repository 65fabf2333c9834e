"""Error-correcting code: a rate-1/2, constraint-length-7 convolutional code (the
industry-standard generators 133/171 octal) with a soft-decision Viterbi decoder.

The image watermark repeats the coded bits over many pixels; the decoder takes the summed
soft correlations (positive = bit 1) and returns the most likely message.
"""

from __future__ import annotations

import numpy as np

K = 7
MEMORY = K - 1
N_STATES = 1 << MEMORY
GENERATORS = (0o133, 0o171)


def _parity(x: int) -> int:
    return x.bit_count() & 1


def _tables() -> tuple[np.ndarray, np.ndarray]:
    """outputs[state, bit] -> (o0, o1) as +-1; next_state[state, bit]."""
    outputs = np.zeros((N_STATES, 2, 2), dtype=np.float64)
    next_state = np.zeros((N_STATES, 2), dtype=np.int64)
    for state in range(N_STATES):
        for bit in (0, 1):
            reg = (bit << MEMORY) | state
            outputs[state, bit] = [2 * _parity(reg & g) - 1 for g in GENERATORS]
            next_state[state, bit] = (reg >> 1) & (N_STATES - 1)
    return outputs, next_state


_OUTPUTS, _NEXT = _tables()
# The trellis seen from each destination state: the register shifts right (next = (bit << 5) |
# (state >> 1)), so destination d has the predecessors ((d & 31) << 1) | x for x in {0, 1},
# and its input bit is d >> 5.
_DEST = np.arange(N_STATES)
_BIT_IN = _DEST >> (MEMORY - 1)
_PRED = np.stack([((_DEST & (N_STATES // 2 - 1)) << 1), ((_DEST & (N_STATES // 2 - 1)) << 1) | 1])
_TAIL_BLOCK = _BIT_IN == 1  # states a zero tail cannot reach


def _branch_metrics(soft: np.ndarray, n_bits: int) -> np.ndarray:
    """Correlation of the soft values with each branch's output: (steps, predecessor 0/1, state)."""
    pairs = np.asarray(soft, dtype=np.float64).reshape(n_bits + MEMORY, 2)
    return np.einsum("xsk,tk->txs", _OUTPUTS[_PRED, _BIT_IN], pairs)


def coded_length(n_bits: int) -> int:
    """Number of coded bits for ``n_bits`` message bits (tail included)."""
    return 2 * (n_bits + MEMORY)


def encode(bits: np.ndarray) -> np.ndarray:
    """Encode 0/1 message bits (a zero tail flushes the register); returns 0/1 uint8.

    Example:
        >>> encode(np.array([1], dtype=np.uint8)).tolist()[:4]
        [1, 1, 0, 1]
    """
    u = np.concatenate([np.asarray(bits, dtype=np.int64), np.zeros(MEMORY, dtype=np.int64)])
    out = np.empty((len(u), 2), dtype=np.uint8)
    for k, g in enumerate(GENERATORS):
        taps = np.array([(g >> (MEMORY - j)) & 1 for j in range(K)], dtype=np.int64)
        out[:, k] = np.convolve(u, taps)[: len(u)] % 2
    return out.ravel()


def decode(soft: np.ndarray, n_bits: int) -> np.ndarray:
    """Soft-decision Viterbi decoding.

    Args:
        soft: ``coded_length(n_bits)`` reliabilities, positive meaning bit 1.
        n_bits: Message length.

    Returns:
        The most likely message bits (0/1 uint8).

    Example:
        >>> bits = np.array([1, 0, 1, 1], dtype=np.uint8)
        >>> decode(encode(bits) * 2.0 - 1.0, 4).tolist()
        [1, 0, 1, 1]
    """
    steps = n_bits + MEMORY
    branch_all = _branch_metrics(soft, n_bits)
    metric = np.full(N_STATES, -np.inf)
    metric[0] = 0.0
    choice = np.zeros((steps, N_STATES), dtype=np.int8)
    for t in range(steps):
        cand = metric[_PRED] + branch_all[t]
        pick = (cand[1] > cand[0]).astype(np.int8)
        metric = np.where(pick == 1, cand[1], cand[0])
        if t >= n_bits:
            metric[_TAIL_BLOCK] = -np.inf
        choice[t] = pick
    state = 0
    bits = np.zeros(steps, dtype=np.uint8)
    for t in range(steps - 1, -1, -1):
        bits[t] = _BIT_IN[state]
        state = int(_PRED[choice[t, state], state])
    return bits[:n_bits]


def decode_list(soft: np.ndarray, n_bits: int, size: int) -> list[np.ndarray]:
    """List Viterbi decoding: the ``size`` most likely messages, best first.

    Each trellis state keeps its ``size`` best paths (the parallel list Viterbi algorithm);
    the first entry is the ordinary Viterbi decision. The image watermark checks the keyed
    tag of each entry (so every entry counts towards the p-value): near the decoding limit
    the sent message is often second or fifth when it is not first.

    Args:
        soft: ``coded_length(n_bits)`` reliabilities, positive meaning bit 1.
        n_bits: Message length.
        size: Entries kept.

    Returns:
        Up to ``size`` distinct messages (0/1 uint8 arrays).

    Example:
        >>> bits = np.array([1, 0, 1, 1], dtype=np.uint8)
        >>> decode_list(encode(bits) * 2.0 - 1.0, 4, 3)[0].tolist()
        [1, 0, 1, 1]
    """
    steps = n_bits + MEMORY
    branch_all = _branch_metrics(soft, n_bits)
    metric = np.full((N_STATES, size), -np.inf)
    metric[0, 0] = 0.0
    back = np.zeros((steps, N_STATES, size), dtype=np.int32)  # predecessor * size + its list entry
    for t in range(steps):
        cand = np.concatenate(
            [metric[_PRED[0]] + branch_all[t, 0][:, None], metric[_PRED[1]] + branch_all[t, 1][:, None]], axis=1
        )
        order = np.argpartition(-cand, size - 1, axis=1)[:, :size]
        metric = np.take_along_axis(cand, order, axis=1)
        if t >= n_bits:
            metric[_TAIL_BLOCK] = -np.inf
        back[t] = order
    live = np.flatnonzero(np.isfinite(metric[0]))
    live = live[np.argsort(-metric[0, live], kind="stable")]
    state = np.zeros(len(live), dtype=np.int64)
    entry = live.astype(np.int64)
    bits = np.zeros((len(live), steps), dtype=np.uint8)
    for t in range(steps - 1, -1, -1):
        bits[:, t] = _BIT_IN[state]
        which, entry = np.divmod(back[t, state, entry].astype(np.int64), size)
        state = _PRED[which, state]
    return [row[:n_bits] for row in bits]
