"""True labels of a synthetic clip, measured on its 3D motion (never copied from the spec).

Every label is read back from what the body actually did, frame by frame, the way a
careful human labeller reads a real clip (see /work/shared/clips/LABELS.md):

- a **jump** is a run of frames with both feet above the floor (lowest foot point >
  `AIR_M`); its time is the frame where the lower foot is highest (mid-flight), except
  single-leg hops (the landing frame) and alternate-foot rope skipping (the frame where
  the lifted foot is highest after the landing), as in the real clips' labels; the
  landing foot is the one(s) within `CONTACT_M` of the floor at the first frame down;
- a **split-jump** rep is a jump whose landing has the other foot forward (along the
  athlete's facing, from the hips) than its takeoff;
- an **ankle rotation** is a full 360° of the toe around the centre of its loop, in the
  plane across the shin (s = unit knee -> ankle, r = toe - ankle); its direction is the
  sign of the loop's area ∮ (r × dr)·s / 2: positive = clockwise as the athlete sees it.

Output follows DESIGN.md §4 (``schema`` 1), plus ``segments``, ``camera``, each item's
``sets`` (reps per set) and each rep's ``frame`` (and ``direction`` for rotations).
Jump details count single-foot landings per foot (a two-foot landing counts for neither).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from vision import landmarks as lm
from vision.counters.jumps import rope_style
from vision.synth.motions import EXERCISES, Segment, other

AIR_M = 0.005
"""Both feet this far above the floor = in the air (true geometry, so 5 mm is safe)."""
CONTACT_M = 0.005
"""A foot this close to the floor at a landing frame is one that landed."""
TURN_SLACK_RAD = np.radians(15.0)
"""A last circle that stops this short of 360° still counts (the shin moves a little)."""

FloatArray = npt.NDArray[np.float64]
SIDES = ("left", "right")


@dataclass(frozen=True)
class Rep:
    """One counted rep: time (s), frame index, side (``left``/``right``/``both``), and for
    ankle rotations the direction (``cw``/``ccw``)."""

    t: float
    frame: int
    side: str
    direction: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"t": round(self.t, 3), "frame": self.frame, "side": self.side}
        if self.direction:
            out["direction"] = self.direction
        return out


@dataclass(frozen=True)
class ExerciseLabel:
    """One routine item of a clip: its reps (all sets) and their breakdown."""

    name: str
    start_s: float
    end_s: float
    reps: tuple[Rep, ...]
    details: dict[str, Any]
    sets: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.reps)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "count": self.count, "start_s": round(self.start_s, 3), "end_s": round(self.end_s, 3),
            "details": self.details, "sets": list(self.sets), "reps": [r.to_json() for r in self.reps],
        }  # fmt: skip


@dataclass(frozen=True)
class Labels:
    """All labels of one clip (DESIGN.md §4, schema 1)."""

    fps: float
    frames: int
    exercises: tuple[ExerciseLabel, ...]
    segments: tuple[Segment, ...]
    camera: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def duration_s(self) -> float:
        return self.frames / self.fps

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": 1, "source": self.source, "fps": self.fps, "frames": self.frames,
            "duration_s": round(self.duration_s, 3),
            "exercises": [e.to_json() for e in self.exercises],
            "segments": [
                {**{k: v for k, v in asdict(s).items() if k in ("exercise", "item")},
                 "start_s": round(s.start_s, 3), "end_s": round(s.end_s, 3)}
                for s in self.segments
            ],
            "camera": self.camera,
        }  # fmt: skip


@dataclass(frozen=True)
class Flight:
    """A jump found in the foot heights: first and last airborne frames, apex frame,
    the feet on the floor at the first frame down, and the foot forward at both ends."""

    first: int
    last: int
    apex: int
    lands_on: tuple[str, ...]


def find_flights(feet: FloatArray) -> list[Flight]:
    """Jumps in (T, 2) left/right lowest-foot heights: both feet up, then one down."""
    air = np.min(feet, axis=1) > AIR_M
    edges = np.diff(np.concatenate([[0], air.astype(int), [0]]))
    flights = []
    for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
        if a == 0 or b >= len(feet):
            continue  # takeoff or landing outside the clip: not a countable jump
        down = feet[b]
        lands = tuple(s for s, h in zip(SIDES, down) if h <= down.min() + CONTACT_M)
        flights.append(Flight(int(a), int(b - 1), int(a + np.argmax(np.min(feet[a:b], axis=1))), lands))
    return flights


def forward_foot(landmarks: FloatArray) -> str:
    """Which ankle is further along the athlete's facing (from the hips) in one frame."""
    across = landmarks[lm.idx("left_hip")] - landmarks[lm.idx("right_hip")]
    facing = np.cross(across, [0.0, 0.0, 1.0])
    ahead = [landmarks[lm.side_idx(s, "ankle")] @ facing for s in SIDES]
    return SIDES[int(np.argmax(ahead))]


