"""The image watermark signal: a keyed tile of spread-spectrum chips in the luma.

Embedding (at a working resolution whose short side is at most ``WORK_SIDE`` pixels):

* a ``TILE`` x ``TILE`` pixel tile holds ``GRID`` x ``GRID`` chips of ``CELL`` pixels, each a
  keyed sign; a keyed eighth of them are pilot chips (always +1), the rest carry the
  convolutionally coded message, every coded bit spread over several chips scattered over
  the tile;
* the tile is lightly smoothed (``SMOOTH_SIGMA``: sharp chips keep more of the mark above
  the band where dense texture such as grass or gravel has its energy), repeated over the
  whole image, joined by the keyed Fourier template (``_image_template``), shaped by the
  perceptual mask (``_image_mask``: strong in texture, weak in flat areas), scaled to the
  largest strength that keeps the PSNR and SSIM targets, and added to R, G and B alike;
* informed embedding (improved spread spectrum): the embedder reads the host and its first
  attempt with the detector's front end; each coded bit's amplitude then takes away
  ``ISS_KAPPA`` of what the host adds to or takes from its soft value (the host's share is
  stable under resampling, so this survives rotation and rescaling), and the pilot is raised
  until its peak stands out by ``PILOT_TARGET``.

Detection undoes what it can and searches for the rest: local contrast normalisation
(brightness and contrast changes drop out), folding the image modulo the tile (a crop only
shifts the tile, and all repeats add up), a whitened FFT correlation with the pilot to find
the shift; the chips are read from the partly whitened folded tile and decoded by a list
Viterbi decoder (the best ``LIST_SIZE`` messages are checked against the keyed tag). When
that fails, the chips are read a second time through a filter fitted to this image (pilot-aided
reading, :func:`_pilot_aided_cells`): the known pilot measures how much of the mark survives in
each ring of spatial frequency, the folded tile's own power spectrum how much else is there, and
each frequency is weighted by the surviving gain over the square root of that power (the host
texture left in a crop gets its own filter). When
the unchanged geometry does not decode, the Fourier template proposes a few rotations,
scales, aspect changes or flips; each is resampled back and ranked by its pilot peak, the
best is polished on the pilot (small rotation, scale, aspect and shear steps), then every
decoded geometry is registered: the pilot's local offsets over a 3 x 3 grid of blocks give
the remaining linear error of the map (the template is a few tenths of a percent off on
dense texture, more than the chips tolerate). Last, the pilot itself is searched over kept
downscales (a screenshot can blur and compress the template away while the pilot
survives). Every tag checked counts towards the p-value.

Verification (:func:`_verify`): when the caller names the payloads it may have embedded and
blind decoding finds none, every reading's soft values are correlated with each payload's
coded bits. Knowing the message makes the test far stronger than decoding it (at least 3 dB
here: a 0.5x downscale and JPEG 50 on a smooth photo leaves too little to decode but a
correlation of 9 standard deviations). Under no mark, or another key, the keyed signs make the
correlation a Rademacher sum, so ``P(z >= t) <= exp(-t**2 / 2)`` for the normalised score; the
p-value multiplies that by the number of (reading, payload) pairs tested.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import _ecc
from . import _image_template as tpl
from ._image_mask import SSIM, jnd_mask
from ._keys import keyed_permutation, stream_signs
from ._payload import MESSAGE_BITS, TAG_BITS, DecodedMessage, decode_message, encode_message, payload_field

logger = logging.getLogger(__name__)

WORK_SIDE = 512
TILE = 128
CELL = 4
GRID = TILE // CELL
N_CHIPS = GRID * GRID
N_PILOT = N_CHIPS // 8
SMOOTH_SIGMA = 0.4
HIGHPASS_SIGMA = 1.5
NORM_SIGMA = 3.0
MIN_SIDE = TILE
TARGET_PSNR = 38.1  # the whole mark (payload tile plus geometry template) at most costs this PSNR
TARGET_SSIM = 0.9815  # ... and this SSIM, whichever binds first
TEMPLATE_SHARE = 0.45  # amplitude of the Fourier template relative to the payload tile
WHITEN = 1.0  # spectral whitening exponent of the pilot correlation (1 = phase correlation)
DATA_WHITEN = 0.35  # spectral whitening exponent of the folded tile before the chips are read
PILOT_GAIN = 1.7  # amplitude of the pilot chips relative to the data chips (synchronisation)
PILOT_TARGET = 14.0  # informed embedding raises the pilot until its peak stands out this far
PILOT_CAP = 2.0 * PILOT_GAIN  # ... but never above this amplitude (the data chips keep their share)
INFORMED_STEPS = 1  # informed-embedding rounds (detector front end on the host and the attempt)
HARD_STEPS = 3  # ... when the mark does not decode after INFORMED_STEPS
MAX_BOOST = 4.0  # the pilot's amplitude rises at most this many times per round
ISS_KAPPA = 0.9  # share of the host's soft value the informed embedding takes away (1 = all)
ISS_FLOOR = 0.2  # ... never below this amplitude of a coded bit's chips
SSIM_STEPS = (0.98, 0.97, 0.96, 0.95)  # the bounds tried when the mark does not decode
SETTLE = 0.97  # the strength settles within 3% of the binding quality target
N_CODED = _ecc.coded_length(MESSAGE_BITS)
LIST_SIZE = 16  # messages checked per decoding attempt (list Viterbi) when the best one fails
# pilot-aided second reading: radial band width (cycles per pixel) over which the pilot measures
# the surviving mark, the noise floor (share of the median power) and the power's exponent in the
# filter, and the half width (frequency bins) of the local power average (chosen among a few
# settings on the benchmark photos under 4 keys: crop 50% 79 -> 83 of 84 decoded)
AIDED_BAND = 1.0 / 48.0
AIDED_FLOOR = 0.3
AIDED_EXPONENT = 0.5
AIDED_SMOOTH = 2
SHIFTS_PER_SCALE = 2  # tile shifts decoded per geometry (the strongest pilot peaks)
TEMPLATE_CANDIDATES = 4  # template geometries ranked by their pilot peak
GEOMETRIES_DECODED = 3  # ... of which the best this many (a half turn counts as one) are decoded
REFINE_STEPS = (1.0, 0.5)  # pilot polish of the best geometry: step multipliers, coarse then fine
REFINE_ANGLE = 0.2  # degrees
REFINE_SCALE = 0.004
REFINE_PASSES = 4  # at most this many rounds of steps per step size
# local-shift registration after the polish: blocks per side, search radius (pixels), the
# block pilot peak needed, rounds, and the largest correction accepted (per axis)
REGISTER_BLOCKS = 3
REGISTER_RADIUS = 4
REGISTER_MIN_Z = 3.0
REGISTER_ROUNDS = 2
REGISTER_MAX = 0.03
# kept downscales the pilot is searched over when the template gives nothing that decodes
SCALE_SEARCH = tuple(np.exp(np.arange(math.log(0.48), math.log(0.97), 0.015)))
SCALE_SEARCH_PILOT = 5.5  # ... decoded from a pilot peak this high (unmarked: median 4.6, 4% above)
# a pilot peak this far out (standard deviations of the correlation surface; unmarked images
# peak near 4) means a mark was there even when it does not decode
MIN_PILOT_SCORE = 5.0
# verification against the caller's payloads (when blind decoding fails): the largest corrected
# p-value accepted, and how far the coded bits of the keyed tag alone must match (standard
# deviations): these bits differ at random between payloads, so a mark of the same key with a
# payload that is not among the candidates is not taken for one that is
VERIFY_P = 1e-9
VERIFY_TAG_Z = 4.0
# the coded bits output while the tag (and the tail) is encoded
TAG_CODED = slice(2 * (MESSAGE_BITS - TAG_BITS), None)


@dataclass(frozen=True)
class Layout:
    """The keyed geometry of one key: chip signs, pilot chips and the coded-bit map."""

    signs: np.ndarray  # (N_CHIPS,) +-1
    pilot: np.ndarray  # (N_CHIPS,) bool
    bit_of_chip: np.ndarray  # (N_CHIPS,) coded-bit index, -1 for pilot
    pilot_fft: np.ndarray  # conj real FFT of the smoothed pilot tile
    pilot_spectrum: np.ndarray  # full FFT of the smoothed pilot tile


@lru_cache(maxsize=1)
def _smoothing() -> np.ndarray:
    """The chips' Gaussian smoothing as a TILE x TILE transfer function."""
    f = np.fft.fftfreq(TILE)
    return np.exp(-2.0 * (math.pi * SMOOTH_SIGMA) ** 2 * (f[:, None] ** 2 + f[None, :] ** 2))


