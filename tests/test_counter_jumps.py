"""Jump counters on landmark series: the synthetic athlete (exact labels) and recorded real series.

Supported (README, "Accuracy", the table of ranges): at 0.7-1.4x the typical tempo, from the
front, 40° either side and the side, at 25-60 fps, with MediaPipe-like lag, jitter, dropouts and
short left/right swaps (`noise.degrade`): two-leg hops of 12-22 cm (noise level up to 0.6),
single-leg hops of 10-18 cm with the hopping foot (up to 0.15), two-foot rope of 6-10 cm (up to
0.3); alternate-foot rope with each landing's foot at the typical tempo and size from every view
at 30 and 60 fps. Look-alikes (standing, shifting weight, walking, calf raises) count no two-leg hops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import shared_labels
from vision import counters
from vision import landmarks as lm
from vision.counters.base import count
from vision.series import LandmarkSeries
from vision.synth import noise
from vision.synth.camera import Camera
from vision.synth.fast import simulate
from vision.synth.motions import MotionSpec

VIEWS = [("front", None), ("oblique", 40.0), ("oblique", -40.0), ("side", None)]
NOISE_LEVEL = 0.6
"""MediaPipe-like trouble (`noise.degrade`) the counts must survive exactly: foot jitter of
~2 px on a 200 px leg, lag, a leg swap of a few frames, 1 % of frames lost."""


def counted(name: str, series: LandmarkSeries) -> int:
    return count(counters.get_counter(name, series.fps), series).count


@pytest.mark.parametrize("view,angle", VIEWS)
@pytest.mark.parametrize("fps", [25, 30, 60])
def test_two_leg_hops_exact_from_every_view(view: str, angle: float | None, fps: int) -> None:
    series, labels = simulate(MotionSpec("two_leg_hops", reps=12, seed=3), Camera.view(view, angle), fps=fps)
    assert counted("two_leg_hops", series) == labels.exercises[0].count == 12


WALKING_IN = pytest.mark.xfail(
    reason="walking straight at the camera still makes a flight or two (issue 5)", strict=False
)
"""From 40° and from the side the walker makes no flight: the hips must rise in the image itself,
not only in leg lengths, whose running median moves in steps as the walker grows in the picture."""


@pytest.mark.parametrize(
    "negative,view,angle",
    [(n, v, a) for n in ("standing", "weight_shift", "heel_raise") for v, a in VIEWS]
    + [pytest.param("walking", v, a, marks=[WALKING_IN] if v == "front" else []) for v, a in VIEWS],
)
def test_look_alikes_make_no_two_leg_hops(negative: str, view: str, angle: float | None) -> None:
    spec = MotionSpec(negative, reps=8, duration_s=8.0 if negative == "standing" else None, seed=5)
    series, _ = simulate(spec, Camera.view(view, angle), fps=30)
    assert counted("two_leg_hops", noise.degrade(series, seed=5, level=NOISE_LEVEL)) == 0


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("view,angle", VIEWS)
def test_single_leg_hops_count_and_foot(side: str, view: str, angle: float | None) -> None:
    series, labels = simulate(
        MotionSpec("single_leg_hops", reps=10, side=side, seed=7), Camera.view(view, angle), fps=30
    )
    result = count(counters.get_counter("single_leg_hops", series.fps), series)
    assert result.count == labels.exercises[0].count == 10
    assert result.details[side] == 10


SUPPORTED = [
    pytest.param("two_leg_hops", "", (4, 16), (0.8, 1.5), NOISE_LEVEL, id="two_leg_hops_12-22cm"),
    pytest.param("single_leg_hops", "", (6, 16), (0.8, 1.5), 0.15, id="single_leg_hops_10-18cm"),
    pytest.param("jump_rope", "two_foot", (6, 16), (1.2, 2.0), 0.3, id="two_foot_rope_6-10cm"),
    pytest.param("jump_rope", "alternate_foot", (6, 16), (0.8, 1.5), 0.15, id="alternate_foot_rope_3-5cm"),
]
"""The README's supported ranges: exercise, rope style, reps, amplitude (of the typical 15, 12 and
5 cm) and the most MediaPipe-like trouble (`noise.degrade` level) inside which the count and its
details are exact. Measured outside: single-leg hops at level 0.3 are off by one in one count of
30; 5-6 cm rope is off now and then even at level 0.15 (hypothesis found 8 of 9 at 5 cm, tempo
1.23, 25 fps, front, level 0.125; random sweeps: 1 in 40 at level 0.3), and 4-5 cm rope in one of 5."""


@pytest.mark.parametrize(("exercise", "style", "reps", "amplitude", "level"), SUPPORTED)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_exact_under_mediapipe_like_noise(
    exercise: str, style: str, reps: tuple[int, int], amplitude: tuple[float, float], level: float,
    data: st.DataObject,
) -> None:  # fmt: skip
    """Any tempo (0.7-1.4), view and frame rate (25-60 fps) within the exercise's supported range:
    the count, and the hopping foot or the rope's style, exact."""
    n = data.draw(st.integers(*reps), label="reps")
    seed = data.draw(st.integers(0, 10_000), label="seed")
    spec = MotionSpec(
        exercise, reps=n, style=style, side=data.draw(st.sampled_from(lm.SIDES), label="side"), seed=seed,
        tempo=data.draw(st.floats(0.7, 1.4), label="tempo"), amplitude=data.draw(st.floats(*amplitude), label="amplitude"),
    )  # fmt: skip
    fps = data.draw(st.sampled_from([25, 30, 60]), label="fps")
    series, labels = simulate(spec, Camera.view(*data.draw(st.sampled_from(VIEWS), label="view")), fps=fps)
    noisy = noise.degrade(series, seed=seed, level=data.draw(st.floats(0.0, level), label="level"))
    result = count(counters.get_counter(exercise, fps), noisy)
    assert result.count == labels.exercises[0].count == n
    assert result.details == labels.exercises[0].details


