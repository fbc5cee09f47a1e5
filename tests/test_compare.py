"""Routine against what was done: per item and per set verdicts."""

from __future__ import annotations

import json

from vision.compare import Performed, compare
from vision.routine import DEFAULT_ROUTINE, parse_routine

ROUTINE = parse_routine("""\
name = "Test"
[[item]]
exercise = "ankle_rotations"
foot = "left"
direction = "cw"
reps = { min = 10, max = 15 }
[[item]]
exercise = "ankle_rotations"
foot = "left"
direction = "ccw"
reps = { min = 10, max = 15 }
[[item]]
exercise = "two_leg_hops"
reps = 20
[[item]]
exercise = "split_jumps"
sets = 2
reps = 10
rest_s = 60
[[item]]
exercise = "jump_rope"
style = "single_leg_alternating"
duration_s = 60
switch_every_s = { min = 5, max = 10 }
""")

CW = Performed("ankle_rotations", "left", "cw", sets=(12,))
CCW = Performed("ankle_rotations", "left", "ccw", sets=(11,))
HOPS = Performed("two_leg_hops", sets=(20,))
SPLIT = Performed("split_jumps", sets=(10, 10))
ROPE = Performed("jump_rope", sets=(150,), duration_s=61.0, switches=(6.0, 8.0, 7.5, 9.0, 5.5, 8.0, 7.0, 4.0))


def verdicts(done: list[Performed]) -> list[bool]:
    return [r.complete for r in compare(ROUTINE, done).items]


def test_everything_done() -> None:
    result = compare(ROUTINE, [CW, CCW, HOPS, SPLIT, ROPE])
    assert result.complete and not result.extra
    assert verdicts([CW, CCW, HOPS, SPLIT, ROPE]) == [True] * 5


def test_fewer_reps_than_prescribed() -> None:
    result = compare(ROUTINE, [CW, CCW, Performed("two_leg_hops", sets=(17,)), SPLIT, ROPE])
    hops = result.items[2]
    assert hops.done and not hops.complete
    assert (hops.sets[0].done, hops.sets[0].target) == (17, "20")
    assert "two-leg hops: 17 of 20 ✗" in result.lines()
    assert not result.complete


def test_skipped_item() -> None:
    result = compare(ROUTINE, [CW, CCW, SPLIT, ROPE])
    assert verdicts([CW, CCW, SPLIT, ROPE]) == [True, True, False, True, True]
    assert not result.items[2].done
    assert "two-leg hops: not done ✗" in result.lines()
    assert result.to_dict()["items"][2]["sets"] == [{"set": 1, "done": None, "target": "20", "complete": False}]


def test_items_out_of_order() -> None:
    result = compare(ROUTINE, [ROPE, SPLIT, CCW, HOPS, CW])
    assert result.complete
    assert result.items[0].performed == (CW,) and result.items[1].performed == (CCW,)


def test_range_target_met_and_missed() -> None:
    low = Performed("ankle_rotations", "left", "cw", sets=(9,))
    over = Performed("ankle_rotations", "left", "ccw", sets=(16,))
    result = compare(ROUTINE, [low, over])
    assert [r.complete for r in result.items[:2]] == [False, True]
    lines = result.lines()
    assert "ankle rotations, left foot, clockwise: 9 of 10–15 ✗" in lines
    assert "ankle rotations, left foot, counterclockwise: 16 of 10–15 ✓" in lines
    exact = compare(ROUTINE, [Performed("ankle_rotations", "left", "cw", sets=(10,))])
    assert exact.items[0].complete


def test_wrong_foot_or_direction_does_not_match() -> None:
    result = compare(ROUTINE, [Performed("ankle_rotations", "right", "cw", sets=(12,))])
    assert not result.items[0].done and len(result.extra) == 1
    assert any(line.startswith("not in the routine: ankle rotations, right foot, cw") for line in result.lines())


