"""The file pipeline: video -> pose -> landmark series -> counters -> `AnalysisResult`.

`analyze` is the one path the CLI, the Python API and batch jobs all take. Each stage
is its own module; this file only wires them and adds what a long job needs: a
progress callback, a pose cache so a counter change does not rerun the model, and
keeping the frames already done when a file turns out truncated or the user presses
Ctrl-C.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vision import counters
from vision.annotate import write_annotated
from vision.compare import Comparison, compare
from vision.errors import NoPersonFound, RepcountError
from vision.pose import PoseEstimator
from vision.report.metrics import with_metrics
from vision.result import AnalysisResult, ExerciseResult
from vision.routine import Routine
from vision.segment import Segment, find_segments, performed
from vision.series import LandmarkSeries, PoseFrame
from vision.sources import VideoFile

Progress = Callable[[int, int], None]
"""Called as ``progress(frames_done, frames_expected)`` while pose runs."""


@dataclass(frozen=True)
class PoseRun:
    """The landmarks of a file and how the run went."""

    series: LandmarkSeries
    warnings: tuple[str, ...]
    truncation: str = ""
    """Where the file broke off (one of the warnings), or '' when it decoded to its end."""


def run_pose(
    path: Path, progress: Progress | None = None, cache: Path | None = None, pose: PoseEstimator | None = None
) -> PoseRun:
    """Landmarks of the athlete in every frame of a video file.

    Args:
        path: the video.
        progress: optional callback for a progress bar.
        cache: an ``.npz`` to reuse: read when it exists and was made from a file of
            the same size and modification time, written otherwise.
        pose: an estimator to reuse (a batch worker loads the model once); None makes one.

    Raises:
        RepcountError (and subclasses): the file is missing or not a video.
    """
    stamp = _file_stamp(path)
    cached = _load_cache(cache, stamp) if cache is not None else None
    if cached is not None:
        meta = cached.meta
        return PoseRun(cached, tuple(filter(None, [meta.get("warning", "")])), meta.get("truncation", ""))
    warnings: list[str] = []
    interrupted = False
    video = VideoFile(path)
    times: list[float] = []
    frames: list[PoseFrame | None] = []
    try:
        with _estimator(pose) as estimator:
            for t, image in video:
                times.append(t)
                frames.append(estimator.process(image, t))
                if progress is not None:
                    progress(len(times), video.info.frame_count or 0)
    except KeyboardInterrupt:
        interrupted = True
        warnings.append(f"interrupted: analysed the first {len(times)} frames only")
    truncation = ""
    if video.truncation is not None:
        truncation = f"{video.truncation}: counted those; copy or export the file again to count it all"
        warnings.append(truncation)
    meta = {"source": str(path), "source_stamp": stamp, "warning": " ".join(warnings), "truncation": truncation}
    series = LandmarkSeries.from_frames(times, frames, (video.info.width, video.info.height), video.info.fps, meta)
    if cache is not None and not interrupted:
        series.save(cache)
    return PoseRun(series, tuple(warnings), truncation)


@contextmanager
def _estimator(pose: PoseEstimator | None) -> Iterator[PoseEstimator]:
    """The caller's estimator, reset for a new clip and left open; or a fresh one, closed after."""
    if pose is None:
        with PoseEstimator() as fresh:
            yield fresh
    else:
        pose.new_clip()
        yield pose


def _load_cache(cache: Path, stamp: str) -> LandmarkSeries | None:
    """The cached landmarks if the cache is readable and was made from this very file."""
    try:
        cached = LandmarkSeries.load(cache)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):  # absent, or not a cache: recompute
        return None
    return cached if cached.meta.get("source_stamp") == stamp else None


def count_series(series: LandmarkSeries, exercises: tuple[str, ...]) -> tuple[ExerciseResult, ...]:
    """Run the counter of each exercise over the whole series."""
    return tuple(counters.count(counters.get_counter(name, series.fps), series) for name in exercises)


