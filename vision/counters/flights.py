"""Flights: the moments both feet leave the floor, shared by every jump-like counter.

The lower foot's height (`FeetSample.low`, in leg lengths) rises and falls by at least
`FLIGHT_THRESHOLD` within a ballistic time (`PeakDetector` with ``max_flank_s``), and
the hips rise along. Walking, running in place and knee lifts always keep one foot
down and a calf raise keeps the toes down, so none of them makes a flight; a jittery
foot landmark does not lift the hips, so it makes none either. What a flight *was*
(two-foot, single-leg, a leg swap) is for each counter to judge from the feet around it.

Rope skipping bounces low: on the balls of the feet, knees and ankles giving, so the hips
bounce twice as far as the feet rise. In a run of rope jumps a feet rise of half the threshold
counts when the hips bounce with it and it keeps the run's rhythm (``rope=True``). The run's
first jump has no run before it: a low one counts once a flight follows within `IN_RUN_S`
(from the side MediaPipe's feet, on their toes, come down only partway after the first jump).

The hips also tell when the feet were not tracked: in a small or high-angle view MediaPipe
may keep the feet planted while the body bounces. A hip bounce of a jump's size with the
feet still is such a bounce (`Flights.feet_missed`); they lower the counters' confidence.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from vision.counters.feet import FeetSample, FeetSeen, FeetTracker
from vision.counters.signals import Peak, PeakDetector
from vision.series import PoseFrame

FLIGHT_THRESHOLD = 0.05
"""Rise and fall of the lower foot, in leg lengths, that make a flight (~4 cm)."""
MAX_FLANK_S = 0.45
"""Longest rise or fall of a flight: a 50 cm tuck jump takes 0.32 s each way."""
MIN_INTERVAL_S = 0.18
"""No two flights closer than this: nobody jumps more than ~5 times a second."""
HIP_SHARE = 0.4
"""The hips must rise by this share of the feet's rise: a jump lifts the body."""
BOUNCE_RISE = 2 * FLIGHT_THRESHOLD
"""Rise and fall of the hips, leg lengths, that a jump makes (they rise at least as far as
the feet and dip on landing), twice what standing sway or a shifted weight moves them."""
LANDED_FALL = FLIGHT_THRESHOLD / 4
"""How far the lower foot must have come down (~1 cm: more than its smoothed jitter) when the
hips' jump-sized bounce vouches for the landing: the foot landmarks lag and, in a run of quick
jumps, may barely come down between two while the hips dip as far as ever."""
RISING_ON = 1.5 * FLIGHT_THRESHOLD
"""How far the hips may still rise after the feet's top, by the time the feet have come down
(leg lengths): in a flight the whole body falls together, so they have not risen at all (at most
0.04 in the labelled jumps). An athlete standing up out of a deep squat shifts the feet on the
floor by a flight's rise while the hips rise on by 0.12-0.15 (`squatjump_ndnam_1` mirrored)."""
SAME_TOP_S = 0.15
"""The feet's and the hips' tops of one flight lie this close (the whole body peaks at the apex)."""
LOW_FLIGHT = FLIGHT_THRESHOLD / 2
"""Rise and fall of the lower foot (~2 cm) that make a flight in a run of rope jumps when the hips
bounce by `LOW_BOUNCE` with the same top (`Flights` with ``rope=True``). A skipper lands on the
balls of the feet with the knees and ankles giving, so the hips bounce about twice as far as the
feet rise (rendered 5 cm rope: feet 0.04-0.06 leg lengths, hips 0.09-0.11), and from the side
MediaPipe's feet on their toes never come back down to the standing level."""
LOW_BOUNCE = 0.7 * BOUNCE_RISE
"""Hip rise and fall, leg lengths, that vouch for a `LOW_FLIGHT`: well above the hips' sway."""
IN_RUN_S = 0.75
"""A low flight counts only this soon after the flight before it (one turn of a slow rope, 80 a
minute): it continues a run of jumps, so a lone bob (stepping away, a turn) is none..."""
HALF_BEAT = 0.6
"""...and no sooner than this share of the last interval between flights: a beginner's knees give
between two turns (a bounce at half the beat), which is not a rope jump. The second flight since
the stream began (or the landmarks broke off) has no interval to keep yet, so it counts on
`IN_RUN_S` alone: a 4 cm rope may rise past the threshold only at its first jump. After a pause the
pause is the interval, and the run restarts with two full flights (taking the beat as unknown
there too counted a beginner's half-beat bounces: `jumprope_ilikehome_3` 17 of 15)."""
GAP_RESET_S = 0.3
"""A gap in the landmarks longer than this restarts the signals (no jump spans it)."""


