"""Motion generators for the synthetic athlete: exercise parameters -> posture over time.

Pure maths, no MuJoCo: a `Motion` maps a time in seconds to a `Posture` (root position,
yaw, joint angles in the names of `vision.synth.body.JOINTS`, and how high the lowest
foot point should be). The caller grounds each posture with ``Humanoid.grounded(pose,
posture.height)``, so a motion never has to know the body's exact foot geometry: a hop is
only a parabola of that height, and ground contact is exact by construction.

Labels are *not* taken from here: `vision.synth.labels` reads them back from the 3D
motion, so a generator bug shows up as a wrong label instead of hiding behind one.

This module holds the shared pieces (spec, posture, blending, sets and rests, the
registry); the exercises live in `motions_jumps` (everything with a flight) and
`motions_ankle` (ankle rotations and the look-alike negatives).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from vision import landmarks as lm

EXERCISES: tuple[str, ...] = ("ankle_rotations", "two_leg_hops", "single_leg_hops", "jump_rope", "split_jumps")
"""Exercise names (DESIGN.md §3)."""

NEGATIVES: tuple[str, ...] = ("standing", "weight_shift", "walking", "heel_raise")
"""Look-alike movements that must count nothing."""

ROPE_STYLES: tuple[str, ...] = ("two_foot", "alternate_foot", "single_leg_alternating")

Joints = Mapping[str, float]


@dataclass(frozen=True)
class MotionSpec:
    """What the synthetic athlete does: one exercise (or negative), its sets and its variation.

    Args:
        exercise: one of `EXERCISES` or `NEGATIVES`.
        reps: reps per set (jumps, circles, calf raises, weight shifts, walking steps).
        sets: number of sets, with ``rest_s`` of standing between them.
        rest_s: rest between sets, seconds.
        tempo: pace factor, 0.6–1.6; 1 is the exercise's typical pace (e.g. 120 rope
            jumps/min, one ankle circle in 1.4 s, one split jump in 1.3 s).
        amplitude: size factor, 0.6–1.6; 1 is a typical hop height or circle size.
        side: the working foot (ankle rotations) or the stance foot (single-leg hops,
            single-leg rope); ``"both"`` alternates the foot from set to set.
        direction: ``"cw"`` or ``"ccw"`` (ankle rotations, as the athlete sees it).
        style: jump rope: one of `ROPE_STYLES`; single-leg hops: ``"behind"`` or
            ``"front"`` (where the free foot is held).
        switch_every_s: single-leg rope: seconds on one foot before switching (5–10).
        duration_s: when set, a set lasts this long instead of ``reps`` (rope, standing).
        variation: relative spread of each rep's tempo and size (0.15 = ±15 %).
        sway: size factor of the athlete's idle sway (0 = statue).
        knee_valgus_deg: hops and rope: at each landing the thighs of the landing legs turn
            inward (hip internal rotation, half as much adduction) by up to this angle, so
            the knees fall inside the hip-ankle line (dynamic knee valgus, a form fault the
            session report warns of); 0 lands with the knees over the feet. The knee's
            frontal-plane angle this makes grows with the landing's knee bend: 20° gives
            ~19° on two-leg hops, ~15° on single-leg hops, ~7° on rope bounces.
        seed: seeds every random choice; the same spec gives the same motion.
    """

    exercise: str
    reps: int = 10
    sets: int = 1
    rest_s: float = 3.0
    tempo: float = 1.0
    amplitude: float = 1.0
    side: str = "left"
    direction: str = "cw"
    style: str = ""
    switch_every_s: float = 7.0
    duration_s: float | None = None
    variation: float = 0.15
    sway: float = 1.0
    knee_valgus_deg: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        if self.exercise not in EXERCISES + NEGATIVES:
            raise ValueError(f"unknown exercise {self.exercise!r}; expected one of {EXERCISES + NEGATIVES}")
        if self.side not in ("left", "right", "both"):
            raise ValueError(f"side must be left, right or both, not {self.side!r}")
        if self.direction not in ("cw", "ccw"):
            raise ValueError(f"direction must be cw or ccw, not {self.direction!r}")
        if self.exercise == "jump_rope" and self.style not in ROPE_STYLES + ("",):
            raise ValueError(f"jump rope style must be one of {ROPE_STYLES}, not {self.style!r}")
        if self.reps < 1 or self.sets < 1:
            raise ValueError("reps and sets must be at least 1")
        if not (0.4 <= self.tempo <= 2.0 and 0.4 <= self.amplitude <= 2.0):
            raise ValueError("tempo and amplitude are factors around 1 (0.4–2.0)")

    def set_side(self, set_index: int) -> str:
        """The foot a set uses: ``side``, or alternating left/right for ``"both"``."""
        if self.side != "both":
            return self.side
        return ("left", "right")[set_index % 2]


@dataclass(frozen=True)
class LegGeometry:
    """Leg segment lengths in metres, for the few places a motion must plan a foot contact.

    Only the split-jump stance (rear toes on the floor) and the lifted foot of an ankle
    rotation need it; everything else is grounded by the body itself. `from_landmarks`
    measures it on the actual humanoid so the two agree.
    """

    thigh: float = 0.43
    shank: float = 0.43
    toe_forward: float = 0.16
    heel_back: float = 0.05
    ankle_height: float = 0.08

    @classmethod
    def from_landmarks(cls, landmarks: np.ndarray) -> LegGeometry:
        """Measure the left leg of a (33, 3) landmark array of the neutral standing pose."""
        p = {part: landmarks[lm.side_idx("left", part)] for part in ("hip", "knee", "ankle", "heel", "foot_index")}
        floor = min(p["heel"][2], p["foot_index"][2])
        return cls(
            thigh=float(np.linalg.norm(p["knee"] - p["hip"])),
            shank=float(np.linalg.norm(p["ankle"] - p["knee"])),
            toe_forward=float(np.linalg.norm((p["foot_index"] - p["ankle"])[:2])),
            heel_back=float(np.linalg.norm((p["heel"] - p["ankle"])[:2])),
            ankle_height=float(p["ankle"][2] - floor),
        )

    def foot_low_points(self, hip_flex: float, knee: float, ankle_flex: float) -> tuple[float, float]:
        """Heights of the toe tip and the heel below the hip in the sagittal plane.

        Angles as in `vision.synth.body.JOINTS`: the thigh swings forward by ``hip_flex``,
        the shank back by ``knee``, the foot up by ``ankle_flex``.
        """
        a_shank = hip_flex - knee
        ankle_z = -self.thigh * np.cos(hip_flex) - self.shank * np.cos(a_shank)
        a_foot = a_shank + ankle_flex
        c, s = np.cos(a_foot), np.sin(a_foot)
        toe = ankle_z + self.toe_forward * s - self.ankle_height * c
        heel = ankle_z - self.heel_back * s - self.ankle_height * c
        return float(toe), float(heel)


@dataclass(frozen=True)
class Posture:
    """The athlete at one instant, before grounding.

    Attributes:
        root: (3,) pelvis position in metres; its z is replaced when grounding.
        yaw: heading in radians (0 = facing -y, towards the front camera).
        joints: joint angles in radians; missing joints are neutral.
        height: where the lowest foot point must be (0 on the floor, > 0 in flight).
        rope_phase: the rope's angle around the hands' axis (0 over the head, pi under
            the feet), or None without a rope.
    """

    root: tuple[float, float, float] = (0.0, 0.0, 0.0)
    yaw: float = 0.0
    joints: Joints = field(default_factory=dict)
    height: float = 0.0
    rope_phase: float | None = None


@dataclass(frozen=True)
class Segment:
    """A stretch of a motion that holds one exercise or negative.

    ``item`` numbers the routine item a segment belongs to (sets of one item share it);
    ``set_index`` counts that item's sets from 0; ``style`` says what was asked and
    ``planned`` when the generator meant each flight's apex (hop-like) or each circle's
    completion (rotations) to be: for reference and tests only, since labels are
    measured on the 3D motion, never copied from these.
    """

    exercise: str
    start_s: float
    end_s: float
    item: int = 0
    set_index: int = 0
    style: str = ""
    planned: tuple[float, ...] = ()

    def shifted(self, dt: float, item: int | None = None) -> Segment:
        """The same segment ``dt`` seconds later (and optionally renumbered)."""
        return replace(
            self, start_s=self.start_s + dt, end_s=self.end_s + dt, item=self.item if item is None else item,
            planned=tuple(t + dt for t in self.planned),
        )  # fmt: skip


PostureFn = Callable[[float], Posture]


@dataclass(frozen=True)
class Motion:
    """A posture for every time in ``[0, duration_s]`` and the segments it is made of."""

    duration_s: float
    posture_at: PostureFn
    segments: tuple[Segment, ...]

    def times(self, fps: float) -> np.ndarray:
        """Frame timestamps at ``fps`` covering the motion (the frame at t = 0 included)."""
        return np.arange(int(np.floor(self.duration_s * fps)) + 1) / fps


def concat(parts: list[Motion], renumber: bool = False) -> Motion:
    """Play motions one after the other; each part's segments are shifted to its start.

    Every part starts and ends at the neutral standing posture, so the joins are smooth.
    With ``renumber`` each part's segments get the part's index as their ``item``.
    """
    offsets = np.concatenate([[0.0], np.cumsum([p.duration_s for p in parts])])
    segments = tuple(
        s.shifted(off, item=i if renumber else None)
        for i, (p, off) in enumerate(zip(parts, offsets))
        for s in p.segments
    )

    def posture_at(t: float) -> Posture:
        i = int(np.clip(np.searchsorted(offsets, t, side="right") - 1, 0, len(parts) - 1))
        return parts[i].posture_at(t - offsets[i])

    return Motion(float(offsets[-1]), posture_at, segments)


def smoothstep(x: float | np.ndarray) -> float | np.ndarray:
    """0 below 0, 1 above 1, an S-curve between (zero slope at both ends)."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def blend(a: Joints, b: Joints, w: float) -> dict[str, float]:
    """Joint angles ``(1 - w) * a + w * b`` over the union of both (missing = neutral)."""
    return {k: (1.0 - w) * a.get(k, 0.0) + w * b.get(k, 0.0) for k in set(a) | set(b)}