@pytest.mark.parametrize("view,angle", [("front", None), ("oblique", 40.0)])
def test_two_foot_rope_bounces(view: str, angle: float | None) -> None:
    series, labels = simulate(
        MotionSpec("jump_rope", reps=20, style="two_foot", seed=2), Camera.view(view, angle), fps=30
    )
    result = count(counters.get_counter("jump_rope", series.fps), series)
    assert result.count == labels.exercises[0].count
    assert result.details["style"] == "two_foot"


def test_streaming_gives_the_reps_as_they_happen() -> None:
    """Reps come out of `update` at most `latency_s` after they happen, and in order."""
    series, labels = simulate(MotionSpec("two_leg_hops", reps=8, seed=4), Camera.view("front"), fps=30)
    counter = counters.get_counter("two_leg_hops", series.fps)
    delays = []
    for i in range(len(series)):
        for rep in counter.update(float(series.t[i]), series.frame(i)):
            delays.append(series.t[i] - rep.t)
    assert len(delays) == 8
    assert 0 <= min(delays) and max(delays) <= counter.latency_s + 1e-6
    offline = count(counters.get_counter("two_leg_hops", series.fps), series)
    assert [r.t for r in offline.reps] == [r.t for r in counter.result().reps]


def test_a_gap_in_the_landmarks_does_not_invent_a_jump() -> None:
    series, labels = simulate(MotionSpec("standing", duration_s=6.0, seed=1), Camera.view("front"), fps=30)
    gappy = noise.dropout(series, np.random.default_rng(0), rate=0.2, max_gap=12)
    assert counted("two_leg_hops", gappy) == 0
    assert counted("jump_rope", gappy) == 0


def leg_in_picture(series: LandmarkSeries) -> float:
    """The athlete's hip-to-ankle height in the picture over the series (pixels), to move landmarks by."""
    hip, ankle = lm.side_idx("left", "hip"), lm.side_idx("left", "ankle")
    return float(np.median(series.xy[:, ankle, 1] - series.xy[:, hip, 1]))


def bump(dt: np.ndarray, width_s: float) -> np.ndarray:
    """A smooth bump of height 1 and ``width_s`` wide, centred on ``dt = 0``."""
    return np.clip(1 - (dt / (width_s / 2)) ** 2, 0, None)


