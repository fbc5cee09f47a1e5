"""Ankle rotations and the look-alike negatives (standing, weight shift, walking, calf raises).

Ankle rotations: the athlete shifts onto the stance foot, lifts the working foot (thigh
forward ~45°, knee bent ~60°) and circles it. The toe's loop comes from ankle flexion
(toe forward/back in the plane across the shin) in quadrature with adduction, inversion and
a little hip rotation (toe to the athlete's left/right, about as far as forward/back, so the
loop is round like a person's and not the thin line of an ankle rock); one circle every 1.4 s at ``tempo = 1``,
each circle ±``variation`` in duration. Clockwise for the athlete means, looking down the
shin, forward -> right -> back -> left (DESIGN.md §3): for the left foot "right" is
medial (inversion, internal hip rotation), for the right foot it is lateral.

None of the negatives ever has both feet off the floor, so no jump can be read in them.
"""

from __future__ import annotations

import numpy as np

from vision.synth.motions import (
    ARMS_RELAXED,
    LegGeometry,
    Motion,
    MotionSpec,
    Posture,
    Segment,
    Sway,
    add,
    blend,
    other,
    register,
    sided,
    smoothstep,
    standing,
)  # fmt: skip

LIFT_S = 0.9
"""Time to shift the weight and lift the working foot (and to put it down again)."""
HOLD_S = 0.3
"""Pause with the foot up before the first circle and after the last, as people do."""


def medial_sign(side: str, direction: str) -> float:
    """+1 when a circle's second quarter moves the toe medially (inwards), else -1.

    The circle starts forward (dorsiflexed); clockwise then goes to the athlete's right,
    which is medial for the left foot and lateral for the right foot.
    """
    return 1.0 if (side == "left") == (direction == "cw") else -1.0


def circle_phase(rng: np.random.Generator, spec: MotionSpec, start: float) -> tuple[np.ndarray, np.ndarray]:
    """Knots (times, phase) of ``spec.reps`` circles of 2π each, each with its own duration."""
    durations = 1.4 / spec.tempo * rng.uniform(1 - spec.variation, 1 + spec.variation, spec.reps)
    times = start + np.concatenate([[0.0], np.cumsum(durations)])
    return times, 2 * np.pi * np.arange(spec.reps + 1)


@register("ankle_rotations")
def ankle_rotations(spec: MotionSpec, k: int, rng: np.random.Generator, sway: Sway, geo: LegGeometry) -> Motion:
    """Standing on one leg, the other foot lifted, its toes tracing ``spec.reps`` circles."""
    side = spec.set_side(k)
    knot_t, knot_phase = circle_phase(rng, spec, 0.3 + LIFT_S + HOLD_S)
    end = knot_t[-1] + HOLD_S + LIFT_S + 0.3
    sign = medial_sign(side, spec.direction)
    a = spec.amplitude
    shift = float(np.arctan2(0.07, geo.thigh + geo.shank))

    def posture_at(t: float) -> Posture:
        w = float(smoothstep((t - 0.3) / LIFT_S) * smoothstep((end - 0.3 - t) / LIFT_S))
        phi = float(np.interp(t, knot_t, knot_phase))
        m = sign * np.sin(phi) * a
        foot = {
            "hip_flex": 0.9, "knee": 1.2, "hip_abd": shift + 0.15,
            "ankle_flex": -0.45 + 0.3 * a * np.cos(phi), "ankle_add": 0.3 * m, "ankle_inv": 0.35 * m,
            "hip_rot": -0.2 * m,
        }  # fmt: skip
        stance = {"hip_abd": -shift, "knee": 0.08, "hip_flex": 0.04}
        balance = {
            "left_shoulder_abd": 0.35,
            "right_shoulder_abd": 0.35,
            "torso_side": 0.04 * (1 if side == "right" else -1),
        }
        joints = blend(ARMS_RELAXED, add(sided(side, foot), sided(other(side), stance), balance), w)
        root, sw = sway(t)
        x = root[0] + w * 0.07 * (1.0 if side == "right" else -1.0)
        return Posture(root=(x, root[1], 0.0), joints=add(joints, sw))

    return Motion(end, posture_at, (Segment(spec.exercise, 0.0, end, style=spec.direction, planned=tuple(knot_t[1:])),))


