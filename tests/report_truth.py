"""The true flights of a synthetic clip, and its result, for the report's tests.

The synthetic athlete's lowest foot point follows an exact parabola in each flight
(`vision.synth.flight.HopTrack.height`), so a quadratic through the airborne frames of the
true foot heights gives takeoff and landing to the microsecond, and its top the height.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from vision.analyze import count_series
from vision.report.metrics import with_metrics
from vision.result import AnalysisResult
from vision.series import LandmarkSeries
from vision.synth.camera import Camera
from vision.synth.fast import Trajectory, default_humanoid, leg_geometry, to_series, trace
from vision.synth.labels import find_flights
from vision.synth.motions import MotionSpec, build_motion


@dataclass(frozen=True)
class TrueFlight:
    takeoff: float
    landing: float
    height_m: float

    @property
    def apex(self) -> float:
        return 0.5 * (self.takeoff + self.landing)

    @property
    def duration(self) -> float:
        return self.landing - self.takeoff


def true_flights(traj: Trajectory) -> list[TrueFlight]:
    """Every flight of a traced motion, from a parabola through its airborne frames."""
    out = []
    for f in find_flights(traj.feet):
        t, h = traj.t[f.first : f.last + 1], np.min(traj.feet[f.first : f.last + 1], axis=1)
        a, b, c = np.polyfit(t, h, 2)
        roots = np.sort(np.roots([a, b, c]).real)
        out.append(TrueFlight(float(roots[0]), float(roots[1]), float(c - b * b / (4 * a))))
    return out


def leg_m() -> float:
    """The standard synthetic athlete's leg length (thigh + shank), metres."""
    geo = leg_geometry(default_humanoid())
    return geo.thigh + geo.shank


def traced(spec: MotionSpec, camera: Camera, fps: float = 30.0) -> tuple[LandmarkSeries, Trajectory]:
    """A spec as a perfect landmark series, with the trajectory it was projected from."""
    humanoid = default_humanoid()
    traj = trace(build_motion(spec, leg_geometry(humanoid)), humanoid, fps)
    return to_series(traj, camera, spec.seed), traj


def nearest(flights: list[TrueFlight], t: float) -> TrueFlight:
    """The true flight whose apex is nearest to time ``t``."""
    return min(flights, key=lambda f: abs(f.apex - t))


def as_array(values: list[float | None]) -> npt.NDArray[np.float64]:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def synthetic_result(series: LandmarkSeries, exercise: str, routine: dict[str, Any] | None = None) -> AnalysisResult:
    """What `vision.analyze` would return for a synthetic series (counts and metrics)."""
    exercises = tuple(with_metrics(series, r) for r in count_series(series, (exercise,)))
    return AnalysisResult("synthetic.mp4", series.fps, len(series), series.duration_s, 1.0, exercises, routine=routine)
