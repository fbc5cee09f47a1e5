"""The routine config: the default round-trips, broken files give one line with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import repcount
from vision.errors import RepcountError
from vision.routine import (
    DEFAULT_ROUTINE,
    Item,
    RepRange,
    Routine,
    RoutineError,
    default_toml,
    describe,
    load_routine,
    parse_routine,
    to_toml,
)

GOOD = """\
name = "Mine"

[[item]]
exercise = "split_jumps"
sets = 2
reps = 10
rest_s = 60

[[item]]
exercise = "ankle_rotations"
foot = "left"
direction = "ccw"
reps = { min = 10, max = 15 }
"""


def test_default_round_trips() -> None:
    assert parse_routine(default_toml()) == DEFAULT_ROUTINE
    assert parse_routine(to_toml(DEFAULT_ROUTINE)) == DEFAULT_ROUTINE


def test_default_is_the_articles_routine() -> None:
    items = DEFAULT_ROUTINE.items
    rotations = [(i.foot, i.direction, str(i.reps)) for i in items if i.exercise == "ankle_rotations"]
    assert rotations == [("left", "cw", "10–15"), ("left", "ccw", "10–15"), ("right", "cw", "10–15"),
                         ("right", "ccw", "10–15")]  # fmt: skip
    assert [i.exercise for i in items[4:]] == ["two_leg_hops", "single_leg_hops", "single_leg_hops", "jump_rope",
                                               "split_jumps"]  # fmt: skip
    rope, split = items[7], items[8]
    assert rope.style == "single_leg_alternating" and str(rope.switch_every_s) == "5–10" and rope.duration_s
    assert split.sets == 2 and split.reps == RepRange(min=10, max=10) and split.rest_s


def test_good_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    routine = load_routine(path)
    assert routine.name == "Mine"
    assert routine.items[0] == Item(exercise="split_jumps", sets=2, reps=10, rest_s=60)
    assert routine.items[1].reps == RepRange(min=10, max=15)
    assert parse_routine(to_toml(routine)) == routine


def test_models_are_frozen() -> None:
    with pytest.raises(Exception):
        DEFAULT_ROUTINE.items[0].sets = 3  # type: ignore[misc]


BROKEN = [
    # (text, line, words in the message)
    ('name = "x"\n[[item]]\nexercise = "burpees"\nreps = 3\n', 3, ["unknown", "'burpees'", "ankle_rotations"]),
    ('[[item]]\nexercise = "split_jumps"\nreps = -2\n', 3, ["item 1", "reps", "at least 1"]),
    ('name = "a"\n\n[[item]]\nexercise = "split_jumps"\nreps = 3\n\n[[item]]\nexercise = "two_leg_hops"\n'
     'reps = { min = 15, max = 10 }\n', 9, ["item 2: reps min (15) is above max (10)"]),
    ('[[item]]\nexercise = "split_jumps"\nrepz = 3\n', 3, ["unknown key 'repz'"]),
    ('name = "x"\n[[items]]\nexercise = "split_jumps"\nreps = 3\n', 2, ["unknown key 'items'"]),
    ('[[item]]\nexercise = "split_jumps"\nreps = 3\n[[item]]\nexercise = "split_jumps"\nsets = 2\n', 4,
     ["item 2", "reps or duration_s"]),
    ('[[item]]\nexercise = "split_jumps"\nreps = 2\ndirection = "cw"\n', 4, ["direction", "only for ankle_rotations"]),
    ('[[item]]\nexercise = "two_leg_hops"\nreps = 2\nstyle = "two_foot"\n', 4, ["style", "only for jump_rope"]),
    ('[[item]]\nexercise = "ankle_rotations"\nreps = 2\nfoot = "lft"\n', 4, ["foot 'lft' is unknown"]),
    ('[[item]]\nexercise = "split_jumps"\nreps = "10"\n', 3, ["reps must be a number"]),
    ('[[item]]\nexercise = "split_jumps"\nreps = 10.5\n', 3, ["whole number"]),
    ('[[item]]\nexercise = "split_jumps"\nreps = 1\nsets = 0\n', 4, ["sets must be at least 1"]),
    ('[[item]]\nexercise = "split_jumps"\nreps = 1\nrest_s = -1\n', 4, ["rest_s must be at least 0"]),
    ('[[item]]\nexercise = "two_leg_hops"\nduration_s = 0\n', 3, ["duration_s must be above 0"]),
    ('[[item]]\nexercise = "jump_rope"\nstyle = "single_leg_alternating"\nduration_s = 30\n'
     'switch_every_s = { min = 10, max = 5 }\n', 5, ["switch_every_s min (10) is above max (5)"]),
    ('[[item]]\nexercise = "jump_rope"\nduration_s = 30\nswitch_every_s = 5\n', 4, ["single_leg_alternating"]),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_broken_file_names_file_and_line(tmp_path: Path, text: str, line: int, words: list[str]) -> None:
    path = tmp_path / "routine.toml"
    path.write_text(text)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path} line {line}: "), message
    for word in words:
        assert word in message, message


def test_bad_toml_names_file_and_line() -> None:
    with pytest.raises(RoutineError, match=r"^routine\.toml: not valid TOML: .*line 3"):
        parse_routine('[[item]]\nexercise = "split_jumps"\nreps = \n', "routine.toml")


def test_no_items() -> None:
    with pytest.raises(RoutineError, match=r"^r\.toml: no items: add at least one item table"):
        parse_routine('name = "x"\n', "r.toml")


def test_missing_file_is_a_repcount_error(tmp_path: Path) -> None:
    with pytest.raises(RepcountError, match="no such file"):
        load_routine(tmp_path / "nope.toml")


def test_routine_needs_an_item() -> None:
    with pytest.raises(Exception):
        Routine(name="x", items=())


def test_describe() -> None:
    lines = describe(DEFAULT_ROUTINE)
    assert len(lines) == len(DEFAULT_ROUTINE.items)
    assert lines[0] == "Ankle rotations, left foot, clockwise: 10–15 reps"
    assert lines[3] == "Ankle rotations, right foot, counterclockwise: 10–15 reps"
    assert lines[7] == "Jump rope, single-leg alternating: 60 s, switching legs every 5–10 s"
    assert lines[8] == "Split jumps: 2 sets of 10 reps, 60 s rest"


# --- the command line ----------------------------------------------------------------


def test_cli_check_good_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    done = repcount("routine", "check", str(path))
    assert done.returncode == 0, done.stderr
    assert "Split jumps: 2 sets of 10 reps, 60 s rest" in done.stdout
    assert "Ankle rotations, left foot, counterclockwise: 10–15 reps" in done.stdout


@pytest.mark.parametrize(("text", "expected"), [
    ('[[item]]\nexercise = "burpees"\nreps = 3\n', "line 2: item 1: exercise 'burpees' is unknown"),
    ('name = "x"\n', "no items: add at least one item table"),
])  # fmt: skip
def test_cli_check_broken_file(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text)
    done = repcount("routine", "check", str(path))
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "broken.toml" in lines[0] and expected in lines[0], lines[0]


def test_cli_new_writes_a_file_check_accepts(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "routine.toml"
    done = repcount("routine", "new", "--out", str(path))
    assert done.returncode == 0, done.stderr
    assert load_routine(path) == DEFAULT_ROUTINE
    assert repcount("routine", "check", str(path)).returncode == 0
    again = repcount("routine", "new", "--out", str(path))
    assert again.returncode == 2 and "--force" in again.stderr
    assert repcount("routine", "new", "--out", str(path), "--force").returncode == 0


def test_cli_new_prints_the_default() -> None:
    done = repcount("routine", "new")
    assert done.returncode == 0, done.stderr
    assert parse_routine(done.stdout) == DEFAULT_ROUTINE


def test_line_is_found_past_comments_and_spacing() -> None:
    text = (
        '# [[item]] in a comment is not a header\n'
        'name = "x"\n'
        '[[ item ]]   # first\n'
        'exercise = "split_jumps"\n'
        'reps = 3\n'
        '\n'
        '[[item]]\n'
        '# reps = 1 is only a comment\n'
        '"exercise" = "two_leg_hops"\n'
        '  reps = 0\n'
    )  # fmt: skip
    with pytest.raises(RoutineError, match=r"^r\.toml line 10: item 2: reps must be at least 1 \(got 0\)$"):
        parse_routine(text, "r.toml")


item_strategy = st.one_of(
    st.builds(lambda foot, d, lo, extra, sets: Item(exercise="ankle_rotations", foot=foot, direction=d,
                                                    reps={"min": lo, "max": lo + extra}, sets=sets),
              st.sampled_from([None, "left", "right"]), st.sampled_from([None, "cw", "ccw"]),
              st.integers(1, 50), st.integers(0, 10), st.integers(1, 5)),
    st.builds(lambda reps, rest: Item(exercise="split_jumps", sets=2, reps=reps, rest_s=rest),
              st.integers(1, 100), st.floats(0, 300, allow_nan=False)),
    st.builds(lambda d, lo, extra: Item(exercise="jump_rope", style="single_leg_alternating", duration_s=d,
                                        switch_every_s={"min": lo, "max": lo + extra}),
              st.floats(0.5, 600), st.floats(0.1, 20), st.floats(0, 20)),
)  # fmt: skip


@given(st.text(min_size=1, max_size=20), st.lists(item_strategy, min_size=1, max_size=5))
def test_any_routine_round_trips(name: str, items: list[Item]) -> None:
    routine = Routine(name=name, items=tuple(items))
    assert parse_routine(to_toml(routine)) == routine