@register("standing")
def stand(spec: MotionSpec, k: int, rng: np.random.Generator, sway: Sway, geo: LegGeometry) -> Motion:
    """Standing still with sway, ``spec.duration_s`` seconds (default 5)."""
    return standing(spec.duration_s or 5.0, sway)


def feet_planted_shift(dx: float, geo: LegGeometry) -> dict[str, float]:
    """Hip ab/adduction that keeps both feet where they were when the pelvis moves ``dx``
    metres to the athlete's left (+x)."""
    theta = float(np.arctan2(dx, geo.thigh + geo.shank))
    return {"left_hip_abd": -theta, "right_hip_abd": theta, "torso_side": -0.5 * theta}


@register("weight_shift")
def weight_shift(spec: MotionSpec, k: int, rng: np.random.Generator, sway: Sway, geo: LegGeometry) -> Motion:
    """Shifting the weight from foot to foot, ``spec.reps`` times, feet on the floor."""
    period = 2.0 / spec.tempo
    end = 0.5 + spec.reps * period + 0.5

    def posture_at(t: float) -> Posture:
        s = float(np.sin(np.pi * np.clip((t - 0.5) / period, 0, spec.reps)))
        dx = 0.07 * spec.amplitude * s
        unloaded = "right" if dx > 0 else "left"
        root, sw = sway(t)
        joints = add(ARMS_RELAXED, feet_planted_shift(dx, geo), sided(unloaded, {"knee": 0.25 * abs(s)}), sw)
        return Posture(root=(root[0] + dx, root[1], 0.0), joints=joints)

    return Motion(end, posture_at, (Segment(spec.exercise, 0.0, end),))


@register("heel_raise")
def heel_raise(spec: MotionSpec, k: int, rng: np.random.Generator, sway: Sway, geo: LegGeometry) -> Motion:
    """Calf raises: up onto the toes and down, ``spec.reps`` times (a jump look-alike)."""
    period = 1.8 / spec.tempo
    end = 0.5 + spec.reps * period + 0.5

    def posture_at(t: float) -> Posture:
        u = np.clip((t - 0.5) / period, 0, spec.reps)
        lift = 0.55 * spec.amplitude * float(np.sin(np.pi * (u % 1.0)) ** 2)
        root, sw = sway(t)
        legs = add(sided("left", {"ankle_flex": -lift}), sided("right", {"ankle_flex": -lift}))
        return Posture(root=root, joints=add(ARMS_RELAXED, legs, sw))

    return Motion(end, posture_at, (Segment(spec.exercise, 0.0, end),))


@register("walking")
def walking(spec: MotionSpec, k: int, rng: np.random.Generator, sway: Sway, geo: LegGeometry) -> Motion:
    """Walking ``spec.reps`` steps towards the camera (along -y), stopping at the origin."""
    steps, step_len = spec.reps, 0.55 * spec.amplitude
    walk_s = steps / (1.8 * spec.tempo)
    end = walk_s + 0.6

    def posture_at(t: float) -> Posture:
        u = min(t / walk_s, 1.0)
        p = u - np.sin(2 * np.pi * u) / (2 * np.pi)
        stride = float(smoothstep(min(p, 1.0 - p) * steps * 1.5))
        phi = np.pi * steps * p
        joints: dict[str, float] = {}
        for side, ph in (("left", phi), ("right", phi + np.pi)):
            swing = max(0.0, np.cos(ph)) ** 2
            leg = {"hip_flex": 0.35 * np.sin(ph), "knee": 0.08 + 0.65 * swing, "ankle_flex": 0.15 * swing}
            joints.update(sided(side, {j: stride * v for j, v in leg.items()}))
            joints[f"{other(side)}_shoulder_flex"] = -0.35 * stride * np.sin(ph)
        root, sw = sway(t)
        y = root[1] + steps * step_len * (1.0 - p)
        return Posture(root=(root[0], y, 0.0), joints=add(ARMS_RELAXED, joints, sw))

    return Motion(end, posture_at, (Segment(spec.exercise, 0.0, end),))
