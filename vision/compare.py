"""What was done against what the routine prescribes: a pure function, `compare(routine, done)`.

The input is one `Performed` block per exercise stretch the athlete did (the reps counted in
each set, the time it lasted and, for single-leg rope, how long each leg was on). Routine
items are matched to blocks by exercise, and by foot and direction where the item names
them, so items may be done out of order or skipped. The result says, per item and per set,
what was done, the target and whether it is complete; `Comparison.to_dict()` is the JSON
``routine`` field (DESIGN.md §4), `Comparison.lines()` the terminal table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from vision.routine import Item, Routine

__all__ = ["Comparison", "ItemResult", "Performed", "SetResult", "compare"]

DURATION_TOLERANCE_S = 1.0
"""A duration counts as reached this close to the target: a block's measured time runs from its
first to its last rep, so it falls short of the time actually spent by up to about one rep."""

SWITCH_TOLERANCE_S = 0.5
"""Leg-switch intervals are measured from the landings around the switch (a hop lasts ~0.3–0.5 s),
so each end of ``switch_every_s`` is widened by this much."""

OK, NOT_OK = "✓", "✗"


@dataclass(frozen=True)
class Performed:
    """One stretch of one exercise as counted.

    Attributes:
        exercise: one of `vision.result.EXERCISES`.
        foot: ``left``/``right`` where the block belongs to one foot, else None.
        direction: ``cw``/``ccw`` for ankle rotations, else None.
        sets: reps counted in each set, in order.
        duration_s: how long the block lasted, seconds (None if not measured).
        switches: for single-leg rope, the time on each leg between switches, seconds, in order.
    """

    exercise: str
    foot: Optional[str] = None
    direction: Optional[str] = None
    sets: tuple[int, ...] = ()
    duration_s: Optional[float] = None
    switches: tuple[float, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"exercise": self.exercise, "foot": self.foot, "direction": self.direction,
                               "sets": list(self.sets)}  # fmt: skip
        if self.duration_s is not None:
            out["duration_s"] = round(self.duration_s, 2)
        return out


@dataclass(frozen=True)
class SetResult:
    """One prescribed set: reps ``done`` (None when the set was not done) against ``target``."""

    set: int
    done: Optional[int]
    target: str
    complete: bool

    def to_dict(self) -> dict[str, Any]:
        return {"set": self.set, "done": self.done, "target": self.target, "complete": self.complete}


@dataclass(frozen=True)
class ItemResult:
    """One routine item against the block(s) that matched it.

    Attributes:
        index: the item's place in the routine, from 1.
        item: the prescribed item.
        performed: the matched blocks (empty: not done).
        sets: per prescribed set, for rep items (empty for duration items).
        extra_sets: reps of sets done beyond those prescribed.
        duration_s: time achieved, for duration items.
        switches_within: per switch interval, whether it was within ``switch_every_s``.
    """

    index: int
    item: Item
    performed: tuple[Performed, ...]
    sets: tuple[SetResult, ...] = ()
    extra_sets: tuple[int, ...] = ()
    duration_s: Optional[float] = None
    switches_within: tuple[bool, ...] = ()

    @property
    def done(self) -> bool:
        return bool(self.performed)

    @property
    def switches(self) -> tuple[float, ...]:
        return tuple(s for p in self.performed for s in p.switches)

    @property
    def duration_complete(self) -> Optional[bool]:
        if self.item.duration_s is None:
            return None
        return self.duration_s is not None and self.duration_s >= self.item.duration_s - DURATION_TOLERANCE_S

    @property
    def switches_complete(self) -> Optional[bool]:
        """All switch intervals within range; None when the item sets none or none were measured."""
        if self.item.switch_every_s is None or not self.switches_within:
            return None
        return all(self.switches_within)

    @property
    def complete(self) -> bool:
        if not self.done:
            return False
        if self.item.duration_s is not None:
            return bool(self.duration_complete) and self.switches_complete is not False
        return all(s.complete for s in self.sets)

    def to_dict(self) -> dict[str, Any]:
        item = self.item
        out: dict[str, Any] = {
            "item": self.index, "exercise": item.exercise, "foot": item.foot, "direction": item.direction,
            "style": item.style, "label": item.label, "done": self.done, "complete": self.complete,
        }  # fmt: skip
        if item.reps is not None:
            out["sets"] = [s.to_dict() for s in self.sets]
            out["extra_sets"] = list(self.extra_sets)
        if item.duration_s is not None:
            done = None if self.duration_s is None else round(self.duration_s, 2)
            out["duration"] = {"done_s": done, "target_s": item.duration_s, "complete": self.duration_complete}
        if item.switch_every_s is not None:
            intervals = [round(s, 2) for s in self.switches]
            out["switches"] = {"intervals_s": intervals, "target_s": str(item.switch_every_s),
                               "within": list(self.switches_within), "complete": self.switches_complete}  # fmt: skip
        return out

    def lines(self) -> list[str]:
        """This item's rows of the terminal table."""
        name = self.item.label[0].lower() + self.item.label[1:]
        if not self.done:
            return [f"{name}: not done {NOT_OK}"]
        if self.item.duration_s is not None:
            rows = [f"{name}: {_seconds(self.duration_s)} of {_seconds(self.item.duration_s)} "
                    f"{OK if self.duration_complete else NOT_OK}"]  # fmt: skip
            if self.item.switch_every_s is not None:
                if not self.switches_within:
                    rows.append(f"{name}: leg switches not measured")
                else:
                    each = ", ".join(f"{s:.0f}" for s in self.switches)
                    rows.append(f"{name}: legs switched after {each} s (target every {self.item.switch_every_s} s) "
                                f"{OK if self.switches_complete else NOT_OK}")  # fmt: skip
            return rows
        rows = []
        for s in self.sets:
            where = name if len(self.sets) == 1 else f"{name} set {s.set}"
            done = "not done" if s.done is None else f"{s.done} of {s.target}"
            rows.append(f"{where}: {done} {OK if s.complete else NOT_OK}")
        if self.extra_sets:
            rows.append(f"{name}: extra sets {', '.join(str(n) for n in self.extra_sets)}")
        return rows


