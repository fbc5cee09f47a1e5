"""Streaming signal pieces shared by the counters: filters, body scale and peak picking.

Each piece takes one sample at a time, so the same code serves a live camera and a
file (see `vision.counters.base`). They are normalised by time in seconds and by the
athlete's own leg length, never by frame counts or pixels, so a 24 fps phone clip and
a 60 fps camera, near or far, are read the same way.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import signal

from vision import landmarks as lm
from vision.series import PoseFrame


class StreamingFilter:
    """A Butterworth filter applied one sample at a time (scipy.signal.sosfilt with state).

    Causal by design: a live counter cannot see the future. The state starts from the
    first sample as if the signal had always been there (`sosfilt_zi`), so there is no
    start-up transient.

    Args:
        kind: ``"lowpass"``, ``"highpass"`` or ``"bandpass"``.
        cutoff_hz: one cut-off, or (low, high) for a band.
        fps: sample rate of the frames that will be fed.
        order: filter order (2 keeps the delay short).
    """

    def __init__(self, kind: str, cutoff_hz: float | tuple[float, float], fps: float, order: int = 2) -> None:
        nyquist = fps / 2
        cut = np.minimum(np.asarray(cutoff_hz, float), 0.95 * nyquist)
        self._sos = signal.butter(order, cut, btype=kind, fs=fps, output="sos")
        self._zi_unit = signal.sosfilt_zi(self._sos)
        self._zi: np.ndarray | None = None

    def __call__(self, x: float) -> float:
        if self._zi is None:
            self._zi = self._zi_unit * x
        y, self._zi = signal.sosfilt(self._sos, [x], zi=self._zi)
        return float(y[0])

    def reset(self) -> None:
        """Forget the past (after a gap in the landmarks)."""
        self._zi = None


class LegLength:
    """The athlete's leg length (hip to knee plus knee to ankle), kept up to date.

    A robust running median over the last ``window_s`` seconds: it follows an athlete who
    walks towards or away from the camera, yet one bad frame cannot move it. Thigh plus
    shank, unlike hip-to-ankle, does not shrink when the knee bends.

    Args:
        space: ``"xy"`` for pixels in the image, ``"world"`` for MediaPipe's metres.
        window_s: how much recent history the median covers.
    """

    def __init__(self, space: str = "xy", window_s: float = 4.0) -> None:
        self._space = space
        self._window_s = window_s
        self._samples: deque[tuple[float, float]] = deque()
        self.latest = float("nan")
        """The last frame's own measurement (NaN if its legs were not seen)."""

    def update(self, frame: PoseFrame) -> float:
        """Add this frame's measurement and return the current estimate (NaN before any)."""
        value = self.latest = leg_length(frame.xy if self._space == "xy" else frame.world)
        if np.isfinite(value):
            self._samples.append((frame.t, value))
        while self._samples and frame.t - self._samples[0][0] > self._window_s:
            self._samples.popleft()
        return self.value

    @property
    def value(self) -> float:
        if not self._samples:
            return float("nan")
        return float(np.median([v for _, v in self._samples]))


def leg_length(points: npt.NDArray[np.float32]) -> float:
    """This frame's leg length, hip to knee plus knee to ankle, of the longer-looking leg (NaN
    if neither is seen): a bent or foreshortened leg only looks shorter."""
    lengths = [_leg(points, side) for side in lm.SIDES]
    return float(np.nanmax(lengths)) if not np.all(np.isnan(lengths)) else np.nan


def _leg(points: npt.NDArray[np.float32], side: str) -> float:
    hip, knee, ankle = (points[lm.side_idx(side, p)] for p in ("hip", "knee", "ankle"))
    return float(np.linalg.norm(knee - hip) + np.linalg.norm(ankle - knee))


@dataclass(frozen=True)
class Peak:
    """A local maximum confirmed by the signal falling back by the threshold."""

    t: float
    value: float
    rise: float  # how far the signal rose to it from the previous trough


