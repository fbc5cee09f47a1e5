"""Running metrics of a session: pure functions from signals (`vision.report.traces`) and reps.

**Flights.** A jump is ballistic, so the lowest foot point follows a parabola between
takeoff and landing. Each counted rep's flight is found around its time in the lower
foot's height: its apex, the floor under it (a low percentile of the heights on each side;
the higher of the two, since the lower foot may change, e.g. a free foot put down after the
last hop, and stand lower in the image), and the two moments it crosses `LEVEL` of the way
up (linear interpolation between frames). The crossings are on the steep part of the
flight, clear of the floor's jitter; for a parabola their spacing is ``sqrt(1 - LEVEL)`` of
the whole flight, which gives takeoff and landing. Ground contact is the time from one
landing to the next takeoff. Split jumps read long from the front: the scissoring feet move
in depth, so the lower foot in the image is not a parabola.

**Jump height** comes from the flight time, ``h = g t² / 8`` (the method of contact mats
and phone jump apps): it needs no camera calibration. In the image the lowest foot point
is a poor ruler: seen from hip height, a foot that swings back in the air looks higher
than it is (12 % on the synthetic athlete). Relative to leg length, it is divided by the
leg (thigh + shank) of MediaPipe's metric world landmarks.

*How accurate.* On the synthetic athlete's exact landmarks, flight times come out within
9 ms and heights within 8 % (tests/test_report_metrics.py). Through MediaPipe, pose landmarks smear fast motion over a
frame and the lowest visible foot point is not the true sole, so flight and contact times
are good to about one frame period (33 ms at 30 fps, 17 ms at 60 fps); each result states
its ``timing_resolution_s``. A flight-time error dt moves the height by 2 dt / t (one
frame on a 0.35 s hop: ±19 %, so rely on the mean over many reps at 30 fps, or film at 60).

**Knee valgus on landing.** The frontal-plane projection angle (FPPA) of each knee, from
hip, knee and ankle in the image: 0 when the knee sits on the hip-ankle line, positive
when it falls inside it (towards the body's midline). It is a front-view measure (from
the side a bending knee moves across the image for a sagittal reason), so it is judged
only when the camera sees the athlete within `FRONT_VIEW_DEG` of straight on, and said so
otherwise. A landing is flagged when either landing knee's FPPA passes `VALGUS_DEG`
during the first `LANDING_S` after touchdown (the absorption); a knee counts only while its
foot is on the floor (`FOOT_DOWN`), since a free leg held up bends any way it likes, and
MediaPipe often misplaces its knee (seen on the rendered session: 12° on a tucked leg).

**Symmetry** is the limb symmetry index: the weaker side's mean over the stronger's, in
percent (100 = even), as return-to-running hop tests report it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import signal

from vision import landmarks as lm
from vision.report import traces
from vision.result import ExerciseResult, Rep
from vision.series import LandmarkSeries

Array = npt.NDArray[np.float64]

GRAVITY = 9.81
LEVEL = 0.25
"""Share of the apex height where takeoff and landing are read off the flight. Any level is
exact on a true parabola; through MediaPipe a flight reads narrower near its top (the model
smooths fast feet) and the floor jitters. Measured on two rendered clips (truth from the
synthetic motion), mean flight-time error at levels 0.2 / 0.25 / 0.35 / 0.5: 8 two-leg
hops -2 / -7 / -20 / -34 ms; 8 single-leg hops +6 / +2 / -9 ms. A quarter of the way up
keeps every hop but one within a frame and the mean height within 4 %."""
SEARCH_S = 0.35
"""A rep's apex is looked for this far either side of its counted time (half the shortest
hop period, and more than the counters' filter delay)."""
FLOOR_S = 0.6
"""The floor under a flight is read over this long either side of its apex."""
FLOOR_PERCENTILE = 10
MAX_CONTACT_S = 1.0
"""A ground phase longer than this between two flights is a pause, not a contact."""
FRONT_VIEW_DEG = 25.0
"""The camera within this angle of straight in front of (or behind) the athlete: a front view."""
VALGUS_DEG = 10.0
"""Knee FPPA on landing, degrees, above which the knee is said to fall inward. Healthy
landings from the front keep within a few degrees; 10° and up is the dynamic valgus that
injury-screening studies flag."""
FOOT_DOWN = 0.05
"""A foot within this many leg lengths (image height) of the lower foot is on the floor."""
LANDING_S = 0.25
"""How long after touchdown the knee is watched (the landing's absorption)."""
STANCE_S = (0.1, 0.4)
"""Split jumps: the landing stance is read this long after touchdown."""
JUMPS = ("two_leg_hops", "single_leg_hops", "jump_rope", "split_jumps")
VALGUS_EXERCISES = ("two_leg_hops", "single_leg_hops", "jump_rope")
"""Where the landing knee is judged (a split jump lands in a lunge: its knees point apart)."""


