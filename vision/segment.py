"""Which exercise is being done when: a whole session split into segments and sets.

A runner presses record and does the routine, so a file holds several exercises with
rests, walking and standing between. This module finds them with a transparent rule on
what the counters already see, not a learned model:

1. **Evidence.** Every counter runs over the whole series. Each rep it finds is a claim
   "exercise X happened at t": a level two-foot flight is claimed by two-leg hops and
   jump rope alike, a flight onto one foot by single-leg hops and jump rope, a leg swap
   by split jumps, a toe circle by ankle rotations.
2. **Bouts.** The jump claims (any jump counter) and the circle claims are each put in
   time order and cut where nothing was claimed for `SET_GAP_S`: a set ends there. Within
   a set the athlete never pauses that long (split jumps, the slowest, come every ~1.3 s;
   a circle takes 1–2 s), while a rest between sets, walking into place or standing
   between items is longer.
3. **Which exercise a set is.** Ankle circles happen with the feet on the floor, jumps
   in the air, so the two kinds never share a set. A jump set is split jumps when most
   of its flights swapped the legs; else it is jump rope when its cadence is a rope's
   (median interval under `ROPE_INTERVAL_S`: rope skipping turns the rope about twice a
   second, hops in place leave time to land and load) or its steps alternate feet;
   else single-leg hops when most flights landed on one foot, else two-leg hops. A set
   with fewer than `MIN_REPS` claims is a stray (a stumble, a step) and counts nothing.
   Ankle sets are split again where the working foot or the direction changes.
4. **Segments.** Consecutive sets of the same exercise (and foot and direction, where
   they apply) are one segment with several sets. Each segment is counted again by its
   own counter over its own stretch (from halfway into the gap before to halfway into
   the gap after), so its details and metrics are those of a clip of that exercise.
   The gaps are segments too, counting nothing: ``rest`` between sets, ``walking`` where
   the hips travel, ``standing`` otherwise.

Times are seconds and rates per second, so frame rate and image size do not matter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import groupby

import numpy as np

from vision import counters
from vision import landmarks as lm
from vision.compare import Performed
from vision.counters.ankle import lifted
from vision.counters.jumps import Event, JumpEvents
from vision.counters.signals import LegLength
from vision.result import ExerciseResult, Rep
from vision.series import LandmarkSeries

__all__ = ["IDLE", "Segment", "find_segments", "performed"]

SAME_JUMP_S = 0.25
"""Events of one jump seen two ways are at most this far apart (see `vision.counters.jumps`)."""
SET_GAP_S = 2.2
"""No claim for this long ends a set (longest pause inside a set: a split jump's 1.3 s, a slow circle's ~2 s)."""
ROPE_INTERVAL_S = 0.65
"""Median time between flights below which a jump set is rope skipping (over ~90 jumps/min)."""
ARMS_LOW = 0.25
"""Wrists at least this far below the shoulders (leg lengths) to be turning a rope: jumping
jacks and arm swings overhead are hops."""
ROPE_STEP_MAX = 0.45
"""Median lift of the stepping foot (leg lengths above the other) up to which alternating
steps are rope skipping; high knees and knee lifts raise the foot further."""
SPLIT_SHARE = 0.5
"""Share of a set's flights that must swap the legs for it to be split jumps."""
SINGLE_SHARE = 0.6
"""Share of a set's flights that must land on one foot for it to be single-leg hops."""
MIN_REPS = 3
"""Fewer claims than this in a set: a stray, not an exercise."""
MIN_CIRCLES = 2
"""Fewer ankle circles than this in a set: a stray. Fewer than `MIN_REPS`, because each circle
already is a full, steady turn of a lifted foot beside a planted one (a flight is one bounce),
and through MediaPipe a set's circles are often partly missed."""
MIN_SET_S = 1.2
"""A set lasts at least this long (3 hops at 80 a minute: 1.5 s); shorter bursts are twitches of the landmarks."""
SETTLE_S = 1.0
"""Getting set before a set's first rep and settling after its last, seconds: part of the set."""
MIN_IDLE_S = 0.5
"""Shorter gaps between segments are not segments of their own."""
LEG_WINDOW_S = 4.0
"""History the leg length is taken over (as `LegLength` does)."""
WALK_SPEED = 0.5
"""Hip speed across the image, torso lengths per second, above which the athlete walks."""
WALK_SCALE_RATE = 0.1
"""Relative change of the torso's size in the image per second above which the athlete walks
towards or away from the camera (a step of 0.7 m at 3 m changes it by ~25 %)."""
WALK_WINDOW_S = 1.0
"""Idle stretches are judged walking or standing over windows this long."""

