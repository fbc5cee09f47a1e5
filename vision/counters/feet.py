"""The feet as signals: how high each foot is, in leg lengths, frame by frame.

Every jump-like counter reads the same three numbers per frame, scaled by the
athlete's own leg length so that near and far, 480p and 4K read alike:

- ``left`` / ``right``: the height of each foot's lowest point (the lower of heel and
  toe in the image), up positive;
- ``low``: the lower of the two, which rises only when *both* feet leave the floor.

The zero is arbitrary (the image's top edge): counters look at rises and falls, never
at absolute heights, so no floor line has to be estimated.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from vision import landmarks as lm
from vision.counters.signals import LegLength, StreamingFilter
from vision.series import PoseFrame

SMOOTH_HZ = 4.0
"""Low-pass on the feet: keeps the shape of a 6-frame rope bounce, drops frame-to-frame jitter."""

HISTORY_S = 2.0
"""How far back counters can look up the feet (longest flight plus margin)."""


@dataclass(frozen=True)
class FeetSample:
    """The feet in one frame, in leg lengths (up and the athlete's image-right positive)."""

    t: float
    left: float
    right: float
    hip_x: float  # hip centre across the image, for telling "in place" from travelling
    hip_y: float  # hip centre height: a real flight lifts the whole body, not just a foot
    spread: float  # how much lower the left foot is than the right, in 3D (MediaPipe world)
    left_x: float = 0.0  # each foot's centre across the image (jumping jacks open and close them)
    right_x: float = 0.0
    leg_px: float = np.nan  # this frame's leg length in the picture: grows as the athlete comes nearer
    hip_px: float = np.nan  # the hips' height in pixels: unlike hip_y it does not move when the running
    # leg length does (an athlete walking nearer, or its median settling), so it tells a body that rose

    @property
    def width(self) -> float:
        """How far apart the feet are across the image."""
        return abs(self.left_x - self.right_x)

    @property
    def lower_foot(self) -> str:
        """The foot nearer the floor, judged in 3D so that a foot set behind the other
        (higher in the image, yet on the floor) is not mistaken for a lifted one."""
        return "left" if self.spread >= 0 else "right"

    @property
    def low(self) -> float:
        """Height of the lower foot: rises only when both feet are off the floor."""
        return min(self.left, self.right)

    def height(self, side: str) -> float:
        return self.left if side == "left" else self.right

    @property
    def scale(self) -> float:
        """Pixels per leg length in this sample's heights (the running leg length, smoothed alike)."""
        return self.hip_px / self.hip_y if self.hip_y else float("nan")


class FeetTracker:
    """Turns pose frames into smoothed `FeetSample`s and keeps the last `HISTORY_S` of them.

    Args:
        fps: the source's frame rate (for the smoothing filter).
    """

    def __init__(self, fps: float) -> None:
        self._leg = LegLength("xy")
        self._leg_world = LegLength("world")
        names = ("left", "right", "hip_x", "hip_y", "spread", "left_x", "right_x", "hip_px")
        self._filters = {name: StreamingFilter("lowpass", SMOOTH_HZ, fps) for name in names}
        self.history: deque[FeetSample] = deque()

    def update(self, frame: PoseFrame) -> FeetSample | None:
        """Add a frame with a person; returns its sample (None until a leg length is known)."""
        leg, leg_world = self._leg.update(frame), self._leg_world.update(frame)
        if not (leg > 0 and leg_world > 0):  # also False for NaN
            return None
        raw = {side: -float(np.max(frame.xy[lm.SOLE[side], 1])) / leg for side in lm.SIDES}
        raw["hip_x"] = float(np.mean(frame.xy[lm.HIPS, 0])) / leg
        raw |= {f"{side}_x": float(np.mean(frame.xy[lm.SOLE[side], 0])) / leg for side in lm.SIDES}
        raw["hip_px"] = -float(np.mean(frame.xy[lm.HIPS, 1]))
        raw["hip_y"] = raw["hip_px"] / leg
        # World y points down: the larger, the nearer the floor.
        lowest = {side: float(np.max(frame.world[lm.SOLE[side], 1])) for side in lm.SIDES}
        raw["spread"] = (lowest["left"] - lowest["right"]) / leg_world
        smooth = {name: f(raw[name]) for name, f in self._filters.items()}
        sample = FeetSample(frame.t, **smooth, leg_px=self._leg.latest)
        self.history.append(sample)
        while frame.t - self.history[0].t > HISTORY_S:
            self.history.popleft()
        return sample

    def reset(self) -> None:
        """Forget the past after a gap: nothing on either side of it is compared."""
        for f in self._filters.values():
            f.reset()
        self.history.clear()

    def at(self, t: float) -> FeetSample:
        """The sample nearest to time ``t`` still in the history."""
        return min(self.history, key=lambda s: abs(s.t - t))

    def between(self, t0: float, t1: float) -> list[FeetSample]:
        """The samples with ``t0 <= t <= t1``."""
        return [s for s in self.history if t0 <= s.t <= t1]


class FeetSeen:
    """How well the feet were seen over a stream: a counter's ``confidence``.

    Running sums, so a ten-minute live session keeps no per-frame list.
    """

    def __init__(self) -> None:
        self.frames = 0
        self._seen = 0
        self._visibility_sum = 0.0

    def update(self, frame: PoseFrame | None) -> None:
        """Count a frame (None: nobody was seen in it)."""
        self.frames += 1
        if frame is not None:
            self._seen += 1
            self._visibility_sum += float(np.mean(frame.visibility[list(lm.FOOT)]))

    @property
    def confidence(self) -> float:
        """Share of frames with a person, times how surely their feet were seen (0..1)."""
        if not self._seen:
            return 0.0
        mean_visibility = self._visibility_sum / self._seen
        return float(self._seen / self.frames * np.clip(mean_visibility / 0.7, 0.0, 1.0))