def jump_reps(name: str, t: FloatArray, feet: FloatArray, landmarks: FloatArray) -> tuple[list[Rep], dict[str, Any]]:
    """Reps and details of a hop-like exercise over one segment's frames."""
    flights = find_flights(feet)
    reps = []
    for k, f in enumerate(flights):
        side = f.lands_on[0] if len(f.lands_on) == 1 else "both"
        frame = f.apex
        if name == "single_leg_hops":
            frame = f.last + 1
        elif name == "jump_rope" and side != "both" and _alternating(flights, k):
            stop = flights[k + 1].first if k + 1 < len(flights) else len(t)
            lifted = SIDES.index(other(side))
            frame = f.last + 1 + int(np.argmax(feet[f.last + 1 : stop, lifted]))
        if name == "split_jumps":
            before, after = forward_foot(landmarks[f.first - 1]), forward_foot(landmarks[f.last + 1])
            if before == after:
                continue
            side = after
        reps.append(Rep(float(t[frame]), frame, side))
    return reps, jump_details(name, reps, flights)


def _alternating(flights: Sequence[Flight], k: int) -> bool:
    """True if flight k lands on the other single foot than a neighbouring flight."""
    near = [flights[j].lands_on for j in (k - 1, k + 1) if 0 <= j < len(flights)]
    return any(len(n) == 1 and n != flights[k].lands_on for n in near)


def jump_details(name: str, reps: Sequence[Rep], flights: Sequence[Flight]) -> dict[str, Any]:
    """The per-exercise breakdown of DESIGN.md §4."""
    per_side = {s: sum(r.side == s for r in reps) for s in SIDES}
    if name == "split_jumps":
        return {f"{s}_forward": n for s, n in per_side.items()}
    if name == "jump_rope":
        landings = [f.lands_on[0] if len(f.lands_on) == 1 else None for f in flights]
        return {"style": rope_style(landings), **per_side}
    return per_side if name == "single_leg_hops" else {}


def toe_in_shin_plane(landmarks: FloatArray, side: str) -> FloatArray:
    """(T, 2) toe tip relative to the ankle, in the plane across the shin.

    The basis is (e1, e2) with e1 the athlete's facing made perpendicular to the shin s
    and e2 = s × e1, so (e1, e2, s) is right-handed: a counterclockwise turn in these 2D
    coordinates is a positive turn about s, i.e. clockwise for an eye looking along s
    (the athlete looking down the shin). Works the same on world or camera-axes
    landmarks, since both are right-handed frames.
    """
    knee, ankle, toe = (landmarks[:, lm.side_idx(side, p)] for p in ("knee", "ankle", "foot_index"))
    s = ankle - knee
    s /= np.linalg.norm(s, axis=1, keepdims=True)
    across = landmarks[:, lm.idx("left_hip")] - landmarks[:, lm.idx("right_hip")]
    facing = np.cross(s, across)  # forward: down × left
    e1 = facing - np.sum(facing * s, axis=1, keepdims=True) * s
    e1 /= np.linalg.norm(e1, axis=1, keepdims=True)
    e2 = np.cross(s, e1)
    r = toe - ankle
    return np.stack([np.sum(r * e1, axis=1), np.sum(r * e2, axis=1)], axis=1)


