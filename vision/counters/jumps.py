"""Two-foot jumps: hops without a rope and the two-foot rope bounce.

A jump is both feet leaving the floor together. We follow each foot's lowest point
(the lower of heel and toe in the image, so a calf raise, where the toes stay down,
lifts nothing), high-pass it so that slow drift (walking in, camera zoom) drops out,
and take the *lower* of the two feet: it rises only when both feet do. Walking,
running and knee lifts always keep one foot low, so they never make this signal rise.
A jump is a peak of that signal that rises and falls by a fraction of the athlete's
leg length (hysteresis), timed at the flight's highest point.
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
"""A gap in the feet longer than this restarts the filters (no jump spans it)."""


class JumpCounter(Counter):
    """Counts jumps where both feet leave the floor.

    Args:
        name: the exercise reported (``"two_leg_hops"`` or ``"jump_rope"``).
        fps: the frame rate of the source (sets the filters' sample rate).
        threshold: rise and fall of the feet, as a fraction of leg length, that make
            a jump. Rope bounces lift the feet by ~4-8 % of leg length.
        highpass_hz: drift slower than this is not jumping.
    """

    latency_s = 0.3

    def __init__(self, name: str, fps: float, threshold: float = 0.035, highpass_hz: float = 0.6) -> None:
        self.name = name  # type: ignore[misc]  # one class serves two exercise names
        self._filters = {side: StreamingFilter("highpass", highpass_hz, fps) for side in lm.SIDES}
        self._leg = LegLength()
        self._peaks = PeakDetector(threshold, min_interval_s=0.18)
        self._reps: list[Rep] = []
        self._last_seen = -np.inf
        self._frames = 0
        self._frames_seen = 0

    def update(self, t: float, frame: PoseFrame | None) -> list[Rep]:
        self._frames += 1
        heights = _feet_heights(frame) if frame is not None else None
        if heights is None:
            return []
        self._frames_seen += 1
        leg = self._leg.update(frame)  # type: ignore[arg-type]  # frame is not None here
        if t - self._last_seen > GAP_RESET_S:
            for f in self._filters.values():
                f.reset()
            self._peaks.reset()
        self._last_seen = t
        both_up = min(self._filters[side](heights[side] / leg) for side in lm.SIDES)
        peak = self._peaks.update(t, both_up)
        if peak is None:
            return []
        rep = Rep(peak.t)
        self._reps.append(rep)
        return [rep]

    def finish(self) -> list[Rep]:
        return []

    def result(self) -> ExerciseResult:
        seen = self._frames_seen / self._frames if self._frames else 0.0
        warnings = ()
        if seen < 0.8:
            warnings = (f"the feet were clearly seen in only {seen:.0%} of frames: the count may be low",)
        metrics = {}
        if len(self._reps) >= 2:
            span = self._reps[-1].t - self._reps[0].t
            metrics["cadence_per_min"] = 60.0 * (len(self._reps) - 1) / span
        return ExerciseResult(self.name, tuple(self._reps), {}, confidence=seen, warnings=warnings, metrics=metrics)


def _feet_heights(frame: PoseFrame) -> dict[str, float] | None:
    """Height of each foot's lowest point in pixels (up is positive), or None if unseen."""
    heights = {}
    for side in lm.SIDES:
        ids = [lm.side_idx(side, p) for p in ("heel", "foot_index")]
        if np.min(frame.visibility[ids]) < MIN_VISIBILITY:
            return None
        heights[side] = -float(np.max(frame.xy[ids, 1]))
    return heights