@dataclass(frozen=True)
class Flight:
    """One jump's flight: takeoff and landing, seconds."""

    takeoff: float
    landing: float

    @property
    def duration(self) -> float:
        return self.landing - self.takeoff

    @property
    def height_m(self) -> float:
        """Apex height of a ballistic flight this long."""
        return GRAVITY * self.duration**2 / 8.0


def _crossing(t: Array, h: Array, level: float, i: int, step: int) -> float | None:
    """Time at which ``h`` crosses ``level`` walking from index ``i`` by ``step`` (interpolated)."""
    j = i
    while 0 <= j + step < len(h) and abs(t[j + step] - t[i]) <= SEARCH_S:
        if not np.isfinite(h[j + step]):
            return None
        if h[j + step] <= level:
            a, b = h[j + step], h[j]
            return float(t[j + step] + (t[j] - t[j + step]) * (level - a) / (b - a))
        j += step
    return None


def find_flight(t: Array, low: Array, rep_t: float) -> Flight | None:
    """The flight of the jump counted at ``rep_t`` in the lower foot's height ``low`` (see module doc).

    Its apex is the clear peak (at least half the window's range high) nearest to ``rep_t``:
    at a fast rope pace the next, higher bounce may be in the window too.
    """
    near = np.flatnonzero((np.abs(t - rep_t) <= SEARCH_S) & np.isfinite(low))
    if len(near) < 3:
        return None
    window = low[near]
    peaks, _ = signal.find_peaks(window, prominence=0.5 * float(np.ptp(window)) or None)
    if not len(peaks):
        return None
    apex = int(near[peaks[np.argmin(np.abs(t[near[peaks]] - rep_t))]])
    before, after = (t >= t[apex] - FLOOR_S) & (t <= t[apex]), (t >= t[apex]) & (t <= t[apex] + FLOOR_S)
    floor = max(float(np.nanpercentile(low[side], FLOOR_PERCENTILE)) for side in (before, after))
    rise = float(low[apex]) - floor
    level = floor + LEVEL * rise
    up, down = _crossing(t, low, level, apex, -1), _crossing(t, low, level, apex, +1)
    if rise <= 0 or up is None or down is None:
        return None
    mid, duration = 0.5 * (up + down), (down - up) / np.sqrt(1.0 - LEVEL)
    return Flight(mid - 0.5 * duration, mid + 0.5 * duration)


def flights(t: Array, low: Array, reps: Sequence[Rep]) -> list[Flight | None]:
    """`find_flight` for every rep (None where a rep's flight could not be read)."""
    return [find_flight(t, low, rep.t) for rep in reps]


def contacts(found: Sequence[Flight | None]) -> list[float | None]:
    """Ground contact before each flight (None for the first, after a pause, or unread)."""
    out: list[float | None] = [None]
    for a, b in zip(found, found[1:]):
        gap = b.takeoff - a.landing if a is not None and b is not None else None
        out.append(gap if gap is not None and 0 < gap <= MAX_CONTACT_S else None)
    return out


def fppa_deg(hip: Array, knee: Array, ankle: Array, medial: Array) -> Array:
    """(T,) frontal-plane projection angle of a knee, degrees, + when it falls inward.

    Args:
        hip, knee, ankle: (T, 2) image points of one leg.
        medial: (T, 2) any vector from this leg's side towards the body's midline
            (e.g. this hip to the other hip).
    """
    thigh, shank = knee - hip, ankle - knee
    cross = thigh[:, 0] * shank[:, 1] - thigh[:, 1] * shank[:, 0]
    bend = np.degrees(np.abs(np.arctan2(cross, np.sum(thigh * shank, axis=1))))
    line = ankle - hip
    along = np.sum((knee - hip) * line, axis=1) / np.sum(line * line, axis=1)
    offset = knee - (hip + along[:, None] * line)
    return np.sign(np.sum(offset * medial, axis=1)) * bend


