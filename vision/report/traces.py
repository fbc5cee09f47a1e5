"""The signals a session report plots and measures, read off a whole `LandmarkSeries`.

The counters read the same body parts frame by frame, causally (a live camera cannot
look ahead). A report comes after the fact, so these are the offline forms: whole
arrays, no filter delay, so a flight's takeoff and landing sit where they happened.

Heights are in the athlete's own leg lengths (thigh + shank) and up is positive, as in
`vision.counters.feet`; angles are in degrees; times in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import ndimage

from vision import landmarks as lm
from vision.series import LandmarkSeries

Array = npt.NDArray[np.float64]

LEG_PERCENTILE = 90
"""The leg length is this percentile of the per-frame thigh + shank: a bent knee seen from
the front shortens the thigh in the image, so the longest frames (legs straight) hold the
true length, and the top few percent may be a mislabelled frame."""

CIRCLE_S = 1.4
"""About one ankle circle (the synthetic athlete's pace; real circles take 1-2 s)."""

MIN_LOOP = 0.1
"""Below this share of the foot's length from the loop's centre the toe's angle is noise."""


@dataclass(frozen=True)
class Trace:
    """One plotted signal: ``values`` (T,) at ``t`` (T,), NaN where the athlete was not seen."""

    t: Array
    values: Array
    label: str
    unit: str


def leg_length(points: npt.NDArray[np.float32]) -> float:
    """The athlete's leg length in the units of ``points`` ((T, 33, 2) pixels or (T, 33, 3) metres)."""
    lengths = [
        np.linalg.norm(points[:, lm.side_idx(s, "knee")] - points[:, lm.side_idx(s, "hip")], axis=1)
        + np.linalg.norm(points[:, lm.side_idx(s, "ankle")] - points[:, lm.side_idx(s, "knee")], axis=1)
        for s in lm.SIDES
    ]
    per_frame = np.fmax(*lengths)
    per_frame = per_frame[np.isfinite(per_frame)]
    return float(np.percentile(per_frame, LEG_PERCENTILE)) if len(per_frame) else float("nan")


def foot_height(series: LandmarkSeries, side: str) -> Array:
    """(T,) height of a foot's lowest point (heel or toe) in the image, leg lengths, up +.

    The zero is the image's top edge: only rises and falls mean anything.
    """
    return -np.max(series.xy[:, lm.SOLE[side], 1], axis=1).astype(np.float64) / leg_length(series.xy)


def lower_foot(series: LandmarkSeries) -> Trace:
    """The lower foot's height: it rises only when both feet leave the floor (a flight)."""
    low = np.fmin(foot_height(series, "left"), foot_height(series, "right"))
    return Trace(series.t, low, "lower foot height", "leg lengths")


def toe_angle(series: LandmarkSeries, side: str) -> Trace:
    """How far the toe has turned around its loop, seen along the shin, degrees (unwrapped):
    each ankle circle adds or takes away 360°.

    As in the counter (`vision.counters.ankle`) and the labels (DESIGN.md §3): r = toe -
    ankle in the world landmarks, written in the plane across the shin (axes: the facing made
    perpendicular to the shin, and the shin × that), and turned about the loop's centre, not
    the ankle (the loop sits off the shin). Offline, the centre is r's mean over `CIRCLE_S`,
    about one circle, so a round loop averages to its middle. (In the image alone the loop is
    often seen edge-on and would not wind.)
    """
    world = series.world.astype(np.float64)
    knee, ankle, toe = (world[:, lm.side_idx(side, p)] for p in ("knee", "ankle", "foot_index"))
    shin = _unit(ankle - knee)
    f = facing(series)
    ahead = np.stack([f[:, 0], np.zeros(len(f)), f[:, 1]], axis=1)
    e1 = _unit(ahead - np.sum(ahead * shin, axis=1, keepdims=True) * shin)
    e2 = np.cross(shin, e1)
    r = toe - ankle
    loop = np.stack([np.sum(r * e1, axis=1), np.sum(r * e2, axis=1)], axis=1)
    seen = np.all(np.isfinite(loop), axis=1)
    angle = np.full(len(loop), np.nan)
    if seen.sum() >= 2:
        filled = np.stack([np.interp(series.t, series.t[seen], loop[seen, k]) for k in range(2)], axis=1)
        size = max(1, round(CIRCLE_S * series.fps))
        d = filled - ndimage.uniform_filter1d(filled, size=size, axis=0, mode="nearest")
        foot = float(np.median(np.linalg.norm(r[seen], axis=1)))
        turning = seen & (np.linalg.norm(d, axis=1) > MIN_LOOP * foot)  # a still foot has no angle
        angle[turning] = np.degrees(np.unwrap(np.arctan2(d[turning, 1], d[turning, 0])))
    return Trace(series.t, angle, f"{side} toe's turn", "degrees")


def _unit(v: Array) -> Array:
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _across(series: LandmarkSeries) -> Array:
    """(T, 3) the shoulder line plus the hip line in world axes, athlete's right to left."""
    world = series.world.astype(np.float64)
    return (world[:, lm.SHOULDERS[0]] - world[:, lm.SHOULDERS[1]]) + (world[:, lm.HIPS[0]] - world[:, lm.HIPS[1]])


def facing(series: LandmarkSeries) -> Array:
    """(T, 2) the athlete's facing, a unit horizontal (x, z) vector in world axes.

    As in `vision.counters.split`: ``across × up``, with ``across`` the shoulder line plus
    the hip line (athlete's right to left), whole-clip offline here.
    """
    across = _across(series)
    f = np.stack([across[:, 2], -across[:, 0]], axis=1)  # (across × -y) in the (x, z) plane
    return f / np.linalg.norm(f, axis=1, keepdims=True)


def feet_apart(series: LandmarkSeries) -> Array:
    """(T, 2) horizontal (x, z) world offset of the left foot's centre from the right's, leg lengths."""
    world = series.world.astype(np.float64)
    d = world[:, lm.FOOT_OF["left"]].mean(axis=1) - world[:, lm.FOOT_OF["right"]].mean(axis=1)
    return d[:, [0, 2]] / leg_length(series.world)


def forward_foot(series: LandmarkSeries) -> Trace:
    """How far the left foot is ahead of the right along the facing: + left forward, - right."""
    ahead = np.sum(feet_apart(series) * facing(series), axis=1)
    return Trace(series.t, ahead, "left foot ahead of the right", "leg lengths")


def view_angle_deg(series: LandmarkSeries) -> float:
    """How far the camera is from straight in front of (or behind) the athlete, in degrees:
    0 looks at the chest or the back, 90 at the side. From the median shoulder and hip
    lines in world axes (x across the image, z away): their depth against their width."""
    across = _across(series)
    angles = np.degrees(np.arctan2(np.abs(across[:, 2]), np.abs(across[:, 0])))
    angles = angles[np.isfinite(angles)]
    return float(np.median(angles)) if len(angles) else float("nan")