def loop_area(points: FloatArray) -> float:
    """Signed area of a closed 2D loop (shoelace); > 0 = counterclockwise in its axes."""
    x, y = points[:, 0], points[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def longest_run(moving: npt.NDArray[np.bool_]) -> slice:
    """Frames of the longest unbroken run of steps marked ``moving`` (per-step flags, so
    the run's frames reach one past its last step): the toe going round, without the
    drift of the lift before it or the put-down after it."""
    edges = np.diff(np.concatenate([[0], moving.astype(int), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    k = int(np.argmax(stops - starts))
    return slice(int(starts[k]), int(stops[k]) + 1)


def rotation_reps(t: FloatArray, feet: FloatArray, landmarks: FloatArray) -> tuple[list[Rep], dict[str, Any]]:
    """Ankle circles of the lifted foot in one segment: full turns about the loop's centre."""
    side = SIDES[int(np.argmax(np.median(feet, axis=0)))]
    frames = np.flatnonzero(feet[:, SIDES.index(side)] > 0.01)
    details = {f"{s}_{d}": 0 for s in SIDES for d in ("cw", "ccw")}
    if len(frames) < 3:
        return [], details
    p = toe_in_shin_plane(landmarks[frames], side)
    p -= 0.5 * (p.min(axis=0) + p.max(axis=0))  # the loop's centre; a mean would lean to where the toe dwells
    radius = np.linalg.norm(p, axis=1) / np.median(np.linalg.norm(p, axis=1))
    wide = np.flatnonzero(radius > 0.75)  # the loop proper: the first and last wide frame bound it
    keep = (radius > 0.4) & (np.arange(len(p)) >= wide[0]) & (np.arange(len(p)) <= wide[-1])
    frames, p = frames[keep], p[keep]  # the lift and the put-down, near the centre, are left out
    turned = np.unwrap(np.arctan2(p[:, 1], p[:, 0]))
    turned *= np.sign(turned[-1] - turned[0])
    span = longest_run(np.abs(np.diff(turned)) > 0.3 * np.median(np.abs(np.diff(turned))))
    frames, p, turned = frames[span], p[span], turned[span] - turned[span.start]
    reps, start = [], 0
    for k in range(1, int((turned.max() + TURN_SLACK_RAD) // (2 * np.pi)) + 1):
        done = np.flatnonzero(turned >= 2 * np.pi * k)
        end = int(done[0]) if len(done) else int(np.argmax(turned))
        direction = "cw" if loop_area(p[start : end + 1]) > 0 else "ccw"
        reps.append(Rep(float(t[frames[end]]), int(frames[end]), side, direction))
        details[f"{side}_{direction}"] += 1
        start = end
    return reps, details


def label_segments(
    t: FloatArray,
    landmarks: FloatArray,
    feet: FloatArray,
    segments: Sequence[Segment],
    fps: float,
    camera: dict[str, Any] | None = None,
    source: str = "",
) -> Labels:
    """Labels of a whole clip, one `ExerciseLabel` per routine item (its sets together).

    Args:
        t: (T,) frame times, seconds.
        landmarks: (T, 33, 3) true landmark positions (world, metres).
        feet: (T, 2) lowest point of the left and right foot above the floor, metres.
        segments: what the athlete was asked to do when; only which exercise (and so
            which rule) applies is taken from them, every count is measured.
        fps, camera, source: copied into the output.
    """
    items: dict[int, list[tuple[Segment, list[Rep], dict[str, Any]]]] = {}
    for seg in segments:
        if seg.exercise not in EXERCISES:
            continue
        sl = slice(int(np.searchsorted(t, seg.start_s)), int(np.searchsorted(t, seg.end_s, side="right")))
        measure = rotation_reps if seg.exercise == "ankle_rotations" else partial(jump_reps, seg.exercise)
        reps, details = measure(t[sl], feet[sl], landmarks[sl])
        reps = [Rep(r.t, r.frame + sl.start, r.side, r.direction) for r in reps]
        items.setdefault(seg.item, []).append((seg, reps, details))
    exercises = tuple(_merge(parts) for _, parts in sorted(items.items()))
    return Labels(float(fps), len(t), exercises, tuple(segments), camera or {}, source)


def _merge(parts: list[tuple[Segment, list[Rep], dict[str, Any]]]) -> ExerciseLabel:
    """One item's sets as one label: reps concatenated, numeric details summed."""
    details: dict[str, Any] = {}
    for _, _, d in parts:
        for k, v in d.items():
            details[k] = details.get(k, 0) + v if isinstance(v, int) else v
    reps = tuple(r for _, rs, _ in parts for r in rs)
    sets = tuple(len(rs) for _, rs, _ in parts)
    return ExerciseLabel(parts[0][0].exercise, parts[0][0].start_s, parts[-1][0].end_s, reps, details, sets)