def test_set_two_short() -> None:
    result = compare(ROUTINE, [Performed("split_jumps", sets=(10, 7))])
    split = result.items[3]
    assert [(s.set, s.done, s.complete) for s in split.sets] == [(1, 10, True), (2, 7, False)]
    assert "split jumps set 1: 10 of 10 ✓" in result.lines()
    assert "split jumps set 2: 7 of 10 ✗" in result.lines()
    assert not split.complete


def test_set_two_missing_and_sets_as_separate_blocks() -> None:
    one = compare(ROUTINE, [Performed("split_jumps", sets=(10,))]).items[3]
    assert [(s.done, s.complete) for s in one.sets] == [(10, True), (None, False)]
    two = compare(ROUTINE, [Performed("split_jumps", sets=(10,)), HOPS, Performed("split_jumps", sets=(11,))])
    assert two.items[3].complete and not two.extra


def test_extra_sets_are_kept() -> None:
    split = compare(ROUTINE, [Performed("split_jumps", sets=(10, 10, 8))]).items[3]
    assert split.complete and split.extra_sets == (8,)


def test_specific_item_keeps_its_block_from_a_general_one() -> None:
    routine = parse_routine('[[item]]\nexercise = "ankle_rotations"\nreps = 5\n'
                            '[[item]]\nexercise = "ankle_rotations"\nfoot = "left"\nreps = 5\n')  # fmt: skip
    left = Performed("ankle_rotations", "left", "cw", sets=(5,))
    right = Performed("ankle_rotations", "right", "cw", sets=(5,))
    result = compare(routine, [left, right])
    assert result.items[0].performed == (right,) and result.items[1].performed == (left,)


def test_duration_with_switches_inside_the_range() -> None:
    rope = compare(ROUTINE, [ROPE]).items[4]
    assert rope.duration_s == 61.0 and rope.duration_complete
    # the last stretch (4 s) ended because the time was up: only its maximum counts
    assert rope.switches_within == (True,) * 8 and rope.complete
    assert "jump rope, single-leg alternating: 61 s of 60 s ✓" in compare(ROUTINE, [ROPE]).lines()


def test_duration_with_switches_outside_the_range() -> None:
    rope = Performed("jump_rope", sets=(150,), duration_s=62.0, switches=(6.0, 3.0, 12.0, 8.0, 7.0))
    result = compare(ROUTINE, [rope])
    item = result.items[4]
    assert item.duration_complete and item.switches_within == (True, False, False, True, True)
    assert not item.complete
    expected = "jump rope, single-leg alternating: legs switched after 6, 3, 12, 8, 7 s (target every 5–10 s) ✗"
    assert expected in result.lines()
    switches = result.to_dict()["items"][4]["switches"]
    assert switches == {"intervals_s": [6.0, 3.0, 12.0, 8.0, 7.0], "target_s": "5–10",
                        "within": [True, False, False, True, True], "complete": False}  # fmt: skip


def test_duration_short() -> None:
    rope = Performed("jump_rope", duration_s=40.0, switches=(7.0, 7.0, 7.0, 7.0, 7.0, 5.0))
    result = compare(ROUTINE, [rope])
    assert not result.items[4].complete
    assert "jump rope, single-leg alternating: 40 s of 60 s ✗" in result.lines()


def test_to_dict_is_json() -> None:
    data = compare(DEFAULT_ROUTINE, [CW, ROPE]).to_dict()
    json.dumps(data)
    assert data["name"] == DEFAULT_ROUTINE.name and data["complete"] is False
    assert len(data["items"]) == len(DEFAULT_ROUTINE.items)
    assert data["items"][0]["sets"][0] == {"set": 1, "done": 12, "target": "10–15", "complete": True}
    assert data["items"][7]["duration"] == {"done_s": 61.0, "target_s": 60.0, "complete": True}


def test_nothing_done() -> None:
    result = compare(DEFAULT_ROUTINE, [])
    assert not result.complete and not any(r.done for r in result.items)
    assert result.lines()[-1] == "Runner foot & ankle: 0 of 9 items complete ✗"
