"""Jumps: two-leg hops, single-leg hops and jump rope (two-foot, alternate-foot, single-leg).

Two kinds of event, both read from `FeetSample`s (feet heights in leg lengths):

- a **flight** (`vision.counters.flights`): both feet leave the floor and the body
  rises. At its top we look at both feet in 3D: level (a two-foot jump; unless the feet
  were taking turns just around it, as in running), or one held above the other for a
  while (a single-leg hop, landing on the lower; also when the feet look level at the top but
  the free foot hung above the other before take-off, as single-leg skipping's hangs low), or
  a landing on the other foot (a bound);
- a **step** (alternate-foot rope skipping): the feet take turns, so their difference
  swings from one side to the other by at least `STEP_THRESHOLD`. Only counted while
  the athlete stays in place (neither across the image nor towards the camera), which
  walking and running do not, and in a run of
  `MIN_STEPS`: a lone step or two (a leg lifted, a turn to walk away) is not skipping,
  unless it lands on the foot that was held up: the leg switch of single-leg skipping.
  A run's first and last steps swing only half as far (from and back to both feet down),
  so a half swing counts there; a flight that a step also saw is that step, on its foot.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from vision import landmarks as lm
from vision.counters.base import Counter
from vision.counters.feet import FeetSample, FeetTracker
from vision.counters.flights import MAX_FLANK_S, Flights
from vision.counters.signals import Peak, PeakDetector, Swing, SwingDetector
from vision.result import ExerciseResult, Rep
from vision.series import PoseFrame

LEVEL_FEET = 0.18
"""Feet within this many leg lengths of each other in height (in 3D) are level: a two-foot jump."""
STRIDE_SPREAD = 0.25
"""Feet this far apart in height just before or after a level flight: a running stride."""
STRIDE_S = 0.15
"""How long the feet stay `STRIDE_SPREAD` apart around a flight in a stride. A left/right mix-up
of the feet (MediaPipe's, from the side) parts them for a frame or three."""
LOOK_AFTER_S = 0.3
"""A flight is judged this long after its top, once the landing and the stride after it are seen."""
HELD_S = 0.5
"""A single-leg hop: the free foot stays above the hopping one for this long before take-off."""
HELD_SHARE = 0.8
"""Share of the `HELD_S` before take-off in which the hopping foot must be the lower one."""
HELD_APART = 0.15
"""Median height of the free foot above the hopping one over the `HELD_S` before take-off (leg
lengths, in 3D) that makes a flight single-leg even when the feet look level at its top: in
single-leg skipping the free foot hangs low and the hopping foot rises to it in the air. Feet
standing level differ by at most 0.1 through MediaPipe (the labelled two-foot clips)."""
STEP_THRESHOLD = 0.15
"""Swing of (left - right) height, in leg lengths, that makes an alternate-foot step. From the
front a step swings 0.25 and more through MediaPipe; from the side, where the feet overlap,
only 0.15-0.17 (the rendered athlete: 4 and 5 of 12 steps found at 0.2, 10 and 11 at 0.15).
In a run of three, in place and rising above the other foot, no look-alike makes one."""
HALF_SWING = STEP_THRESHOLD / 2
"""How far a foot rises above the other from both feet down (a run's first step), or comes
down to level (its last): half a step's swing from one foot lifted to the other."""
LEVEL_STEP = STEP_THRESHOLD / 4
"""A lifted foot this close in height to the other is down level with it (leg lengths)."""
STEPS_PERSIST_S = 1.0
"""While steps come this close together, and for this long after the last, flights are part of the stepping."""
MIN_STEPS = 3
"""Steps in a row, each within `STEP_GAP_S` of the one before, that make alternate-foot
skipping. The first of a run wait for the last; later ones count as they come."""
SWITCH_S = 0.25
"""A leg switch takes this long: the held foot comes down as the other goes up."""
STEP_GAP_S = 0.8
"""The longest time between two steps of one run: one turn of a slow rope (75 turns a minute). The
rendered athlete's slowest alternate-foot rope (tempo 0.7) steps every 0.64 s, and at 25 fps a
step's top is read up to 0.76 s after the last: at 0.75 such a run broke in two."""
LEAD_IN_S = 1.0
"""The longest time from a run's lead-in (its first jump, off both feet) to its first step. The
half-swing detector sees the lead-in early, as the first foot starts to rise: 0.77 s before the
first step in the rendered athlete's slow rope (97 steps a minute), where a step comes every 0.62 s."""
FLIGHT_STEP_S = 0.4
"""The longest time from a flight's top to the step that saw the same jump: a step is read at the
lifted foot's top, 0.1-0.25 s after the landing through MediaPipe (the rendered athlete: up to
0.37 s). A flight further back was a jump of its own, such as a run's first, off both feet."""
OPEN_CLOSE = 0.3
"""Change of the feet's width across the image, leg lengths, that a jumping jack's jump makes
(out to about hip width and a half, or back together)."""
FOOT_SHARE = 0.2
"""Each foot's least share of an open/close move: both feet jump apart (one often further, as
seen from an angle), while in a stride one foot moves alone."""
OPEN_CLOSE_GAP_S = (0.3, 1.5)
"""Time from one open/close jump to the next, seconds: a jumping jack's rhythm, slow or quick."""
SAME_JUMP_S = {"step": 0.15, "width": 0.25}
"""A flight and a step (or an open/close) this close in time are one jump seen twice. A step
is read at the lifted foot's top, close to the flight's; the feet's width passes halfway a
little before or after the top."""
IN_PLACE_SPEED = 0.5
"""Hip speed across the image, leg lengths per second, above which the athlete travels."""
APPROACH_RATE = 0.3
"""Change of the athlete's size in the picture (log of the legs' length, per second) above which
they walk towards or away from the camera: 1 m/s from 4 m away is 0.25. Skipping in place
changes it by at most 0.2 (the labelled clips, with knees bending and a hand-held camera)."""
APPROACH_TREND_S = 1.5
"""How far back before a step the slow-walk check below looks, seconds: two or three walking steps."""
APPROACH_TREND = 0.2
"""Change of size (log) over the `APPROACH_TREND_S` before a jump (and the half second after, as
far as it is seen) above which the athlete walks towards or away from the camera, however slowly:
in every labelled rope step it stayed within 0.13 (141 steps of hooneybadger_3, with a hand-held
camera), while a walk at 0.5 m/s from 4 m away changes it by 0.2 and the rendered walker by 0.35."""
RUN_SPEED = 1.0
"""Hip speed across the image, leg lengths per second, above which a flight is a running stride:
half a walking pace (a walk is ~1.6 leg lengths a second, a jog ~3), yet twice what a hand-held
camera's wobble or a rope skipper's drift shows."""


@dataclass(frozen=True)
class Event:
    """A candidate rep: when, on which foot it landed, and how it was made."""

    t: float
    side: str | None
    style: str  # "two_foot", "single_leg", "switch_leg" (a flight onto the other foot), "alternate_foot" (a step)
    # or "open_close" (a jump that opens or closes the feet, as in jumping jacks)
    lift: float = 0.0  # a step: how far the lifted foot rose above the other, leg lengths


class JumpEvents:
    """Finds flights and alternate-foot steps in a stream of pose frames.

    Shared by every jump counter; each counter keeps the events its exercise counts.

    Args:
        fps: the source's frame rate.
        steps: also look for alternate-foot steps and a rope run's low flights (jump rope only).
    """

    def __init__(self, fps: float, steps: bool = False) -> None:
        self.flights = Flights(fps, rope=steps)
        self._period = 1.0 / fps
        self._steps = {side: PeakDetector(STEP_THRESHOLD) for side in lm.SIDES} if steps else {}
        self._half_steps = {side: PeakDetector(HALF_SWING) for side in self._steps}
        self._lead_ins: deque[Event] = deque(maxlen=4)  # the last half steps: a run's first step
        self._counted_steps: deque[float] = deque(maxlen=4)  # times of the last steps given out
        self._width = SwingDetector(OPEN_CLOSE, MAX_FLANK_S)
        self._last_swing: tuple[Swing, bool] | None = None  # the last open/close and whether it counted
        self._run: list[tuple[Event, bool]] = []  # the current run's steps while it is shorter than MIN_STEPS,
        # each with whether it already counted (a leg switch counts as it comes)
        self._last_step = -np.inf
        self._stepping = False  # the current run has MIN_STEPS steps
        self._flights: list[Peak] = []  # flights waiting for LOOK_AFTER_S to be judged
        self._held: dict[str, list[list[float]]] = {side: [] for side in lm.SIDES}  # [start, end]: foot held up

    @property
    def feet(self) -> FeetTracker:
        return self.flights.feet

    def update(self, t: float, frame: PoseFrame | None) -> list[Event]:
        """Feed a frame; return the events confirmed by it."""
        events = self.finish() if frame is not None and self.flights.gap_before(t) else []
        sample, found = self.flights.update(t, frame)
        if sample is None:
            return events
        if len(self.feet.history) == 1:  # the first sample after a gap: steps start afresh too
            for detector in [*self._steps.values(), *self._half_steps.values()]:
                detector.reset()
            self._width.reset()
            self._last_swing = None
        if (swing := self._width.update(t, sample.width)) is not None and self._both_feet_moved(swing):
            events += self._in_rhythm(swing)
        for side, detector in self._steps.items():
            lifted = sample.height(side) - sample.height(lm.other_side(side))
            self._note_held(side, t, lifted)
            step = detector.update(t, lifted)
            if step is None and self._landed_level(detector, lifted, sample):
                step = detector.confirm(t, lifted, HALF_SWING)
            half = self._half_steps[side].update(t, lifted)  # judged in place now, while its second is in the history
            if half is not None and half.value > 0 and self._stepping_in_place(half.t):
                self._lead_ins.append(Event(half.t, lm.other_side(side), "alternate_foot", half.value))
            if step is not None and self._stepping_in_place(step.t) and self._rose_above(side, step):
                counted = self._in_run(Event(step.t, lm.other_side(side), "alternate_foot", step.value))
                self._counted_steps.extend(e.t for e in counted)
                events += counted
        self._flights += found
        while self._flights and t - self._flights[0].t >= LOOK_AFTER_S:
            events += self._judged(self._flights.pop(0))
        return sorted(events, key=lambda e: e.t)

    def finish(self) -> list[Event]:
        """The stream ended (or broke off): judge the flights still waiting, on what was seen."""
        flights, self._flights = self._flights, []
        return [event for flight in flights for event in self._judged(flight)]

    def _judged(self, flight: Peak) -> list[Event]:
        """The event a flight makes, if any. While the feet take turns, the brief moments with
        both feet up are those steps. A lone step is not stepping: it is the leg switch of
        single-leg rope skipping."""
        if self._stepping and abs(flight.t - self._last_step) <= STEPS_PERSIST_S:
            return []
        event = self._flight_event(flight)
        return [event] if event is not None else []

    def _flight_event(self, flight: Peak) -> Event | None:
        """Two-foot or single-leg, from the feet's heights in 3D at the top of the flight.

        None when the feet were taking turns around it (running, high knees).
        """
        top = self.feet.at(flight.t)
        before = self.feet.between(flight.t - HELD_S, flight.t)
        if abs(top.spread) <= LEVEL_FEET:
            if (hopping := _hopping_foot(before)) is not None:
                after = self.feet.between(flight.t + LOOK_AFTER_S / 2, flight.t + LOOK_AFTER_S)
                if _lower_share(after, lm.other_side(hopping)) >= HELD_SHARE:
                    return Event(flight.t, lm.other_side(hopping), "switch_leg")  # single-leg rope's leg switch
                return Event(flight.t, hopping, "single_leg")
            window = self.feet.between(flight.t - MAX_FLANK_S, flight.t + MAX_FLANK_S)
            if _longest_apart(window, self._period) >= STRIDE_S:
                return None
            return Event(flight.t, None, "two_foot")
        landing = top.lower_foot
        if _lower_share(before, landing) >= HELD_SHARE:
            return Event(flight.t, landing, "single_leg")
        return Event(flight.t, landing, "switch_leg")

    def _in_run(self, step: Event) -> list[Event]:
        """The steps to count now: none until a run reaches `MIN_STEPS`, then the whole run, then
        each step as it comes. A gap over `STEP_GAP_S` starts a new run. A run must land on both
        feet: the free foot of single-leg hops swings up and down at each hop, a "step" onto the
        hopping foot each time."""
        if step.t - self._last_step > STEP_GAP_S:
            self._run, self._stepping = [], False
        self._last_step = step.t
        if self._stepping:
            return [step]
        switch = self._switches_leg(step)
        self._run.append((step, switch))
        now = [step] if switch else []
        if len(self._run) < MIN_STEPS:
            return now
        if len({e.side for e, _ in self._run}) == 1:  # all onto one foot: a free foot swinging through hops
            del self._run[0]
            return now
        self._stepping = True
        run, self._run = self._run, []
        return self._lead_in(run[0][0]) + [e for e, counted in run if not counted] + now

    def _lead_in(self, first: Event) -> list[Event]:
        """The step before a run's first: from both feet down, the first lifted foot rises only
        half a swing, so only the half-swing detector saw it. It lands on the other foot, within
        `LEAD_IN_S` before the first (a flight may have counted it too: the counter merges them). A
        half step that was also a full step already given out (a leg switch, counted as it came,
        more than `STEP_GAP_S` before the run) is no lead-in: it counted."""
        before = [
            e
            for e in self._lead_ins
            if e.side != first.side
            and SAME_JUMP_S["step"] < first.t - e.t <= LEAD_IN_S
            and all(abs(e.t - t) > SAME_JUMP_S["step"] for t in self._counted_steps)
        ]
        return before[-1:]

    def _rose_above(self, side: str, step: Peak) -> bool:
        """Whether the lifted foot, at the step's top, stood `LEVEL_STEP` above the other in the
        image or in 3D. A foot that only comes back up towards the other from below it makes a
        swing but no step: after its kick in the air, the free foot of single-leg hops drops to the
        hopping foot's level and goes up again, a swing of the other foot's difference each hop."""
        top = self.feet.at(step.t)
        above_3d = top.spread if side == "right" else -top.spread  # spread > 0: the left foot lower
        return max(step.value, above_3d) >= LEVEL_STEP

    def _landed_level(self, detector: PeakDetector, lifted: float, sample: FeetSample) -> bool:
        """Whether a lifted foot of a skipping run came down level with the other: the last
        step of a run lands on both feet, so the feet's difference falls only half a swing.
        Level in the image, or in 3D: from the side the far foot stands higher in the image."""
        top = detector.top
        return (
            self._stepping
            and top is not None
            and top[0] - self._last_step <= STEP_GAP_S
            and top[1] > 0  # it was above the other foot
            and min(lifted, abs(sample.spread)) <= LEVEL_STEP
        )

    def _note_held(self, side: str, t: float, lifted: float) -> None:
        """Keep the last stretches of time in which a foot was held above the other (the free
        foot of single-leg skipping). A step may be confirmed seconds after it happened (when
        the lifted foot comes down), so these outlive the feet's history."""
        if lifted < STEP_THRESHOLD / 2:
            return
        runs = self._held[side]
        if runs and t - runs[-1][1] <= SWITCH_S:
            runs[-1][1] = t
        else:
            runs.append([t, t])
            del runs[:-4]

    def _switches_leg(self, step: Event) -> bool:
        """Whether a step lands on the foot that was held up for `HELD_S` just before it (in
        single-leg skipping, the other foot hopped meanwhile)."""
        assert step.side is not None
        until = step.t - SWITCH_S
        return any(start <= until - HELD_S and end >= until for start, end in self._held[step.side])

    def _in_rhythm(self, swing: Swing) -> list[Event]:
        """Open/close jumps come in turns: one counts once the one before or after it is
        `OPEN_CLOSE_GAP_S` away (so a lone twitch of the feet, or a glitch that opens and
        shuts them within a frame or two, counts nothing). The first of a run waits for the second."""
        low, high = OPEN_CLOSE_GAP_S
        out = []
        last = self._last_swing
        if last is not None and low <= swing.t - last[0].t <= high:
            if not last[1]:
                out.append(Event(last[0].t, None, "open_close"))
            out.append(Event(swing.t, None, "open_close"))
        self._last_swing = (swing, bool(out))
        return out

    def _both_feet_moved(self, swing: Swing) -> bool:
        """Whether the feet opened or closed by a jump: each foot moved its share the opposite
        way, with the hips in place (a walking stride moves one foot past the other)."""
        before, after = self.feet.at(swing.start_t), self.feet.at(self.feet.history[-1].t)
        moves = (after.left_x - before.left_x, after.right_x - before.right_x)
        opposite = moves[0] * moves[1] < 0
        shared = min(abs(m) for m in moves) >= FOOT_SHARE * (abs(moves[0]) + abs(moves[1]))
        return opposite and shared and self.in_place(swing.t)

    def in_place(self, t: float, speed: float = IN_PLACE_SPEED) -> bool:
        """Whether, over the second around ``t``, the hips moved across the image slower than
        ``speed`` (leg lengths a second) and the athlete came no nearer the camera, nor went
        away, than `APPROACH_RATE`."""
        window = self.feet.between(t - 0.5, t + 0.5)
        if len(window) < 2:
            return False
        span = max(window[-1].t - window[0].t, 1e-6)
        moved = abs(window[-1].hip_x - window[0].hip_x) / span
        return moved < speed and _size_change(window) <= APPROACH_RATE * span

    def _stepping_in_place(self, t: float) -> bool:
        """Whether a step at ``t`` was taken in place (`in_place`), and the athlete's size changed
        by at most `APPROACH_TREND` over the `APPROACH_TREND_S` before it: steps taken walking
        slowly towards the camera alternate the feet just like skipping. Only steps get the longer
        look: in `in_place` itself it lost two real jumps of a jumping-jack clip filmed while the
        camera zoomed in (jumpingjack_theunknown550_1, 20 of 22)."""
        return self.in_place(t) and _size_change(self.feet.between(t - APPROACH_TREND_S, t + 0.5)) <= APPROACH_TREND


def _size_change(window: list[FeetSample]) -> float:
    """How much the athlete grew or shrank in the picture over the window: |log| of the ratio
    of the longest the legs looked over its last third and over its first (bent knees only
    shorten them); 0 when either was not seen."""
    if len(window) < 2:
        return 0.0
    span = window[-1].t - window[0].t
    first = _longest_leg(s for s in window if s.t <= window[0].t + span / 3)
    last = _longest_leg(s for s in window if s.t >= window[-1].t - span / 3)
    return abs(float(np.log(last / first))) if first > 0 and last > 0 else 0.0


def _longest_leg(samples: Iterable[FeetSample]) -> float:
    """The longest the legs looked in the picture in these samples (0 if never seen)."""
    return max((s.leg_px for s in samples if np.isfinite(s.leg_px)), default=0.0)


def _lower_share(window: list[FeetSample], side: str) -> float:
    """Share of the samples in which ``side`` was the lower foot (0 without samples)."""
    return float(np.mean([s.lower_foot == side for s in window])) if window else 0.0


def _hopping_foot(before: list[FeetSample]) -> str | None:
    """The foot the athlete stood on before a flight while the other hung `HELD_APART` above
    it (`HELD_SHARE` of the time), if one did: the hopping foot of single-leg skipping."""
    spreads = [s.spread for s in before]
    if not spreads or float(np.median(np.abs(spreads))) < HELD_APART:
        return None
    side = "left" if float(np.median(spreads)) >= 0 else "right"
    return side if _lower_share(before, side) >= HELD_SHARE else None


def _longest_apart(window: list[FeetSample], period: float) -> float:
    """The longest time, seconds, the feet stayed `STRIDE_SPREAD` apart in height in a window
    of samples ``period`` seconds apart."""
    longest, since = 0.0, None
    for sample in window:
        if abs(sample.spread) <= STRIDE_SPREAD:
            since = None
            continue
        since = sample.t if since is None else since
        longest = max(longest, sample.t - since + period)
    return longest


def rope_style(landings: Sequence[str | None]) -> str:
    """The style of a set of rope jumps, from the foot each landed on (None: both feet):
    ``"two_foot"`` unless most land on one foot; then ``"alternate_foot"`` when most change
    foot from the jump before, else ``"single_leg_alternating"`` (a few jumps on one leg,
    then on the other). The synthetic athlete's labels use the same rule."""
    singles = [side for side in landings if side is not None]
    if len(singles) < len(landings) / 2:
        return "two_foot"
    switches = sum(a != b for a, b in zip(singles, singles[1:]))
    return "alternate_foot" if switches > len(singles) / 2 else "single_leg_alternating"


_SEEN_AS = {"alternate_foot": "step", "open_close": "width"}
"""How each event style is seen (else as a flight): one jump may be seen more than one way."""

COUNTED: dict[str, frozenset[str]] = {
    "two_leg_hops": frozenset({"two_foot", "open_close"}),
    "single_leg_hops": frozenset({"single_leg", "switch_leg"}),  # a bound lands on the other leg
    "jump_rope": frozenset({"two_foot", "open_close", "single_leg", "switch_leg", "alternate_foot"}),
}
"""Which events each exercise counts."""

ON_THE_SPOT = frozenset({"jump_rope", "two_leg_hops"})
"""Exercises done on the spot, so a flight that travels across the image at `RUN_SPEED` (a running
stride) is none of theirs: the rope turns round an athlete who stays put, and two-leg hops are
"jumping up and down with both legs" (the routine's article). Single-leg hops and bounds may travel.
A stride seen level at its top is told apart by the feet parting around it (`STRIDE_S`), but only
just: the labelled running clip's one such stride parts them for 0.17 s, and mirrored, 0.13 s."""


class JumpCounter(Counter):
    """Counts the jumps of one exercise.

    Flights and open/close jumps are reported within `latency_s`. Alternate-foot steps wait for
    their run: the first two of a run (and the half step before them) come out with the third,
    up to 2 x `STEP_GAP_S` later, so a live count of alternate-foot skipping starts with a jump
    of three or four.

    Args:
        name: ``"two_leg_hops"`` (level flights), ``"single_leg_hops"`` (every flight,
            with the landing foot) or ``"jump_rope"`` (flights and alternate-foot steps).
        fps: the source's frame rate.
    """

    latency_s = MAX_FLANK_S

    def __init__(self, name: str, fps: float) -> None:
        self.name = name  # type: ignore[misc]  # one class serves several exercise names
        self._events = JumpEvents(fps, steps=name == "jump_rope")
        self._reps: list[Rep] = []
        self._styles: list[str] = []

    def update(self, t: float, frame: PoseFrame | None) -> list[Rep]:
        return self._counted(self._events.update(t, frame))

    def _counted(self, events: list[Event]) -> list[Rep]:
        """The reps these events make for this exercise."""
        new = []
        for event in events:
            if event.style not in COUNTED[self.name]:
                continue
            if (same := self._counted_near(event)) is not None:
                self._relabel(same, event)
                continue
            flight = _SEEN_AS.get(event.style, "flight") == "flight"
            if self.name in ON_THE_SPOT and flight and not self._events.in_place(event.t, RUN_SPEED):
                continue  # (steps and open/close jumps were judged in place as they were found)
            rep = Rep(event.t, side=event.side if self.name != "two_leg_hops" else None)
            new.append(rep)
            self._reps.append(rep)
            self._styles.append(event.style)
        return new

    def _counted_near(self, event: Event) -> int | None:
        """The index of the rep this jump was already counted as, seen as another kind of
        event: a step or an open/close within `SAME_JUMP_S` of a flight is that flight (they
        are confirmed at other moments, so they may come out of order)."""
        seen_as = _SEEN_AS.get(event.style, "flight")
        if event.style == "alternate_foot" and (before := self._flight_before(event)) is not None:
            return before
        for i in self._recent():
            other = _SEEN_AS.get(self._styles[i], "flight")
            window = max(SAME_JUMP_S.get(seen_as, 0.0), SAME_JUMP_S.get(other, 0.0))
            if other != seen_as and abs(self._reps[i].t - event.t) < window:
                return i
        return None

    def _recent(self) -> range:
        """Indices of the last reps, among which a jump seen twice is looked for (events of one
        jump come out within a run's first few steps of each other)."""
        return range(max(0, len(self._reps) - 6), len(self._reps))

    def _flight_before(self, step: Event) -> int | None:
        """The index of a two-foot flight, not yet given a foot, counted between this step and the
        step before it (or `FLIGHT_STEP_S` back): in alternate-foot skipping both feet are up for a
        moment between two landings, so that flight was this step's jump."""
        recent = self._recent()
        steps = [self._reps[i].t for i in recent if self._styles[i] == "alternate_foot" and self._reps[i].t < step.t]
        since = max([step.t - FLIGHT_STEP_S, *steps])
        for i in recent:
            rep = self._reps[i]
            if self._styles[i] == "two_foot" and rep.side is None and since < rep.t <= step.t:
                return i
        return None

    def _relabel(self, i: int, step: Event) -> None:
        """A two-foot flight (or an open/close of the feet) that a skipping run's step also saw
        was that step: both feet leave the floor for a moment between two alternate-foot
        landings, level at the flight's top, and their width across the image changes as they
        pass, so the step knows the landing foot. The count stays; the rep gets the foot of the
        first step that saw it, and keeps its style for telling later events apart."""
        two_feet = self._styles[i] in ("two_foot", "open_close")
        if step.style == "alternate_foot" and two_feet and self._reps[i].side is None:
            self._reps[i] = replace(self._reps[i], side=step.side)

    def finish(self) -> list[Rep]:
        return self._counted(self._events.finish())

    def result(self) -> ExerciseResult:
        flights = self._events.flights
        confidence = flights.confidence
        warnings: tuple[str, ...] = ()
        if flights.feet_missed > flights.count:
            warnings = (
                f"{self.name}: the hips bounced like jumps {flights.feet_missed} times with the feet still; "
                "the feet may not be tracked (a small or high-angle view?), so the count may be low",
            )
        elif confidence < 0.5:
            warnings = (
                f"{self.name}: the feet were not seen clearly (confidence {confidence:.0%}); the count may be off",
            )
        reps = tuple(sorted(self._reps, key=lambda r: r.t))  # a run's first steps are counted after later flights
        metrics = {}
        if len(reps) >= 2:
            metrics["cadence_per_min"] = 60.0 * (len(reps) - 1) / (reps[-1].t - reps[0].t)
        details: dict[str, int | str] = {}
        if self.name != "two_leg_hops":
            details = {side: sum(r.side == side for r in reps) for side in lm.SIDES}
        if self.name == "jump_rope" and reps:
            details["style"] = rope_style([r.side for r in reps])
        return ExerciseResult(self.name, reps, details, confidence=confidence, warnings=warnings, metrics=metrics)