def knee_fppa(series: LandmarkSeries, side: str) -> traces.Trace:
    """One knee's FPPA over the whole series (`fppa_deg` on the image landmarks)."""
    xy = series.xy.astype(np.float64)
    hip, knee, ankle = (xy[:, lm.side_idx(side, p)] for p in ("hip", "knee", "ankle"))
    medial = xy[:, lm.side_idx(lm.other_side(side), "hip")] - hip
    return traces.Trace(series.t, fppa_deg(hip, knee, ankle, medial), f"{side} knee FPPA", "degrees")


@dataclass(frozen=True)
class Valgus:
    """The landing-knee check of one exercise: judged or not (and why), and its findings."""

    judged: bool
    view_deg: float
    per_rep: tuple[float | None, ...] = ()  # worst landing FPPA of each rep, degrees
    reason: str = ""

    @property
    def flagged(self) -> tuple[int, ...]:
        """Rep numbers (from 1) whose landing knee fell inward past `VALGUS_DEG`."""
        return tuple(n for n, a in enumerate(self.per_rep, 1) if a is not None and a > VALGUS_DEG)

    def warning(self, exercise: str) -> str | None:
        """The sentence for the user when any landing was flagged."""
        if not self.flagged:
            return None
        worst = max(a for a in self.per_rep if a is not None)
        reps = ", ".join(str(n) for n in self.flagged)
        return (f"{exercise}: the knees fell inward on landing (knee valgus, FPPA up to {worst:.0f}°) "
                f"in rep{'s' if len(self.flagged) > 1 else ''} {reps}")  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"judged": self.judged, "view_deg": self.view_deg, "threshold_deg": VALGUS_DEG}
        if self.judged:
            out["reps"] = list(self.flagged)
            out["max_fppa_deg"] = max((a for a in self.per_rep if a is not None), default=None)
        else:
            out["reason"] = self.reason
        return out


def landing_valgus(series: LandmarkSeries, reps: Sequence[Rep], found: Sequence[Flight | None]) -> Valgus:
    """Judge each landing's knees (see module doc); not judged away from a front view."""
    view = traces.view_angle_deg(series)
    if not view <= FRONT_VIEW_DEG:
        why = (f"the camera sees the athlete {view:.0f}° off the front; knee alignment is judged only "
               f"from the front or back (within {FRONT_VIEW_DEG:.0f}°)")  # fmt: skip
        return Valgus(False, view, reason=why)
    low = traces.lower_foot(series).values
    knees = {}
    for side in lm.SIDES:  # a knee counts only while its foot is down: a tucked free leg is no landing
        down = traces.foot_height(series, side) - low <= FOOT_DOWN
        knees[side] = np.where(down, knee_fppa(series, side).values, np.nan)
    per_rep: list[float | None] = []
    for rep, flight in zip(reps, found):
        if flight is None:
            per_rep.append(None)
            continue
        window = (series.t >= flight.landing) & (series.t <= flight.landing + LANDING_S)
        sides = [rep.side] if rep.side in lm.SIDES else list(lm.SIDES)
        values = np.concatenate([knees[s][window] for s in sides])
        values = values[np.isfinite(values)]
        per_rep.append(float(np.max(values)) if len(values) else None)
    return Valgus(True, view, tuple(per_rep))


def symmetry(values: Sequence[float | None], reps: Sequence[Rep]) -> dict[str, float] | None:
    """Per-side means and the limb symmetry index (weaker / stronger, %), or None without both sides."""
    means = {}
    for side in lm.SIDES:
        own = [v for v, r in zip(values, reps) if r.side == side and v is not None]
        if not own:
            return None
        means[side] = float(np.mean(own))
    strong = max(means.values())
    return {**means, "index_pct": 100.0 * min(means.values()) / strong if strong > 0 else 100.0}


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(np.mean(known)) if known else None


