"""Split jumps: a rep is one jump that lands with the other foot in front (DESIGN.md §3).

The flights come from `vision.counters.flights.Flights`, as for every jump counter (the
lower foot rises and falls within a ballistic time, the hips rise along). `JumpEvents`
is not used: it drops flights with the feet spread around them as running strides, and
a split jump is exactly that. What this module adds is the *stance* on each side of a
flight, and the rule that compares them.

**Which way is forward.** The athlete's facing is a horizontal direction in MediaPipe's
world landmarks (hip-centred metres, camera axes: x image-right, y down, z away):
``facing = across × up`` with ``across`` the shoulder line plus the hip line (each from
the athlete's right to left; the hip line is turned to agree with the shoulders, so a
swapped pair of hip labels cannot flip it) and ``up = -y``. It is averaged over the
last `FACING_S` seconds, so the torso's twist, which alternates with the forward leg,
cancels out. ``lateral = up × facing`` points to the athlete's left. One rule serves
every view: from the front the facing is mostly -z (the forward foot is nearer the
camera), from the side it is ±x, obliquely a mix.

**Which foot is forward, without trusting the labels.** MediaPipe swaps the legs'
labels when they cross or overlap (mediapipe #3496): in split jumps that is the
expected failure. So each frame's two feet are treated as an unordered pair ``{P, Q}``
(foot centre = mean of ankle, heel and toe, horizontal, in leg lengths). Their
difference ``d = P - Q`` gives:

- ``split = |d · facing|``: how far apart the feet are front to back;
- ``side = sign(d · facing) * (d · lateral)``: the lateral offset of the *front* foot
  from the rear one. It is the same whichever foot is labelled left, and whichever way
  the facing axis points. In a split jump each foot keeps its own side of the body, so
  ``side`` is about ``+w`` with the left foot in front and ``-w`` with the right (``w``
  the feet's lateral distance), plus a constant offset when the facing is a little off.

A stance is the median of these over a ground phase: the landing's first `STANCE_S`,
or the whole phase before a takeoff (both `MARGIN_S` away from the half-rise crossings),
from frames with both feet down. A flight is a rep when it is high enough for the legs to
swap (`MIN_RISE`), both stances are split (`SPLIT_MIN`, one of them `SPLIT_CLEAR`) and
planted (`MAX_WOBBLE`: a running or bounding leg swings through), the hips stayed in place
(`MAX_TRAVEL`), and ``side`` changed by at least `SIDE_CHANGE`: the front foot moved to
the other side of the body. The sign of that change names the landing's forward foot (a
constant offset cancels in the difference). Where a stance has no lateral evidence (its
frames disagree on ``side``, `AGREE`: feet in line, or MediaPipe stacking both feet in
one place, as it does 20° off the front while it swaps the legs), or both offsets are
small, the labels decide instead, by a clear majority of each stance's frames
(`LABEL_MAJORITY`); such reps lower the confidence and are named in a warning.

Lengths are in leg lengths (thigh + shank, world metres), times in seconds. A rep is
decided once the landing stance has been seen: at most `latency_s` after its flight's top.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from vision import landmarks as lm
from vision.counters.base import Counter
from vision.counters.flights import MAX_FLANK_S, Flights
from vision.counters.signals import LegLength
from vision.result import ExerciseResult, Rep
from vision.series import PoseFrame

SPLIT_MIN = 0.05
"""Front-to-back distance of the feet, leg lengths, that makes a split stance. MediaPipe
flattens depth: a 0.7 m lunge seen from the front reads ~0.25, from 20° off the front
sometimes 0.06–0.2; feet side by side ~0.03 (and see `AGREE`)."""
AGREE = 0.8
"""Share of a stance's frames that must see the front foot on the same side of the rear
one for ``side`` to count as evidence. Feet side by side give ~half (which one is "in
front" is noise); so do frames where MediaPipe, swapping the legs, stacks both feet in
one place (seen 20° off the front)."""
SPLIT_CLEAR = 0.2
"""At least one of a jump's two stances must be split this clearly (leg lengths): MediaPipe
may flatten one forward foot's lunge, never both (seen: 0.06–0.2 against 0.5)."""
SIDE_CHANGE = 0.2
"""Change of the front foot's lateral offset, leg lengths, that makes a leg swap (feet
18 cm apart give ~0.4; MediaPipe ~0.3–0.55)."""
BOTH_DOWN = 0.35
"""Feet whose lowest points differ by less than this in world height (leg lengths) are
both on the floor. Loose: MediaPipe puts a split stance's rear foot up to ~0.25 high."""
GROUND_FRAC = 0.5
"""Takeoff and landing are where the lower foot crosses this share of the flight's rise.
Half-way, because the two stances of a jump may stand at different image heights (the
forward foot is the lower one in the image, and it changes)."""
STANCE_S = 0.3
"""How much of the ground phase after a landing makes the landing stance (then the rep is
decided); the takeoff stance is the whole ground phase before, up to twice as long."""
MARGIN_S = 0.1
"""Frames this close to the half-rise crossings are left out (the legs still scissor)."""
MAX_WOBBLE = 0.4
"""A stance's feet stay planted: their front-to-back distance varies by less than this
(leg lengths) over it. In running or bounding the free foot swings through."""
MIN_RISE = 0.2
"""Rise of the lower foot, leg lengths, below which a flight is too low for the legs to
swap in the air (a 30 cm split jump reads ~0.4; rope bounces and running ~0.1)."""
MAX_TRAVEL = 0.4
"""The hips may move this far across the image (leg lengths) from the takeoff stance to
the landing stance: split jumps are done in place, bounds and strides travel."""
MIN_STANCE_FRAMES = 3
"""Fewer usable frames than this in a stance: it can't be told."""
LABEL_MAJORITY = 0.75
"""Share of a stance's frames whose labels must agree before labels may decide."""
FACING_S = 6.0
"""The facing is averaged over this long (several stances, so twists cancel)."""
LOOK_BACK_S = 1.5
"""How far before a flight's top the takeoff stance is looked for."""
SETTLE_S = 1.0
"""Without a clear landing, a flight is decided this long after its top."""

_UP = np.array([0.0, -1.0, 0.0])


@dataclass(frozen=True)
class FootPair:
    """The two feet in one frame, with no trust in which is which.

    Attributes:
        t: seconds.
        d: (2,) horizontal world (x, z) of labelled-left minus labelled-right foot centre,
            leg lengths. Only its axis matters to the counter, not its sign.
        low: height of the lower foot's lowest point in the image, leg lengths (up +).
        level: height difference of the two feet's lowest points (world), leg lengths.
        hip_x: the hips' centre across the image, leg lengths (for travel).
    """

    t: float
    d: npt.NDArray[np.float64]
    low: float
    level: float
    hip_x: float


@dataclass(frozen=True)
class Stance:
    """What one ground phase shows: see the module docstring."""

    split: float
    side: float
    left_vote: float  # share of frames where the *labelled* left foot is in front
    frames: int
    wobble: float = 0.0  # interquartile range of the front-to-back distance
    agree: float = 0.0  # share of frames that put the front foot on the median's side
    hip_x: float = np.nan  # where the hips were across the image

    def is_split(self) -> bool:
        """Feet planted one in front of the other."""
        return self.frames >= MIN_STANCE_FRAMES and self.split >= SPLIT_MIN and self.wobble <= MAX_WOBBLE

    def sided(self) -> bool:
        """The frames agree on which side of the rear foot the front one is."""
        return self.agree >= AGREE


@dataclass
class _Flight:
    t: float
    takeoff: float
    rise: float
    landing: float | None = None
    end: float | None = None  # the landing stance ends here (next takeoff)


class SplitJumpCounter(Counter):
    """Counts split jumps (leg swaps in the air) and which foot lands in front.

    Args:
        fps: the source's frame rate (for the feet's smoothing filter).

    Example:
        >>> from vision.counters.base import count
        >>> result = count(SplitJumpCounter(30.0), series)  # doctest: +SKIP
        >>> result.details  # doctest: +SKIP
        {'left_forward': 5, 'right_forward': 5}
    """

    name = "split_jumps"
    latency_s = SETTLE_S

    def __init__(self, fps: float) -> None:
        self._flights = Flights(fps)
        self._leg_px, self._leg_m = LegLength("xy"), LegLength("world")
        self._pairs: deque[FootPair] = deque()
        self._facing: deque[tuple[float, npt.NDArray[np.float64]]] = deque()
        self._pending: list[_Flight] = []
        self._reps: list[Rep] = []
        self._evidence: list[float] = []
        self._unclear = 0
        self._by_labels = 0
        self._last_landing = -np.inf

    def update(self, t: float, frame: PoseFrame | None) -> list[Rep]:
        _, found = self._flights.update(t, frame)
        if frame is not None:
            self._observe(frame)
        for peak in found:
            if peak.rise >= MIN_RISE:
                self._pending.append(_Flight(peak.t, self._takeoff(peak.t), peak.rise))
        return self._decide(t, final=False)

    def finish(self) -> list[Rep]:
        return self._decide(np.inf, final=True)

    def result(self) -> ExerciseResult:
        confidence = self._flights.seen.confidence
        if self._evidence:
            confidence *= float(np.mean(self._evidence))
        warnings = []
        if self._unclear:
            warnings.append(
                f"split_jumps: {self._unclear} jump(s) where the stance could not be told (feet poorly seen "
                "or too little front-to-back spread); they were not counted"
            )
        if self._by_labels:
            warnings.append(
                f"split_jumps: {self._by_labels} rep(s) decided from the pose model's left/right labels "
                "only (the feet stood in line), which can swap"
            )
        if confidence < 0.5:
            warnings.append(f"split_jumps: weak evidence (confidence {confidence:.0%}); the count may be off")
        details = {f"{side}_forward": sum(r.kind == f"{side}_forward" for r in self._reps) for side in lm.SIDES}
        metrics = {}
        if len(self._reps) >= 2:
            metrics["cadence_per_min"] = 60.0 * (len(self._reps) - 1) / (self._reps[-1].t - self._reps[0].t)
        return ExerciseResult(self.name, tuple(self._reps), details, confidence, tuple(warnings), metrics)

    # -- per frame -----------------------------------------------------------------

    def _observe(self, frame: PoseFrame) -> None:
        """Store this frame's foot pair and facing (nothing is decided here)."""
        world = frame.world.astype(np.float64)
        if not np.all(np.isfinite(world[list(lm.FOOT)])):
            return
        leg, leg_px = self._leg_m.update(frame), self._leg_px.update(frame)
        if not (leg > 0 and leg_px > 0):  # also False for NaN
            return
        if (facing := _body_facing(world)) is not None:
            self._facing.append((frame.t, facing))
        d = (world[lm.FOOT_OF["left"]].mean(axis=0) - world[lm.FOOT_OF["right"]].mean(axis=0))[[0, 2]] / leg
        soles = [float(np.max(world[lm.SOLE[side], 1])) for side in lm.SIDES]
        low = -float(np.max(frame.xy[[*lm.SOLE["left"], *lm.SOLE["right"]], 1])) / leg_px
        hip_x = float(np.mean(frame.xy[lm.HIPS, 0])) / leg_px
        self._pairs.append(FootPair(frame.t, d, low, abs(soles[0] - soles[1]) / leg, hip_x))
        _trim(self._pairs, frame.t, LOOK_BACK_S + SETTLE_S + 1.0)
        _trim(self._facing, frame.t, FACING_S)

    # -- per flight ----------------------------------------------------------------

    def _half_rise(self, t: float) -> float:
        """Height of the lower foot half-way between the floor before a flight's top at
        ``t`` and that top: crossing it going up is the takeoff, coming down the landing."""
        before = [p.low for p in self._pairs if t - LOOK_BACK_S <= p.t <= t]
        top = [p.low for p in self._pairs if abs(p.t - t) <= 0.15]
        if not before or not top:
            return np.nan
        floor = float(np.percentile(before, 10))
        return floor + GROUND_FRAC * (max(top) - floor)

    def _takeoff(self, t: float) -> float:
        threshold = self._half_rise(t)
        down = [p.t for p in self._pairs if t - LOOK_BACK_S <= p.t <= t and p.low <= threshold]
        return down[-1] if down else t - MAX_FLANK_S / 2

    def _decide(self, now: float, final: bool) -> list[Rep]:
        """Decide every pending flight whose landing stance has been seen."""
        new: list[Rep] = []
        while self._pending:
            flight = self._pending[0]
            nxt = self._pending[1] if len(self._pending) > 1 else None
            if not self._landing_seen(flight, nxt, now) and not final:
                break
            self._pending.pop(0)
            start = max(flight.takeoff - MARGIN_S - 2 * STANCE_S, self._last_landing + MARGIN_S)
            before = self._stance(start, flight.takeoff - MARGIN_S)
            landing = flight.landing if flight.landing is not None else flight.t + MAX_FLANK_S / 2
            end = min(landing + MARGIN_S + STANCE_S, flight.end if flight.end is not None else np.inf)
            after = self._stance(landing + MARGIN_S, end)
            self._last_landing = landing
            if (rep := self._judge(flight.t, before, after)) is not None:
                new.append(rep)
        self._reps.extend(new)
        return new

    def _landing_seen(self, flight: _Flight, nxt: _Flight | None, now: float) -> bool:
        """Find the landing and the end of its stance; True once the stance is complete."""
        if flight.landing is None:
            threshold = self._half_rise(flight.t)
            down = [p.t for p in self._pairs if p.t > flight.t and p.low <= threshold]
            if down:
                flight.landing = down[0]
        if nxt is not None:
            flight.end = nxt.takeoff - MARGIN_S
            return True
        if flight.landing is None:
            return now - flight.t >= SETTLE_S
        return now >= flight.landing + MARGIN_S + STANCE_S or now - flight.t >= SETTLE_S

    def _stance(self, t0: float, t1: float) -> Stance:
        """The stance over ``[t0, t1]``, from the frames with both feet down."""
        axis = self.facing()
        pairs = [p for p in self._pairs if t0 <= p.t <= t1 and p.level <= BOTH_DOWN]
        if axis is None or not pairs:
            return Stance(0.0, 0.0, 0.5, 0)
        lateral = np.array([-axis[1], axis[0]])  # up × facing in the (x, z) plane: the athlete's left
        d = np.array([p.d for p in pairs])
        ahead, across = d @ axis, d @ lateral
        side = np.sign(ahead) * across
        return Stance(
            split=float(np.median(np.abs(ahead))),
            side=float(np.median(side)),
            left_vote=float(np.mean(ahead > 0)),
            frames=len(pairs),
            wobble=float(np.subtract(*np.percentile(np.abs(ahead), [75, 25]))),
            hip_x=float(np.median([p.hip_x for p in pairs])),
            agree=float(max(np.mean(side > 0), np.mean(side < 0))),
        )

    def _judge(self, t: float, before: Stance, after: Stance) -> Rep | None:
        """The rule of the module docstring: a rep, or None."""
        if before.frames < MIN_STANCE_FRAMES or after.frames < MIN_STANCE_FRAMES:
            self._unclear += 1
            return None
        if not (before.is_split() and after.is_split()) or max(before.split, after.split) < SPLIT_CLEAR:
            if max(before.split, after.split) >= SPLIT_MIN and min(before.split, after.split) >= SPLIT_MIN / 2:
                self._unclear += 1  # in between: a shallow split or a staggered hop
            return None
        if abs(after.hip_x - before.hip_x) > MAX_TRAVEL:
            return None  # a bound or a running stride: split jumps stay in place
        if before.sided() and after.sided():
            change = after.side - before.side
            if abs(change) >= SIDE_CHANGE:
                strength = min(before.split / (2 * SPLIT_MIN), abs(change) / (2 * SIDE_CHANGE))
                self._evidence.append(float(np.clip(strength, 0.0, 1.0)))
                return Rep(
                    t,
                    None,
                    "left_forward" if change > 0 else "right_forward",
                )
            if max(abs(before.side), abs(after.side)) >= SIDE_CHANGE:
                return None  # the same foot, well to one side, is in front after the jump
        # No lateral evidence in a stance (feet in line, or the model lost which side each
        # foot is on): the labels decide, if each stance's frames agree on them.
        votes = (before.left_vote, after.left_vote)
        if not all(v >= LABEL_MAJORITY or v <= 1 - LABEL_MAJORITY for v in votes):
            self._unclear += 1
            return None
        if (votes[0] > 0.5) == (votes[1] > 0.5):
            return None
        self._by_labels += 1
        self._evidence.append(0.5)
        return Rep(t, None, "left_forward" if votes[1] > 0.5 else "right_forward")

    def facing(self) -> npt.NDArray[np.float64] | None:
        """The athlete's recent facing as a unit (x, z) vector in world axes, or None."""
        if not self._facing:
            return None
        total = np.sum([f for _, f in self._facing], axis=0)
        norm = float(np.linalg.norm(total))
        return total / norm if norm > 0 else None


def _body_facing(world: npt.NDArray[np.float64]) -> npt.NDArray[np.float64] | None:
    """One frame's facing, unit (x, z), from the shoulder and hip lines (None if unseen)."""
    shoulders = world[lm.idx("left_shoulder")] - world[lm.idx("right_shoulder")]
    hips = world[lm.idx("left_hip")] - world[lm.idx("right_hip")]
    shoulders[1] = hips[1] = 0.0
    if hips @ shoulders < 0:
        hips = -hips  # a swapped pair of hip labels must not turn the athlete round
    facing = np.cross(shoulders + hips, _UP)[[0, 2]]
    norm = float(np.linalg.norm(facing))
    return facing / norm if np.isfinite(norm) and norm > 0 else None


def _trim(history: deque[Any], t: float, keep_s: float) -> None:
    """Drop entries (with a time ``.t`` or first item) older than ``keep_s`` before ``t``."""
    while history and t - (history[0][0] if isinstance(history[0], tuple) else history[0].t) > keep_s:
        history.popleft()