class Flights:
    """Finds flights in a stream of pose frames and keeps the feet's recent history
    (`feet`) and how well they were seen (`seen`).

    Args:
        fps: the source's frame rate (for the feet's smoothing filter).
        rope: also count the low flights of a run of rope jumps (`LOW_FLIGHT`).
    """

    def __init__(self, fps: float, rope: bool = False) -> None:
        self.feet = FeetTracker(fps)
        self._rope = rope
        self._peaks = PeakDetector(FLIGHT_THRESHOLD, MIN_INTERVAL_S, MAX_FLANK_S)
        self._bounces = PeakDetector(BOUNCE_RISE, MIN_INTERVAL_S, MAX_FLANK_S)
        self._low = {"feet": PeakDetector(LOW_FLIGHT, MIN_INTERVAL_S, MAX_FLANK_S),
                     "hips": PeakDetector(LOW_BOUNCE, MIN_INTERVAL_S, MAX_FLANK_S)}  # fmt: skip
        self._last_t = -np.inf
        self.reset()
        self.seen = FeetSeen()
        self.count = 0
        """Flights found so far."""
        self.feet_missed = 0
        """Hip bounces of a jump's size during which the feet stayed still (see the module's docstring)."""

    def update(self, t: float, frame: PoseFrame | None) -> tuple[FeetSample | None, list[Peak]]:
        """Feed a frame; return its feet sample (None without one) and the flights it confirmed:
        mostly none or one; two when a flight shows that the low flight before it began a run."""
        self.seen.update(frame)
        if frame is None:
            return None, []
        if self.gap_before(t):
            self.reset()
        self._last_t = t
        sample = self.feet.update(frame)
        if sample is None:
            return None, []
        if (bounce := self._bounces.update(t, sample.hip_y)) is not None:
            self.feet_missed += _still(self.feet.between(bounce.t - MAX_FLANK_S, t))
        peak = self._peaks.update(t, sample.low)
        if peak is None and bounce is not None and self._landed_with(bounce):
            peak = self._peaks.confirm(t, sample.low, LANDED_FALL)
        if peak is not None and not self._body_flew(peak, sample):
            peak = None  # a foot landmark jumped, or the feet shifted as the body stood up
        if self._rope:  # the low detectors run on every frame so their troughs stay current
            low = {"feet": self._low["feet"].update(t, sample.low), "hips": self._low["hips"].update(t, sample.hip_y)}
            peak = peak if peak is not None else self._low_flight(low)
        if peak is None or peak.t - self._last_flight_t < MIN_INTERVAL_S:
            return sample, []
        starts = [start for start in self._run_starts if MIN_INTERVAL_S <= peak.t - start.t <= IN_RUN_S]
        found = [starts[-1], peak] if starts else [peak]
        self._run_starts.clear()
        for flight in found:
            self._interval, self._last_flight_t = flight.t - self._last_flight_t, flight.t
        self.count += len(found)
        return sample, found

    def _body_flew(self, peak: Peak, now: FeetSample) -> bool:
        """Whether the hips rose `HIP_SHARE` of the feet's rise by the feet's top, and then rose on by
        no more than `RISING_ON` until ``now`` (the feet have come down), in the image itself:
        in leg lengths the whole body also "rises" when the running leg length changes (its median
        moves in steps as an athlete walks nearer), and the feet, further from the image's top edge,
        rise more than the hips."""
        window = [s.hip_px for s in self.feet.between(peak.t - MAX_FLANK_S, peak.t)]
        top = self.feet.at(peak.t)
        rose = bool(window) and top.hip_px - min(window) >= HIP_SHARE * peak.rise * top.scale
        return rose and now.hip_px - top.hip_px <= RISING_ON * top.scale

    def _low_flight(self, low: dict[str, Peak | None]) -> Peak | None:
        """The feet's `LOW_FLIGHT` (``low["feet"]``) and the hips' `LOW_BOUNCE` (``low["hips"]``)
        with the same top, whichever was confirmed second, in the rhythm of the run (`IN_RUN_S`,
        `HALF_BEAT`): a flight, timed by the feet."""
        for kind, other in (("feet", "hips"), ("hips", "feet")):
            new, waiting = low[kind], self._unpaired[other]
            if new is None:
                continue
            if waiting is None or abs(waiting.t - new.t) > SAME_TOP_S:
                self._unpaired[kind] = new
                continue
            self._unpaired = dict.fromkeys(self._unpaired)
            flight = new if kind == "feet" else waiting
            since = flight.t - self._last_flight_t
            if since > IN_RUN_S:  # no run to continue: it may begin one, if a flight follows in time
                self._run_starts.append(flight)  # (the last two: the next one may be the flight itself, seen low first)
                return None
            beat = self._interval if np.isfinite(self._interval) else 0.0
            return flight if HALF_BEAT * beat <= since else None
        return None

    def _landed_with(self, bounce: Peak) -> bool:
        """Whether the feet's rise still waiting for its fall topped with this hip bounce."""
        top = self._peaks.top
        return top is not None and abs(top[0] - bounce.t) <= SAME_TOP_S

    @property
    def confidence(self) -> float:
        """How well the feet were seen (`FeetSeen.confidence`), times the share of the body's
        jump-sized bounces that the feet followed (1 while there were none)."""
        bounces = self.count + self.feet_missed
        return self.seen.confidence * (self.count / bounces if bounces else 1.0)

    def gap_before(self, t: float) -> bool:
        """Whether a frame at ``t`` comes after a gap that restarts the signals."""
        return t - self._last_t > GAP_RESET_S

    def reset(self) -> None:
        """Forget the feet and any half-seen flight (after a gap in the landmarks)."""
        self.feet.reset()
        for detector in (self._peaks, self._bounces, *self._low.values()):
            detector.reset()
        self._unpaired: dict[str, Peak | None] = {"feet": None, "hips": None}  # low peaks waiting for their pair
        self._last_flight_t = -np.inf
        self._interval = np.inf  # between the last two flights (inf: one flight is no beat yet)
        self._run_starts: deque[Peak] = deque(maxlen=2)  # low flights with no run before them, that may begin one


def _still(window: list[FeetSample]) -> bool:
    """Whether the feet stayed within `FLIGHT_THRESHOLD` of where they were, up and across
    (a jumping jack's feet move across, not up)."""
    return all(
        np.ptp([getattr(sample, name) for sample in window]) < FLIGHT_THRESHOLD for name in ("low", "left_x", "right_x")
    )
