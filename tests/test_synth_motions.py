"""Synthetic athlete motions and their labels: invariants checked on the true 3D motion (no rendering)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

if importlib.util.find_spec("mujoco") is None:
    pytest.skip("the synthetic athlete needs the synth extra (mujoco)", allow_module_level=True)

from vision import landmarks as lm  # noqa: E402
from vision.synth.camera import Camera  # noqa: E402
from vision.synth.fast import Trajectory, default_humanoid, leg_geometry, simulate, trace  # noqa: E402
from vision.synth.labels import find_flights, forward_foot, loop_area, toe_in_shin_plane  # noqa: E402
from vision.synth.motions import EXERCISES, NEGATIVES, MotionSpec, build_motion  # noqa: E402
from vision.synth.motions_jumps import rope_polyline  # noqa: E402
from vision.synth.noise import degrade, dropout, lag, swap_legs  # noqa: E402
from vision.synth.session import DEFAULT_SESSION, Session  # noqa: E402

FPS = 30.0
VIEWS = [Camera.view("front"), Camera.view("oblique", 40.0), Camera.view("oblique", -40.0), Camera.view("side")]


def traced(spec: MotionSpec) -> Trajectory:
    body = default_humanoid()
    return trace(build_motion(spec, leg_geometry(body)), body, FPS)


def turns_about_centre(points: np.ndarray) -> float:
    """Signed number of turns of a 2D path about the centre of its bounding box."""
    p = points - 0.5 * (points.min(axis=0) + points.max(axis=0))
    angle = np.unwrap(np.arctan2(p[:, 1], p[:, 0]))
    return float((angle[-1] - angle[0]) / (2 * np.pi))


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("direction", ["cw", "ccw"])
def test_ankle_rotation_count_and_direction(side: str, direction: str) -> None:
    spec = MotionSpec("ankle_rotations", reps=4, side=side, direction=direction, seed=5)
    traj = traced(spec)
    labels = traj.labels()
    (ex,) = labels.exercises
    assert ex.count == 4
    assert ex.details[f"{side}_{direction}"] == 4 and sum(ex.details.values()) == 4
    assert all(r.side == side and r.direction == direction for r in ex.reps)
    # Each rep is a full 360° of the toe about its loop's centre, in the plane across the shin.
    done = [r.frame for r in ex.reps]
    for a, b in zip(done[:-1], done[1:]):
        one = toe_in_shin_plane(traj.landmarks[a : b + 1], side)
        assert abs(turns_about_centre(one)) == pytest.approx(1.0, abs=0.12)
        assert (loop_area(one) > 0) == (direction == "cw")


@pytest.mark.parametrize("camera", VIEWS, ids=["front", "oblique40", "oblique-40", "side"])
@pytest.mark.parametrize("side,direction", [("left", "cw"), ("left", "ccw"), ("right", "cw"), ("right", "ccw")])
def test_rotation_sign_holds_in_camera_axes(camera: Camera, side: str, direction: str) -> None:
    """The loop's area sign from MediaPipe-style (hip-centred, camera-axes) landmarks is the athlete's."""
    series, labels = simulate(MotionSpec("ankle_rotations", reps=3, side=side, direction=direction, seed=1), camera)
    reps = labels.exercises[0].reps
    loop = toe_in_shin_plane(series.world[reps[0].frame : reps[-1].frame + 1].astype(np.float64), side)
    assert (loop_area(loop - loop.mean(axis=0)) > 0) == (direction == "cw")


def test_split_jumps_swap_the_forward_foot_every_jump() -> None:
    traj = traced(MotionSpec("split_jumps", reps=6, seed=2))
    flights = find_flights(traj.feet)
    assert len(flights) == 6
    for f in flights:
        assert forward_foot(traj.landmarks[f.first - 1]) != forward_foot(traj.landmarks[f.last + 1])
    (ex,) = traj.labels().exercises
    assert ex.count == 6 and ex.details == {"left_forward": 3, "right_forward": 3}
    assert [r.side for r in ex.reps] == ["right", "left"] * 3


def test_split_stance_rests_on_both_feet() -> None:
    traj = traced(MotionSpec("split_jumps", reps=2, seed=2))
    first = find_flights(traj.feet)[0].first
    stance = traj.feet[first - 8 : first - 2]  # the lunge before the first jump
    assert np.all(stance.max(axis=1) < 0.015), "the rear toes touch the floor in the lunge"


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("style", ["behind", "front"])
def test_single_leg_hops_never_put_the_other_foot_down(side: str, style: str) -> None:
    traj = traced(MotionSpec("single_leg_hops", reps=8, side=side, style=style, seed=3))
    flights = find_flights(traj.feet)
    free = traj.feet[flights[0].first - 5 : flights[-1].last + 6, ["left", "right"].index(side) ^ 1]
    assert free.min() > 0.03
    (ex,) = traj.labels().exercises
    assert ex.count == 8 and ex.details == {side: 8, ("right" if side == "left" else "left"): 0}


@pytest.mark.parametrize(
    "spec",
    [
        MotionSpec("two_leg_hops", reps=7),
        MotionSpec("single_leg_hops", reps=5, sets=2, side="both", rest_s=1.0),
        MotionSpec("jump_rope", reps=15, style="two_foot"),
        MotionSpec("jump_rope", reps=14, style="alternate_foot"),
        MotionSpec("jump_rope", reps=25, style="single_leg_alternating", switch_every_s=3.0),
        MotionSpec("split_jumps", reps=5, sets=2, rest_s=1.0),
        MotionSpec("ankle_rotations", reps=5, side="right", direction="ccw"),
    ],
    ids=lambda s: f"{s.exercise}-{s.style or s.side}",
)
def test_label_count_equals_requested_reps(spec: MotionSpec) -> None:
    _, labels = simulate(spec)
    (ex,) = labels.exercises
    assert ex.count == spec.reps * spec.sets
    assert list(ex.sets) == [spec.reps] * spec.sets
    if spec.exercise == "jump_rope":
        assert ex.details["style"] == spec.style
    times = [r.t for r in ex.reps]
    assert times == sorted(times) and ex.start_s <= times[0] and times[-1] <= ex.end_s


def test_rope_styles_land_on_the_right_feet() -> None:
    _, alt = simulate(MotionSpec("jump_rope", reps=12, style="alternate_foot", side="right"))
    assert [r.side for r in alt.exercises[0].reps] == ["right", "left"] * 6
    _, single = simulate(MotionSpec("jump_rope", duration_s=12.0, style="single_leg_alternating", switch_every_s=5.0))
    sides = [r.side for r in single.exercises[0].reps]
    switches = sum(a != b for a, b in zip(sides, sides[1:]))
    assert sides[0] == "left" and 1 <= switches <= 3 and "both" not in sides


@pytest.mark.parametrize("name", NEGATIVES)
def test_negatives_count_nothing(name: str) -> None:
    traj = traced(MotionSpec(name, reps=4))
    assert find_flights(traj.feet) == []
    assert traj.labels().exercises == ()


@settings(max_examples=8, deadline=None)
@given(tempo=st.floats(0.7, 1.4), amplitude=st.floats(0.8, 1.3), seed=st.integers(0, 1000))
def test_hops_count_over_tempo_and_amplitude(tempo: float, amplitude: float, seed: int) -> None:
    spec = MotionSpec("two_leg_hops", reps=6, tempo=tempo, amplitude=amplitude, seed=seed)
    traj = traced(spec)
    assert traj.labels().exercises[0].count == 6
    heights = [traj.feet[f.apex].min() for f in find_flights(traj.feet)]
    assert 0.1 * amplitude <= min(heights) and max(heights) <= 0.2 * amplitude


@settings(max_examples=6, deadline=None)
@given(tempo=st.floats(0.7, 1.4), amplitude=st.floats(0.7, 1.4), seed=st.integers(0, 1000))
def test_rotations_count_over_tempo_and_amplitude(tempo: float, amplitude: float, seed: int) -> None:
    spec = MotionSpec("ankle_rotations", reps=3, tempo=tempo, amplitude=amplitude, seed=seed, direction="ccw")
    (ex,) = traced(spec).labels().exercises
    assert ex.count == 3 and ex.details["left_ccw"] == 3


def test_same_seed_same_motion_other_seed_other_motion() -> None:
    a, b = traced(MotionSpec("jump_rope", reps=6, seed=7)), traced(MotionSpec("jump_rope", reps=6, seed=7))
    c = traced(MotionSpec("jump_rope", reps=6, seed=8))
    assert np.array_equal(a.landmarks, b.landmarks)
    assert len(a.t) != len(c.t) or not np.allclose(a.landmarks, c.landmarks)


def test_rope_skims_the_floor_under_the_feet() -> None:
    hands = np.array([0.3, -0.1, 0.9]), np.array([-0.3, -0.1, 0.9])
    rope = rope_polyline(*hands, np.pi)
    assert rope[0] == pytest.approx(hands[0]) and rope[-1] == pytest.approx(hands[1])
    assert rope[:, 2].min() == pytest.approx(0.01, abs=0.005)
    assert rope_polyline(*hands, np.pi / 2)[:, 1].min() < -0.8  # in front (the athlete faces -y)


def test_every_exercise_has_a_generator() -> None:
    for name in EXERCISES + NEGATIVES:
        assert build_motion(MotionSpec(name, reps=2)).duration_s > 1.0


def test_session_labels_each_item() -> None:
    motion = DEFAULT_SESSION.build(leg_geometry(default_humanoid()))
    _, labels = simulate(motion)
    expected = [(i.exercise, i.reps * i.sets) for i in DEFAULT_SESSION.resolved()]
    assert [(e.name, e.count) for e in labels.exercises] == expected
    assert labels.segments[0].exercise == "walking"


def test_session_items_from_config_dicts_draw_ranges() -> None:
    session = Session(({"exercise": "two_leg_hops", "reps": {"min": 3, "max": 6}, "sets": 2, "rest_s": 1},), seed=4)
    (item,) = session.resolved()
    assert 3 <= item.reps <= 6 and item.sets == 2
    _, labels = simulate(session.build(leg_geometry(default_humanoid())))
    assert labels.exercises[0].count == 2 * item.reps


def test_fast_series_matches_the_camera() -> None:
    camera = Camera.view("oblique", 40.0)
    series, _ = simulate(MotionSpec("two_leg_hops", reps=3), camera)
    assert series.resolution_wh == (640, 480) and series.fps == FPS
    assert np.all(np.isfinite(series.xy)) and np.all((series.visibility >= 0.9) & (series.visibility <= 1.0))
    hips = 0.5 * (series.world[:, lm.idx("left_hip")] + series.world[:, lm.idx("right_hip")])
    assert np.abs(hips).max() < 1e-5
    feet_below = series.world[:, lm.idx("left_ankle"), 1] > 0.5  # y is down in camera axes
    assert feet_below.all()


def test_noise_is_seeded_and_keeps_the_contract() -> None:
    series, _ = simulate(MotionSpec("split_jumps", reps=3), Camera.view("oblique", 40.0))
    a, b = degrade(series, seed=3), degrade(series, seed=3)
    assert np.array_equal(a.xy, b.xy, equal_nan=True) and a.xy.shape == series.xy.shape
    gaps = dropout(series, np.random.default_rng(0), rate=0.1)
    assert (~gaps.detected).sum() > 0 and np.all(gaps.visibility[~gaps.detected] == 0)
    swapped = swap_legs(series, np.random.default_rng(0), n=2, max_len=3)
    changed = np.flatnonzero(np.any(swapped.xy != series.xy, axis=(1, 2)))
    i = changed[0]
    assert np.array_equal(swapped.xy[i, lm.idx("left_ankle")], series.xy[i, lm.idx("right_ankle")])
    smooth = lag(series, alpha=0.5)
    assert (
        np.abs(np.diff(smooth.xy[:, lm.idx("left_ankle"), 1])).max()
        < np.abs(np.diff(series.xy[:, lm.idx("left_ankle"), 1])).max()
    )


@pytest.mark.parametrize(
    "spec",
    [
        MotionSpec("two_leg_hops", reps=6, seed=9),
        MotionSpec("jump_rope", reps=12, style="alternate_foot", seed=9),
        MotionSpec("split_jumps", reps=4, sets=2, rest_s=1.0, seed=9),
        MotionSpec("single_leg_hops", reps=5, side="right", seed=9),
    ],
    ids=lambda s: f"{s.exercise}-{s.style or s.side}",
)
def test_measured_flights_are_the_planned_ones(spec: MotionSpec) -> None:
    """The labeller, reading only the 3D motion, finds each flight the generator meant, at its apex."""
    traj = traced(spec)
    planned = [t for s in traj.segments for t in s.planned]
    measured = [traj.t[f.apex] for f in find_flights(traj.feet)]
    assert len(measured) == len(planned) == spec.reps * spec.sets
    assert np.abs(np.subtract(measured, planned)).max() <= 1.01 / FPS


@pytest.mark.parametrize("direction", ["cw", "ccw"])
def test_measured_circles_complete_when_planned(direction: str) -> None:
    traj = traced(MotionSpec("ankle_rotations", reps=5, direction=direction, tempo=1.3, seed=4))
    planned = traj.segments[0].planned
    measured = [r.t for r in traj.labels().exercises[0].reps]
    assert len(measured) == len(planned) == 5
    assert np.abs(np.subtract(measured, planned)).max() <= 2.01 / FPS