def add(*poses: Joints) -> dict[str, float]:
    """Sum of joint-angle offsets (missing = 0)."""
    out: dict[str, float] = {}
    for p in poses:
        for k, v in p.items():
            out[k] = out.get(k, 0.0) + v
    return out


def sided(side: str, joints: Mapping[str, float]) -> dict[str, float]:
    """``{"knee": 1.0}`` -> ``{"left_knee": 1.0}`` for ``side="left"``."""
    return {f"{side}_{k}": v for k, v in joints.items()}


def other(side: str) -> str:
    """The other foot."""
    return "right" if side == "left" else "left"


@dataclass(frozen=True)
class Sway:
    """The small, slow, seeded wobble of a person standing or moving (a sum of sines).

    Keeps a synthetic athlete from standing like a statue, so counters can't rely on a
    perfectly still baseline.
    """

    size: float
    freqs: tuple[float, ...]
    phases: tuple[float, ...]

    @classmethod
    def make(cls, rng: np.random.Generator, size: float) -> Sway:
        return cls(size, tuple(rng.uniform(0.15, 0.6, 4)), tuple(rng.uniform(0, 2 * np.pi, 4)))

    def __call__(self, t: float) -> tuple[tuple[float, float, float], dict[str, float]]:
        """Root offset (metres) and joint offsets (radians) at time t."""
        w = [self.size * np.sin(2 * np.pi * f * t + p) for f, p in zip(self.freqs, self.phases)]
        joints = {
            "torso_side": 0.02 * w[0],
            "torso_flex": 0.02 * w[1],
            "neck_flex": 0.03 * w[2],
            "torso_twist": 0.02 * w[3],
        }
        return (0.012 * w[0], 0.008 * w[1], 0.0), joints