def lift_feet(series: LandmarkSeries, times: list[float], height: float = 0.3, hold_s: float = 0.3) -> LandmarkSeries:
    """A copy of ``series`` in which a foot (left, right, left, ...) is lifted ``height`` leg
    lengths at each of ``times`` for ``hold_s``, on a smooth bump, the body otherwise unchanged:
    the steps of alternate-foot skipping when they come in a run, a leg lifted now and then
    when they do not."""
    xy, world = series.xy.copy(), series.world.copy()
    hip, ankle = lm.side_idx("left", "hip"), lm.side_idx("left", "ankle")
    leg_m, scale = float(np.median(world[:, ankle, 1] - world[:, hip, 1])), leg_in_picture(series)
    for i, t0 in enumerate(times):
        side = lm.SIDES[i % 2]
        lift = bump(series.t - t0, hold_s) * height
        foot = [lm.side_idx(side, part) for part in lm.FOOT_PARTS]
        xy[:, foot, 1] -= (lift * scale)[:, None]
        world[:, foot, 1] -= (lift * leg_m)[:, None]
    return replace(series, xy=xy, world=world)


@pytest.mark.parametrize(
    ("times", "steps"),
    [
        ([2.0], 0),  # one leg lifted while standing
        ([2.0, 2.4], 0),  # a step and back: turning away, putting the rope down
        ([2.0, 4.5], 0),  # lifts far apart
        ([2.0, 2.35, 2.7, 3.05, 3.4, 3.75], 6),  # a run of alternate-foot steps, all counted
    ],
)
def test_alternate_foot_steps_count_in_a_run_only(times: list[float], steps: int) -> None:
    """A step counts as a rope jump only in a run of `MIN_STEPS`, however high the foot goes."""
    standing, _ = simulate(MotionSpec("standing", duration_s=6.0, seed=1), Camera.view("front"), fps=30)
    series = lift_feet(standing, times)
    assert counted("jump_rope", series) == steps
    assert counted("two_leg_hops", series) == 0


def test_low_skipping_steps_count_from_the_first_to_the_last() -> None:
    """Low alternate-foot steps (each foot lifted 0.13 leg lengths, a swing of 0.26 between
    them): the first lifted foot rises from both feet down and the last comes down level with
    the other, half a swing each, and both still count, on the foot left down."""
    standing, _ = simulate(MotionSpec("standing", duration_s=6.0, seed=1), Camera.view("front"), fps=30)
    times = [2.0, 2.35, 2.7, 3.05, 3.4, 3.75]
    result = count(counters.get_counter("jump_rope", standing.fps), lift_feet(standing, times, height=0.13))
    assert np.allclose([r.t for r in result.reps], times, atol=0.1)  # the 4 Hz smoothing's lag
    assert [r.side for r in result.reps] == ["right", "left"] * 3
    assert result.details["style"] == "alternate_foot"


@pytest.mark.parametrize("view,angle", VIEWS)
@pytest.mark.parametrize("fps", [30, 60])
def test_alternate_foot_rope_counts_every_landing_foot(view: str, angle: float | None, fps: int) -> None:
    """Alternate-foot skipping (3.5 cm steps, 135 a minute): every step, on the right foot."""
    spec = MotionSpec("jump_rope", reps=12, style="alternate_foot", seed=3)
    series, labels = simulate(spec, Camera.view(view, angle), fps=fps)
    result = count(counters.get_counter("jump_rope", series.fps), series)
    assert result.count == labels.exercises[0].count == 12
    assert result.details == labels.exercises[0].details


def test_a_flight_before_the_run_is_known_is_the_next_steps_jump() -> None:
    """The first steps of a run wait for the third, while the flights between them are judged as
    they come and counted as two-foot jumps. A step read 0.2 s after its flight (the lifted foot's
    top, from 40° at 25 fps here) lies outside the usual 0.15 s window, so it used to count the
    jump again (16 of 15); a flight between a step and the one before it is that step."""
    spec = MotionSpec("jump_rope", reps=15, style="alternate_foot", tempo=0.93, amplitude=1.46, seed=114)
    series, labels = simulate(spec, Camera.view("oblique", -40.0), fps=25)
    result = count(counters.get_counter("jump_rope", series.fps), series)
    assert result.count == labels.exercises[0].count == 15
    assert result.details == labels.exercises[0].details


