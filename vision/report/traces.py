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

from vision import landmarks as lm
from vision.series import LandmarkSeries

Array = npt.NDArray[np.float64]

LEG_PERCENTILE = 90
"""The leg length is this percentile of the per-frame thigh + shank: a bent knee seen from
the front shortens the thigh in the image, so the longest frames (legs straight) hold the
true length, and the top few percent may be a mislabelled frame."""

_SOLE = {side: [lm.side_idx(side, p) for p in ("heel", "foot_index")] for side in lm.SIDES}
_FOOT = {side: [lm.side_idx(side, p) for p in ("ankle", "heel", "foot_index")] for side in lm.SIDES}
_HIPS = [lm.idx("left_hip"), lm.idx("right_hip")]
_SHOULDERS = [lm.idx("left_shoulder"), lm.idx("right_shoulder")]


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
    return -np.max(series.xy[:, _SOLE[side], 1], axis=1).astype(np.float64) / leg_length(series.xy)


def lower_foot(series: LandmarkSeries) -> Trace:
    """The lower foot's height: it rises only when both feet leave the floor (a flight)."""
    low = np.fmin(foot_height(series, "left"), foot_height(series, "right"))
    return Trace(series.t, low, "lower foot height", "leg lengths")


def toe_angle(series: LandmarkSeries, side: str) -> Trace:
    """The toe's angle around the ankle in the image (0 = image right, + counterclockwise on
    screen), unwrapped, so each circle of the foot adds or takes away 360°."""
    toe, ankle = series.xy[:, lm.side_idx(side, "foot_index")], series.xy[:, lm.side_idx(side, "ankle")]
    r = (toe - ankle).astype(np.float64)
    angle = np.degrees(np.arctan2(-r[:, 1], r[:, 0]))
    seen = np.isfinite(angle)
    angle[seen] = np.degrees(np.unwrap(np.radians(angle[seen])))
    return Trace(series.t, angle, f"{side} toe around the ankle", "degrees")


def facing(series: LandmarkSeries) -> Array:
    """(T, 2) the athlete's facing, a unit horizontal (x, z) vector in world axes.

    As in `vision.counters.split`: ``across × up``, with ``across`` the shoulder line plus
    the hip line (athlete's right to left), whole-clip offline here.
    """
    world = series.world.astype(np.float64)
    across = (world[:, _SHOULDERS[0]] - world[:, _SHOULDERS[1]]) + (world[:, _HIPS[0]] - world[:, _HIPS[1]])
    f = np.stack([across[:, 2], -across[:, 0]], axis=1)  # (across × -y) in the (x, z) plane
    return f / np.linalg.norm(f, axis=1, keepdims=True)


def feet_apart(series: LandmarkSeries) -> Array:
    """(T, 2) horizontal (x, z) world offset of the left foot's centre from the right's, leg lengths."""
    world = series.world.astype(np.float64)
    d = world[:, _FOOT["left"]].mean(axis=1) - world[:, _FOOT["right"]].mean(axis=1)
    return d[:, [0, 2]] / leg_length(series.world)


def forward_foot(series: LandmarkSeries) -> Trace:
    """How far the left foot is ahead of the right along the facing: + left forward, - right."""
    ahead = np.sum(feet_apart(series) * facing(series), axis=1)
    return Trace(series.t, ahead, "left foot ahead of the right", "leg lengths")


def view_angle_deg(series: LandmarkSeries) -> float:
    """How far the camera is from straight in front of (or behind) the athlete, in degrees:
    0 looks at the chest or the back, 90 at the side. From the median shoulder and hip
    lines in world axes (x across the image, z away): their depth against their width."""
    world = series.world.astype(np.float64)
    across = (world[:, _SHOULDERS[0]] - world[:, _SHOULDERS[1]]) + (world[:, _HIPS[0]] - world[:, _HIPS[1]])
    angles = np.degrees(np.arctan2(np.abs(across[:, 2]), np.abs(across[:, 0])))
    angles = angles[np.isfinite(angles)]
    return float(np.median(angles)) if len(angles) else float("nan")
