"""The session report's figures (matplotlib): what the counter saw, and each rep's numbers.

Each function takes an exercise's result and the landmark series it was counted from,
and returns a `Figure` for `vision.report.html.figure_data_uri`. Nothing here counts or
measures anew beyond finding each rep's flight again (cheap and pure, so a saved result
plus its landmarks redraw the same figures: ``repcount plot``).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # files only: never open a window, and work on machines without a display

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from vision.report import metrics, traces
from vision.result import ExerciseResult
from vision.series import LandmarkSeries

SIDE_COLOUR = {"left": "#2b7bd6", "right": "#d63b2b", None: "#444444"}
"""Left blue, right red, as in the annotated video."""
FLAG = "#e08a00"
WIDTH_IN = 9.0


def signal_traces(result: ExerciseResult, series: LandmarkSeries) -> list[traces.Trace]:
    """The signal(s) the counter of ``result`` reads: the lower foot for jumps, which foot is
    forward for split jumps, the toe's angle of each circling foot for ankle rotations."""
    if result.name == "split_jumps":
        return [traces.forward_foot(series)]
    if result.name == "ankle_rotations":
        sides = sorted({r.side for r in result.reps if r.side is not None}) or ["left", "right"]
        return [traces.toe_angle(series, side) for side in sides]
    return [traces.lower_foot(series)]


def signal_figure(result: ExerciseResult, series: LandmarkSeries) -> Figure:
    """The counter's signal over the exercise, each counted rep numbered on it; for jumps the
    flights shaded and landings with the knees falling inward marked."""
    shown = signal_traces(result, series)
    fig = Figure(figsize=(WIDTH_IN, 2.2 * len(shown) + 0.6), layout="constrained")
    axes = fig.subplots(len(shown), 1, sharex=True, squeeze=False)[:, 0]
    start, end = _span(result, series)
    flagged = set(metrics_valgus(result))
    for ax, trace in zip(axes, shown):
        inside = (trace.t >= start) & (trace.t <= end)
        ax.plot(trace.t[inside], trace.values[inside], color="#555555", lw=1.2)
        ax.set_ylabel(f"{trace.label}\n({trace.unit})", fontsize=8)
        ax.grid(alpha=0.3)
        for n, rep in enumerate(result.reps, 1):
            side = rep.side if rep.side in SIDE_COLOUR else None
            if result.name == "ankle_rotations" and trace.label.split()[0] != rep.side:
                continue
            y = float(np.interp(rep.t, trace.t, np.nan_to_num(trace.values)))
            colour = FLAG if n in flagged else SIDE_COLOUR[side]
            ax.plot(rep.t, y, "o", color=colour, ms=6)
            ax.annotate(str(n), (rep.t, y), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=7)
        if result.name in metrics.JUMPS and result.name != "split_jumps":
            for flight in metrics.flights(series.t, trace.values, result.reps):
                if flight is not None:
                    ax.axvspan(flight.takeoff, flight.landing, color="#8fc1ff", alpha=0.3, lw=0)
    axes[0].set_title(_signal_title(result), fontsize=10, loc="left")
    axes[-1].set_xlabel("time (s)")
    return fig


def metrics_valgus(result: ExerciseResult) -> tuple[int, ...]:
    """Rep numbers the landing-knee check flagged (none where it was not judged)."""
    return tuple(result.metrics.get("knee_valgus", {}).get("reps", ()))


def _signal_title(result: ExerciseResult) -> str:
    what = {
        "split_jumps": "which foot is forward (+ left, - right); dots: counted reps, mid-air",
        "ankle_rotations": "the toe's turn around its loop, seen along the shin: each circle adds 360°; dots: counted circles",
    }.get(result.name, "lower foot height: it rises only in flight (shaded); dots: counted jumps")
    return f"{result.name.replace('_', ' ')}: {what}"


def _span(result: ExerciseResult, series: LandmarkSeries, margin_s: float = 1.0) -> tuple[float, float]:
    """The exercise's stretch of the clip, with a margin (the whole clip without reps)."""
    if not result.reps:
        return float(series.t[0]), float(series.t[-1])
    return result.reps[0].t - margin_s, result.reps[-1].t + margin_s


def per_rep_figure(result: ExerciseResult) -> Figure | None:
    """Each rep's numbers from ``result.metrics["per_rep"]`` as bars (None without any)."""
    rows = result.metrics.get("per_rep", [])
    panels = [key for key in _PANELS if any(row.get(key) is not None for row in rows)]
    if not panels:
        return None
    fig = Figure(figsize=(WIDTH_IN, 1.25 * len(panels) + 0.5), layout="constrained")
    axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
    numbers = np.arange(1, len(rows) + 1)
    colours = [SIDE_COLOUR[r.side if r.side in SIDE_COLOUR else None] for r in result.reps]
    for ax, key in zip(axes, panels):
        values = _values([row.get(key) for row in rows])
        ax.bar(numbers, values, color=colours, width=0.7)
        ax.set_ylabel(_PANELS[key], fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        if key == "knee_fppa_deg":
            ax.axhline(metrics.VALGUS_DEG, color=FLAG, ls="--", lw=1)
    axes[0].set_title("per rep (left blue, right red)", fontsize=10, loc="left")
    axes[-1].set_xlabel("rep")
    axes[-1].set_xticks(numbers)
    return fig


_PANELS = {
    "flight_time_s": "flight (s)",
    "ground_contact_s": "ground contact (s)",
    "height_cm": "jump height (cm)",
    "stance_leg": "stance length\n(leg lengths)",
    "knee_fppa_deg": "knee FPPA on\nlanding (°)",
    "range_deg": "circle range (°)",
}
"""Per-rep metrics drawn as bars, and their axis labels."""


def _values(values: Sequence[float | None]) -> npt.NDArray[np.float64]:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def key_frames_figure(frames: Sequence[tuple[npt.NDArray[np.uint8], str]]) -> Figure:
    """Video frames (RGB) side by side, each with its caption."""
    fig = Figure(figsize=(WIDTH_IN, 3.6), layout="constrained")
    axes = fig.subplots(1, len(frames), squeeze=False)[0]
    for ax, (image, caption) in zip(axes, frames):
        ax.imshow(image)
        ax.set_title(caption, fontsize=8)
        ax.axis("off")
    return fig
