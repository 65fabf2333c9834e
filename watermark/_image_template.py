"""A keyed Fourier-domain template that tells the detector the geometry an image went through.

The template is a sum of ``N_POINTS`` cosines at keyed frequencies (radius ``RADII`` cycles
per pixel of the working resolution, keyed angles and phases) added to the luma. Each is
one sharp peak in the image's spectrum, far above the host's spectrum at that frequency.
A rotation, a rescaling (kept or undone), an aspect change or a flip moves the peaks by
the inverse-transpose of the same linear map, so :func:`estimate` finds the map by
matching the keyed peaks (a grid search over rotation, flip and scales, then a sub-bin
least-squares fit; it returns the best few distinct matches, which the detector checks
with the pilot) and :func:`rectify` resamples the image back; the tile decoder then
finds the shift as usual. A crop only removes signal, it does not move the peaks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ._keys import stream_u64

N_POINTS = 8
RADII = (0.17, 0.23)
ANGLES = np.deg2rad(np.arange(-20.0, 20.01, 0.5))
SCALES = np.exp(np.linspace(math.log(0.42), math.log(2.2), 150))
ASPECTS = np.exp(np.linspace(math.log(0.6), math.log(1.0 / 0.6), 45))  # height / width scale ratios
# the best match is always tried (a wrong geometry only costs two decoding attempts, which
# the p-value counts); below this mean whitened peak height there is no template at all
MIN_SCORE = 1.2
COARSE_PER_KEPT = 3  # coarse matches fine-searched per geometry returned


@dataclass(frozen=True)
class Template:
    """Keyed frequencies (cycles per working-resolution pixel, (fx, fy)) and phases."""

    freqs: np.ndarray  # (N, 2)
    phases: np.ndarray  # (N,)


@lru_cache(maxsize=16)
def template(key: bytes) -> Template:
    """The template of ``key`` (cached)."""
    u = stream_u64(key, "image-template", 3 * N_POINTS).astype(np.float64) / 2.0**64
    radius = RADII[0] + (RADII[1] - RADII[0]) * u[:N_POINTS]
    # angles spread over the half plane (one point per sector) so no rotation maps the set onto itself
    angle = (np.arange(N_POINTS) + 0.2 + 0.6 * u[N_POINTS : 2 * N_POINTS]) * math.pi / N_POINTS
    freqs = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return Template(freqs, 2 * math.pi * u[2 * N_POINTS :])


@lru_cache(maxsize=8)
def signal(key: bytes, height: int, width: int) -> np.ndarray:
    """The unit-RMS template over a ``height`` x ``width`` working-resolution image (cached;
    read-only)."""
    t = template(key)
    yy = 2 * math.pi * np.arange(height, dtype=np.float64)[:, None]
    xx = 2 * math.pi * np.arange(width, dtype=np.float64)[None, :]
    out = np.zeros((height, width), dtype=np.float64)
    for (fx, fy), ph in zip(t.freqs, t.phases, strict=True):
        # cos(a + b) = cos a cos b - sin a sin b: two outer products instead of H x W cosines
        out += np.cos(fy * yy + ph) * np.cos(fx * xx) - np.sin(fy * yy + ph) * np.sin(fx * xx)
    out = (out / math.sqrt(N_POINTS / 2.0)).astype(np.float32)
    out.flags.writeable = False
    return out


def _whitened_spectrum(y: np.ndarray) -> np.ndarray:
    import cv2

    h, w = y.shape
    hp = y - cv2.GaussianBlur(y, (0, 0), 3.0)
    win = np.outer(np.hanning(h), np.hanning(w)).astype(np.float32)
    mag = np.abs(np.fft.fftshift(np.fft.fft2(hp * win)))
    bg = cv2.GaussianBlur(mag.astype(np.float32), (0, 0), 3.0).astype(np.float64)
    return mag / (bg + 1e-9 * float(mag.mean()) + 1e-12)


def _lookup(r: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Whitened magnitude at frequencies ``f`` (..., 2) in cycles/pixel (nearest bin, 0 outside)."""
    h, w = r.shape
    bx = np.rint(f[..., 0] * w + w // 2).astype(np.int64)
    by = np.rint(f[..., 1] * h + h // 2).astype(np.int64)
    ok = (bx >= 0) & (bx < w) & (by >= 0) & (by < h)
    return np.where(ok, r[np.clip(by, 0, h - 1), np.clip(bx, 0, w - 1)], 0.0)


def _freq_maps(angles: np.ndarray, sx: np.ndarray, sy: np.ndarray, flip: bool) -> np.ndarray:
    """Frequency maps M (..., 2, 2): observed = M @ original, for spatial map diag(sx, sy) R(a) F."""
    c, s = np.cos(angles), np.sin(angles)
    rot = np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)
    if flip:
        rot = rot @ np.array([[-1.0, 0.0], [0.0, 1.0]])
    inv_scale = np.zeros((*np.shape(sx), 2, 2))
    inv_scale[..., 0, 0] = 1.0 / sx
    inv_scale[..., 1, 1] = 1.0 / sy
    return inv_scale @ rot


def _score(r: np.ndarray, maps: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    fx, fy = freqs[:, 0], freqs[:, 1]
    obs = np.stack(
        [maps[..., 0, 0, None] * fx + maps[..., 0, 1, None] * fy, maps[..., 1, 0, None] * fx + maps[..., 1, 1, None] * fy],
        axis=-1,
    )
    return np.minimum(_lookup(r, obs), 30.0).mean(axis=-1)


def _refine_peak(r: np.ndarray, f: np.ndarray) -> np.ndarray | None:
    """Sub-bin location (cycles/pixel) of the strongest bin within 2 bins of ``f``."""
    h, w = r.shape
    bx, by = round(f[0] * w + w // 2), round(f[1] * h + h // 2)
    if not (3 <= bx < w - 3 and 3 <= by < h - 3):
        return None
    patch = r[by - 2 : by + 3, bx - 2 : bx + 3]
    dy, dx = np.unravel_index(int(np.argmax(patch)), patch.shape)
    py, px = by - 2 + int(dy), bx - 2 + int(dx)

    def vertex(m: float, c: float, p: float) -> float:
        d = m - 2 * c + p
        return 0.0 if d >= 0 else max(-0.5, min(0.5, 0.5 * (m - p) / d))

    ox = vertex(r[py, px - 1], r[py, px], r[py, px + 1])
    oy = vertex(r[py - 1, px], r[py, px], r[py + 1, px])
    return np.array([(px + ox - w // 2) / w, (py + oy - h // 2) / h])


@dataclass(frozen=True)
class Geometry:
    """The spatial map ``observed = A @ original`` and how well the template matched."""

    matrix: np.ndarray
    score: float
    flip: bool

    def describe(self) -> str:
        """Rotation, scales and flip in words (for reports)."""
        a = self.matrix
        if self.flip:
            a = a @ np.array([[-1.0, 0.0], [0.0, 1.0]])
        angle = math.degrees(math.atan2(a[1, 0], a[0, 0]))
        sx, sy = float(np.hypot(a[0, 0], a[1, 0])), float(np.hypot(a[0, 1], a[1, 1]))
        return f"{'flip, ' if self.flip else ''}rotation {angle:+.1f} deg, scale {sx:.3f} x {sy:.3f}"


def _peaks(scores: np.ndarray, keep: int) -> list[tuple[int, ...]]:
    """Indices of the ``keep`` best local maxima of a score grid (neighbours of a taken
    peak are skipped, so the candidates are distinct geometries)."""
    order = np.argsort(scores, axis=None)[::-1]
    taken: list[tuple[int, ...]] = []
    for flat in order[: 40 * keep]:
        idx = np.unravel_index(int(flat), scores.shape)
        if all(max(abs(a - b) for a, b in zip(idx, t, strict=True)) > 2 for t in taken):
            taken.append(tuple(int(i) for i in idx))
            if len(taken) == keep:
                break
    return taken


def _fine(
    r: np.ndarray, freqs: np.ndarray, flip: bool, angle: float, s0x: float, s0y: float
) -> Geometry | None:
    """Fine, anisotropic search around a coarse match (covers a coarse step either way), then
    a sub-bin least-squares fit on the matched peaks."""
    a = angle + np.deg2rad(np.arange(-1.25, 1.26, 0.25))
    ratios = np.exp(np.linspace(math.log(0.93), math.log(1.075), 15))
    aa, sx, sy = np.meshgrid(a, s0x * ratios, s0y * ratios, indexing="ij")
    scores = _score(r, _freq_maps(aa, sx, sy, flip), freqs)
    k = np.unravel_index(int(np.argmax(scores)), scores.shape)
    score = float(scores[k])
    if score < MIN_SCORE:
        return None
    m = _freq_maps(np.array(aa[k]), np.array(sx[k]), np.array(sy[k]), flip)
    # sub-bin least squares on the matched peaks: observed_i = M @ original_i
    pairs = [(f, _refine_peak(r, m @ f)) for f in freqs]
    pairs = [(f, o) for f, o in pairs if o is not None]
    if len(pairs) >= 4:
        src = np.array([p[0] for p in pairs])
        dst = np.array([p[1] for p in pairs])
        sol, *_ = np.linalg.lstsq(src, dst, rcond=None)
        m = sol.T
    return Geometry(np.linalg.inv(m).T, score, flip)


def _same(a: Geometry, b: Geometry) -> bool:
    return a.flip == b.flip and float(np.abs(a.matrix - b.matrix).max()) < 0.01


def estimate(y: np.ndarray, key: bytes, keep: int = 1) -> list[Geometry]:
    """The ``keep`` best-matching geometries for the template peaks in luma ``y`` (working
    resolution), best first; empty when nothing matches at all.

    A weakened template (a screenshot, a rotation under JPEG) can lose its best match to a
    chance alignment of host peaks while the true geometry is still among the next few:
    the caller verifies each with the pilot."""
    t = template(key)
    import cv2

    r = _whitened_spectrum(y.astype(np.float32))
    # coarse grids on the spectrum dilated by one bin (a peak between grid points still
    # scores), then the fine search on the spectrum itself
    coarse = cv2.dilate(r.astype(np.float32), np.ones((3, 3), np.uint8)).astype(np.float64)
    angles, scales, aspects = ANGLES[::2], SCALES[::2], ASPECTS[::2]
    found: list[tuple[float, bool, float, float, float]] = []
    for flip in (False, True):
        a, s = np.meshgrid(angles, scales, indexing="ij")
        scores = _score(coarse, _freq_maps(a, s, s, flip), t.freqs)
        found += [(float(scores[i, j]), flip, float(angles[i]), float(scales[j]), float(scales[j]))
                  for i, j in _peaks(scores, COARSE_PER_KEPT * keep)]
        # aspect changes without rotation: an axis-aligned grid over a scale and an aspect ratio
        sx, ratio = np.meshgrid(scales, aspects, indexing="ij")
        sy = sx * ratio
        scores = _score(coarse, _freq_maps(np.zeros_like(sx), sx, sy, flip), t.freqs)
        found += [(float(scores[i, j]), flip, 0.0, float(sx[i, j]), float(sy[i, j]))
                  for i, j in _peaks(scores, COARSE_PER_KEPT * keep)]
    found.sort(key=lambda c: -c[0])
    # the coarse grid ranks a true but weak match (dense texture) below chance alignments
    # that the fine search then drops: fine-search several times as many as are kept
    fine = [_fine(r, t.freqs, flip, angle, s0x, s0y) for _, flip, angle, s0x, s0y in found[: COARSE_PER_KEPT * keep]]
    out: list[Geometry] = []
    for geo in sorted((g for g in fine if g is not None), key=lambda g: -g.score):
        if not any(_same(g, geo) for g in out):
            out.append(geo)
        if len(out) == keep:
            break
    return out


def rectify(f: np.ndarray, matrix: np.ndarray, max_side: int = 1400) -> np.ndarray | None:
    """Resample ``f`` (observed) back to the original geometry; zeros outside."""
    import cv2

    if abs(np.linalg.det(matrix)) < 1e-3:
        return None
    inv = np.linalg.inv(matrix)
    h, w = f.shape
    corners = np.array([[0, 0], [w, 0], [0, h], [w, h]], dtype=np.float64).T
    d = inv @ corners
    dmin, dmax = d.min(axis=1), d.max(axis=1)
    size = np.ceil(dmax - dmin).astype(int)
    if size.max() > max_side or size.min() < 64:
        return None
    m = np.hstack([matrix, (matrix @ dmin)[:, None]])
    return cv2.warpAffine(
        f.astype(np.float32), m, (int(size[0]), int(size[1])),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_CONSTANT, borderValue=0.0,
    )
