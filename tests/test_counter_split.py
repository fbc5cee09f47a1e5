"""SplitJumpCounter: exact counts on the synthetic athlete from every view, through
MediaPipe-like trouble (leg-label swaps above all), zero on look-alikes, and once
through the real pose model on a rendered clip (slow)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_labels
from vision.counters.base import count
from vision.counters.split import SplitJumpCounter
from vision.result import ExerciseResult
from vision.series import LandmarkSeries
from vision.synth import noise
from vision.synth.camera import Camera
from vision.synth.fast import simulate
from vision.synth.labels import Labels
from vision.synth.motions import MotionSpec


@lru_cache(maxsize=16)
def split_set(
    view: str,
    angle: float,
    fps: int,
    reps: int,
    sets: int = 1,
    seed: int = 0,
    tempo: float = 1.0,
    amplitude: float = 1.0,
) -> tuple[LandmarkSeries, Labels]:
    spec = MotionSpec("split_jumps", reps=reps, sets=sets, seed=seed, tempo=tempo, amplitude=amplitude, rest_s=2.0)
    return simulate(spec, Camera.view(view, angle_deg=angle), fps=fps)


def assert_exact(result: ExerciseResult, labels: Labels, fps: float) -> None:
    """Same count, same details, same forward foot rep by rep, each rep at its flight."""
    truth = labels.exercises[0]
    assert (result.count, result.details) == (truth.count, truth.details), result.warnings
    assert [r.kind for r in result.reps] == [f"{r.side}_forward" for r in truth.reps]
    assert np.allclose([r.t for r in result.reps], [r.t for r in truth.reps], atol=max(0.1, 2.5 / fps))


def swap_frames(series: LandmarkSeries, frames: np.ndarray) -> LandmarkSeries:
    """The left and right legs' labels (hip to toe) swapped in ``frames``."""
    xy, world, vis = series.xy.copy(), series.world.copy(), series.visibility.copy()
    for a in (xy, world, vis):
        a[frames[:, None], noise.LEFT_LEG], a[frames[:, None], noise.RIGHT_LEG] = (
            a[frames[:, None], noise.RIGHT_LEG],
            a[frames[:, None], noise.LEFT_LEG],
        )
    return replace(series, xy=xy, world=world, visibility=vis)


def around_flights(labels: Labels, fps: float, half_s: float, n: int) -> np.ndarray:
    """Frames within ``half_s`` of every flight's top (clipped to ``n`` frames)."""
    k = round(half_s * fps)
    frames = {f for r in labels.exercises[0].reps for f in range(r.frame - k, r.frame + k + 1)}
    return np.array(sorted(f for f in frames if 0 <= f < n))


CASES = [
    ("front", 0.0, 30, 8, 1),
    ("oblique", 40.0, 25, 6, 2),
    ("oblique", -40.0, 60, 6, 1),
    ("side", 90.0, 25, 10, 1),
    ("side", -90.0, 30, 6, 2),
]


@pytest.mark.parametrize(("view", "angle", "fps", "reps", "sets"), CASES)
def test_counts_every_view_exactly(view: str, angle: float, fps: int, reps: int, sets: int) -> None:
    series, labels = split_set(view, angle, fps, reps, sets)
    assert_exact(count(SplitJumpCounter(fps), series), labels, fps)


@pytest.mark.parametrize(("view", "angle", "fps", "reps", "sets"), [CASES[1], CASES[3]])
def test_label_swaps_at_flights_and_whole_stances(view: str, angle: float, fps: int, reps: int, sets: int) -> None:
    """Labels swapped through every flight, and for every other whole stance (so the
    labels alone would say the same foot is always in front): still exact."""
    series, labels = split_set(view, angle, fps, reps, sets)
    at_flights = swap_frames(series, around_flights(labels, fps, 0.35, len(series)))
    assert_exact(count(SplitJumpCounter(fps), at_flights), labels, fps)
    tops = [r.frame for r in labels.exercises[0].reps]
    stances = np.concatenate([np.arange(a, b) for a, b in zip(tops[::2], tops[1::2])])
    assert_exact(count(SplitJumpCounter(fps), swap_frames(series, stances)), labels, fps)


