"""Guided mode: which routine item is current, when it is done, the rest between sets.

`Guide` is a pure state machine fed by the reps a counter reports and by the time, so it
can be tested without a camera, a model or a window; the live session (`vision.live`) feeds
it and draws what it says. It never counts: it only decides which reps belong to the item
in hand.

The rules, per routine item (`vision.routine.Item`):

* A rep counts for the current item when its foot and direction match what the item names
  (``Rep.side``, ``Rep.kind``).
* A set with an exact rep target is done at the target. A set with a range (10–15) is done
  at its maximum, or once the minimum is reached and no rep came for `SETTLE_S` (the
  athlete has stopped), so the athlete chooses where in the range to stop.
* A duration item starts at its first rep and is done `duration_s` later.
* After a set, the rest (``rest_s``) counts down; a rep during the rest starts the next set
  early. After the last set, the next item starts at once.
* `pause` freezes every clock, `reset` starts the current set again, `skip` closes the item
  with what was done so far.

`performed()` turns what was done into `vision.compare.Performed` blocks for the routine
comparison.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from vision.compare import Performed
from vision.result import Rep
from vision.routine import Item, Routine

__all__ = ["Cue", "Guide", "Phase", "SETTLE_S", "Status", "item_switches", "matches"]

SETTLE_S = 3.0
"""A set with a rep range is over once its minimum is reached and no rep came for this long:
longer than the slowest rep (an ankle circle takes ~1-2 s) plus a counter's look-ahead."""


class Phase(enum.Enum):
    WORK = "work"
    REST = "rest"
    DONE = "done"


class Cue(enum.Enum):
    """Something the athlete should notice (on screen, and a bell where there is one)."""

    SET_COMPLETE = "set complete"
    ITEM_COMPLETE = "item complete"
    REST_OVER = "rest over: go"
    ROUTINE_COMPLETE = "routine complete"


@dataclass(frozen=True)
class Status:
    """What the screen shows about the routine at one moment.

    Attributes:
        phase: working, resting, or the routine is done.
        item: the current item (None when done); index is its place from 0.
        set_number, sets: the current set, from 1, of how many.
        count: reps counted in the current set (while resting: in the set just done).
        elapsed_s: for duration items, time since the set's first rep.
        rest_left_s: seconds of rest still to go (0 unless resting).
    """

    phase: Phase
    item: Item | None
    index: int
    set_number: int
    sets: int
    count: int
    elapsed_s: float
    rest_left_s: float

    @property
    def line(self) -> str:
        """The current item and its target, e.g. "Ankle rotations, left foot, clockwise: 7 / 10–15"."""
        if self.item is None:
            return "Routine complete"
        of_sets = f" (set {self.set_number} of {self.sets})" if self.sets > 1 else ""
        if self.phase is Phase.REST:
            return f"Rest {self.rest_left_s:.0f} s, then {self.item.label}{of_sets}"
        if self.item.duration_s is not None:
            target = f"{self.elapsed_s:.0f} s / {self.item.duration_s:g} s ({self.count} reps)"
        else:
            target = f"{self.count} / {self.item.reps}"
        return f"{self.item.label}: {target}{of_sets}"


@dataclass
class _ItemLog:
    """What was done for one item: reps per set, and the first and last rep times."""

    sets: list[int] = field(default_factory=list)
    reps: list[Rep] = field(default_factory=list)
    duration_s: float | None = None


