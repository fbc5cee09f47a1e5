"""MediaPipe-like trouble for a perfect `LandmarkSeries` (pure functions, seeded).

What pose estimation really does to a runner's feet (DESIGN.md §2): foot landmarks
jitter more than hips, frames drop out, the two legs' labels swap for a few frames
(mostly when the legs cross or overlap, mediapipe #3496), and fast motion lags
(#6239). Each function returns a new series and leaves its input untouched; `degrade`
chains them with typical sizes so a counter test can ask for "a realistic day".
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from vision import landmarks as lm
from vision.series import LandmarkSeries

LEG_PARTS = ("hip", "knee", "ankle", "heel", "foot_index")
LEFT_LEG = np.array([lm.side_idx("left", p) for p in LEG_PARTS])
RIGHT_LEG = np.array([lm.side_idx("right", p) for p in LEG_PARTS])
FOOT = np.array(lm.FOOT)


def jitter(
    series: LandmarkSeries, rng: np.random.Generator, sigma_px: float = 1.5, foot_factor: float = 2.5,
    sigma_m: float = 0.01,
) -> LandmarkSeries:  # fmt: skip
    """Gaussian noise on every landmark; the six foot landmarks ``foot_factor`` times more.

    Args:
        sigma_px: image noise in pixels (MediaPipe on a 640x480 body: ~1–3 px).
        foot_factor: how much noisier feet are than the rest.
        sigma_m: world-coordinate noise in metres.
    """
    scale = np.ones(lm.COUNT)
    scale[FOOT] = foot_factor
    xy = series.xy + rng.normal(0.0, sigma_px, series.xy.shape) * scale[None, :, None]
    world = series.world + rng.normal(0.0, sigma_m, series.world.shape) * scale[None, :, None]
    return replace(series, xy=xy.astype(np.float32), world=world.astype(np.float32))


def dropout(series: LandmarkSeries, rng: np.random.Generator, rate: float = 0.02, max_gap: int = 4) -> LandmarkSeries:
    """Gaps: about ``rate`` of the frames lost, in runs of 1..``max_gap`` frames (NaN, visibility 0)."""
    n = len(series)
    lost = np.zeros(n, bool)
    for start in np.flatnonzero(rng.random(n) < rate / ((1 + max_gap) / 2)):
        lost[start : start + int(rng.integers(1, max_gap + 1))] = True
    xy, world, vis = series.xy.copy(), series.world.copy(), series.visibility.copy()
    xy[lost], world[lost], vis[lost] = np.nan, np.nan, 0.0
    return replace(series, xy=xy, world=world, visibility=vis)


def legs_crossed(series: LandmarkSeries, tol_px: float = 12.0) -> np.ndarray:
    """(T,) True where the two ankles are within ``tol_px`` of each other horizontally
    in the image (legs crossing or overlapping, as in a split jump seen from an angle)."""
    gap = np.abs(series.xy[:, lm.idx("left_ankle"), 0] - series.xy[:, lm.idx("right_ankle"), 0])
    return np.nan_to_num(gap, nan=np.inf) < tol_px


def swap_legs(series: LandmarkSeries, rng: np.random.Generator, n: int = 3, max_len: int = 6) -> LandmarkSeries:
    """Swap the left and right legs' labels (hip to toe) for ``n`` runs of 1..``max_len``
    frames, started where the legs cross when they do, else anywhere."""
    crossed = np.flatnonzero(legs_crossed(series))
    pool = crossed if len(crossed) >= n else np.arange(len(series))
    xy, world, vis = series.xy.copy(), series.world.copy(), series.visibility.copy()
    for start in rng.choice(pool, size=min(n, len(pool)), replace=False):
        run = slice(int(start), int(start) + int(rng.integers(1, max_len + 1)))
        for a in (xy, world, vis):
            a[run, LEFT_LEG], a[run, RIGHT_LEG] = a[run, RIGHT_LEG].copy(), a[run, LEFT_LEG].copy()
    return replace(series, xy=xy, world=world, visibility=vis)


def lag(series: LandmarkSeries, alpha: float = 0.6) -> LandmarkSeries:
    """Exponential smoothing ``y[i] = alpha * x[i] + (1 - alpha) * y[i-1]`` of the
    coordinates: the landmarks trail fast motion; restarts after each gap."""
    xy, world = series.xy.copy(), series.world.copy()
    for i in range(1, len(series)):
        if series.detected[i] and series.detected[i - 1]:
            xy[i] = alpha * series.xy[i] + (1 - alpha) * xy[i - 1]
            world[i] = alpha * series.world[i] + (1 - alpha) * world[i - 1]
    return replace(series, xy=xy, world=world)


def degrade(series: LandmarkSeries, seed: int = 0, level: float = 1.0) -> LandmarkSeries:
    """A typical MediaPipe day: lag, jitter, leg swaps and dropouts, scaled by ``level``
    (0 = perfect, 1 = typical, 2 = a bad day)."""
    if level <= 0:
        return series
    rng = np.random.default_rng(seed)
    out = lag(series, alpha=max(0.3, 1.0 - 0.3 * level))
    out = jitter(out, rng, sigma_px=1.5 * level, sigma_m=0.01 * level)
    out = swap_legs(out, rng, n=int(round(2 * level)), max_len=int(2 + 3 * level))
    return dropout(out, rng, rate=0.015 * level, max_gap=int(2 + 2 * level))