@pytest.mark.parametrize("seed", range(4))
def test_low_rope_from_the_side_counts_the_bounces_the_hips_vouch_for(seed: int) -> None:
    """5 cm two-foot rope from the side: the feet rise only ~0.045 leg lengths, under the flight
    threshold, while the hips bounce twice as far. Inside a run those low flights count, and a low
    first jump counts once the next flight follows in the run's reach (the rule before low flights
    lost 1-3 of 12; before the run's start was looked back for, the first jump was lost at times)."""
    spec = MotionSpec("jump_rope", reps=12, style="two_foot", seed=seed)
    series, labels = simulate(spec, Camera.view("side"), fps=30)
    result = count(counters.get_counter("jump_rope", series.fps), series)
    assert result.count == labels.exercises[0].count == 12


def test_a_low_second_jump_joins_the_run_of_the_first() -> None:
    """4 cm rope from 40°: 5 of the 15 jumps rise past the flight threshold (the first, then the
    5th), the others are low flights. The second has no beat to keep yet (one flight is no
    interval), so it counts on the run's reach alone, and the third keeps the second's beat (the
    old rule waited for a second full flight, so the 2nd-4th were lost, and more later: 9 of 15)."""
    spec = MotionSpec("jump_rope", reps=15, style="two_foot", tempo=0.96, amplitude=0.8, seed=10)
    series, labels = simulate(spec, Camera.view("oblique", -40.0), fps=30)
    result = count(counters.get_counter("jump_rope", series.fps), series)
    assert result.count == labels.exercises[0].count == 15


@pytest.mark.parametrize("fps", [30, 60])
def test_alternate_foot_rope_from_the_side_counts_the_last_step_down(fps: int) -> None:
    """Seven steps from the side: the last comes down level with the other foot in 3D, while in
    the image the far foot stands higher (0.05 leg lengths here), so level is judged in 3D too."""
    spec = MotionSpec("jump_rope", reps=7, style="alternate_foot", tempo=1.06, amplitude=1.24, seed=4458)
    series, labels = simulate(spec, Camera.view("side"), fps=fps)
    result = count(counters.get_counter("jump_rope", series.fps), series)
    assert result.count == labels.exercises[0].count == 7
    assert result.details == labels.exercises[0].details == {"style": "alternate_foot", "left": 4, "right": 3}


SWITCH_GAP = pytest.mark.xfail(reason="from 40° a hop or two around the switch is lost (issue 5)")


@pytest.mark.parametrize(
    "view,angle,fps",
    [("front", None, 30), ("front", None, 60), pytest.param("oblique", 40.0, 30, marks=SWITCH_GAP)],
)
def test_single_leg_rope_counts_the_leg_switches(view: str, angle: float | None, fps: int) -> None:
    """Single-leg rope, switching legs every 5 s: the switch (a flight off the hopping foot that
    lands on the foot held up till then) counts as a jump on the new foot, as the labels count it,
    so every landing, one by one, is on the labels' foot. (Totals alone would hide a switch given
    to the foot it took off from at one switch and back at the next.)"""
    spec = MotionSpec("jump_rope", reps=24, style="single_leg_alternating", switch_every_s=5.0, seed=3)
    series, labels = simulate(spec, Camera.view(view, angle), fps=fps)
    result = count(counters.get_counter("jump_rope", series.fps), series)
    truth = labels.exercises[0]
    assert result.count == truth.count == 24
    assert [r.side for r in result.reps] == [r.side for r in truth.reps]
    assert result.details == truth.details == {"style": "single_leg_alternating", "left": 16, "right": 8}


REAL_EXACT = (
    "jumpingjack_sebasgc_1.mp4",
    "jumpingjack_theunknown550_1.mp4",
    "jumpingjack_theunknown550_2.mp4",
    "jumprope-alternate_hooneybadger_1.mp4",
    "jumprope-alternate_hooneybadger_3.mp4",
    "jumprope-doubleunder_hooneybadger_2.mp4",
    "jumprope_chenwr727_1.mp4",
    "jumprope-irregular_ilikehome_2.mp4",
    "jumprope_ilikehome_1.mp4",
    "jumprope_ilikehome_3.mp4",
    "squatjump_ndnam_1.mp4",
    "tuckjump_ndnam_1.mp4",
    "singlelegbound_ndnam_1.mp4",
    "hop-twoleg-norope_ilikehome_1.mp4",
)
"""Real clips the jump counters count within their labels' tolerance: jumping jacks (each jack
two jumps, out and in, seen as the feet opening and closing), rope (alternate-foot, double-unders,
two-foot, and a beginner's stop-and-go with lone leg lifts and steps between the jumps), squat,
tuck and one-leg bound jumps, and 30 quick two-leg hops whose foot landmarks, late in the run,
barely come down between two hops while the hips dip as far as ever."""


