"""The session report: one self-contained HTML page a runner and a coach can read.

Counts (and the routine comparison) first; then per exercise the signal its counter read
with every rep marked, a few frames of the video with the skeleton at rep times, the
running metrics and the landing-form check. Figures are inlined (`figure_data_uri`), so
the page opens offline, from a disk or a mail attachment.

It is drawn from an `AnalysisResult` and the `LandmarkSeries` it was counted from, which
`repcount analyze --json` keeps beside the JSON (`landmarks_path`), so ``repcount plot``
redraws it without running pose again. The video is needed only for the key frames.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from vision.errors import RepcountError
from vision.overlay import draw_pose
from vision.report import metrics, plots, traces
from vision.report.html import figure_data_uri, render_page
from vision.result import AnalysisResult, ExerciseResult
from vision.series import LandmarkSeries
from vision.sources import VideoFile

KEY_FRAMES = 3
"""Frames shown per exercise: its first, middle and last rep (plus the worst landing)."""


def landmarks_path(json_path: Path) -> Path:
    """Where the landmarks of a saved result live: ``out/hops.json`` -> ``out/hops.landmarks.npz``."""
    return json_path.with_suffix(".landmarks.npz")


def load_saved(json_path: Path) -> tuple[AnalysisResult, LandmarkSeries, Path | None]:
    """A result saved by ``analyze --json``, its landmarks, and the video it came from (as
    the analysis was given it, None if unknown).

    Raises:
        RepcountError: the JSON or its landmarks are missing or unreadable.
    """
    npz = landmarks_path(json_path)
    try:
        result = AnalysisResult.from_dict(json.loads(json_path.read_text()))
    except FileNotFoundError:
        raise RepcountError(f"{json_path} not found: give a result written by 'repcount analyze --json'") from None
    except (ValueError, KeyError, TypeError) as e:
        raise RepcountError(
            f"{json_path} is not a repcount result ({e}); write one with 'repcount analyze --json'"
        ) from None
    try:
        series = LandmarkSeries.load(npz)
    except FileNotFoundError:
        raise RepcountError(f"{npz} not found: it is written beside the JSON by 'repcount analyze --json'") from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        raise RepcountError(f"{npz} is not readable: run 'repcount analyze --json' again") from None
    source = series.meta.get("source")
    return result, series, Path(source) if source else None


@dataclass(frozen=True)
class Shot:
    """A moment to show: the series frame index and its caption."""

    frame: int
    caption: str


def key_shots(result: ExerciseResult, series: LandmarkSeries) -> list[Shot]:
    """First, middle and last rep at their times; and the landing of the rep whose knees fell
    inward most, at the deepest point of its absorption, when the check flagged one."""
    reps = result.reps
    picks = sorted({0, len(reps) // 2, len(reps) - 1})[:KEY_FRAMES] if reps else []
    shots = [Shot(_nearest(series, reps[i].t), f"rep {i + 1} at {reps[i].t:.2f} s") for i in picks]
    flagged = plots.metrics_valgus(result)
    if flagged:
        fppa = [row.get("knee_fppa_deg") or 0.0 for row in result.metrics["per_rep"]]
        worst = max(flagged, key=lambda n: fppa[n - 1])
        flight = metrics.find_flight(series.t, traces.lower_foot(series).values, reps[worst - 1].t)
        if flight is not None:
            t = flight.landing + 0.5 * metrics.LANDING_S
            shots.append(Shot(_nearest(series, t), f"rep {worst} landing: knees in ({fppa[worst - 1]:.0f}°)"))
    return shots


def _nearest(series: LandmarkSeries, t: float) -> int:
    return int(np.argmin(np.abs(series.t - t)))


def read_frames(video: Path | None, indices: set[int]) -> dict[int, npt.NDArray[np.uint8]]:
    """The frames at these positions in the video, in one decode pass that stops after the
    last; none when there is no readable video (the page then says so)."""
    found: dict[int, npt.NDArray[np.uint8]] = {}
    if video is None or not video.exists() or not indices:
        return found
    try:
        for i, (_, frame) in enumerate(VideoFile(video)):
            if i in indices:
                found[i] = frame.copy()
            if i >= max(indices):
                break
    except RepcountError:
        pass  # not a video after all: the page goes without frames rather than without a report
    return found


def key_frames_uri(shots: list[Shot], series: LandmarkSeries, images: dict[int, npt.NDArray[np.uint8]]) -> str | None:
    """The shots found in ``images``, skeleton drawn on and cropped, as one inlined figure."""
    drawn = [
        (_around_athlete(draw_pose(images[s.frame], series.frame(s.frame)), series.xy[s.frame]), s.caption)
        for s in shots
        if s.frame in images
    ]
    return figure_data_uri(plots.key_frames_figure(drawn)) if drawn else None


def _around_athlete(
    image: npt.NDArray[np.uint8], xy: npt.NDArray[np.float32], margin: float = 0.2
) -> npt.NDArray[np.uint8]:
    """The image (BGR) cropped to the athlete's landmarks plus a margin, as RGB: a coach
    wants to see the knees, not the room."""
    h, w = image.shape[:2]
    (x0, y0), (x1, y1) = np.nanmin(xy, axis=0), np.nanmax(xy, axis=0)
    pad = margin * max(x1 - x0, y1 - y0)
    left, right = int(max(0, x0 - pad)), int(min(w, x1 + pad))
    top, bottom = int(max(0, y0 - pad)), int(min(h, y1 + pad))
    return np.asarray(cv2.cvtColor(image[top:bottom, left:right], cv2.COLOR_BGR2RGB), dtype=np.uint8)


def metric_rows(ex: ExerciseResult) -> list[tuple[str, str]]:
    """The exercise's summary metrics as (name, value) rows with their units and accuracy."""
    m, rows = ex.metrics, []
    frame_ms = 1000 * (m.get("timing_resolution_s") or 0)
    if m.get("cadence_per_min") is not None:
        rows.append(("Cadence", f"{m['cadence_per_min']:.0f} per minute"))
    if m.get("rep_interval_s") is not None:
        rows.append(("Tempo", f"one rep every {m['rep_interval_s']:.2f} s"))
    for key, name in (("flight_time_s", "Flight time (mean)"), ("ground_contact_s", "Ground contact (mean)")):
        if m.get(key) is not None:
            rows.append((name, f"{1000 * m[key]:.0f} ms (each jump ± {frame_ms:.0f} ms, one frame)"))
    if m.get("height_cm") is not None:
        rows.append(("Jump height (mean)", f"{m['height_cm']:.1f} cm = {m['height_leg']:.2f} leg lengths"))
    if m.get("stance_leg") is not None:
        rows.append(("Stance length (mean)", f"{m['stance_leg']:.2f} leg lengths between the feet"))
    if m.get("range_deg") is not None:
        rows.append(("Circle range (mean)", f"{m['range_deg']:.0f}° (cone the foot sweeps)"))
    for key, what, scale, unit in (
        ("symmetry_height", "jump height", 100.0, " cm"),
        ("symmetry_range", "circle range", 1.0, "°"),
    ):
        if sym := m.get(key):
            value = f"left {scale * sym['left']:.1f}{unit}, right {scale * sym['right']:.1f}{unit}: {sym['index_pct']:.0f} %"
            rows.append((f"Left/right symmetry ({what})", value))
    return rows