def _smooth_tile(tile: np.ndarray) -> np.ndarray:
    """Circular Gaussian smoothing of a TILE x TILE array (keeps the tiling seamless)."""
    return np.real(np.fft.ifft2(np.fft.fft2(tile) * _smoothing()))


def _chips_to_tile(chips: np.ndarray) -> np.ndarray:
    return _smooth_tile(np.kron(chips.reshape(GRID, GRID), np.ones((CELL, CELL))))


@lru_cache(maxsize=16)
def layout(key: bytes) -> Layout:
    """The layout for ``key`` (cached)."""
    signs = stream_signs(key, "image-chips", N_CHIPS).astype(np.float64)
    order = keyed_permutation(key, "image-layout", N_CHIPS)
    pilot = np.zeros(N_CHIPS, dtype=bool)
    pilot[order[:N_PILOT]] = True
    bit_of_chip = np.full(N_CHIPS, -1, dtype=np.int64)
    bit_of_chip[order[N_PILOT:]] = np.arange(N_CHIPS - N_PILOT) % N_CODED
    pilot_tile = _chips_to_tile(np.where(pilot, signs, 0.0))
    return Layout(signs, pilot, bit_of_chip, np.conj(np.fft.rfft2(pilot_tile)), np.fft.fft2(pilot_tile))


