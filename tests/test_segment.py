"""Session segmentation: synthetic sessions (exact labels) and the real labelled clips."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import shared_labels
from vision.compare import compare
from vision.routine import parse_routine
from vision.segment import IDLE, Segment, find_segments, performed
from vision.series import LandmarkSeries
from vision.synth.camera import Camera
from vision.synth.fast import default_humanoid, leg_geometry, simulate
from vision.synth.labels import Labels
from vision.synth.session import DEFAULT_SESSION, Session, SessionItem

BOUNDARY_S = 1.0
"""Segment starts and ends must be found within this of the truth (issue #6)."""


@lru_cache(maxsize=8)
def session(
    view: str = "front", fps: float = 30.0, items: tuple[SessionItem, ...] | None = None
) -> tuple[LandmarkSeries, Labels]:
    """A whole session as exact landmarks (fast mode), and its labels."""
    plan = DEFAULT_SESSION if items is None else Session(items=items)
    return simulate(plan.build(leg_geometry(default_humanoid())), Camera.view(view), fps=fps)


def exercise_segments(segments: tuple[Segment, ...]) -> list[Segment]:
    return [s for s in segments if s.result is not None]


Row = tuple[str, list[int], float, float]


def by_item(rows: list[Row]) -> list[Row]:
    """(name, reps per set, start, end) with neighbouring segments of one exercise joined: a routine
    item done on both feet (left set, right set) is one item in the labels and two segments here."""
    out: list[Row] = []
    for name, sets, start, end in rows:
        if out and out[-1][0] == name and name != "ankle_rotations":
            out[-1] = (name, out[-1][1] + sets, out[-1][2], end)
        else:
            out.append((name, sets, start, end))
    return out


def rows(segments: list[Segment]) -> list[Row]:
    return [(s.name, [len(x) for x in s.sets], s.start_s, s.end_s) for s in segments]


@pytest.mark.parametrize("view,fps", [("front", 30.0), ("oblique", 30.0), ("front", 60.0)])
def test_every_segment_of_the_default_session(view: str, fps: float) -> None:
    series, labels = session(view, fps)
    found = exercise_segments(find_segments(series))
    items = by_item(rows(found))
    assert [i[0] for i in items] == [e.name for e in labels.exercises]
    for (name, sets, start, end), true in zip(items, labels.exercises):
        assert sets == list(true.sets), (name, sets, true.sets)
        assert abs(start - true.start_s) <= BOUNDARY_S and abs(end - true.end_s) <= BOUNDARY_S, (name, start, end, true)
    ankles = [s for s in found if s.name == "ankle_rotations"]
    true_ankles = [e for e in labels.exercises if e.name == "ankle_rotations"]
    assert [s.result.details for s in ankles if s.result] == [e.details for e in true_ankles]
    singles = [s for s in found if s.name == "single_leg_hops"]
    assert [(s.foot, len(s.sets[0])) for s in singles] == [("left", 4), ("right", 4)]


def test_walking_in_standing_and_rests_count_nothing() -> None:
    series, labels = session()
    segments = find_segments(series)
    idle = [s for s in segments if s.name in IDLE]
    assert all(s.result is None for s in idle)
    walk_truth = next(x for x in labels.segments if x.exercise == "walking")
    walks = [s for s in idle if s.name == "walking"]
    assert walks and abs(walks[0].end_s - walk_truth.end_s) <= BOUNDARY_S
    rests = [s for s in idle if s.name == "rest"]
    assert len(rests) == 1  # between the two sets of split jumps (single-leg sets on each foot are two segments)
    covered = sorted((s.start_s, s.end_s) for s in segments if s.name != "rest")
    for (_, end), (start, _) in zip(covered, covered[1:]):
        assert start >= end - 1e-6, "segments other than rests do not overlap"


def test_two_circles_make_an_ankle_set_and_a_lone_one_the_other_way_is_no_rep_of_it() -> None:
    """Two circles are a set (each is a full, steady turn: rarer by chance than a bounce); a
    single circle the other way just before is a stray, counted neither in that set nor as one."""
    items = (
        SessionItem("ankle_rotations", reps=1, foot="left", direction="ccw", rest_s=1.0),
        SessionItem("ankle_rotations", reps=2, foot="left", direction="cw"),
        SessionItem("two_leg_hops", reps=5),
    )
    series, _ = session(items=items)
    ankle, hops = exercise_segments(find_segments(series))
    assert (ankle.name, ankle.foot, ankle.direction, [len(x) for x in ankle.sets]) == ("ankle_rotations", "left", "cw", [2])
    assert ankle.result is not None and ankle.result.details == {"left_cw": 2, "left_ccw": 0, "right_cw": 0, "right_ccw": 0}
    assert hops.name == "two_leg_hops" and [len(x) for x in hops.sets] == [5]

ROUTINE = """
name = "short"
[[item]]
exercise = "two_leg_hops"
reps = 6
[[item]]
exercise = "split_jumps"
sets = 2
reps = 4
[[item]]
exercise = "single_leg_hops"
foot = "left"
reps = 4
"""


def test_fewer_reps_a_skipped_item_and_out_of_order_get_the_right_verdicts() -> None:
    """The athlete does split jumps first (4 then 3: short), then 6 two-leg hops, and skips the single-leg hops."""
    items = (
        SessionItem("split_jumps", reps=4, sets=1),
        SessionItem("split_jumps", reps=3, sets=1),
        SessionItem("two_leg_hops", reps=6),
    )
    series, _ = session(items=items)
    comparison = compare(parse_routine(ROUTINE), performed(find_segments(series)))
    hops, splits, single = comparison.items
    assert hops.complete and [s.done for s in hops.sets] == [6]
    assert [s.done for s in splits.sets] == [4, 3] and not splits.complete
    assert not single.done and not single.complete
    assert not comparison.complete


@lru_cache(maxsize=1)
def _session_sample() -> dict[str, Any]:
    import json

    return json.loads((Path(__file__).parent.parent / "sample_videos" / "session_front.json").read_text())


@pytest.mark.slow
def test_rendered_session_through_the_real_pose_model(tmp_path: Path) -> None:
    """The shipped sample session (rendered video, MediaPipe): every jump segment found and counted
    exactly, the single-leg rope's 12 jumps with their leg switches included (it counted 10, then
    11, before a run's low jumps and the switches' landing foot were read), its style right.

    Ankle rotations are not: through MediaPipe the counter misses rendered circles (see
    tests/test_counter_ankle.py), so the ankle sets found are checked to be of a foot and
    direction done, where it was done, with no more circles than were done."""
    from vision.analyze import analyze

    os.environ.setdefault("MUJOCO_GL", "egl")
    sample = Path(__file__).parent.parent / "sample_videos" / "session_front.mp4"
    result = analyze(sample, routine=parse_routine(ROUTINE))
    truth = [e for e in _session_sample()["exercises"] if e["name"] != "ankle_rotations"]
    found = by_item(
        [(s["name"], s["sets"], s["start_s"], s["end_s"]) for s in result.segments if s["name"] not in IDLE]
    )
    done = {(e["reps"][0]["side"], e["reps"][0]["direction"]): e for e in _session_sample()["exercises"] if e["name"] == "ankle_rotations"}  # fmt: skip
    for seg in (s for s in result.segments if s["name"] == "ankle_rotations"):
        true = done[(seg["foot"], seg["direction"])]
        assert sum(seg["sets"]) <= true["count"] and true["start_s"] - BOUNDARY_S <= seg["start_s"] <= true["end_s"], seg
    found = [f for f in found if f[0] != "ankle_rotations"]
    assert [f[0] for f in found] == [e["name"] for e in truth]
    for (name, sets, start, end), true in zip(found, truth):
        assert sets == true["sets"], (name, sets, true)
        if name == "jump_rope":
            [rope] = [e for e in result.exercises if e.name == "jump_rope"]
            assert rope.details["style"] == true["details"]["style"] == "single_leg_alternating"
        assert abs(start - true["start_s"]) <= BOUNDARY_S and abs(end - true["end_s"]) <= BOUNDARY_S, (name, start, end)
    assert result.routine is not None and result.routine["items"][0]["complete"] is False  # 4 hops of 6


SEGMENTED_AS = {"ankle_rotations": "ankle_rotations", "two_leg_hops": "two_leg_hops", "single_leg_hops": "single_leg_hops",
                "jump_rope": "jump_rope"}  # fmt: skip
KNOWN_CONFUSIONS = {
    "hop-twoleg-norope_ilikehome_1.mp4": "hops at a rope's cadence with the hands low, as if turning a rope",
    "jumprope_ilikehome_3.mp4": "a beginner's rope, one slow jump every 0.73 s: a hop's cadence",
    "jumprope_mayask_1.mp4": "CCTV-sized athlete: the bounces are below the flight threshold (issue #5)",
    "singlelegbound_ndnam_1.mp4": "skip-bounds through the frame; the flights are not found as one-leg hops",
    "negative-walking_sports2d_1.mp4": "the jump counters take some walking steps for flights (issue #5)",
    "anklerocks-legsonly_ndnam_1.mp4": "rocking feet open and close like a jumping jack's, with low steps (issue #5)",
}


@pytest.mark.slow
@pytest.mark.parametrize("clip", sorted(shared_labels()) or ["(no shared clips)"])
def test_real_clips_are_found_as_their_exercise(clip: str, real_series: Callable[[str], LandmarkSeries]) -> None:
    """Each labelled clip is found as its exercise (jumping jacks as two-leg hops); look-alikes as nothing."""
    if clip in KNOWN_CONFUSIONS:
        pytest.xfail(KNOWN_CONFUSIONS[clip])
    label = shared_labels()[clip]
    found = {s.name for s in exercise_segments(find_segments(real_series(clip)))}
    if label["exercise"] == "none":
        assert found == set()
    else:
        assert found == {SEGMENTED_AS[label["exercise"]]}