@settings(max_examples=3, deadline=None, derandomize=True)
@given(
    view=st.sampled_from([("front", 0.0), ("oblique", 40.0), ("oblique", -40.0), ("side", 90.0)]),
    tempo=st.floats(0.8, 1.3),
    amplitude=st.floats(0.8, 1.3),
    sigma_px=st.floats(0.0, 3.0),
    drop_rate=st.floats(0.0, 0.02),
    swaps=st.integers(0, 8),
    seed=st.integers(0, 1000),
)
def test_property_exact_under_mediapipe_trouble(
    view: tuple[str, float], tempo: float, amplitude: float, sigma_px: float, drop_rate: float, swaps: int, seed: int
) -> None:
    """Tempo and size 0.8–1.3, jitter up to 3 px (feet 7.5 px, world 2.5 cm), up to 2 %
    of frames lost in gaps of at most 3 frames, up to 8 leg-label swaps of 1–6 frames."""
    series, labels = split_set(view[0], view[1], 25, 6, 1, seed, round(tempo, 2), round(amplitude, 2))
    rng = np.random.default_rng(seed)
    noisy = noise.jitter(series, rng, sigma_px=sigma_px, sigma_m=0.01 * sigma_px / 1.5)
    noisy = noise.swap_legs(noisy, rng, n=swaps, max_len=6)
    noisy = noise.dropout(noisy, rng, rate=drop_rate, max_gap=3)
    assert_exact(count(SplitJumpCounter(25), noisy), labels, 25)


def test_typical_mediapipe_day() -> None:
    series, labels = split_set(*CASES[0])
    assert_exact(count(SplitJumpCounter(30), noise.degrade(series, seed=3)), labels, 30)


@pytest.mark.parametrize(
    ("exercise", "view", "extra"),
    [
        ("two_leg_hops", "front", {}),
        ("standing", "oblique", {"duration_s": 5.0}),
        ("walking", "side", {}),
        ("jump_rope", "oblique", {"style": "alternate_foot", "duration_s": 6.0}),
        ("jump_rope", "front", {"style": "two_foot", "duration_s": 5.0}),
    ],
)
def test_look_alikes_count_nothing(exercise: str, view: str, extra: dict[str, object]) -> None:
    series, _ = simulate(MotionSpec(exercise, reps=8, seed=1, **extra), Camera.view(view), fps=25)  # type: ignore[arg-type]
    assert count(SplitJumpCounter(25), noise.degrade(series, seed=1)).count == 0


def test_streaming_equals_offline_within_latency() -> None:
    series, _ = split_set(*CASES[1])
    counter = SplitJumpCounter(series.fps)
    streamed = []
    for i in range(len(series)):
        for rep in counter.update(float(series.t[i]), series.frame(i)):
            assert series.t[i] - rep.t <= SplitJumpCounter.latency_s + 1e-9
            streamed.append(rep)
    streamed += counter.finish()
    assert tuple(streamed) == count(SplitJumpCounter(series.fps), series).reps == counter.result().reps


def test_empty_and_gaps_only() -> None:
    series, _ = split_set(*CASES[1])
    blank = noise.dropout(series, np.random.default_rng(0), rate=1.0, max_gap=1)
    result = count(SplitJumpCounter(25), blank)
    assert result.count == 0 and result.confidence == 0.0
    assert result.details == {"left_forward": 0, "right_forward": 0}


@pytest.mark.slow
def test_no_real_clip_counts_a_split_jump(real_series: Callable[[str], LandmarkSeries]) -> None:
    """No shared real clip holds a split jump (hops, jacks, rope, bounds, running, walking...): none may count one."""
    counts = {name: count(SplitJumpCounter(s.fps), s).count for name in shared_labels() for s in [real_series(name)]}
    assert sum(counts.values()) == 0, {k: v for k, v in counts.items() if v}


@pytest.mark.slow
def test_rendered_clip_through_mediapipe(tmp_path: Path) -> None:
    """4 split jumps rendered at 40°, 640x480, 30 fps, read back by the real pose model."""
    from vision.analyze import run_pose
    from vision.synth.clip import ClipSpec, render_clip

    clip = tmp_path / "split.mp4"
    labels = render_clip(
        ClipSpec(MotionSpec("split_jumps", reps=4, seed=5), view="oblique", angle_deg=40.0, fps=30), clip
    )
    series = run_pose(clip).series
    assert_exact(count(SplitJumpCounter(series.fps), series), labels, series.fps)
