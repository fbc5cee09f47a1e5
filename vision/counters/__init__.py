"""Rep counters, one module per exercise family, all behind the `Counter` interface.

    counter = get_counter("two_leg_hops", fps=30.0)
    result = count(counter, series)          # offline: a whole LandmarkSeries
    reps = counter.update(t, frame)          # streaming: one frame at a time
"""

from __future__ import annotations

from collections.abc import Callable

from vision.counters.ankle import AnkleRotationCounter
from vision.counters.base import Counter, count
from vision.counters.jumps import JumpCounter
from vision.counters.split import SplitJumpCounter
from vision.result import EXERCISES

_FACTORIES: dict[str, Callable[[float], Counter]] = {
    "ankle_rotations": AnkleRotationCounter,
    "two_leg_hops": lambda fps: JumpCounter("two_leg_hops", fps),
    "single_leg_hops": lambda fps: JumpCounter("single_leg_hops", fps),
    "jump_rope": lambda fps: JumpCounter("jump_rope", fps),
    "split_jumps": SplitJumpCounter,
}


def available() -> tuple[str, ...]:
    """Exercise names that have a counter, in the order of `EXERCISES`."""
    return tuple(name for name in EXERCISES if name in _FACTORIES)


def get_counter(name: str, fps: float) -> Counter:
    """A fresh counter for exercise ``name`` fed at ``fps`` frames a second.

    Raises:
        KeyError: no counter for that name (the message lists the known ones).
    """
    if name not in _FACTORIES:
        raise KeyError(f"unknown exercise {name!r}; known: {', '.join(available())}")
    return _FACTORIES[name](fps)


__all__ = ["AnkleRotationCounter", "Counter", "JumpCounter", "SplitJumpCounter", "available", "count", "get_counter"]