def form_note(ex: ExerciseResult) -> dict[str, Any] | None:
    """What the landing-knee check says: flagged reps, all clear, or why it was not judged."""
    check = ex.metrics.get("knee_valgus")
    if check is None:
        return None
    if not check["judged"]:
        return {"level": "info", "text": f"Knee alignment not judged: {check['reason']}."}
    if check["reps"]:
        reps = ", ".join(str(n) for n in check["reps"])
        return {
            "level": "warn",
            "text": f"Knees fell inward on landing in rep(s) {reps} (knee FPPA up to {check['max_fppa_deg']:.0f}°, "
            f"above {check['threshold_deg']:.0f}°). Land with the knees over the toes.",
        }
    return {
        "level": "ok",
        "text": f"Knees stayed over the feet on every landing (FPPA under {check['threshold_deg']:.0f}°).",
    }


def render_report(result: AnalysisResult, series: LandmarkSeries, video: Path | None = None) -> str:
    """The page for ``result`` counted from ``series``; key frames only when ``video`` is readable."""
    shots = {ex.name: [s for s in key_shots(ex, series) if series.detected[s.frame]] for ex in result.exercises}
    images = read_frames(video, {s.frame for some in shots.values() for s in some})
    sections = []
    for ex in result.exercises:
        per_rep = plots.per_rep_figure(ex)
        sections.append(
            {
                "name": ex.name,
                "title": ex.name.replace("_", " "),
                "count": ex.count,
                "details": ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in ex.details.items()),
                "signal": figure_data_uri(plots.signal_figure(ex, series)),
                "per_rep": figure_data_uri(per_rep) if per_rep is not None else None,
                "frames": key_frames_uri(shots[ex.name], series, images),
                "metrics": metric_rows(ex),
                "form": form_note(ex),
            }
        )
    return render_page(
        "session.html.j2",
        result=result,
        exercises=sections,
        routine=result.routine,
        video_found=video is not None and video.exists(),
    )


def write_report(path: Path, result: AnalysisResult, series: LandmarkSeries, video: Path | None = None) -> None:
    """Write `render_report` to ``path`` (folders created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(result, series, video), encoding="utf-8")
