"""What an analysis returns: plain dataclasses that serialise to the JSON of DESIGN.md §4.

`AnalysisResult.to_json()` is the contract scripts and tests rely on; its layout is
versioned by `SCHEMA` and documented in the README. Change it only with a version bump.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # compare imports routine, which imports this module's EXERCISES
    from vision.compare import Comparison

SCHEMA = 1

EXERCISES: tuple[str, ...] = ("ankle_rotations", "two_leg_hops", "single_leg_hops", "jump_rope", "split_jumps")
"""Exercise names, as used on the command line, in JSON and in routine files."""


@dataclass(frozen=True)
class Rep:
    """One counted repetition.

    Attributes:
        t: seconds from the start of the source. For jumps the highest point of the
            flight, for ankle rotations the moment the circle completes.
        side: ``"left"``/``"right"`` where the rep belongs to one foot (the landing
            foot of a single-leg hop, the working foot of a rotation), else None.
        kind: what sort of rep it is where an exercise has several (``"cw"``/``"ccw"``
            for rotations, ``"left_forward"``/``"right_forward"`` for split jumps).
    """

    t: float
    side: str | None = None
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The rep as JSON, leaving out fields that don't apply."""
        return {k: (round(v, 3) if k == "t" else v) for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class ExerciseResult:
    """The count of one exercise over a stretch of the source.

    Attributes:
        name: one of `EXERCISES`.
        reps: every counted rep in time order; ``count`` is their number.
        details: the count split up (per foot, per direction, per forward foot) and
            descriptive fields such as the jump-rope ``style``.
        start_s, end_s: first and last rep (None when nothing was counted).
        confidence: 0..1, how much the landmarks behind the count can be trusted
            (visibility of the feet, frames with a person); see `warnings`.
        warnings: plain sentences for the user, e.g. that the feet left the frame.
        metrics: numbers that describe the reps (e.g. ``cadence_per_min``).
        sets: reps in each set, where the exercise was found in a session (empty otherwise).
    """

    name: str
    reps: tuple[Rep, ...]
    details: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    warnings: tuple[str, ...] = ()
    metrics: dict[str, float] = field(default_factory=dict)
    sets: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.reps)

    @property
    def start_s(self) -> float | None:
        return self.reps[0].t if self.reps else None

    @property
    def end_s(self) -> float | None:
        return self.reps[-1].t if self.reps else None

    def to_dict(self) -> dict[str, Any]:
        """The exercise as JSON (DESIGN.md §4)."""
        return {
            "name": self.name,
            "count": self.count,
            "start_s": _round(self.start_s),
            "end_s": _round(self.end_s),
            "details": self.details,
            "reps": [r.to_dict() for r in self.reps],
            "metrics": {k: round(v, 3) for k, v in self.metrics.items()},
            "confidence": round(self.confidence, 3),
            "warnings": list(self.warnings),
            "sets": list(self.sets),
        }


@dataclass(frozen=True)
class AnalysisResult:
    """Everything `vision.analyze` found in one source."""

    source: str
    fps: float
    frames: int
    duration_s: float
    pose_detected_ratio: float
    exercises: tuple[ExerciseResult, ...]
    warnings: tuple[str, ...] = ()
    routine: Comparison | None = None
    """What was done against the routine, when one was given (JSON: its ``to_dict()``)."""
    segments: tuple[dict[str, Any], ...] = ()
    """Where a whole session was split up: each stretch's name (an exercise, ``rest``,
    ``walking`` or ``standing``), start and end, and for an exercise its foot, direction and sets."""

    def to_dict(self) -> dict[str, Any]:
        """The result as the JSON document of DESIGN.md §4 (schema `SCHEMA`)."""
        return {
            "schema": SCHEMA,
            "source": self.source,
            "fps": round(self.fps, 3),
            "frames": self.frames,
            "duration_s": round(self.duration_s, 3),
            "pose_detected_ratio": round(self.pose_detected_ratio, 3),
            "exercises": [e.to_dict() for e in self.exercises],
            "warnings": list(self.warnings),
            "segments": list(self.segments),
            "routine": None if self.routine is None else self.routine.to_dict(),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """`to_dict` as a JSON string."""
        return json.dumps(self.to_dict(), indent=indent)

    def to_csv(self) -> str:
        """One row per rep: exercise, rep number, time, side, kind."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["source", "exercise", "rep", "t_s", "side", "kind"])
        for ex in self.exercises:
            for n, rep in enumerate(ex.reps, start=1):
                writer.writerow([self.source, ex.name, n, f"{rep.t:.3f}", rep.side or "", rep.kind or ""])
        return out.getvalue()


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)