class Guide:
    """Walks through a routine as reps come in (see the module docstring for the rules).

    Call `update(t, reps)` once a frame (``reps`` may be empty: time alone can end a set or
    a rest); it returns the cues that happened. Times are the session's seconds and must
    not go backwards.
    """

    def __init__(self, routine: Routine, t: float = 0.0) -> None:
        self.routine = routine
        self.index = 0
        self.set_index = 0
        self.phase = Phase.WORK
        self.paused = False
        self._count = 0
        self._done_count = 0  # the last set's reps, shown during the rest
        self._first_t: float | None = None  # the current set's first rep
        self._last_t = t  # the current set's last rep, or when it started
        self._rest_until = t
        self._paused_at = t
        self._logs = [_ItemLog() for _ in routine.items]

    @property
    def item(self) -> Item | None:
        return self.routine.items[self.index] if self.phase is not Phase.DONE else None

    def status(self, t: float) -> Status:
        """What to show at time ``t``."""
        now = self._paused_at if self.paused else t
        item = self.item
        elapsed = 0.0 if self._first_t is None else max(0.0, now - self._first_t)
        return Status(
            phase=self.phase,
            item=item,
            index=self.index,
            set_number=self.set_index + 1,
            sets=item.sets if item else 0,
            count=self._done_count if self.phase is Phase.REST else self._count,
            elapsed_s=elapsed,
            rest_left_s=max(0.0, self._rest_until - now) if self.phase is Phase.REST else 0.0,
        )

    def update(self, t: float, reps: list[Rep]) -> list[Cue]:
        """Take the reps the counter reported at time ``t``; return the cues due now."""
        if self.paused or self.phase is Phase.DONE:
            return []
        cues: list[Cue] = []
        for rep in reps:
            if self.item is None or not matches(self.item, rep):
                continue
            if self.phase is Phase.REST:
                self.phase = Phase.WORK
                cues.append(Cue.REST_OVER)
            self._count += 1
            self._logs[self.index].reps.append(rep)
            self._first_t = rep.t if self._first_t is None else self._first_t
            self._last_t = t
        if self.phase is Phase.REST and t >= self._rest_until:
            self.phase = Phase.WORK
            self._last_t = t
            cues.append(Cue.REST_OVER)
        if self.phase is Phase.WORK and self._set_done(t):
            cues += self._close_set(t)
        return cues

    def _set_done(self, t: float) -> bool:
        item = self.routine.items[self.index]
        if item.duration_s is not None:
            return self._first_t is not None and t - self._first_t >= item.duration_s
        assert item.reps is not None
        return self._count >= item.reps.max or (self._count >= item.reps.min and t - self._last_t >= SETTLE_S)

    def _close_set(self, t: float) -> list[Cue]:
        """Log the set; then rest, or move to the next item."""
        item, log = self.routine.items[self.index], self._logs[self.index]
        log.sets.append(self._count)
        self._done_count = self._count
        if item.duration_s is not None and self._first_t is not None:
            log.duration_s = t - self._first_t
        if self.set_index + 1 < item.sets:
            self.set_index += 1
            self.phase = Phase.REST
            self._rest_until = t + (item.rest_s or 0.0)
            self._start_set(t)
            return [Cue.SET_COMPLETE]
        return self._next_item(t, [Cue.SET_COMPLETE, Cue.ITEM_COMPLETE])

    def _start_set(self, t: float) -> None:
        self._count, self._first_t, self._last_t = 0, None, t

    def _next_item(self, t: float, cues: list[Cue]) -> list[Cue]:
        self.index += 1
        self.set_index = 0
        self._start_set(t)
        if self.index >= len(self.routine.items):
            self.index = len(self.routine.items) - 1
            self.phase = Phase.DONE
            return [*cues, Cue.ROUTINE_COMPLETE]
        self.phase = Phase.WORK
        return cues

    def pause(self, t: float) -> None:
        """Freeze the clocks (rest countdown, settling, duration) until `resume`."""
        if not self.paused:
            self.paused, self._paused_at = True, t

    def resume(self, t: float) -> None:
        """Start the clocks again, shifted by the time spent paused."""
        if not self.paused:
            return
        gap = t - self._paused_at
        self.paused = False
        self._rest_until += gap
        self._last_t += gap
        if self._first_t is not None:
            self._first_t += gap

    def reset(self, t: float) -> None:
        """Start the current set again: its reps so far no longer count."""
        if self.phase is Phase.DONE:
            return
        log = self._logs[self.index]
        if self._count:
            del log.reps[-self._count :]
        self.phase = Phase.WORK
        self._start_set(t)

    def skip(self, t: float) -> list[Cue]:
        """Close the current item with what was done so far and go to the next."""
        if self.phase is Phase.DONE:
            return []
        log = self._logs[self.index]
        if self._count:
            log.sets.append(self._count)
            if self._first_t is not None and self.routine.items[self.index].duration_s is not None:
                log.duration_s = self._last_t - self._first_t
        return self._next_item(t, [])

    def performed(self) -> list[Performed]:
        """One block per item that got any reps, for `vision.compare.compare`; a set still
        in progress is included as it stands (the session may end mid-set)."""
        blocks = []
        for i, (item, log) in enumerate(zip(self.routine.items, self._logs)):
            sets = list(log.sets)
            duration = log.duration_s
            if i == self.index and self.phase is Phase.WORK and self._count:
                sets.append(self._count)
                if item.duration_s is not None and self._first_t is not None:
                    duration = self._last_t - self._first_t
            if not sets:
                continue
            blocks.append(
                Performed(
                    exercise=item.exercise,
                    foot=item.foot,
                    direction=item.direction,
                    sets=tuple(sets),
                    duration_s=duration,
                    switches=item_switches(log.reps) if item.switch_every_s is not None else (),
                )
            )
        return blocks


def matches(item: Item, rep: Rep) -> bool:
    """Whether a rep of the item's exercise is one the item asks for (its foot and direction)."""
    return (item.foot is None or rep.side == item.foot) and (item.direction is None or rep.kind == item.direction)


def item_switches(reps: list[Rep]) -> tuple[float, ...]:
    """Time on each leg between switches, from the sides of single-leg reps: each run of reps
    on one leg lasts from its first rep to the next run's first rep (the last run to its last rep)."""
    starts = [i for i, rep in enumerate(reps) if rep.side and (i == 0 or rep.side != reps[i - 1].side)]
    ends = [reps[j].t for j in starts[1:]] + ([reps[-1].t] if reps else [])
    return tuple(end - reps[i].t for i, end in zip(starts, ends))