ARMS_RELAXED: dict[str, float] = {
    "left_shoulder_abd": 0.12, "right_shoulder_abd": 0.12, "left_elbow": 0.25, "right_elbow": 0.25,
}  # fmt: skip
"""Arms hanging a little away from the body, elbows soft."""


def standing(duration_s: float, sway: Sway, name: str = "standing") -> Motion:
    """Standing still (with sway) for ``duration_s``: the rest between sets and items."""

    def posture_at(t: float) -> Posture:
        root, joints = sway(t)
        return Posture(root=root, joints=add(ARMS_RELAXED, joints))

    return Motion(duration_s, posture_at, (Segment(name, 0.0, duration_s),))


SetBuilder = Callable[[MotionSpec, int, np.random.Generator, Sway, LegGeometry], Motion]
"""Builds one set: (spec, set index, rng, sway, leg geometry) -> Motion."""

_BUILDERS: dict[str, SetBuilder] = {}


def register(name: str) -> Callable[[SetBuilder], SetBuilder]:
    """Decorator: make a set builder the generator of exercise ``name``."""

    def deco(fn: SetBuilder) -> SetBuilder:
        _BUILDERS[name] = fn
        return fn

    return deco


def build_motion(spec: MotionSpec, geometry: LegGeometry | None = None) -> Motion:
    """The whole motion of a spec: its sets with standing rests between them.

    Args:
        spec: what to do.
        geometry: the humanoid's leg lengths (`LegGeometry.from_landmarks`); the
            default fits the default humanoid closely enough for feet to stay on the floor.
    """
    from vision.synth import motions_ankle, motions_jumps  # noqa: F401  (registers the builders)

    geometry = geometry or LegGeometry()
    rng = np.random.default_rng(spec.seed)
    sway = Sway.make(rng, spec.sway)
    parts: list[Motion] = []
    for k in range(spec.sets):
        if k:
            parts.append(standing(spec.rest_s, sway))
        one = _BUILDERS[spec.exercise](spec, k, rng, sway, geometry)
        parts.append(Motion(one.duration_s, one.posture_at, tuple(replace(s, set_index=k) for s in one.segments)))
    return concat(parts)


def jitter(rng: np.random.Generator, spread: float, n: int | None = None) -> np.ndarray:
    """Factors uniformly in ``1 ± spread`` (per-rep tempo or size variation)."""
    return rng.uniform(1.0 - spread, 1.0 + spread, n)
