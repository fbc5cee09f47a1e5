"""Ankle rotations on landmark series: the synthetic athlete (exact labels) and real clips.

Supported in fast mode (the synthetic athlete's exact landmarks): either foot, either
direction, from the front, 40° either side and the side; tempo 0.7-1.4, circle size
0.7-1.3, foot jitter up to ~1.9 px on a 36 px foot (``sigma_px`` 0.75 x 2.5) and 1.25 cm
of depth, 2 % of frames lost in gaps of up to 4 frames, a few leg swaps of up to 5 frames.
Look-alikes (standing, shifting weight, calf raises, walking) count nothing. A loop with
no depth at all, squashed to 0.4 in the image (what MediaPipe shows from the front), counts.
The real clip (loose circles, front view) counts 4 of 4 clockwise.

Not yet supported (measured, see the xfail test): the rendered athlete's circles through
MediaPipe at 640x480, whose toe loop is thin and ragged (front 3 of 4, 40° and side mostly
missed).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import shared_labels
from vision.counters.ankle import EXPERIMENTAL, AnkleRotationCounter, FootLoop
from vision.counters.base import count
from vision.result import ExerciseResult
from vision.series import LandmarkSeries
from vision.synth import noise
from vision.synth.camera import Camera
from vision.synth.fast import Trajectory, default_humanoid, leg_geometry, simulate, to_series, trace
from vision.synth.labels import ExerciseLabel
from vision.synth.motions import MotionSpec, build_motion

VIEWS = [("front", None), ("oblique", 40.0), ("oblique", -40.0), ("side", None)]


@lru_cache(maxsize=8)
def circling(side: str, direction: str) -> tuple[Trajectory, ExerciseLabel]:
    """Four circles of one foot one way, traced once and seen from every camera."""
    humanoid = default_humanoid()
    spec = MotionSpec("ankle_rotations", reps=4, side=side, direction=direction, seed=2)
    traj = trace(build_motion(spec, leg_geometry(humanoid)), humanoid, 30.0)
    return traj, traj.labels().exercises[0]


def counted(series: LandmarkSeries) -> ExerciseResult:
    return count(AnkleRotationCounter(series.fps), series)


def nonzero(details: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in details.items() if v}


@pytest.mark.parametrize("view,angle", VIEWS)
@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("direction", ["cw", "ccw"])
def test_every_foot_direction_and_view_exact(view: str, angle: float | None, side: str, direction: str) -> None:
    traj, truth = circling(side, direction)
    result = counted(to_series(traj, Camera.view(view, angle)))
    assert truth.details[f"{side}_{direction}"] == 4
    assert result.details == truth.details
    assert all(r.side == side and r.kind == direction for r in result.reps)
    assert result.confidence > 0.9 and result.warnings[0] == EXPERIMENTAL
    small, *rest = result.warnings[1:]  # fast mode draws the athlete at 640x480, legs ~150 px long
    assert "px long in the picture" in small
    assert all("across the view" in w for w in rest)  # the side, and a foot turned away at 40°
    assert 1.0 < result.metrics["mean_period_s"] < 2.0


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    tempo=st.floats(0.7, 1.4),
    amplitude=st.floats(0.7, 1.3),
    view=st.sampled_from(VIEWS),
    side=st.sampled_from(["left", "right"]),
    direction=st.sampled_from(["cw", "ccw"]),
    seed=st.integers(0, 1000),
)
def test_tempo_and_size_with_swaps_and_gaps(
    tempo: float, amplitude: float, view: tuple[str, float | None], side: str, direction: str, seed: int
) -> None:
    spec = MotionSpec(
        "ankle_rotations", reps=4, side=side, direction=direction, tempo=tempo, amplitude=amplitude, seed=seed
    )
    series, labels = simulate(spec, Camera.view(*view))
    rng = np.random.default_rng(seed)
    series = noise.dropout(noise.swap_legs(series, rng, n=2, max_len=5), rng, rate=0.02, max_gap=4)
    assert counted(series).details == labels.exercises[0].details


@pytest.mark.parametrize("view,angle", VIEWS)
@pytest.mark.parametrize("seed", [0, 1])
def test_jitter_on_typical_circles(view: str, angle: float | None, seed: int) -> None:
    """Foot jitter of ~1.9 px on a 36 px foot and 1.25 cm in depth, with swaps and gaps.

    Measured limit: with this jitter, circles at 0.7-0.85x the typical size are sometimes
    undercounted by one (never overcounted, never in the wrong direction).
    """
    side, direction = ("left", "cw") if seed == 0 else ("right", "ccw")
    spec = MotionSpec("ankle_rotations", reps=5, side=side, direction=direction, seed=seed)
    series, labels = simulate(spec, Camera.view(view, angle))
    rng = np.random.default_rng(seed + 100)
    series = noise.jitter(series, rng, sigma_px=0.75, sigma_m=0.005)
    series = noise.dropout(noise.swap_legs(series, rng, n=2, max_len=5), rng, rate=0.02, max_gap=4)
    assert counted(series).details == labels.exercises[0].details


@pytest.mark.parametrize("view,angle", VIEWS)
def test_short_swaps_and_gaps_change_nothing(view: str, angle: float | None) -> None:
    series, labels = simulate(
        MotionSpec("ankle_rotations", reps=4, side="left", direction="ccw", seed=5), Camera.view(view, angle)
    )
    rng = np.random.default_rng(1)
    series = noise.dropout(noise.swap_legs(series, rng, n=3, max_len=5), rng, rate=0.03, max_gap=4)
    assert counted(series).details == labels.exercises[0].details


@pytest.mark.parametrize("exercise", ["standing", "weight_shift", "heel_raise", "walking"])
@pytest.mark.parametrize("view,angle", [("front", None), ("oblique", 40.0), ("side", None)])
def test_look_alikes_count_nothing(exercise: str, view: str, angle: float | None) -> None:
    series, _ = simulate(MotionSpec(exercise, reps=3, seed=4), Camera.view(view, angle))
    noisy = noise.jitter(series, np.random.default_rng(0), sigma_px=0.75, sigma_m=0.005)
    assert counted(series).count == 0
    assert counted(noisy).count == 0


def test_planted_foot_counts_nothing_under_jitter() -> None:
    series, _ = simulate(
        MotionSpec("ankle_rotations", reps=5, side="right", direction="cw", seed=6), Camera.view("front")
    )
    for seed in range(3):
        noisy = noise.jitter(series, np.random.default_rng(seed), sigma_px=0.75, sigma_m=0.005)
        details = counted(noisy).details
        assert details["left_cw"] == details["left_ccw"] == 0


def test_streaming_equals_offline_and_latency_is_bounded() -> None:
    series, _ = simulate(
        MotionSpec("ankle_rotations", reps=3, side="left", direction="cw", seed=7), Camera.view("oblique")
    )
    offline = counted(series)
    live = AnkleRotationCounter(series.fps)
    reps = []
    for i in range(len(series)):
        for rep in live.update(float(series.t[i]), series.frame(i)):
            assert series.t[i] - rep.t <= live.latency_s + 0.05  # reported within its look-ahead
            reps.append(rep)
    reps += live.finish()
    assert tuple(reps) == offline.reps == live.result().reps
    assert live.result().details == offline.details


def test_long_gap_ends_the_turn_without_inventing_one() -> None:
    series, _ = simulate(
        MotionSpec("ankle_rotations", reps=4, side="right", direction="ccw", seed=8), Camera.view("front")
    )
    xy, world, vis = series.xy.copy(), series.world.copy(), series.visibility.copy()
    mid = len(series) // 2
    xy[mid : mid + 30], world[mid : mid + 30], vis[mid : mid + 30] = np.nan, np.nan, 0.0
    gapped = LandmarkSeries(series.t, xy, world, vis, series.resolution_wh, series.fps)
    result = counted(gapped)
    assert result.details["right_ccw"] in (2, 3)  # the circle cut by a 1 s gap is lost, not doubled
    assert result.details["right_cw"] == 0
    assert result.confidence < counted(series).confidence


def test_invisible_feet_lower_confidence_and_warn() -> None:
    series, _ = simulate(MotionSpec("ankle_rotations", reps=2, seed=9), Camera.view("front"))
    dim = LandmarkSeries(series.t, series.xy, series.world, series.visibility * 0.3, series.resolution_wh, series.fps)
    result = counted(dim)
    assert result.confidence < 0.5
    assert any("not seen clearly" in w for w in result.warnings)


def flat_loops(sense: float, aspect: float, circles: int = 5) -> list[tuple[float, str]]:
    """A FootLoop fed what MediaPipe shows of circles seen from the front: the toe's loop
    squashed to ``aspect`` in the image and no depth at all (z constant)."""
    loop = FootLoop("right")
    centre = np.array([0.0, 0.10, -0.15])  # foot pointing down and towards the camera
    shin = np.array([0.0, 1.0, 0.0])
    found = []
    for t in np.arange(0, 1.2 * circles + 2.0, 1 / 30):
        phase = sense * 2 * np.pi * np.clip(t - 1.0, 0, 1.2 * circles) / 1.2
        r = centre + 0.04 * np.array([np.cos(phase), aspect * np.sin(phase), 0.0])
        found += loop.update(float(t), r, shin)
    return [(c.t, c.kind) for c in found + loop.flush()]


@pytest.mark.parametrize("aspect", [1.0, 0.4])
def test_a_depth_flattened_loop_counts_by_its_image(aspect: float) -> None:
    """Through MediaPipe the depth is flat and the loop squashed: read in the image, whitened,
    it still counts every circle, the sense following the image's turn and the foot's facing."""
    ccw, cw = flat_loops(1.0, aspect), flat_loops(-1.0, aspect)
    assert [k for _, k in ccw] == ["ccw"] * 5 and [k for _, k in cw] == ["cw"] * 5
    assert np.allclose(np.diff([t for t, _ in ccw]), 1.2, atol=0.1)


def test_a_line_is_not_a_circle() -> None:
    """A toe rocking up and down along one line (ankle rocks) sweeps no loop."""
    loop = FootLoop("left")
    t = np.arange(0, 8, 1 / 30)
    circles = []
    for ti in t:
        r = np.array([0.0, 0.1 + 0.04 * np.cos(2 * np.pi * ti / 1.4), 0.12 + 0.04 * np.cos(2 * np.pi * ti / 1.4)])
        circles += loop.update(float(ti), r, np.array([0.0, 0.0, 1.0]))
    circles += loop.flush()
    assert circles == []


@pytest.mark.slow
@pytest.mark.parametrize("clip", ["anklerocks-legsonly_ndnam_1.mp4", "negative-running_lilskyex0x_1.mp4"])
def test_real_look_alikes_count_nothing(clip: str, real_series: Callable[[str], LandmarkSeries]) -> None:
    """Rocking feet sweep no area; a runner's heel kick loops, but the other foot is not planted."""
    assert counted(real_series(clip)).count == shared_labels()[clip]["count"] == 0


@pytest.mark.slow
def test_real_ankle_circles(real_series: Callable[[str], LandmarkSeries]) -> None:
    labels = shared_labels()["anklecircles_ndnam_1.mp4"]
    result = counted(real_series("anklecircles_ndnam_1.mp4"))
    assert abs(result.count - labels["count"]) <= labels["tolerance"]
    assert result.details["right_cw"] >= labels["count"] - labels["tolerance"]


@pytest.mark.slow
@pytest.mark.xfail(reason="the rendered toe's loop through MediaPipe is thin and ragged: most circles missed", strict=False)
@pytest.mark.parametrize("view,side,direction", [("front", "right", "cw"), ("side", "left", "ccw")])
def test_rendered_circles_through_mediapipe(tmp_path: Path, view: str, side: str, direction: str) -> None:
    os.environ.setdefault("MUJOCO_GL", "egl")
    from vision.analyze import run_pose
    from vision.synth.clip import ClipSpec, render_clip

    clip = tmp_path / "circles.mp4"
    spec = ClipSpec(MotionSpec("ankle_rotations", reps=3, side=side, direction=direction, seed=1), view=view)
    labels = render_clip(spec, clip, npz=False)
    result = counted(run_pose(clip).series)
    assert result.details == labels.exercises[0].details