def count_clip(path: Path, exercises: tuple[str, ...], cache_dir: Path | None = None) -> dict[str, int]:
    """``{exercise: count}`` for one clip (what `vision.evaluate.evaluate` asks of its caller), with
    the clip's landmarks kept in ``cache_dir`` when given, so a rerun after a counter change only counts."""
    cache = cache_dir / f"{path.stem}.npz" if cache_dir else None
    series = run_pose(path, cache=cache).series
    return {r.name: r.count for r in count_series(series, exercises)}


@dataclass(frozen=True)
class Analysis:
    """A result together with the landmarks it was counted from (for reports and plots)."""

    result: AnalysisResult
    series: LandmarkSeries
    comparison: Comparison | None = None
    """The routine comparison itself (``result.routine`` holds it as JSON), when a routine was given."""
    truncation: str = ""
    """Where the file broke off (`PoseRun.truncation`): the counts cover only the frames before."""


def analyze(
    path: str | Path,
    exercise: str | None = None,
    *,
    routine: Routine | None = None,
    progress: Progress | None = None,
    cache: str | Path | None = None,
    annotate: str | Path | None = None,
    pose: PoseEstimator | None = None,
) -> AnalysisResult:
    """Count the reps in a video file.

    Args:
        path: the video file.
        exercise: which exercise the clip holds (an exercise name of DESIGN.md §3).
            None splits the video into segments (`vision.segment`): one result per
            exercise segment, and the segments themselves in ``result.segments``.
        routine: compare what was done with this routine (`vision.routine`); the
            comparison lands in ``result.routine``. Implies finding the segments.
        progress: optional ``progress(done, total)`` callback.
        cache: optional ``.npz`` path to keep the landmarks for a re-run.
        annotate: optional ``.mp4`` path for a copy of the video with the skeleton and
            the running count drawn on it.
        pose: an open `PoseEstimator` to reuse across calls (batch workers); None loads the model.

    Returns:
        The counts, with per-rep times, in the JSON layout of DESIGN.md §4.

    Raises:
        RepcountError: bad input; the message is one line for the user.

    Example:
        >>> result = analyze("sample_videos/two_leg_hops.mp4", exercise="two_leg_hops")
        >>> result.exercises[0].count
    """
    return analyze_with_series(
        path, exercise, routine=routine, progress=progress, cache=cache, annotate=annotate, pose=pose
    ).result


def analyze_with_series(
    path: str | Path,
    exercise: str | None = None,
    *,
    routine: Routine | None = None,
    progress: Progress | None = None,
    cache: str | Path | None = None,
    annotate: str | Path | None = None,
    pose: PoseEstimator | None = None,
) -> Analysis:
    """`analyze`, also returning the landmark series (a session report plots from it)."""
    if exercise is not None and exercise not in counters.available():
        raise RepcountError(f"unknown exercise {exercise!r}: use one of {', '.join(counters.available())}")
    if exercise is not None and routine is not None:
        raise RepcountError("give an exercise or a routine, not both: a routine session is split into its exercises")
    path = Path(path)
    run = run_pose(path, progress, Path(cache) if cache else None, pose)
    series = run.series
    if len(series) and not series.detected.any():
        raise NoPersonFound(path.name)
    segments: tuple[Segment, ...] = ()
    if exercise is not None:
        results = count_series(series, (exercise,))
    else:
        segments = find_segments(series)
        results = tuple(s.result for s in segments if s.result is not None)
    results = tuple(with_metrics(series, r) for r in results)
    comparison = None if routine is None else compare(routine, performed(segments))
    result = AnalysisResult(
        source=path.name,
        fps=series.fps,
        frames=len(series),
        duration_s=series.duration_s,
        pose_detected_ratio=float(np.mean(series.detected)) if len(series) else 0.0,
        exercises=results,
        warnings=run.warnings + tuple(dict.fromkeys(w for r in results for w in r.warnings)),
        segments=tuple(s.to_dict() for s in segments),
        routine=None if comparison is None else comparison.to_dict(),
    )
    if annotate is not None:
        write_annotated(path, result, Path(annotate), series=series, progress=progress)
    return Analysis(result, series, comparison, run.truncation)


def _file_stamp(path: Path) -> str:
    """Size and modification time: enough to notice that a cached clip changed."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"