@pytest.mark.slow
@pytest.mark.parametrize("clip", REAL_EXACT)
def test_real_clips_counted_within_tolerance(clip: str, real_series: Callable[[str], LandmarkSeries]) -> None:
    label = shared_labels()[clip]
    got = counted(label["exercise"], real_series(clip))
    assert abs(got - label["count"]) <= label["tolerance"], (clip, got, label["count"])


@pytest.mark.slow
@pytest.mark.parametrize(
    "clip",
    [
        "highknees_fiziktedavi_1.mp4",
        "kneelift-slow_ndnam_1.mp4",
        "calfraise_ndnam_1.mp4",
        "negative-running_lilskyex0x_1.mp4",
    ],
)
def test_real_look_alikes_make_no_hops(clip: str, real_series: Callable[[str], LandmarkSeries]) -> None:
    """High knees, running and knee lifts move one foot across at a time (the feet stay apart
    for a stride around each flight); calf raises lift no foot off the floor."""
    series = real_series(clip)
    assert counted("two_leg_hops", series) == counted("single_leg_hops", series) == 0


def plant_feet(series: LandmarkSeries) -> LandmarkSeries:
    """A copy of ``series`` whose foot landmarks stay where they were in the first frame, in the
    image and in 3D, while the body moves on: what MediaPipe gives in a small, high-angle view."""
    xy, world = series.xy.copy(), series.world.copy()
    feet = [*lm.FOOT_OF["left"], *lm.FOOT_OF["right"]]
    xy[:, feet] = xy[0, feet]
    world[:, feet] = world[0, feet]
    return replace(series, xy=xy, world=world)


@pytest.mark.parametrize("name", ["two_leg_hops", "jump_rope"])
def test_hips_bouncing_over_still_feet_warn_that_the_feet_were_lost(name: str) -> None:
    """The hips bounce like jumps but the feet stay put: nothing is counted (no flight is seen),
    and the result says the feet were likely not tracked, with a low confidence."""
    hops, _ = simulate(MotionSpec("two_leg_hops", reps=10, seed=6), Camera.view("front"), fps=30)
    planted = count(counters.get_counter(name, hops.fps), plant_feet(hops))
    assert planted.count == 0
    assert planted.confidence < 0.5
    assert any("feet may not be tracked" in w for w in planted.warnings)
    tracked = count(counters.get_counter(name, hops.fps), hops)
    assert tracked.count == 10 and tracked.confidence > 0.9 and not tracked.warnings


def travel(series: LandmarkSeries, speed: float) -> LandmarkSeries:
    """A copy of ``series`` in which the whole body moves across the image at ``speed`` leg lengths
    a second (as a runner seen from the side does)."""
    xy = series.xy.copy()
    xy[..., 0] += (speed * leg_in_picture(series) * (series.t - series.t[0]))[:, None].astype(np.float32)
    return replace(series, xy=xy)


def test_rope_jumps_and_two_leg_hops_stay_on_the_spot() -> None:
    """Flights that travel across the image at a run are running strides, not rope jumps nor
    two-leg hops (done up and down on the spot); a drift as slow as a hand-held camera's wobble
    still counts every jump. Single-leg hops and bounds may travel."""
    series, labels = simulate(MotionSpec("jump_rope", reps=12, style="two_foot", seed=2), Camera.view("front"), fps=30)
    assert counted("jump_rope", travel(series, 2.0)) == 0
    assert counted("jump_rope", travel(series, 0.4)) == labels.exercises[0].count == counted("jump_rope", series)
    assert counted("two_leg_hops", travel(series, 2.0)) == 0
    assert counted("two_leg_hops", travel(series, 0.4)) == counted("two_leg_hops", series) > 0
    hops, _ = simulate(MotionSpec("single_leg_hops", reps=6, side="left", seed=2), Camera.view("front"), fps=30)
    assert counted("single_leg_hops", travel(hops, 2.0)) == counted("single_leg_hops", hops) == 6


