"""The annotated copy of a video: skeleton, feet, running count, each rep flashed.

Runs after counting, from the landmarks already computed (the pose cache or a fresh
run), so it only decodes and draws: no second pass of the model.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from vision.overlay import Hud, draw_hud, draw_pose
from vision.result import AnalysisResult, ExerciseResult
from vision.series import LandmarkSeries
from vision.sources import VideoFile

FLASH_S = 0.35
"""How long a rep stays flashed on screen."""


def hud_at(exercise: ExerciseResult, t: float) -> Hud:
    """The count shown at time ``t``: reps up to then, with a flash that fades after each."""
    times = np.array([r.t for r in exercise.reps])
    done = int(np.searchsorted(times, t, side="right"))
    since = t - times[done - 1] if done else np.inf
    flash = float(max(0.0, 1.0 - since / FLASH_S))
    sides = [r.side for r in exercise.reps[:done] if r.side]
    details = "  ".join(f"{s} {sides.count(s)}" for s in ("left", "right") if s in sides)
    return Hud(exercise.name, done, details, flash)


def write_annotated(
    video: Path,
    result: AnalysisResult,
    out: Path,
    *,
    series: LandmarkSeries,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write ``out`` (mp4): the frames of ``video`` with the pose and the count drawn on.

    Args:
        video: the analysed video.
        result: its analysis (the first exercise's count is shown).
        out: where to write the annotated mp4.
        series: the landmarks of the analysis, frame for frame.
        progress: optional ``progress(done, total)`` callback.
    """
    source = VideoFile(video)
    fourcc = cv2.VideoWriter.fourcc(*"mp4v")
    out.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(out), fourcc, source.info.fps, (source.info.width, source.info.height))
    if not writer.isOpened():
        raise PermissionError(13, "cannot open the video writer", str(out))
    exercise = result.exercises[0] if result.exercises else ExerciseResult("nothing counted", ())
    try:
        for i, (t, frame) in enumerate(source):
            if i >= len(series):
                break
            draw_pose(frame, series.frame(i))
            draw_hud(frame, hud_at(exercise, t))
            writer.write(frame)
            if progress is not None:
                progress(i + 1, len(series))
    finally:
        writer.release()
