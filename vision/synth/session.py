"""A whole routine session for the synthetic athlete: walk in, then each item, standing between.

Items take the shape of the routine config (DESIGN.md §5: exercise, foot, direction,
reps, sets, rest_s, duration_s, style, switch_every_s), as a `SessionItem` or a plain
dict where a range ``{"min": 10, "max": 15}`` is drawn (seeded) within its bounds. Each
item becomes one numbered segment group, so the labels hold one exercise entry per item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from vision.synth.motions import LegGeometry, Motion, MotionSpec, Sway, build_motion, concat, standing


@dataclass(frozen=True)
class SessionItem:
    """One routine item as the athlete performs it (targets already resolved to numbers)."""

    exercise: str
    reps: int = 10
    sets: int = 1
    rest_s: float = 3.0
    foot: str = "left"
    direction: str = "cw"
    style: str = ""
    duration_s: float | None = None
    switch_every_s: float = 7.0

    @classmethod
    def from_dict(cls, item: Mapping[str, Any], rng: np.random.Generator) -> SessionItem:
        """An item from a routine-config dict; ``{"min", "max"}`` ranges are drawn in ``rng``."""
        known = {f.name for f in fields(cls)}
        values = {k: _draw(v, rng) for k, v in item.items() if k in known}
        for key in ("reps", "sets"):
            if key in values:
                values[key] = int(round(values[key]))
        return cls(**values)

    def spec(self, seed: int, **variation: Any) -> MotionSpec:
        """The item as a `MotionSpec` (``variation``: tempo, amplitude, variation, sway)."""
        return MotionSpec(
            self.exercise, reps=self.reps, sets=self.sets, rest_s=self.rest_s, side=self.foot,
            direction=self.direction, style=self.style, duration_s=self.duration_s,
            switch_every_s=self.switch_every_s, seed=seed, **variation,
        )  # fmt: skip


def _draw(value: Any, rng: np.random.Generator) -> Any:
    if isinstance(value, Mapping) and {"min", "max"} <= set(value):
        return float(rng.uniform(value["min"], value["max"]))
    return value


@dataclass(frozen=True)
class Session:
    """Walk into place, then the items in order with ``between_s`` of standing between.

    Args:
        items: the routine, as `SessionItem`s or routine-config dicts.
        walk_in_steps: steps walked towards the camera first (0 = start in place).
        between_s: standing between items (seconds).
        tempo, amplitude: the athlete's overall pace and size factors.
        seed: seeds every item (each gets its own stream) and the ranges of dict items.
    """

    items: tuple[SessionItem | Mapping[str, Any], ...]
    walk_in_steps: int = 4
    between_s: float = 2.0
    tempo: float = 1.0
    amplitude: float = 1.0
    seed: int = 0

    def resolved(self) -> tuple[SessionItem, ...]:
        rng = np.random.default_rng(self.seed)
        return tuple(i if isinstance(i, SessionItem) else SessionItem.from_dict(i, rng) for i in self.items)

    def build(self, geometry: LegGeometry) -> Motion:
        """The session's motion; segment ``item`` numbers count the parts (walk, rests, items)."""
        sway = Sway.make(np.random.default_rng(self.seed), 1.0)
        parts: list[Motion] = []
        if self.walk_in_steps:
            parts.append(build_motion(MotionSpec("walking", reps=self.walk_in_steps, seed=self.seed), geometry))
        for i, item in enumerate(self.resolved()):
            parts.append(standing(self.between_s, sway))
            parts.append(
                build_motion(item.spec(self.seed * 1000 + i, tempo=self.tempo, amplitude=self.amplitude), geometry)
            )
        parts.append(standing(1.0, sway))
        return concat(parts, renumber=True)


DEFAULT_SESSION = Session(
    items=(
        SessionItem("ankle_rotations", reps=3, foot="left", direction="cw"),
        SessionItem("ankle_rotations", reps=3, foot="left", direction="ccw"),
        SessionItem("ankle_rotations", reps=3, foot="right", direction="cw"),
        SessionItem("ankle_rotations", reps=3, foot="right", direction="ccw"),
        SessionItem("two_leg_hops", reps=4),
        SessionItem("single_leg_hops", reps=4, sets=2, rest_s=1.5, foot="both"),
        SessionItem("jump_rope", reps=12, style="single_leg_alternating", switch_every_s=2.5),
        SessionItem("split_jumps", reps=4, sets=2, rest_s=2.0),
    ),
)
"""The article's routine (ankle circles both ways on both feet, hops, single-leg hops,
single-leg rope, split jumps), shortened so a sample clip stays small: ~1.5 min."""
