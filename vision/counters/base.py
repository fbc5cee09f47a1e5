"""The interface every counter has, and the replay that makes offline equal streaming.

A counter is fed one frame at a time (`update`), which is what the live webcam does,
and may look a bounded time ahead before it decides on a rep (its `latency_s`), so a
rep appears on screen that long after it happened. `count` runs the very same code over
a whole `LandmarkSeries`, which is what files and batches do, so the two always give
the same reps on the same frames: there is one algorithm, not two that could drift.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from vision.result import ExerciseResult, Rep
from vision.series import LandmarkSeries, PoseFrame


class Counter(ABC):
    """Counts the reps of one exercise from pose frames.

    Subclasses set `name` (an exercise name of DESIGN.md §3) and implement `update`,
    `finish` and `result`.
    """

    name: ClassVar[str]
    latency_s: ClassVar[float] = 0.0
    """How long after a rep the counter can report it (its look-ahead)."""

    @abstractmethod
    def update(self, t: float, frame: PoseFrame | None) -> list[Rep]:
        """Take the frame captured at ``t`` (None: no athlete seen); return reps decided now."""

    @abstractmethod
    def finish(self) -> list[Rep]:
        """The stream has ended: decide what is still pending and return those reps."""

    @abstractmethod
    def result(self) -> ExerciseResult:
        """Everything counted so far, with details, confidence and warnings."""


def count(counter: Counter, series: LandmarkSeries) -> ExerciseResult:
    """Run a fresh ``counter`` over every frame of ``series`` (the offline path)."""
    for i in range(len(series)):
        counter.update(float(series.t[i]), series.frame(i))
    counter.finish()
    return counter.result()