def approach(series: LandmarkSeries, rate: float) -> LandmarkSeries:
    """A copy of ``series`` in which the athlete grows in the picture by ``rate`` (log of the size
    per second) about the point between the feet, as one walking towards the camera does: no
    move across the image, and feet that stay on their own level relative to the body."""
    feet = [lm.side_idx(side, part) for side in lm.SIDES for part in lm.FOOT_PARTS]
    centre = np.nanmedian(series.xy[:, feet], axis=(0, 1))
    grow = np.exp(rate * (series.t - series.t[0]))[:, None, None].astype(np.float32)
    return replace(series, xy=centre + (series.xy - centre) * grow)


def test_steps_while_walking_towards_the_camera_are_no_skipping() -> None:
    """Walking straight at the camera moves the hips nowhere across the image, yet the feet take
    turns like alternate-foot skipping (a labelled clip ends so: two steps counted after the last
    jump). Growing in the picture at 0.5 a second (1 m/s from 2 m) counts none of a run of steps;
    at 0.1 a second (a hand-held camera's drift, a skipper edging forward) all count. At 0.2 a
    second (0.5 m/s from 2.5 m) the second around each step grows too little to tell, but the two
    seconds around it grow by 0.27: none count."""
    standing, _ = simulate(MotionSpec("standing", duration_s=6.0, seed=1), Camera.view("front"), fps=30)
    steps = lift_feet(standing, [2.0, 2.35, 2.7, 3.05, 3.4, 3.75])
    assert counted("jump_rope", approach(steps, 0.5)) == 0
    assert counted("jump_rope", approach(steps, -0.5)) == 0  # walking away
    assert counted("jump_rope", approach(steps, 0.2)) == 0  # slowly
    assert counted("jump_rope", approach(steps, 0.1)) == counted("jump_rope", steps) == 6


@pytest.mark.parametrize(
    "view,angle,fps,reps,tempo,amplitude,seed",
    [
        ("oblique", 40.0, 30, 8, 0.76, 1.33, 73),
        ("oblique", 40.0, 30, 11, 0.76, 1.18, 13),
        ("oblique", -40.0, 30, 15, 0.71, 1.24, 34),
        ("oblique", 40.0, 60, 15, 0.72, 0.81, 53),
        ("front", None, 25, 15, 0.75, 1.13, 96),
        ("oblique", 40.0, 25, 10, 0.7, 1.21, 0),
        ("front", None, 25, 6, 0.7, 1.08, 0),
        ("side", None, 25, 7, 0.7, 1.34, 0),
        ("side", None, 25, 6, 0.7, 1.38, 0),
    ],
)
def test_a_slow_runs_first_jump_counts_once_on_its_foot(
    view: str, angle: float | None, fps: int, reps: int, tempo: float, amplitude: float, seed: int
) -> None:
    """A slow alternate-foot run (0.7-0.8 of the typical tempo) starts with a jump off both feet
    onto one: the half-swing detector sees it up to 0.77 s before the first full step, the first
    full step may land on the foot held up before (a leg switch, yet also the run's first step),
    and a flight 0.7 s before a step is a jump of its own. These cases from a random sweep of
    alternate-foot rope (tempo 0.7-1.4, size 0.8-1.5, every view, 25-60 fps) counted one jump
    twice, lost one, or put one on the wrong foot; the sweep now has 1 miss in 240 (was 20). The
    last four, from a grid at tempo 0.7 and 25 fps, have steps 0.76 s apart: they broke the run
    in two, and the second run's lead-in was the first run's step, counted again."""
    spec = MotionSpec("jump_rope", reps=reps, style="alternate_foot", tempo=tempo, amplitude=amplitude, seed=seed)
    series, labels = simulate(spec, Camera.view(view, angle), fps=fps)
    result = count(counters.get_counter("jump_rope", series.fps), series)
    assert result.count == labels.exercises[0].count == reps
    assert result.details == labels.exercises[0].details