def chip_values(key: bytes, payload: str | int | bytes) -> np.ndarray:
    """The +-1 value each chip should decode to (pilot chips +1, data chips their coded bit)."""
    lay = layout(key)
    coded = _ecc.encode(encode_message(key, payload)).astype(np.float64) * 2.0 - 1.0
    return np.where(lay.pilot, 1.0, coded[np.maximum(lay.bit_of_chip, 0)])


def message_tile(key: bytes, payload: str | int | bytes, amplitudes: np.ndarray | None = None) -> np.ndarray:
    """The smoothed, unit-RMS TILE x TILE pattern for ``payload`` under ``key`` (optionally
    with a per-chip amplitude)."""
    lay = layout(key)
    values = chip_values(key, payload) * lay.signs
    if amplitudes is not None:
        values = values * amplitudes
    tile = _chips_to_tile(values)
    return tile / np.sqrt(np.mean(tile**2))


def work_size(height: int, width: int) -> tuple[int, int]:
    """Working resolution (height, width): the short side capped at WORK_SIDE."""
    scale = min(1.0, WORK_SIDE / min(height, width))
    return max(1, round(height * scale)), max(1, round(width * scale))


def pattern(
    key: bytes, payload: str | int | bytes, height: int, width: int, amplitudes: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The full-size, unit-RMS payload pattern and geometry template for ``height`` x ``width``."""
    import cv2

    wh, ww = work_size(height, width)
    tile = message_tile(key, payload, amplitudes)
    full = np.tile(tile, (wh // TILE + 1, ww // TILE + 1))[:wh, :ww].astype(np.float32)
    sync = tpl.signal(key, wh, ww)
    if (wh, ww) != (height, width):
        full = cv2.resize(full, (width, height), interpolation=cv2.INTER_LINEAR)
        sync = cv2.resize(sync, (width, height), interpolation=cv2.INTER_LINEAR)
    return full, sync


def _render(
    base: np.ndarray, signal: np.ndarray, psnr: float, min_ssim: float, similarity: SSIM, gain: float | None = None
) -> tuple[np.ndarray, float]:
    """``base + gain * signal`` rounded, at the largest gain meeting both quality targets
    (and that gain; ``gain`` is the first guess, by default the one giving the PSNR).

    The SSIM loss of the rounded image is not quite proportional to ``gain**2`` (rounding adds
    its own): after the first try the gain follows a power law fitted through the tries.
    """
    target_mse = 255.0**2 / 10 ** (psnr / 10.0)
    target_loss = 1.0 - min_ssim
    if gain is None:
        gain = float(np.sqrt(target_mse / max(float(np.mean(signal**2)), 1e-12)))
    tries: list[tuple[float, float]] = []
    out = base
    for _ in range(6):
        out = np.clip(np.rint(base + gain * signal), 0, 255)
        mse = float(np.mean((out - base) ** 2))
        loss = max(1.0 - similarity(out), 1e-9)
        met = mse <= target_mse and loss <= target_loss
        if mse == 0 or (met and max(mse / target_mse, loss / target_loss) >= SETTLE):
            break
        tries.append((math.log(gain), math.log(loss)))
        slope = 2.0
        if len(tries) >= 2 and abs(tries[-1][0] - tries[-2][0]) > 1e-6:
            slope = min(max((tries[-1][1] - tries[-2][1]) / (tries[-1][0] - tries[-2][0]), 0.5), 4.0)
        by_ssim = math.exp(math.log(target_loss / loss) / slope)
        gain *= 0.995 * min(math.sqrt(target_mse / mse), by_ssim)
    return out, gain


def _work_luma(rgb: np.ndarray) -> np.ndarray:
    """Float32 luma at the working resolution."""
    import cv2

    height, width = rgb.shape[:2]
    wh, ww = work_size(height, width)
    y = _luma(rgb.astype(np.float32))
    if (wh, ww) != (height, width):
        y = cv2.resize(y, (ww, wh), interpolation=cv2.INTER_AREA)
    return y


def _cells(folded: np.ndarray) -> np.ndarray:
    """Per-chip soft values of an aligned folded tile (before the keyed signs): the tile is
    partly whitened (a periodic host texture that the fold piles up no longer outweighs the
    chips), matched-filtered with the chip smoothing and averaged over each chip."""
    spectrum = np.fft.fft2(folded)
    spectrum /= np.abs(spectrum) ** DATA_WHITEN + 1e-12
    smoothed = np.real(np.fft.ifft2(spectrum * _smoothing()))
    return smoothed.reshape(GRID, CELL, GRID, CELL).mean(axis=(1, 3)).ravel()


@lru_cache(maxsize=1)
def _radial_bands() -> np.ndarray:
    """The AIDED_BAND-wide ring of spatial frequency each TILE x TILE FFT bin falls in."""
    f = np.fft.fftfreq(TILE)
    return (np.sqrt(f[:, None] ** 2 + f[None, :] ** 2) / AIDED_BAND).astype(np.int64)


def _pilot_aided_cells(folded: np.ndarray, lay: Layout) -> np.ndarray:
    """Per-chip soft values of an aligned folded tile through a filter fitted to it: per ring
    of spatial frequency, the pilot's share of the tile gives the mark's surviving gain ``h``;
    the tile's local power (plus a floor) stands for the noise; the filter is
    ``h * smoothing / power**AIDED_EXPONENT``, then the chips are averaged as in :func:`_cells`."""
    from scipy.ndimage import uniform_filter

    spectrum = np.fft.fft2(folded)
    rings = _radial_bands().ravel()
    cross = np.bincount(rings, weights=np.real(spectrum * np.conj(lay.pilot_spectrum)).ravel())
    pilot_power = np.bincount(rings, weights=(np.abs(lay.pilot_spectrum) ** 2).ravel())
    gain = np.maximum(cross / np.maximum(pilot_power, 1e-12), 0.0)[_radial_bands()]
    # the running sums of the local average can dip a hair below zero; a flat tile has no power
    power = np.maximum(uniform_filter(np.abs(spectrum) ** 2, size=2 * AIDED_SMOOTH + 1, mode="wrap"), 0.0)
    power += AIDED_FLOOR * float(np.median(power)) + 1e-12
    filtered = np.real(np.fft.ifft2(spectrum * gain * _smoothing() / power**AIDED_EXPONENT))
    return filtered.reshape(GRID, CELL, GRID, CELL).mean(axis=(1, 3)).ravel()


def embed_rgb(
    rgb: np.ndarray, key: bytes, payload: str | int | bytes, psnr: float = TARGET_PSNR, min_ssim: float = TARGET_SSIM
) -> np.ndarray:
    """Mark an HxWx3 uint8 RGB array; returns a new array.

    The mark (payload tile plus geometry template) is shaped by the perceptual mask and its
    global strength is the largest that keeps both the PSNR at ``psnr`` dB and the SSIM at
    ``min_ssim`` or better. Informed embedding: the embedder runs the detector's front end
    on the host and on its first attempt, sets each coded bit's amplitude to take away
    ``ISS_KAPPA`` of the host's share of its soft value (and raises the pilot), then renders
    again. The result is
    read back with the detector; if it does not decode (small or very textured images) it is
    embedded again with ``HARD_STEPS`` informed rounds, and then the SSIM bound is relaxed
    step by step (logged), down to the last of ``SSIM_STEPS``.
    """
    out = _embed_once(rgb, key, payload, psnr, min_ssim, INFORMED_STEPS)
    if detect_rgb(out, key).valid:
        return out
    # a host that works against the mark everywhere (dense texture at the PSNR bound): more
    # informed rounds at the same bounds, then the SSIM bound relaxed step by step
    logger.info("image mark did not decode after %d informed rounds; trying %d", INFORMED_STEPS, HARD_STEPS)
    out = _embed_once(rgb, key, payload, psnr, min_ssim, HARD_STEPS)
    for relaxed in SSIM_STEPS:
        if relaxed >= min_ssim:
            continue
        if detect_rgb(out, key).valid:
            break
        logger.warning("image mark did not decode at SSIM %.3f; relaxing the bound to %.3f", min_ssim, relaxed)
        min_ssim = relaxed
        out = _embed_once(rgb, key, payload, psnr, min_ssim, HARD_STEPS)
    return out


def _embed_once(
    rgb: np.ndarray, key: bytes, payload: str | int | bytes, psnr: float, min_ssim: float, steps: int
) -> np.ndarray:
    height, width = rgb.shape[:2]
    lay = layout(key)
    expected = chip_values(key, payload)
    data = ~lay.pilot
    bit = lay.bit_of_chip[data]
    base = rgb.astype(np.float32)
    mask = jnd_mask(_luma(base))[:, :, None]
    host_chips = _cells(_fold(_normalised(_work_luma(base)))) * lay.signs * expected
    host = np.bincount(bit, weights=host_chips[data], minlength=N_CODED)
    amplitudes = np.where(lay.pilot, PILOT_GAIN, 1.0)
    similarity = SSIM(base)
    gain: float | None = None
    energy = 1.0
    for step in range(steps + 1):
        pat, sync = pattern(key, payload, height, width, amplitudes)
        signal = (pat + TEMPLATE_SHARE * sync)[:, :, None] * mask
        if gain is not None:  # start from the last gain, corrected for the new energy
            gain *= math.sqrt(energy / float(np.mean(signal**2)))
        energy = float(np.mean(signal**2))
        out, gain = _render(base, signal, psnr, min_ssim, similarity, gain)
        if step == steps:
            break
        folded = _fold(_normalised(_work_luma(out)))
        peak = _pilot_z(folded, lay)
        if peak < PILOT_TARGET:
            boost = min(MAX_BOOST, PILOT_TARGET / max(peak, 1.0))
            amplitudes[lay.pilot] = np.minimum(amplitudes[lay.pilot] * boost, PILOT_CAP)
        marked = _cells(folded) * lay.signs * expected
        own = np.bincount(bit, weights=marked[data], minlength=N_CODED) - host
        # improved spread spectrum: each coded bit's amplitude takes away a share of what the
        # host adds to (or takes from) its soft value, relative to the mean mark's share
        mu = float(np.mean(own)) / float(np.mean(amplitudes[data]))
        amplitudes[data] = np.maximum(1.0 - ISS_KAPPA * host / max(mu, 1e-12), ISS_FLOOR)[bit]
    return out.astype(np.uint8)


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def _normalised(y: np.ndarray) -> np.ndarray:
    """High-pass and local-contrast normalisation of a float32 luma image."""
    import cv2

    hp = y - cv2.GaussianBlur(y, (0, 0), HIGHPASS_SIGMA)
    energy = cv2.GaussianBlur(hp * hp, (0, 0), NORM_SIGMA)
    return hp / (np.sqrt(energy) + 1.0)


def _fold(f: np.ndarray) -> np.ndarray:
    h, w = f.shape
    hp, wp = -(-h // TILE) * TILE, -(-w // TILE) * TILE
    pad = np.zeros((hp, wp), dtype=np.float64)
    pad[:h, :w] = f
    return pad.reshape(hp // TILE, TILE, wp // TILE, TILE).sum(axis=(0, 2))


@dataclass(frozen=True)
class Candidate:
    """One geometry hypothesis (magnification and tile shift) with its pilot strength."""

    magnification: float
    shift: tuple[int, int]
    pilot_score: float
    folded: np.ndarray


def _correlation(folded: np.ndarray, lay: Layout) -> np.ndarray:
    """The whitened (phase) correlation of a folded tile with the pilot, per tile shift: a
    periodic host texture (bricks, print, grass) does not outshine the pilot's peak."""
    spectrum = np.fft.rfft2(folded)
    spectrum /= np.abs(spectrum) ** WHITEN + 1e-12
    return np.fft.irfft2(spectrum * lay.pilot_fft, s=folded.shape)


def _pilot_z(folded: np.ndarray, lay: Layout) -> float:
    """The pilot peak at shift 0 in standard deviations of the correlation surface."""
    corr = _correlation(folded, lay)
    return float((corr[0, 0] - corr.mean()) / (corr.std() + 1e-12))


def _candidates(f: np.ndarray, lay: Layout, keep: int) -> list[Candidate]:
    folded = _fold(f)
    corr = _correlation(folded, lay)
    flat = corr.ravel()
    spread = flat.std() + 1e-12
    best = np.argpartition(flat, -keep)[-keep:]
    best = best[np.argsort(flat[best])[::-1]]
    mean = flat.mean()
    return [
        Candidate(1.0, divmod(int(i), TILE), float((flat[i] - mean) / spread), folded) for i in best
    ]


@dataclass(frozen=True)
class RawDetection:
    """What the core detector found (before the public result is built)."""

    valid: bool
    field: bytes
    message_bits: np.ndarray
    bit_errors: int
    candidates_tried: int
    tags_checked: int
    magnification: float
    pilot_score: float
    geometry: str = "none"
    template_score: float = 0.0
    verified_p: float | None = None  # set when found by verification against given payloads

    @property
    def p_value(self) -> float:
        """Chance that an unmarked image passes the tag checks in this many tries (plus, for a
        verified payload, the correlation test's corrected bound)."""
        if not self.valid:
            return 1.0
        return min(1.0, self.tags_checked * 2.0**-TAG_BITS + (self.verified_p or 0.0))


@dataclass(frozen=True)
class Decoding:
    """What decoding one candidate gave: the message bits, whether the tag verified, the field,
    the coded bits corrected (last reading), the tags checked, and each reading's soft values."""

    bits: np.ndarray
    valid: bool
    field: bytes
    errors: int
    checks: int
    readings: tuple[np.ndarray, ...]


def _decode(candidate: Candidate, key: bytes, lay: Layout) -> Decoding:
    """Read and decode one candidate: the chips read by :func:`_cells`, then, when no tag
    verifies, by :func:`_pilot_aided_cells`; each reading is decoded by Viterbi and, when its
    tag does not verify, the rest of the ``LIST_SIZE`` best messages are checked."""
    dy, dx = candidate.shift
    aligned = np.roll(candidate.folded, (-dy, -dx), axis=(0, 1))
    data = ~lay.pilot
    checks = 0
    readings = []
    for read in (lambda: _cells(aligned), lambda: _pilot_aided_cells(aligned, lay)):
        soft = np.bincount(lay.bit_of_chip[data], weights=(read() * lay.signs)[data], minlength=N_CODED)
        readings.append(soft)
        bits, message, tried = _decode_soft(soft, key)
        checks += tried
        if message.valid:
            break
    errors = int(np.count_nonzero((soft > 0).astype(np.uint8) != _ecc.encode(bits)))
    return Decoding(bits, message.valid, message.field, errors, checks, tuple(readings))


def _score(soft: np.ndarray, coded: np.ndarray) -> float:
    """Normalised correlation of soft values with +-1 coded bits (0 for an all-zero reading)."""
    norm = float(np.sqrt(soft @ soft))
    return float(soft @ coded) / norm if norm > 0 else 0.0


@dataclass(frozen=True)
class Verification:
    """The best payload a verification found: its field, the corrected p-value, the
    normalised correlation of all coded bits and of the tag's, and the coded bits that disagree."""

    field: bytes
    p_value: float
    z: float
    tag_z: float
    errors: int
    reading: int  # index of the reading that matched


def _verify(readings: list[np.ndarray], key: bytes, payloads: list[str | int | bytes]) -> Verification | None:
    """The payload among ``payloads`` whose coded bits the readings match best, if the match
    is significant (corrected p-value <= ``VERIFY_P``) and its tag's bits match on their own
    (``VERIFY_TAG_Z``); ``None`` otherwise."""
    if not readings or not payloads:
        return None
    tests = len(readings) * len(payloads)
    best: tuple[float, float, np.ndarray, str | int | bytes, int] | None = None
    for payload in payloads:
        coded = _ecc.encode(encode_message(key, payload)).astype(np.float64) * 2.0 - 1.0
        for i, soft in enumerate(readings):
            z = _score(soft, coded)
            if best is None or z > best[0]:
                best = (z, _score(soft[TAG_CODED], coded[TAG_CODED]), soft * coded, payload, i)
    assert best is not None
    z, tag_z, agreement, payload, index = best
    p = min(1.0, tests * math.exp(-0.5 * z * z)) if z > 0 else 1.0
    if p > VERIFY_P or tag_z < VERIFY_TAG_Z:
        return None
    return Verification(payload_field(payload), p, z, tag_z, int(np.count_nonzero(agreement < 0)), index)


def _decode_soft(soft: np.ndarray, key: bytes) -> tuple[np.ndarray, DecodedMessage, int]:
    """The Viterbi decision for ``soft`` and, when its tag does not verify, the first of the
    ``LIST_SIZE`` best messages whose tag does; with the number of tags checked."""
    bits = _ecc.decode(soft, MESSAGE_BITS)
    message = decode_message(key, bits)
    checks = 1
    if not message.valid and LIST_SIZE > 1:
        for alternative in _ecc.decode_list(soft, MESSAGE_BITS, LIST_SIZE)[1:]:
            checks += 1
            trial = decode_message(key, alternative)
            if trial.valid:
                return alternative, trial, checks
    return bits, message, checks


def _magnification(matrix: np.ndarray) -> float:
    """The linear scale a map from the original to the observed image undoes."""
    return 1.0 / math.sqrt(abs(float(np.linalg.det(matrix))))


def _turned(g: np.ndarray, turn: bool) -> np.ndarray:
    return np.ascontiguousarray(g[::-1, ::-1]) if turn else g


def _best_pilot(h: np.ndarray, lay: Layout) -> float:
    return _candidates(h, lay, 1)[0].pilot_score


def _pilot_at_scale(f: np.ndarray, s: float, lay: Layout) -> float:
    """The pilot peak of ``f`` read as a copy kept at scale ``s``: folded at the nearest whole
    period (after the tiny resize that makes it exact), the folded tile resized to TILE."""
    import cv2

    period = max(8, round(TILE * s))
    q = period / (TILE * s)
    h, w = f.shape
    size = (max(1, round(w * q)), max(1, round(h * q)))
    g = cv2.resize(f.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
    hp, wp = -(-g.shape[0] // period) * period, -(-g.shape[1] // period) * period
    pad = np.zeros((hp, wp), dtype=np.float32)
    pad[: g.shape[0], : g.shape[1]] = g
    folded = pad.reshape(hp // period, period, wp // period, period).sum(axis=(0, 2))
    folded = cv2.resize(folded, (TILE, TILE), interpolation=cv2.INTER_LINEAR).astype(np.float64)
    corr = _correlation(folded, lay).ravel()
    return float((corr.max() - corr.mean()) / (corr.std() + 1e-12))


def _refine(
    f: np.ndarray, matrix: np.ndarray, turn: bool, score: float, lay: Layout
) -> tuple[np.ndarray, float]:
    """Polish a template geometry on the pilot: steps of rotation, scale, aspect change and
    shear of the map, each kept when the pilot peak rises (the template peaks give the map to
    a fraction of a spectral bin; the chips need it to a fraction of a chip over the image).
    ``score`` is the pilot peak at ``matrix`` (negative: not known yet, measured first)."""
    if score < 0:
        score = _pilot_through(f, matrix, turn, lay)
    for step in REFINE_STEPS:
        improved, passes = True, 0
        while improved and passes < REFINE_PASSES:
            improved, passes = False, passes + 1
            for perturb in _perturbations(step):
                trial = matrix @ perturb
                z = _pilot_through(f, trial, turn, lay)
                if z > score:
                    matrix, score, improved = trial, z, True
    return matrix, score


def _pilot_through(f: np.ndarray, matrix: np.ndarray, turn: bool, lay: Layout) -> float:
    """The pilot peak of ``f`` resampled through ``matrix`` (-1 when the map leaves no image)."""
    g = tpl.rectify(f, matrix)
    return -1.0 if g is None else _best_pilot(_turned(g, turn), lay)


def _vertex(m: float, c: float, p: float) -> float:
    """Sub-sample offset of a peak ``c`` between neighbours ``m`` and ``p`` (parabola, within 0.5)."""
    d = m - 2 * c + p
    return 0.0 if d >= 0 else max(-0.5, min(0.5, 0.5 * (m - p) / d))


def _local_shifts(h: np.ndarray, lay: Layout) -> tuple[np.ndarray, np.ndarray] | None:
    """Where the pilot sits in each of ``REGISTER_BLOCKS`` x ``REGISTER_BLOCKS`` blocks of a
    resampled image, relative to the whole image's pilot shift: block centres (x, y) and
    sub-pixel offsets (dx, dy), for the blocks whose pilot peak (searched within
    ``REGISTER_RADIUS`` pixels of the global one) stands out by ``REGISTER_MIN_Z``."""
    folded = _fold(h)
    corr = _correlation(folded, lay)
    s0 = np.array(divmod(int(np.argmax(corr)), TILE))
    height, width = h.shape
    n, r = REGISTER_BLOCKS, REGISTER_RADIUS
    centres, offsets = [], []
    for by in range(n):
        for bx in range(n):
            y0, y1, x0, x1 = by * height // n, (by + 1) * height // n, bx * width // n, (bx + 1) * width // n
            part = np.zeros_like(h)
            part[y0:y1, x0:x1] = h[y0:y1, x0:x1]
            c = _correlation(_fold(part), lay)
            z = (c - c.mean()) / (c.std() + 1e-12)
            win = np.roll(z, (r - int(s0[0]), r - int(s0[1])), axis=(0, 1))[: 2 * r + 1, : 2 * r + 1]
            iy, ix = np.unravel_index(int(np.argmax(win)), win.shape)
            if win[iy, ix] < REGISTER_MIN_Z or not (0 < iy < 2 * r and 0 < ix < 2 * r):
                continue
            oy = iy - r + _vertex(win[iy - 1, ix], win[iy, ix], win[iy + 1, ix])
            ox = ix - r + _vertex(win[iy, ix - 1], win[iy, ix], win[iy, ix + 1])
            centres.append(((x0 + x1) / 2.0, (y0 + y1) / 2.0))
            offsets.append((ox, oy))
    if len(centres) < 4:
        return None
    return np.array(centres), np.array(offsets)


def _register(
    f: np.ndarray, matrix: np.ndarray, turn: bool, score: float, lay: Layout
) -> tuple[np.ndarray, float]:
    """Correct a nearly right geometry from the pilot's local shifts: a map a little off
    moves the pilot by different amounts in different parts of the image; the linear part
    of that displacement field (least squares over the blocks) is the correction. Kept
    when the pilot peak rises; up to ``REGISTER_ROUNDS`` rounds."""
    for _ in range(REGISTER_ROUNDS):
        g = tpl.rectify(f, matrix)
        if g is None:
            break
        found = _local_shifts(_turned(g, turn), lay)
        if found is None:
            break
        centres, offsets = found
        design = np.column_stack([centres - centres.mean(axis=0), np.ones(len(centres))])
        sol, *_ = np.linalg.lstsq(design, offsets, rcond=None)
        delta = sol[:2].T  # d(offset) / d(position), (x, y) order
        if float(np.abs(delta).max()) > REGISTER_MAX:
            break
        trial = matrix @ (np.eye(2) + delta)
        z = _pilot_through(f, trial, turn, lay)
        if z <= score:
            break
        matrix, score = trial, z
    return matrix, score


@lru_cache(maxsize=8)
def _perturbations(step: float) -> tuple[np.ndarray, ...]:
    """The small maps tried by one polish step: rotation, scale, aspect change, shear, each way."""
    out = []
    for sign in (-1.0, 1.0):
        t = math.radians(sign * step * REFINE_ANGLE)
        d = sign * step * REFINE_SCALE
        out += [
            np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]]),
            np.eye(2) * (1.0 + d),
            np.diag([1.0 + d, 1.0 - d]),
            np.array([[1.0, d], [d, 1.0]]),
        ]
    return tuple(out)


def detect_rgb(rgb: np.ndarray, key: bytes, payloads: list[str | int | bytes] | None = None) -> RawDetection:
    """Search the geometry candidates and decode; stops at the first valid tag.

    The unchanged geometry is decoded first. Then the best few geometries the Fourier
    template reports (each also with a half turn) are resampled back and ranked by their
    pilot peak; the strongest is polished on the pilot, each is registered on the pilot's
    local offsets and decoded. Last, the pilot is searched over kept downscales
    (``SCALE_SEARCH``); a strong enough peak is polished, registered and decoded. Each tag
    checked (up to ``LIST_SIZE`` per decoding attempt) counts towards the p-value. When no
    tag verifies and ``payloads`` are given, every reading made is verified against them
    (:func:`_verify`).

    Args:
        rgb: HxWx3 uint8 RGB (or BGR: the mark is the same in every channel) array.
        key: The key bytes.
        payloads: The payloads the caller may have embedded (optional).
    """
    lay = layout(key)
    y = _work_luma(rgb)
    f = _normalised(y)
    tried = tags = 0
    best: tuple | None = None
    readings: list[tuple[np.ndarray, float]] = []  # each reading's soft values and magnification

    def attempt(cand: Candidate, mag: float) -> Decoding:
        nonlocal tried, tags
        tried += 1
        d = _decode(cand, key, lay)
        tags += d.checks
        readings.extend((soft, mag) for soft in d.readings)
        return d

    for cand in _candidates(f, lay, SHIFTS_PER_SCALE):
        d = attempt(cand, 1.0)
        if d.valid:
            return RawDetection(True, d.field, d.bits, d.errors, tried, tags, 1.0, cand.pilot_score)
        if best is None:
            best = (d.bits, d.errors, cand)
    geos = tpl.estimate(y, key, TEMPLATE_CANDIDATES)
    template_score = geos[0].score if geos else 0.0
    # the spectrum cannot tell a half turn apart (a vertical flip is a mirror plus a half turn)
    options = []
    for geo in geos:
        g = tpl.rectify(f, geo.matrix)
        if g is not None:
            options += [(_best_pilot(_turned(g, turn), lay), geo, turn) for turn in (False, True)]
    options.sort(key=lambda o: -o[0])
    for rank, (score, geo, turn) in enumerate(options[:GEOMETRIES_DECODED]):
        matrix = geo.matrix
        if rank == 0:
            matrix, score = _refine(f, matrix, turn, score, lay)
        matrix, score = _register(f, matrix, turn, score, lay)
        g = tpl.rectify(f, matrix)
        if g is None:
            continue
        mag = _magnification(matrix)
        for cand in _candidates(_turned(g, turn), lay, SHIFTS_PER_SCALE):
            d = attempt(cand, mag)
            if d.valid:
                found = tpl.Geometry(matrix, geo.score, geo.flip)
                return RawDetection(True, d.field, d.bits, d.errors, tried, tags, round(mag, 4), cand.pilot_score,
                                    found.describe() + (", half turn" if turn else ""), geo.score)
    # a kept downscale (a screenshot) can blur and compress the template away while the pilot
    # survives: the pilot itself searched over isotropic scales, the best polished and decoded
    score, s = max((_pilot_at_scale(f, s, lay), s) for s in SCALE_SEARCH)
    if score >= SCALE_SEARCH_PILOT:
        matrix, score = _refine(f, s * np.eye(2), False, -1.0, lay)
        matrix, score = _register(f, matrix, False, score, lay)
        g = tpl.rectify(f, matrix)
        mag = _magnification(matrix)
        for cand in [] if g is None else _candidates(g, lay, SHIFTS_PER_SCALE):
            d = attempt(cand, mag)
            if d.valid:
                found = tpl.Geometry(matrix, 0.0, False)
                return RawDetection(True, d.field, d.bits, d.errors, tried, tags, round(mag, 4), cand.pilot_score,
                                    found.describe() + " (pilot scale search)", template_score)
    if best is None:  # unreachable: the unscaled image always yields candidates
        raise RuntimeError("no geometry candidate")
    bits, errors, cand = best
    verified = _verify([soft for soft, _ in readings], key, payloads or [])
    if verified is not None:
        how = f"verified against the given payloads (z {verified.z:.1f}, tag z {verified.tag_z:.1f})"
        mag = round(readings[verified.reading][1], 4)
        return RawDetection(True, verified.field, bits, verified.errors, tried, tags, mag, cand.pilot_score, how,
                            template_score, verified.p_value)
    return RawDetection(False, b"", bits, errors, tried, tags, cand.magnification, cand.pilot_score, "none", template_score)
