"""Hop-like exercises: two-leg hops, single-leg hops, jump rope and split jumps.

All of them are a `vision.synth.flight.HopTrack` (when the athlete is in the air, and
which foot is up) dressed with leg, arm and rope postures. Heights and paces at
``amplitude = tempo = 1``, each rep varied by ``± spec.variation``:

- two-leg hops: 15 cm, 80 hops/min (12–20 cm with the variation);
- single-leg hops: 12 cm, 85 hops/min, free foot held behind (knee bent) or in front;
- jump rope: 5 cm, 120 jumps/min (alternate-foot: 3.5 cm, 135 steps/min);
- split jumps: 30 cm, one jump every 1.3 s, lunge stance with the rear toes on the floor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from vision.synth.flight import HopTrack, Phase, schedule
from vision.synth.motions import (
    LegGeometry,
    Motion,
    MotionSpec,
    Posture,
    Sway,
    add,
    blend,
    other,
    register,
    sided,
    smoothstep,
)  # fmt: skip

LEAD_IN_S = 1.0
"""Standing (and lifting a free foot) before the first takeoff."""
LEAD_OUT_S = 0.8


@dataclass(frozen=True)
class Bounce:
    """How the legs that hop flex: knee bend on the ground and at mid-contact (the
    landing's absorption and the push), heel raise on the ground, toe point in the air."""

    knee: float
    dip: float
    on_toes: float
    point: float

    def leg(self, ph: Phase) -> dict[str, float]:
        wave = np.sin(np.pi * ph.u)
        if ph.airborne:
            knee, ankle = self.knee * (1.0 - 0.7 * wave), -self.point * wave
        else:
            knee, ankle = self.knee + self.dip * wave, 0.0
        return {"hip_flex": 0.5 * knee, "knee": knee, "ankle_flex": 0.45 * knee - self.on_toes + ankle}


@dataclass(frozen=True)
class HopStyle:
    """One hop-like exercise's look: its bounce, where a tucked foot goes, its arms."""

    bounce: Bounce
    tuck: dict[str, float]
    arms: dict[str, float]
    arm_swing: float = 0.0


HOPS = HopStyle(Bounce(0.25, 0.55, 0.1, 0.35), {}, {"shoulder_flex": 0.1, "elbow": 0.8, "shoulder_abd": 0.15}, 0.35)
SINGLE_BEHIND = HopStyle(
    Bounce(0.3, 0.35, 0.1, 0.3), {"hip_flex": -0.05, "knee": 1.6, "ankle_flex": -0.3},
    {"shoulder_flex": 0.2, "elbow": 1.2, "shoulder_abd": 0.25}, 0.25,
)  # fmt: skip
SINGLE_FRONT = HopStyle(
    SINGLE_BEHIND.bounce, {"hip_flex": 0.8, "knee": 1.2, "ankle_flex": 0.1}, SINGLE_BEHIND.arms, 0.25
)
ROPE = HopStyle(
    Bounce(0.15, 0.15, 0.25, 0.2), {"hip_flex": 0.35, "knee": 1.1, "ankle_flex": 0.1},
    {"shoulder_flex": 0.1, "shoulder_abd": 0.3, "elbow": 0.8},
)  # fmt: skip
ROPE_SINGLE = HopStyle(ROPE.bounce, {"hip_flex": 0.25, "knee": 1.3, "ankle_flex": -0.3}, ROPE.arms)


def lifted_leg(ground: dict[str, float], tucked: dict[str, float], w: float) -> dict[str, float]:
    """A leg ``w`` (0..1) of the way from its ground posture to its tucked one, lifted
    off (or put down on) the floor while the other foot stands.

    Hip and knee blend straight across, but the foot keeps its pitch on the ground
    (``knee - hip_flex - ankle_flex``, 0 for a flat foot) until it is well up and takes
    the tucked pitch only at the end. Blending the ankle straight across would point the
    toes down while the foot is still at the floor; grounding then lifts the whole body
    ~4 cm on the foot's way up (or down), a hop the labels do not hold. (In the air, where
    a foot switches with the other, it blends straight across: no floor to dip below.)
    """
    leg = blend(ground, tucked, w)
    if not tucked:
        return leg

    def pitch(j: dict[str, float]) -> float:
        return j.get("knee", 0.0) - j.get("hip_flex", 0.0) - j.get("ankle_flex", 0.0)

    late = w**3
    target = (1 - late) * pitch(ground) + late * pitch(tucked)
    leg["ankle_flex"] = leg.get("knee", 0.0) - leg.get("hip_flex", 0.0) - target
    return leg


def hop_posture(
    track: HopTrack, style: HopStyle, sway: Sway, t: float, rope: float | None = None, valgus_deg: float = 0.0
) -> Posture:
    """The athlete at time t of a hop-like set: bouncing legs, tucked feet, arms, sway.

    ``valgus_deg`` turns the thighs inward through each ground contact, most at its middle
    (the landing's deepest point), as `MotionSpec.knee_valgus_deg` says.
    """
    ph, engaged = track.phase(t), track.engagement(t)
    leg = style.bounce.leg(ph)
    if valgus_deg and not ph.airborne:
        inward = np.radians(valgus_deg) * float(np.sin(np.pi * ph.u))
        leg = add(leg, {"hip_rot": -inward, "hip_abd": -0.5 * inward})
    bounce = {k: engaged * v for k, v in leg.items()}
    legs = {}
    for side in ("left", "right"):
        w = track.tuck(side, t)
        legs.update(sided(side, blend(bounce, style.tuck, w) if ph.airborne else lifted_leg(bounce, style.tuck, w)))
    swing = style.arm_swing * engaged * (np.sin(np.pi * ph.u) if ph.airborne else -0.5 * np.sin(np.pi * ph.u))
    arm = add(style.arms, {"shoulder_flex": swing})
    if rope is not None:
        arm = add(arm, {"shoulder_flex": 0.1 * np.sin(rope), "shoulder_abd": 0.06 * np.cos(rope)})
    arms = blend({}, add(sided("left", arm), sided("right", arm)), max(engaged, 0.3))
    root, sw = sway(t)
    return Posture(root=root, joints=add(legs, arms, sw), height=track.height(t), rope_phase=rope)


def hop_set(
    spec: MotionSpec,
    rng: np.random.Generator,
    lands_on: list[str],
    start_feet: tuple[str, ...],
    period: float,
    height: float,
    lead_in: float = LEAD_IN_S,
) -> HopTrack:
    """The track of one set: ``lands_on`` gives each jump's landing foot."""
    jumps = schedule(rng, lead_in, lands_on, period / spec.tempo, height * spec.amplitude, spec.variation)
    end = jumps[-1].landing + LEAD_OUT_S
    return HopTrack(jumps, start_feet, end)


def hop_motion(spec: MotionSpec, track: HopTrack, style: HopStyle, sway: Sway, with_rope: bool = False) -> Motion:
    """Wrap a track as a `Motion` with one segment (rope phase included for jump rope)."""
    seg = (track.segment(spec.exercise, (spec.style or "two_foot") if with_rope else spec.style),)
    valgus = spec.knee_valgus_deg
    if not with_rope:
        return Motion(track.end_s, lambda t: hop_posture(track, style, sway, t, valgus_deg=valgus), seg)
    apex = np.array([j.apex for j in track.jumps])
    knots_t = np.concatenate([[apex[0] - 0.6], apex, [apex[-1] + 0.1]])
    turns = np.pi + 2 * np.pi * np.arange(len(apex))
    knots_v = np.concatenate([[-0.75 * np.pi], turns, [turns[-1] + 0.25 * np.pi]])  # from and to behind the heels
    return Motion(
        track.end_s, lambda t: hop_posture(track, style, sway, t, float(np.interp(t, knots_t, knots_v)), valgus), seg
    )


@register("two_leg_hops")
def two_leg_hops(spec: MotionSpec, k: int, rng: np.random.Generator, sway: Sway, geo: LegGeometry) -> Motion:
    """Small quick two-footed hops, knees bending at each landing."""
    track = hop_set(spec, rng, ["both"] * spec.reps, ("left", "right"), 0.75, 0.15)
    return hop_motion(spec, track, HOPS, sway)


@register("single_leg_hops")
def single_leg_hops(spec: MotionSpec, k: int, rng: np.random.Generator, sway: Sway, geo: LegGeometry) -> Motion:
    """Hops on one foot; the other is held up (behind or in front) for the whole set."""
    side = spec.set_side(k)
    track = hop_set(spec, rng, [side] * spec.reps, (side,), 0.7, 0.12)
    return hop_motion(spec, track, SINGLE_FRONT if spec.style == "front" else SINGLE_BEHIND, sway)


@register("jump_rope")
def jump_rope(spec: MotionSpec, k: int, rng: np.random.Generator, sway: Sway, geo: LegGeometry) -> Motion:
    """Rope skipping in one of three styles; one rope turn per jump, under the feet at the apex."""
    style = spec.style or "two_foot"
    side = spec.set_side(k)
    period = 0.45 if style == "alternate_foot" else 0.5
    n = spec.reps if spec.duration_s is None else max(1, int(spec.duration_s * spec.tempo / period))
    start: tuple[str, ...]
    if style == "two_foot":
        lands, start, look = ["both"] * n, ("left", "right"), ROPE
    elif style == "alternate_foot":
        lands, start, look = [(side, other(side))[i % 2] for i in range(n)], ("left", "right"), ROPE
    else:
        lands, start, look = (
            switching_feet(rng, n, side, spec.switch_every_s * spec.tempo / period),
            (side,),
            ROPE_SINGLE,
        )
    height = 0.035 if style == "alternate_foot" else 0.05
    return hop_motion(spec, hop_set(spec, rng, lands, start, period, height), look, sway, with_rope=True)


def switching_feet(rng: np.random.Generator, n: int, first: str, jumps_per_side: float) -> list[str]:
    """Landing feet for single-leg rope: blocks of ~``jumps_per_side`` (±20 %) per foot."""
    feet: list[str] = []
    side = first
    while len(feet) < n:
        feet += [side] * max(2, int(round(jumps_per_side * rng.uniform(0.8, 1.2))))
        side = other(side)
    return feet[:n]


@dataclass(frozen=True)
class SplitStance:
    """A lunge: front thigh forward, rear thigh back with its toes on the floor.

    The rear knee is solved from `LegGeometry` so the rear toes sit as low as the front
    foot's sole: grounding then puts both on the floor.
    """

    geo: LegGeometry
    front_hip: float = 0.7
    front_knee: float = 0.95
    rear_hip: float = -0.35
    rear_foot: float = -1.0

    def legs(self, front: str, dip: float = 0.0) -> dict[str, float]:
        fh, fk = self.front_hip + 0.5 * dip, self.front_knee + dip
        floor = min(self.geo.foot_low_points(fh, fk, fk - fh))

        def gap(knee: float) -> float:
            return self.geo.foot_low_points(self.rear_hip, knee, self.rear_foot - self.rear_hip + knee)[0] - floor

        rk = brentq(gap, 0.0, 2.4) if gap(0.0) * gap(2.4) < 0 else 0.0
        rear = {"hip_flex": self.rear_hip, "knee": rk, "ankle_flex": self.rear_foot - self.rear_hip + rk}
        return add(sided(front, {"hip_flex": fh, "knee": fk, "ankle_flex": fk - fh}), sided(other(front), rear))


def split_legs(stance: SplitStance, track: HopTrack, fronts: list[str], t: float) -> dict[str, float]:
    """Legs at time t: lunge with a dip on the ground, scissoring through straight in the air."""
    ph = track.phase(t)
    if not ph.airborne:
        front = fronts[ph.jump]
        return blend(stance.legs(front), stance.legs(front, dip=0.3), float(np.sin(np.pi * ph.u)))
    a, b = stance.legs(fronts[ph.jump]), stance.legs(fronts[ph.jump + 1])
    wave = float(np.sin(np.pi * ph.u))
    tuck = add(sided("left", {"knee": -0.5, "ankle_flex": -0.3}), sided("right", {"knee": -0.5, "ankle_flex": -0.3}))
    return blend(blend(a, b, float(smoothstep(ph.u))), add(blend(a, b, 0.5), tuck), wave)


def split_arms(track: HopTrack, fronts: list[str], t: float) -> dict[str, float]:
    """Arms opposite to the legs (the arm of the rear leg forward), raised in the air."""

    def by_front(front: str) -> dict[str, float]:
        return add(sided(other(front), {"shoulder_flex": 0.5}), sided(front, {"shoulder_flex": -0.3}))

    ph = track.phase(t)
    bent = add(sided("left", {"elbow": 0.7}), sided("right", {"elbow": 0.7}))
    if not ph.airborne:
        return add(bent, by_front(fronts[min(ph.jump, len(fronts) - 1)]))
    lift = 0.5 * float(np.sin(np.pi * ph.u))
    swing = blend(by_front(fronts[ph.jump]), by_front(fronts[ph.jump + 1]), float(smoothstep(ph.u)))
    return add(bent, swing, sided("left", {"shoulder_flex": lift}), sided("right", {"shoulder_flex": lift}))


@register("split_jumps")
def split_jumps(spec: MotionSpec, k: int, rng: np.random.Generator, sway: Sway, geo: LegGeometry) -> Motion:
    """Lunge, explode, scissor the legs in the air, land with the other foot forward."""
    first = spec.set_side(k)
    fronts = [(first, other(first))[i % 2] for i in range(spec.reps + 1)]
    track = hop_set(spec, rng, ["both"] * spec.reps, ("left", "right"), 1.3, 0.3, lead_in=1.9)
    track = HopTrack(track.jumps, track.start_feet, track.end_s + 0.6, lead_contact_s=0.5)
    stance = SplitStance(geo)
    step_in = (0.3, track.jumps[0].takeoff - 0.6)
    step_out = (track.jumps[-1].landing + 0.6, track.end_s - 0.1)

    def posture_at(t: float) -> Posture:
        w = smoothstep((t - step_in[0]) / (step_in[1] - step_in[0])) * smoothstep(
            (step_out[1] - t) / (step_out[1] - step_out[0])
        )
        legs = blend({}, split_legs(stance, track, fronts, t), float(w))
        arms = add(blend({}, split_arms(track, fronts, t), float(w)), {"torso_flex": 0.15 * float(w)})
        root, sw = sway(t)
        return Posture(root=root, joints=add(legs, arms, sw), height=track.height(t))

    return Motion(track.end_s, posture_at, (track.segment(spec.exercise),))


def rope_polyline(left_hand: np.ndarray, right_hand: np.ndarray, phase: float, n: int = 41) -> np.ndarray:
    """(n, 3) rope from the left hand to the right hand, swung to ``phase`` about the hands' axis.

    Phase 0 is over the head, pi/2 in front, pi under the feet (just above the floor), 3pi/2
    behind: a forward turn. The rope's reach is set so that at pi it skims the floor.
    """
    u = np.linspace(0.0, 1.0, n)[:, None]
    axis = right_hand - left_hand
    facing = np.cross([0.0, 0.0, 1.0], axis)
    facing /= max(float(np.linalg.norm(facing)), 1e-9)
    reach = 0.5 * (left_hand[2] + right_hand[2]) - 0.01
    sweep = np.cos(phase) * np.array([0.0, 0.0, 1.0]) + np.sin(phase) * facing
    return left_hand + u * axis + reach * np.sin(np.pi * u) ** 0.6 * sweep