IDLE = ("rest", "standing", "walking")
"""Names of the segments that count nothing."""

_JUMPS = ("two_leg_hops", "single_leg_hops", "jump_rope", "split_jumps")


@dataclass(frozen=True)
class Segment:
    """A stretch of the session: one exercise (with its sets) or an idle stretch.

    Attributes:
        name: an exercise name, or one of `IDLE`.
        start_s, end_s: where the stretch starts and ends, seconds.
        result: for an exercise, its count over the stretch (None when idle).
        sets: for an exercise, the reps of each set, in order.
        set_spans: for an exercise, (start, end) of each set, seconds.
        foot, direction: the working foot and the direction, where the exercise has them.
    """

    name: str
    start_s: float
    end_s: float
    result: ExerciseResult | None = None
    sets: tuple[tuple[Rep, ...], ...] = ()
    set_spans: tuple[tuple[float, float], ...] = ()
    foot: str | None = None
    direction: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The segment as JSON: name, times, and for an exercise its foot, direction and reps per set."""
        out: dict[str, object] = {"name": self.name, "start_s": round(self.start_s, 2), "end_s": round(self.end_s, 2)}
        if self.result is not None:
            out |= {"foot": self.foot, "direction": self.direction, "sets": [len(s) for s in self.sets]}
        return out


@dataclass(frozen=True)
class _Set:
    """A run of claims with no gap longer than `SET_GAP_S`, classified."""

    exercise: str
    start_s: float
    end_s: float
    foot: str | None = None
    direction: str | None = None

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        return (self.exercise, self.foot, self.direction)


def find_segments(series: LandmarkSeries) -> tuple[Segment, ...]:
    """Split a session into exercise segments (with sets) and idle stretches, in time order."""

    def reps(name: str) -> tuple[Rep, ...]:
        return counters.count(counters.get_counter(name, series.fps), series).reps

    jumps = _jump_sets(series, reps("split_jumps"))
    circles = [a for a in _ankle_sets(reps("ankle_rotations")) if not any(_overlap(a, j) for j in jumps)]
    sets = sorted(jumps + circles, key=lambda s: s.start_s)
    groups = [list(g) for _, g in groupby(sets, key=lambda s: s.key)]
    end = float(series.t[-1]) if len(series) else 0.0
    windows = [0.0] + [0.5 * (a[-1].end_s + b[0].start_s) for a, b in zip(groups, groups[1:])] + [end]
    segments: list[Segment] = []
    for group, lo, hi in zip(groups, windows, windows[1:]):
        name, foot, direction = group[0].key
        result = counters.count(counters.get_counter(name, series.fps), _within(series, lo, hi))
        if name == "ankle_rotations":
            result = _one_way(result, foot, direction)
        per_set = tuple(tuple(r for r in result.reps if _nearest(r.t, group) is s) for s in group)
        per_set = tuple(s for s in per_set if s)
        if not per_set:
            continue
        spans = tuple(_span(s, lo, hi) for s in per_set)
        if name == "ankle_rotations" and foot is not None:
            spans = tuple((a, max(b, _put_down(series, foot, s[-1].t, hi))) for (a, b), s in zip(spans, per_set))
        result = replace(result, sets=tuple(len(s) for s in per_set))
        segments.append(Segment(name, spans[0][0], spans[-1][1], result, per_set, spans, foot, direction))
    return tuple(sorted(segments + _idle(series, segments, end), key=lambda s: s.start_s))


def performed(segments: tuple[Segment, ...]) -> list[Performed]:
    """The exercise segments as `vision.compare.Performed` blocks, for the routine comparison."""
    blocks = []
    for seg in segments:
        if seg.result is None:
            continue
        sets = tuple(len(s) for s in seg.sets)
        blocks.append(
            Performed(seg.name, seg.foot, seg.direction, sets, seg.end_s - seg.start_s, _switches(seg.result.reps))
        )
    return blocks


def _jump_sets(series: LandmarkSeries, swaps: tuple[Rep, ...]) -> list[_Set]:
    flights = _jump_events(series, steps=False)
    steps = [e for e in _jump_events(series, steps=True) if e.style == "alternate_foot"]
    times = np.unique(np.round([e.t for e in flights + steps] + [r.t for r in swaps], 3))
    out = []
    for run in _runs(times):
        start, stop = run[0] - 1e-3, run[-1] + 1e-3
        if (exercise := _classify(series, start, stop, flights, steps, swaps)) is None:
            continue
        if exercise == "split_jumps":  # its sets are cut by its own reps (stepping out of the lunge can open the feet)
            swapped = np.array([r.t for r in swaps if start <= r.t <= stop])
            out += [_Set(exercise, part[0] - 1e-3, part[-1] + 1e-3) for part in _runs(swapped)]
            continue
        landed = [e.side for e in flights if start <= e.t <= stop and e.style in ("single_leg", "switch_leg")]
        foot = max(set(landed), key=landed.count) if exercise == "single_leg_hops" and landed else None
        out.append(_Set(exercise, start, stop, foot=foot))
    return out


def _classify(
    series: LandmarkSeries, start: float, stop: float, flights: list[Event], steps: list[Event], swaps: tuple[Rep, ...]
) -> str | None:
    """Which jump exercise the claims between ``start`` and ``stop`` are (None: none)."""
    here = [e for e in flights if start <= e.t <= stop]
    steps = [e for e in steps if start <= e.t <= stop]
    splits = [r for r in swaps if start <= r.t <= stop]
    airborne = [e for e in here if e.style != "open_close"]  # flights proper (jacks also open and close the feet)
    singles = [e for e in airborne if e.style != "two_foot"]
    jumps = _merged(sorted(e.t for e in here))
    interval = float(np.median(np.diff(jumps))) if len(jumps) > 1 else np.inf
    if stop - start < MIN_SET_S:
        return None
    if len(splits) >= MIN_REPS and len(splits) >= SPLIT_SHARE * len(airborne):
        return "split_jumps"
    if len(steps) > len(jumps) and _rope_steps(steps):
        return "jump_rope"
    if len(jumps) < MIN_REPS:
        return None
    rope = interval < ROPE_INTERVAL_S and _arms_low(series, start, stop) >= ARMS_LOW
    if len(singles) >= SINGLE_SHARE * len(jumps):
        return "jump_rope" if rope else "single_leg_hops"
    return "jump_rope" if rope else "two_leg_hops"


def _merged(times: list[float]) -> list[float]:
    """Jump times with those within `SAME_JUMP_S` of the one before dropped: one jump seen twice
    (as a flight and as the feet opening or closing)."""
    out: list[float] = []
    for t in times:
        if not out or t - out[-1] >= SAME_JUMP_S:
            out.append(t)
    return out


def _rope_steps(steps: list[Event]) -> bool:
    """Whether alternating steps are rope skipping: enough of them, quick, and low (high
    knees, knee lifts and a single-leg hop's held foot lift the foot further)."""
    lift = float(np.median([e.lift for e in steps]))
    pace = float(np.median(np.diff([e.t for e in steps]))) if len(steps) > 1 else np.inf
    return len(steps) >= MIN_REPS and lift <= ROPE_STEP_MAX and pace < ROPE_INTERVAL_S


def _ankle_sets(circles: tuple[Rep, ...]) -> list[_Set]:
    out = []
    for (side, kind), same in groupby(circles, key=lambda r: (r.side, r.kind)):
        for run in _runs(np.array([r.t for r in same])):
            if len(run) >= MIN_CIRCLES:
                out.append(_Set("ankle_rotations", run[0] - 1e-3, run[-1] + 1e-3, foot=side, direction=kind))
    return out


def _overlap(a: _Set, b: _Set) -> bool:
    """Whether two sets share some time. An ankle set that overlaps a jump set is the feet
    swinging between and during jumps (tuck and squat jumps loop the toes), not circles:
    nobody circles an ankle in the middle of a set of jumps."""
    return a.start_s <= b.end_s and b.start_s <= a.end_s


def _one_way(result: ExerciseResult, foot: str | None, direction: str | None) -> ExerciseResult:
    """An ankle segment's result with only its own foot's circles in its own direction: its
    window may hold a stray circle of the set before or after (too few to be a set)."""
    reps = tuple(r for r in result.reps if (r.side, r.kind) == (foot, direction))
    details = {key: len(reps) if key == f"{foot}_{direction}" else 0 for key in result.details}
    return replace(result, reps=reps, details=details)


def _runs(times: np.ndarray) -> list[np.ndarray]:
    """``times`` (sorted) cut wherever two neighbours are more than `SET_GAP_S` apart."""
    if not len(times):
        return []
    cuts = np.flatnonzero(np.diff(times) > SET_GAP_S) + 1
    return np.split(times, cuts)


def _nearest(t: float, group: list[_Set]) -> _Set:
    """The set of ``group`` a rep at ``t`` belongs to: the one it falls in, or the nearest."""
    return min(group, key=lambda s: 0.0 if s.start_s <= t <= s.end_s else min(abs(t - s.start_s), abs(t - s.end_s)))


def _span(reps: tuple[Rep, ...], lo: float, hi: float) -> tuple[float, float]:
    """Where a set starts and ends: from one rep's time before its first rep (a rep is
    counted at its top or its end) and `SETTLE_S` of getting set, to `SETTLE_S` after its
    last, kept within ``lo``..``hi``."""
    times = [r.t for r in reps]
    rep_s = float(np.median(np.diff(times))) if len(times) > 1 else 1.0
    return max(lo, times[0] - rep_s - SETTLE_S), min(hi, times[-1] + SETTLE_S)


def _put_down(series: LandmarkSeries, side: str, after: float, hi: float) -> float:
    """When the working foot of an ankle set is back on the floor after its last circle (at
    ``after``), as the counter judges a lifted foot; ``hi`` if not before then. A circle is
    counted as its turn completes, which can be most of a circle before the foot stops."""
    leg = LegLength()
    for i in np.flatnonzero((series.t >= after - LEG_WINDOW_S) & (series.t <= hi)):
        frame = series.frame(int(i))
        if frame is None:
            continue
        leg_px = leg.update(frame)
        if frame.t > after and not lifted(frame, side, leg_px):
            return frame.t
    return hi


def _within(series: LandmarkSeries, start: float, stop: float) -> LandmarkSeries:
    keep = np.flatnonzero((series.t >= start) & (series.t <= stop))
    return series.slice(int(keep[0]), int(keep[-1]) + 1) if len(keep) else series.slice(0, 0)


def _idle(series: LandmarkSeries, segments: list[Segment], end: float) -> list[Segment]:
    """The stretches between exercise segments (walking or standing) and between sets (rest)."""
    out = []
    edges = [0.0] + [x for seg in segments for x in (seg.start_s, seg.end_s)] + [end]
    for a, b in zip(edges[::2], edges[1::2]):
        if b - a > MIN_IDLE_S:
            out += _walking_or_standing(series, a, b)
    for seg in segments:
        out += [Segment("rest", a[1], b[0]) for a, b in zip(seg.set_spans, seg.set_spans[1:])]
    return out


def _walking_or_standing(series: LandmarkSeries, start: float, stop: float) -> list[Segment]:
    """An idle stretch cut into walking and standing, judged over `WALK_WINDOW_S` windows
    every half window: walking where a window says the athlete travels (`_travels`)."""
    step = WALK_WINDOW_S / 2
    slots = np.arange(start, stop, step)
    windows = [_travels(series, t, min(t + WALK_WINDOW_S, stop)) for t in slots]
    moving = [w or (k > 0 and windows[k - 1]) for k, w in enumerate(windows)]  # a window covers two slots
    out: list[Segment] = []
    for walking, run in groupby(zip(slots, moving), key=lambda x: x[1]):
        times = [t for t, _ in run]
        piece = Segment("walking" if walking else "standing", float(times[0]), min(float(times[-1]) + step, stop))
        if out and piece.end_s - piece.start_s < MIN_IDLE_S:  # too short to be its own: part of the last
            out[-1] = replace(out[-1], end_s=piece.end_s)
        else:
            out.append(piece)
    return out


def _travels(series: LandmarkSeries, start: float, stop: float) -> bool:
    """Whether the athlete travels over the stretch: the hips cross the image faster than
    `WALK_SPEED` torso lengths a second, or the body grows or shrinks faster than
    `WALK_SCALE_RATE` (walking towards or away from the camera)."""
    part = _within(series, start, stop)

    def mid(name: str) -> np.ndarray:
        return 0.5 * (part.xy[:, lm.side_idx("left", name)] + part.xy[:, lm.side_idx("right", name)])

    hips, torso = mid("hip"), np.linalg.norm(mid("shoulder") - mid("hip"), axis=1)
    ok = np.flatnonzero(np.isfinite(hips[:, 0]) & (torso > 0))
    if len(ok) < 2:
        return False
    i, j = ok[0], ok[-1]
    dt = max(float(part.t[j] - part.t[i]), 1e-6)
    across = abs(hips[j, 0] - hips[i, 0]) / float(np.median(torso[ok])) / dt
    scale = abs(np.log(torso[j] / torso[i])) / dt
    return bool(across > WALK_SPEED or scale > WALK_SCALE_RATE)


def _arms_low(series: LandmarkSeries, start: float, stop: float) -> float:
    """Median height of the wrists below the shoulders, leg lengths (world landmarks; nan if unseen)."""
    w = _within(series, start, stop).world
    drop = np.stack([w[:, lm.side_idx(s, "wrist"), 1] - w[:, lm.side_idx(s, "shoulder"), 1] for s in lm.SIDES])
    leg = np.linalg.norm(w[:, lm.side_idx("left", "hip")] - w[:, lm.side_idx("left", "ankle")], axis=1)
    ratio = drop.mean(axis=0) / leg
    ratio = ratio[np.isfinite(ratio)]
    return float(np.median(ratio)) if len(ratio) else float("nan")


def _jump_events(series: LandmarkSeries, steps: bool) -> list[Event]:
    """Every flight (and with ``steps``, alternate-foot step) in the series, as `JumpEvents` finds them.

    Without ``steps`` every flight is kept; with them, flights amid steps are taken as steps.
    """
    finder = JumpEvents(series.fps, steps=steps)
    events = [e for i in range(len(series)) for e in finder.update(float(series.t[i]), series.frame(i))]
    return events + finder.finish()


def _switches(reps: tuple[Rep, ...]) -> tuple[float, ...]:
    """Time on each leg between switches (single-leg rope), from the landing feet."""
    sided = [r for r in reps if r.side is not None]
    if not sided:
        return ()
    runs = [list(g) for _, g in groupby(sided, key=lambda r: r.side)]
    if len(runs) < 2:
        return ()
    edges = [runs[0][0].t] + [0.5 * (a[-1].t + b[0].t) for a, b in zip(runs, runs[1:])] + [runs[-1][-1].t]
    return tuple(float(b - a) for a, b in zip(edges, edges[1:]))