class PeakDetector:
    """Hysteresis peak picking, one sample at a time (a "zig-zag").

    A peak counts once the signal has risen at least ``threshold`` above the last trough
    and then fallen at least ``threshold`` below the peak. That is the streaming form of
    scipy.signal.find_peaks with a prominence: noise smaller than the threshold can
    never make or split a peak, whatever the frame rate.

    Args:
        threshold: rise and fall needed, in the signal's units.
        min_interval_s: peaks closer than this to the previous one are merged into it
            (the first wins), since no athlete moves that fast.
        max_flank_s: the rise and the fall must each happen within this time of the
            peak. A jump is ballistic: a 30 cm flight is up and down within 0.25 s each
            way, while a calf raise or a slow lean takes a second.
    """

    def __init__(self, threshold: float, min_interval_s: float = 0.0, max_flank_s: float = np.inf) -> None:
        self.threshold = threshold
        self.min_interval_s = min_interval_s
        self.max_flank_s = max_flank_s
        self.reset()

    def reset(self) -> None:
        """Start afresh (after a gap)."""
        self._trough = np.inf
        self._top: tuple[float, float] | None = None  # (t, value) of the candidate peak
        self._last_peak_t = -np.inf
        self._recent: deque[tuple[float, float]] = deque()

    def update(self, t: float, x: float) -> Peak | None:
        """Feed one sample; return a peak when one is confirmed."""
        self._recent.append((t, x))
        while t - self._recent[0][0] > min(2 * self.max_flank_s, 10.0):
            self._recent.popleft()
        if self._top is None:
            self._trough = min(self._trough, x)
            if x - self._trough >= self.threshold:
                self._top = (t, x)
            return None
        if x > self._top[1]:
            self._top = (t, x)
            return None
        if self._top[1] - x < self.threshold:
            return None
        return self._close(self._top, t, x)

    @property
    def top(self) -> tuple[float, float] | None:
        """(t, value) of the candidate peak: risen by the threshold, not yet fallen back."""
        return self._top

    def confirm(self, t: float, x: float, fall: float) -> Peak | None:
        """Confirm the candidate peak on a fall of only ``fall``, because another signal saw it
        end; None without a candidate, or when it fell less than that."""
        if self._top is None or self._top[1] - x < fall:
            return None
        return self._close(self._top, t, x)

    def _close(self, top: tuple[float, float], t: float, x: float) -> Peak | None:
        """End the candidate peak ``top`` at the fall to ``x``; return it if it counts."""
        peak_t, peak_x = top
        peak = Peak(peak_t, peak_x, peak_x - self._trough)
        self._top, self._trough = None, x
        if peak_t - self._last_peak_t < self.min_interval_s or not self._ballistic(peak, t):
            return None
        self._last_peak_t = peak_t
        return peak

    def _ballistic(self, peak: Peak, fall_t: float) -> bool:
        """Whether the signal rose to and fell from the peak quickly enough."""
        if fall_t - peak.t > self.max_flank_s:
            return False
        before = [x for ti, x in self._recent if peak.t - self.max_flank_s <= ti <= peak.t]
        return bool(before) and min(before) <= peak.value - self.threshold


@dataclass(frozen=True)
class Swing:
    """A quick move of a signal from one level to another."""

    t: float  # when it had moved half the threshold: within the move, known as it happens
    start_t: float  # when it left the level it came from
    change: float  # signed, in the signal's units


class SwingDetector:
    """Quick moves between levels, one sample at a time: jumps that open or close the feet.

    A swing counts as soon as the signal has moved ``threshold`` away from the last level
    it held (its running extreme since the previous swing), taking at most ``max_swing_s``
    from the moment it left that level (moved a fifth of the threshold) to there. The next
    swing is looked for in the other direction. A slow drift, or a wobble smaller than the
    threshold, is none.

    Args:
        threshold: the move needed, in the signal's units.
        max_swing_s: the most time the move may take.
    """

    def __init__(self, threshold: float, max_swing_s: float) -> None:
        self.threshold = threshold
        self.max_swing_s = max_swing_s
        self.reset()

    def reset(self) -> None:
        """Start afresh (after a gap)."""
        self._low: tuple[float, float] | None = None  # (t, x): the level an upward swing leaves
        self._high: tuple[float, float] | None = None  # the level a downward swing leaves
        self._direction = 0  # +1: the next swing goes up, -1: down, 0: either
        self._recent: deque[tuple[float, float]] = deque()

    def update(self, t: float, x: float) -> Swing | None:
        """Feed one sample; return a swing when one completes."""
        self._recent.append((t, x))
        if self._low is None or self._high is None:
            self._low = self._high = (t, x)
            return None
        if self._direction >= 0 and x <= self._low[1]:
            self._low = (t, x)
        if self._direction <= 0 and x >= self._high[1]:
            self._high = (t, x)
        for sense, level in ((1, self._low), (-1, self._high)):
            if self._direction in (0, sense) and sense * (x - level[1]) >= self.threshold:
                return self._swing(t, x, sense, level)
        held = min(self._low[0], self._high[0])
        while self._recent and (self._recent[0][0] < held or t - self._recent[0][0] > 10.0):
            self._recent.popleft()
        return None

    def _swing(self, t: float, x: float, sense: int, level: tuple[float, float]) -> Swing | None:
        level_t, level_x = level
        after = [(ti, xi) for ti, xi in self._recent if ti >= level_t]
        left = next(ti for ti, xi in after if sense * (xi - level_x) >= 0.2 * self.threshold)
        half = next(ti for ti, xi in after if sense * (xi - level_x) >= 0.5 * self.threshold)
        self._direction = -sense
        self._low = self._high = (t, x)
        self._recent = deque([(t, x)])
        if t - left > self.max_swing_s:
            return None
        return Swing(half, left, x - level_x)
