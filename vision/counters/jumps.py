"""Jumps: two-leg hops, single-leg hops and the rope bounce.

A jump is the feet leaving the floor and coming back. We follow the *lowest point of
both feet* in the image (the lowest of the heels and toes), scaled by the athlete's
leg length. It rises only when both feet are off the floor:

- walking, running in place and knee lifts always keep one foot down;
- a calf raise lifts the heels but not the toes;
- an athlete walking towards or away from the camera makes it drift one way only.

A jump is a rise of that signal followed by a fall of at least ``threshold`` leg
lengths each (hysteresis, `PeakDetector`), timed at the flight's highest point. For a
single-leg hop the lowest foot is the one hopping (the other is held up), so the same
signal counts it, and the side is the foot that is lowest when it lands.
"""

from __future__ import annotations

import numpy as np

from vision import landmarks as lm
from vision.counters.base import Counter
from vision.counters.signals import LegLength, PeakDetector, StreamingFilter
from vision.result import ExerciseResult, Rep
from vision.series import PoseFrame

MIN_VISIBILITY = 0.5
"""Feet seen less surely than this are treated as missing for the frame."""

GAP_RESET_S = 0.3
"""A gap in the feet longer than this restarts the peak picking (no jump spans it)."""

SMOOTH_HZ = 8.0
"""Low-pass on the feet: keeps a 6-frame rope bounce, drops single-frame jitter."""


class JumpCounter(Counter):
    """Counts jumps where the feet leave the floor.

    Args:
        name: the exercise reported (``"two_leg_hops"``, ``"single_leg_hops"``, ``"jump_rope"``).
        fps: the frame rate of the source (sets the filter's sample rate).
        threshold: rise and fall of the feet, as a fraction of leg length, that make a
            jump. Rope bounces lift the feet by about 4-8 % of leg length.
        per_side: report which foot each jump landed on (single-leg hops).
    """

    latency_s = 0.3

    def __init__(self, name: str, fps: float, threshold: float = 0.035, per_side: bool = False) -> None:
        self.name = name  # type: ignore[misc]  # one class serves several exercise names
        self._per_side = per_side
        self._smooth = StreamingFilter("lowpass", SMOOTH_HZ, fps)
        self._leg = LegLength()
        self._peaks = PeakDetector(threshold, min_interval_s=0.18)
        self._reps: list[Rep] = []
        self._lower_foot: list[tuple[float, str]] = []  # (t, side) of the lower foot, recent frames
        self._last_seen = -np.inf
        self._frames = 0
        self._frames_seen = 0

    def update(self, t: float, frame: PoseFrame | None) -> list[Rep]:
        self._frames += 1
        feet = _feet_lowest_y(frame) if frame is not None else None
        if feet is None or frame is None:
            return []
        self._frames_seen += 1
        leg = self._leg.update(frame)
        if t - self._last_seen > GAP_RESET_S:
            self._smooth.reset()
            self._peaks.reset()
        self._last_seen = t
        lower = max(feet, key=lambda side: feet[side])  # image y grows downwards
        self._lower_foot = [(ti, s) for ti, s in self._lower_foot if t - ti < 1.0] + [(t, lower)]
        height = self._smooth(-feet[lower] / leg)
        peak = self._peaks.update(t, height)
        if peak is None:
            return []
        rep = Rep(peak.t, side=self._landing_side(peak.t) if self._per_side else None)
        self._reps.append(rep)
        return [rep]

    def _landing_side(self, peak_t: float) -> str:
        """The foot that was lowest most often since the top of the flight."""
        after = [s for ti, s in self._lower_foot if ti >= peak_t]
        return max(lm.SIDES, key=after.count)

    def finish(self) -> list[Rep]:
        return []

    def result(self) -> ExerciseResult:
        seen = self._frames_seen / self._frames if self._frames else 0.0
        warnings: tuple[str, ...] = ()
        if seen < 0.8:
            warnings = (f"the feet were clearly seen in only {seen:.0%} of frames: the count may be low",)
        metrics = {}
        if len(self._reps) >= 2:
            span = self._reps[-1].t - self._reps[0].t
            metrics["cadence_per_min"] = 60.0 * (len(self._reps) - 1) / span
        details: dict[str, int] = {}
        if self._per_side:
            details = {side: sum(r.side == side for r in self._reps) for side in lm.SIDES}
        return ExerciseResult(self.name, tuple(self._reps), details, confidence=seen, warnings=warnings, metrics=metrics)


def _feet_lowest_y(frame: PoseFrame) -> dict[str, float] | None:
    """Image y of each foot's lowest point (heel or toe), or None if the feet are unseen."""
    lowest = {}
    for side in lm.SIDES:
        ids = [lm.side_idx(side, p) for p in ("heel", "foot_index")]
        if np.min(frame.visibility[ids]) < MIN_VISIBILITY:
            return None
        lowest[side] = float(np.max(frame.xy[ids, 1]))
    return lowest
