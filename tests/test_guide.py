"""The guided-mode state machine: items, sets, rest, settling, pause, reset, skip, and its blocks."""

from __future__ import annotations

import pytest

from vision.compare import compare
from vision.guide import SETTLE_S, Cue, Guide, Phase, item_switches
from vision.result import Rep
from vision.routine import DEFAULT_ROUTINE, parse_routine

ROUTINE = parse_routine("""
name = "test"
[[item]]
exercise = "ankle_rotations"
foot = "left"
direction = "cw"
reps = { min = 3, max = 5 }
[[item]]
exercise = "split_jumps"
sets = 2
reps = 2
rest_s = 10
[[item]]
exercise = "jump_rope"
style = "single_leg_alternating"
duration_s = 6
switch_every_s = { min = 2, max = 4 }
""")


def feed(guide: Guide, times: list[float], **rep: str) -> list[Cue]:
    """One rep at each time (reported at that time), with the given side/kind; the cues they caused."""
    cues: list[Cue] = []
    for t in times:
        cues += guide.update(t, [Rep(t, **rep)])
    return cues


def test_range_set_ends_when_the_athlete_stops_after_the_minimum() -> None:
    guide = Guide(ROUTINE)
    feed(guide, [1, 2, 3], side="left", kind="cw")
    assert guide.status(3).line == "Ankle rotations, left foot, clockwise: 3 / 3–5"
    assert guide.update(3 + SETTLE_S - 0.1, []) == []
    assert guide.update(3 + SETTLE_S, []) == [Cue.SET_COMPLETE, Cue.ITEM_COMPLETE]
    assert guide.status(7).item == ROUTINE.items[1]


def test_range_set_ends_at_once_at_its_maximum() -> None:
    guide = Guide(ROUTINE)
    cues = feed(guide, [1, 1.5, 2, 2.5, 3], side="left", kind="cw")
    assert cues == [Cue.SET_COMPLETE, Cue.ITEM_COMPLETE]
    assert guide.index == 1


def test_reps_of_the_other_foot_or_direction_do_not_count() -> None:
    guide = Guide(ROUTINE)
    feed(guide, [1, 2], side="left", kind="ccw")
    feed(guide, [3], side="right", kind="cw")
    assert guide.status(3).count == 0


def test_rest_counts_down_between_sets_and_a_rep_ends_it_early() -> None:
    guide = Guide(ROUTINE)
    guide.skip(0)
    assert feed(guide, [1, 2]) == [Cue.SET_COMPLETE]
    status = guide.status(5)
    assert status.phase is Phase.REST and status.rest_left_s == pytest.approx(7)
    assert status.count == 2  # the set just done stays on screen during the rest
    assert status.line == "Rest 7 s, then Split jumps (set 2 of 2)"
    assert guide.update(12, []) == [Cue.REST_OVER]
    guide2 = Guide(ROUTINE)
    guide2.skip(0)
    feed(guide2, [1, 2])
    assert feed(guide2, [4]) == [Cue.REST_OVER]
    assert guide2.status(4).count == 1 and guide2.status(4).set_number == 2


def test_duration_item_runs_from_its_first_rep_and_records_leg_switches() -> None:
    guide = Guide(ROUTINE)
    guide.skip(0)
    guide.skip(0)
    left, right = [1.0, 1.5, 2.0, 2.5], [4.0, 4.5, 5.0]
    feed(guide, left, side="left")
    feed(guide, right, side="right")
    assert guide.status(6).line == "Jump rope, single-leg alternating: 5 s / 6 s (7 reps)"
    assert guide.update(7, []) == [Cue.SET_COMPLETE, Cue.ITEM_COMPLETE, Cue.ROUTINE_COMPLETE]
    assert guide.status(7).phase is Phase.DONE and guide.status(7).line == "Routine complete"
    [block] = guide.performed()
    assert block.duration_s == pytest.approx(6) and block.switches == pytest.approx((3.0, 1.0))


def test_pause_freezes_the_clocks() -> None:
    guide = Guide(ROUTINE)
    feed(guide, [1, 2, 3], side="left", kind="cw")
    guide.pause(3.5)
    assert guide.update(20, [Rep(20, "left", "cw")]) == []  # paused: nothing counts, nothing ends
    guide.resume(20)
    assert guide.status(20).count == 3
    assert guide.update(20 + SETTLE_S - 1, []) == []
    assert guide.update(20 + SETTLE_S, []) == [Cue.SET_COMPLETE, Cue.ITEM_COMPLETE]


def test_reset_starts_the_set_again_and_skip_keeps_what_was_done() -> None:
    guide = Guide(ROUTINE)
    feed(guide, [1, 2], side="left", kind="cw")
    guide.reset(2.5)
    assert guide.status(2.5).count == 0
    feed(guide, [3], side="left", kind="cw")
    assert guide.skip(4) == []
    assert guide.index == 1
    result = compare(ROUTINE, guide.performed())
    assert result.items[0].sets[0].done == 1 and not result.items[0].complete
    assert not result.items[1].done


def test_a_whole_routine_compares_complete() -> None:
    guide = Guide(ROUTINE)
    feed(guide, [1, 2, 3, 4, 5], side="left", kind="cw")
    feed(guide, [6, 7])
    feed(guide, [8, 9])  # rest cut short by the next set
    feed(guide, [10, 11], side="left")
    feed(guide, [13, 14], side="right")
    assert feed(guide, [16], side="left")[-1] is Cue.ROUTINE_COMPLETE
    result = compare(ROUTINE, guide.performed())
    assert result.complete, result.lines()


def test_session_ending_mid_set_keeps_the_set_in_progress() -> None:
    guide = Guide(DEFAULT_ROUTINE)
    feed(guide, [1, 2, 3, 4], side="left", kind="cw")
    [block] = guide.performed()
    assert block.sets == (4,) and block.foot == "left" and block.direction == "cw"


def test_item_switches() -> None:
    reps = [Rep(0, "left"), Rep(1, "left"), Rep(2, "right"), Rep(5, "left"), Rep(6, "left")]
    assert item_switches(reps) == (2, 3, 1)
    assert item_switches([]) == ()