def jump_metrics(series: LandmarkSeries, result: ExerciseResult) -> tuple[dict[str, Any], Valgus | None]:
    """Flight, contact, height (and the landing-knee check) of a jump exercise's reps."""
    found = flights(series.t, traces.lower_foot(series).values, result.reps)
    ground = contacts(found)
    leg_m = traces.leg_length(series.world)
    times = [None if f is None else f.duration for f in found]
    heights = [None if f is None else f.height_m for f in found]
    per_rep: list[dict[str, Any]] = [
        {
            "t": r.t,
            "flight_time_s": ft,
            "ground_contact_s": g,
            "height_cm": None if h is None else 100 * h,
            "height_leg": None if h is None else h / leg_m,
        }
        for r, ft, g, h in zip(result.reps, times, ground, heights)
    ]
    metrics: dict[str, Any] = {
        "flight_time_s": _mean(times),
        "ground_contact_s": _mean(ground),
        "height_cm": _mean([row["height_cm"] for row in per_rep]),
        "height_leg": _mean([row["height_leg"] for row in per_rep]),
        "timing_resolution_s": 1.0 / series.fps,
    }
    if any(r.side in lm.SIDES for r in result.reps):
        metrics["symmetry_height"] = symmetry(heights, result.reps)
    if result.name == "split_jumps":
        apart = np.linalg.norm(traces.feet_apart(series), axis=1)
        stances = [_stance(series.t, apart, f) for f in found]
        for row, stance in zip(per_rep, stances):
            row["stance_leg"] = stance
        metrics["stance_leg"] = _mean(stances)
        if len(result.reps) >= 2:
            metrics["rep_interval_s"] = float(np.mean(np.diff([r.t for r in result.reps])))
    valgus = None
    if result.name in VALGUS_EXERCISES:
        valgus = landing_valgus(series, result.reps, found)
        metrics["knee_valgus"] = valgus.to_dict()
        for row, fppa in zip(per_rep, valgus.per_rep):
            row["knee_fppa_deg"] = fppa
    metrics["per_rep"] = per_rep
    return metrics, valgus


def _stance(t: Array, apart: Array, flight: Flight | None) -> float | None:
    """Median distance between the feet over the landing stance of a split jump (leg lengths)."""
    if flight is None:
        return None
    window = (t >= flight.landing + STANCE_S[0]) & (t <= flight.landing + STANCE_S[1]) & np.isfinite(apart)
    return float(np.median(apart[window])) if window.any() else None


def circle_range_deg(toe_dirs: Array) -> float:
    """Full aperture of the cone the foot sweeps in one circle: twice the mean angle of the
    toe's direction from the ankle (unit vectors, (N, 3)) from their mean direction."""
    axis = toe_dirs.mean(axis=0)
    axis /= np.linalg.norm(axis)
    return float(2.0 * np.degrees(np.mean(np.arccos(np.clip(toe_dirs @ axis, -1.0, 1.0)))))


def rotation_metrics(series: LandmarkSeries, result: ExerciseResult) -> dict[str, Any]:
    """The range of each ankle circle (world landmarks) and the left/right symmetry.

    A circle spans from the previous circle of the same foot to this one; the first of a
    run gets the span of the next.
    """
    r = (series.world[:, [lm.side_idx(s, "foot_index") for s in lm.SIDES]]
         - series.world[:, [lm.side_idx(s, "ankle") for s in lm.SIDES]]).astype(np.float64)  # fmt: skip
    dirs = r / np.linalg.norm(r, axis=2, keepdims=True)
    ranges: list[float | None] = []
    for rep in result.reps:
        same = [x.t for x in result.reps if x.side == rep.side]
        i = same.index(rep.t)
        span = rep.t - same[i - 1] if i > 0 else (same[1] - same[0] if len(same) > 1 else None)
        window = (series.t > rep.t - span) & (series.t <= rep.t) if span is not None and span < 3.0 else None
        side = lm.SIDES.index(rep.side) if rep.side in lm.SIDES else None
        if window is None or side is None:
            ranges.append(None)
            continue
        d = dirs[window, side]
        d = d[np.all(np.isfinite(d), axis=1)]
        ranges.append(circle_range_deg(d) if len(d) >= 3 else None)
    return {
        "range_deg": _mean(ranges),
        "symmetry_range": symmetry(ranges, result.reps),
        "per_rep": [{"t": rep.t, "range_deg": rg} for rep, rg in zip(result.reps, ranges)],
    }


def measure(series: LandmarkSeries, result: ExerciseResult) -> tuple[dict[str, Any], Valgus | None]:
    """An exercise's metrics (to merge into its ``metrics``) and, for landings, the knee check."""
    if not result.reps:
        return {}, None
    if result.name == "ankle_rotations":
        return rotation_metrics(series, result), None
    return jump_metrics(series, result)


def with_metrics(series: LandmarkSeries, result: ExerciseResult) -> ExerciseResult:
    """``result`` with its metrics measured on ``series`` and a landing-form warning if due."""
    found, valgus = measure(series, result)
    warning = valgus.warning(result.name) if valgus is not None else None
    return replace(
        result, metrics={**result.metrics, **found}, warnings=result.warnings + ((warning,) if warning else ())
    )
