"""Accuracy against hand-counted labels: the numbers we report for every change.

Reads a folder's ``labels.json`` (the format of the shared labelled clips, see their
LABELS.md), counts every clip and compares. A labelled clip is right when its count is
within the label's ``tolerance``. Look-alike clips (``"exercise": "none"``) must stay
at (about) zero on every counter listed in their ``check_exercises``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vision.errors import RepcountError
from vision.result import EXERCISES


@dataclass(frozen=True)
class ClipLabel:
    """What a clip holds according to ``labels.json``."""

    clip: str
    exercise: str  # an exercise name, or "none" for a look-alike
    count: int
    tolerance: int
    check_exercises: tuple[str, ...]  # the counters run: the exercise, or every one a look-alike must not fool


@dataclass(frozen=True)
class EvalRow:
    """One counter run on one clip against its label."""

    clip: str
    exercise: str
    true_count: int
    count: int | None  # None when the clip could not be analysed
    tolerance: int
    note: str = ""

    @property
    def error(self) -> int | None:
        return None if self.count is None else self.count - self.true_count

    @property
    def exact(self) -> bool:
        return self.error is not None and abs(self.error) <= self.tolerance


@dataclass(frozen=True)
class EvalSummary:
    """The whole table and its summary figures."""

    rows: tuple[EvalRow, ...]

    @property
    def exact_ratio(self) -> float:
        return float(np.mean([r.exact for r in self.rows])) if self.rows else 0.0

    @property
    def off_by_one_ratio(self) -> float:
        """Share of runs within one rep of the truth beyond the label's tolerance."""
        ok = [r.error is not None and abs(r.error) <= r.tolerance + 1 for r in self.rows]
        return float(np.mean(ok)) if ok else 0.0

    @property
    def mae(self) -> float:
        errs = [abs(r.error) for r in self.rows if r.error is not None]
        return float(np.mean(errs)) if errs else float("nan")

    @property
    def normalized_mae(self) -> float:
        """Mean of |error| / true count over clips with a true count above zero."""
        errs = [abs(r.error) / r.true_count for r in self.rows if r.error is not None and r.true_count > 0]
        return float(np.mean(errs)) if errs else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": [asdict(r) | {"error": r.error, "exact": r.exact} for r in self.rows],
            "exact": self.exact_ratio,
            "off_by_one": self.off_by_one_ratio,
            "mae": self.mae,
            "normalized_mae": self.normalized_mae,
        }


def read_labels(folder: Path) -> list[ClipLabel]:
    """The labelled clips of ``folder/labels.json``, skipping the unlabelled ones.

    Raises:
        RepcountError: the file is missing or is not labels JSON.
    """
    path = folder / "labels.json"
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        raise RepcountError(f"{path} not found: eval needs a labels.json beside the clips") from None
    except json.JSONDecodeError as e:
        raise RepcountError(f"{path} is not valid JSON (line {e.lineno}): fix or regenerate it") from None
    labels = []
    for clip, entry in sorted(raw.items()):
        if clip.startswith("_") or not isinstance(entry, dict):
            continue
        exercise = entry.get("exercise", "none")
        # A look-alike with no list must fool none of the counters.
        checks = tuple(entry.get("check_exercises", EXERCISES)) if exercise == "none" else (exercise,)
        labels.append(ClipLabel(clip, exercise, int(entry["count"]), int(entry.get("tolerance", 0)), checks))
    return labels


def evaluate(
    folder: Path,
    count_clip: Callable[[Path, tuple[str, ...]], dict[str, int]],
    labels: list[ClipLabel],
    available: tuple[str, ...] = EXERCISES,
) -> Iterator[EvalRow]:
    """Yield one row per (clip, counter) as the clips are counted.

    Args:
        folder: where the clips are.
        count_clip: counts one clip with the given counters and returns
            ``{exercise: count}`` (the caller decides how: it is `vision.analyze`,
            with its pose cache, in the CLI). May raise `RepcountError`.
        labels: the labels, from `read_labels`.
        available: the exercises that have a counter; the others get a row that says so.
    """
    for label in labels:
        exercises = tuple(e for e in label.check_exercises if e in available)
        for missing in (e for e in label.check_exercises if e not in available):
            yield EvalRow(label.clip, missing, label.count, None, label.tolerance, note=f"no {missing} counter yet")
        try:
            counts = count_clip(folder / label.clip, exercises) if exercises else {}
        except RepcountError as e:
            for ex in exercises:
                yield EvalRow(label.clip, ex, label.count, None, label.tolerance, note=str(e))
            continue
        for ex in exercises:
            yield EvalRow(label.clip, ex, label.count, counts.get(ex), label.tolerance)