def hang_foot(series: LandmarkSeries, side: str, height: float) -> LandmarkSeries:
    """A copy of ``series`` in which the ``side`` foot hangs still in the room, ``height`` times
    the hip-to-ankle height above the floor, while the body bounces on the other foot: the free
    foot of single-leg skipping. MediaPipe's 3D is centred on the hips, so there the hanging
    foot drops by as much as the body rises."""
    xy, world = series.xy.copy(), series.world.copy()
    hip, ankle = lm.side_idx(side, "hip"), lm.side_idx(side, "ankle")
    foot, other = list(lm.FOOT_OF[side]), list(lm.FOOT_OF[lm.other_side(side)])
    leg_px = float(np.median(xy[:, ankle, 1] - xy[:, hip, 1]))
    leg_m = float(np.median(world[:, ankle, 1] - world[:, hip, 1]))
    rise_px = np.mean(np.max(xy[:, other, 1], axis=0) - xy[:, other, 1], axis=1)  # the body's rise
    xy[:, foot, 1] = np.max(xy[:, foot, 1], axis=0) - height * leg_px
    world[:, foot, 1] = np.max(world[:, foot, 1], axis=0) - height * leg_m + (rise_px * leg_m / leg_px)[:, None]
    return replace(series, xy=xy, world=world)


def test_single_leg_rope_with_the_free_foot_hanging_low() -> None:
    """Single-leg rope whose free foot hangs low, as MediaPipe saw it in the rendered session: 0.2
    leg lengths above the hopping foot on the ground, level with it (within `LEVEL_FEET`) at the
    top of each jump. It hung above it before take-off, so every jump lands on the hopping foot."""
    series, labels = simulate(MotionSpec("jump_rope", reps=12, style="two_foot", seed=2), Camera.view("front"), fps=30)
    hung = hang_foot(series, "left", 0.3)
    result = count(counters.get_counter("jump_rope", hung.fps), hung)
    assert result.count == labels.exercises[0].count == 12
    assert result.details == {"left": 0, "right": 12, "style": "single_leg_alternating"}
    assert counted("two_leg_hops", hung) == 0
    assert counted("single_leg_hops", hung) == 12


def shift_body(
    series: LandmarkSeries, times: list[float], feet: float, hips: Callable[[np.ndarray], np.ndarray]
) -> LandmarkSeries:
    """A copy of ``series`` in which, at each of ``times``, both soles (heels and toes) rise ``feet``
    leg lengths on a 0.3 s bump and every other landmark rises ``hips(t - time)`` leg lengths (so the
    legs keep their length in the picture)."""
    xy, scale = series.xy.copy(), leg_in_picture(series)
    feet_idx = [*lm.SOLE["left"], *lm.SOLE["right"]]
    body_idx = [i for i in range(xy.shape[1]) if i not in feet_idx]
    for t0 in times:
        dt = series.t - t0
        xy[:, feet_idx, 1] -= (bump(dt, 0.3) * feet * scale)[:, None]
        xy[:, body_idx, 1] -= (hips(dt) * scale)[:, None]
    return replace(series, xy=xy)


def test_feet_shifting_as_the_body_stands_up_is_no_flight() -> None:
    """Out of a deep squat MediaPipe's feet shift up a flight's rise while the hips rise on for half
    a second: no hop. The same feet with the hips rising and falling along them are a flight."""
    series, _ = simulate(MotionSpec("standing", duration_s=8.0, seed=1), Camera.view("front"), fps=30)
    times = [2.0, 5.0]

    def standing_up(dt: np.ndarray) -> np.ndarray:  # up 0.3 leg lengths in 0.4 s (as in a real clip), down in 1.5 s
        return 0.3 * np.clip(np.minimum((dt + 0.1) / 0.4, 1 - (dt - 0.3) / 1.5), 0, 1)

    def flying(dt: np.ndarray) -> np.ndarray:
        return bump(dt, 0.3) * 0.08

    assert counted("two_leg_hops", shift_body(series, times, 0.08, standing_up)) == 0
    assert counted("two_leg_hops", shift_body(series, times, 0.08, flying)) == 2