@dataclass(frozen=True)
class Comparison:
    """The whole routine against what was done; ``extra`` holds blocks no item asked for."""

    routine: Routine
    items: tuple[ItemResult, ...]
    extra: tuple[Performed, ...] = ()

    @property
    def complete(self) -> bool:
        return all(r.complete for r in self.items)

    def to_dict(self) -> dict[str, Any]:
        """The JSON ``routine`` field (DESIGN.md §4)."""
        return {
            "name": self.routine.name,
            "complete": self.complete,
            "items": [r.to_dict() for r in self.items],
            "extra": [p.to_dict() for p in self.extra],
        }

    def lines(self) -> list[str]:
        """The comparison as terminal rows, e.g. "split jumps set 2: 7 of 10 ✗"."""
        rows = [row for r in self.items for row in r.lines()]
        for p in self.extra:
            what = ", ".join(x for x in (p.exercise.replace("_", " "), p.foot and f"{p.foot} foot", p.direction) if x)
            rows.append(f"not in the routine: {what}: {' + '.join(str(n) for n in p.sets) or 0} reps")
        done = sum(r.complete for r in self.items)
        rows.append(f"{self.routine.name}: {done} of {len(self.items)} items complete "
                    f"{OK if self.complete else NOT_OK}")  # fmt: skip
        return rows


def _seconds(x: Optional[float]) -> str:
    return "0 s" if x is None else f"{x:.0f} s" if abs(x - round(x)) < 0.05 or x >= 10 else f"{x:.1f} s"


def _matches(item: Item, block: Performed) -> bool:
    return (
        block.exercise == item.exercise
        and (item.foot is None or item.foot == block.foot)
        and (item.direction is None or item.direction == block.direction)
    )


def _specificity(item: Item) -> int:
    return (item.foot is not None) + (item.direction is not None)


def _match(routine: Routine, done: list[Performed]) -> list[list[int]]:
    """For each item, the indices of the blocks it takes.

    Items that name more (foot, direction) choose first, so a general item cannot take the
    block a specific one needs; each takes the earliest free block that matches. Then an
    item still short of sets takes further free matching blocks, in order (a counter may
    report each set as its own block).
    """
    taken: set[int] = set()
    chosen: list[list[int]] = [[] for _ in routine.items]
    order = sorted(range(len(routine.items)), key=lambda i: -_specificity(routine.items[i]))
    for i in order:
        j = next((j for j, b in enumerate(done) if j not in taken and _matches(routine.items[i], b)), None)
        if j is not None:
            chosen[i].append(j)
            taken.add(j)
    for i in order:
        item = routine.items[i]
        if item.reps is None or not chosen[i]:
            continue
        for j, block in enumerate(done):
            if sum(len(done[k].sets) for k in chosen[i]) >= item.sets:
                break
            if j not in taken and _matches(item, block):
                chosen[i].append(j)
                taken.add(j)
    return chosen


def _switch_within(item: Item, intervals: tuple[float, ...]) -> tuple[bool, ...]:
    """Each interval within ``switch_every_s`` (widened by the tolerance); the last stretch may
    end early because the time was up, so only its maximum is checked."""
    target = item.switch_every_s
    if target is None:
        return ()
    low, high = target.min - SWITCH_TOLERANCE_S, target.max + SWITCH_TOLERANCE_S
    last = len(intervals) - 1
    return tuple((k == last or s >= low) and s <= high for k, s in enumerate(intervals))


def _result(index: int, item: Item, blocks: tuple[Performed, ...]) -> ItemResult:
    if not blocks:
        missed = tuple(SetResult(k + 1, None, str(item.reps), False) for k in range(item.sets))
        return ItemResult(index, item, blocks, sets=() if item.reps is None else missed)
    if item.reps is None:
        durations = [b.duration_s for b in blocks if b.duration_s is not None]
        duration = sum(durations) if durations else None
        switches = tuple(s for b in blocks for s in b.switches)
        return ItemResult(index, item, blocks, duration_s=duration, switches_within=_switch_within(item, switches))
    counted = [n for b in blocks for n in b.sets]
    sets = tuple(
        SetResult(k + 1, counted[k] if k < len(counted) else None, str(item.reps),
                  k < len(counted) and counted[k] >= item.reps.min)
        for k in range(item.sets)
    )  # fmt: skip
    return ItemResult(index, item, blocks, sets=sets, extra_sets=tuple(counted[item.sets :]))


def compare(routine: Routine, done: list[Performed] | tuple[Performed, ...]) -> Comparison:
    """Compare what was done with the routine.

    Args:
        routine: the prescribed routine.
        done: the blocks performed, in the order they were done.

    Returns:
        One `ItemResult` per routine item (in routine order) and the blocks no item matched.
        A set is complete when its reps reach the target (the range's min; more is fine), a
        duration item when its time reaches ``duration_s`` (within `DURATION_TOLERANCE_S`) and,
        for single-leg rope, every leg-switch interval is within ``switch_every_s``.
    """
    done = list(done)
    chosen = _match(routine, done)
    items = tuple(_result(i + 1, item, tuple(done[j] for j in chosen[i])) for i, item in enumerate(routine.items))
    used = {j for js in chosen for j in js}
    return Comparison(routine, items, tuple(b for j, b in enumerate(done) if j not in used))
