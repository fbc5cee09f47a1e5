"""`repcount eval`: reading labels, the table's figures, and the command on a real folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, repcount, sample_labels
from vision.errors import RepcountError
from vision.evaluate import EvalRow, EvalSummary, evaluate, read_labels

LABELS = {
    "_unlabelled": ["crowd.mp4"],
    "hops.mp4": {"exercise": "two_leg_hops", "count": 10, "tolerance": 1},
    "rope.mp4": {"exercise": "jump_rope", "count": 20, "tolerance": 0},
    "walk.mp4": {"exercise": "none", "count": 0, "tolerance": 0, "check_exercises": ["two_leg_hops"]},
}


def write_labels(folder: Path, labels: dict[str, object]) -> None:
    (folder / "labels.json").write_text(json.dumps(labels))


def test_read_labels_skips_unlabelled_and_lists_the_checks(tmp_path: Path) -> None:
    write_labels(tmp_path, LABELS)
    labels = {label.clip: label for label in read_labels(tmp_path)}
    assert set(labels) == {"hops.mp4", "rope.mp4", "walk.mp4"}
    assert labels["hops.mp4"].check_exercises == ("two_leg_hops",)
    assert labels["walk.mp4"].check_exercises == ("two_leg_hops",)


def test_read_labels_says_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(RepcountError, match="labels.json not found"):
        read_labels(tmp_path)
    (tmp_path / "labels.json").write_text("{ not json")
    with pytest.raises(RepcountError, match="not valid JSON"):
        read_labels(tmp_path)


def test_rows_and_summary_figures(tmp_path: Path) -> None:
    write_labels(tmp_path, LABELS)
    counted = {"hops.mp4": 11, "rope.mp4": 18, "walk.mp4": 0}

    def count_clip(path: Path, exercises: tuple[str, ...]) -> dict[str, int]:
        return {exercise: counted[path.name] for exercise in exercises}

    summary = EvalSummary(tuple(evaluate(tmp_path, count_clip, read_labels(tmp_path))))
    assert [(r.clip, r.error, r.exact) for r in summary.rows] == [
        ("hops.mp4", 1, True), ("rope.mp4", -2, False), ("walk.mp4", 0, True),
    ]  # fmt: skip
    assert summary.exact_ratio == pytest.approx(2 / 3)
    assert summary.off_by_one_ratio == pytest.approx(2 / 3)  # rope is 2 off with tolerance 0
    assert summary.mae == pytest.approx(1.0)
    assert summary.normalized_mae == pytest.approx((1 / 10 + 2 / 20) / 2)


def test_a_clip_that_fails_and_an_exercise_without_a_counter_get_rows_that_say_so(tmp_path: Path) -> None:
    write_labels(tmp_path, LABELS)

    def count_clip(path: Path, exercises: tuple[str, ...]) -> dict[str, int]:
        raise RepcountError(f"{path.name} is not a video")

    rows = list(evaluate(tmp_path, count_clip, read_labels(tmp_path), available=("two_leg_hops",)))
    notes = {(r.clip, r.exercise): r.note for r in rows}
    assert notes[("rope.mp4", "jump_rope")] == "no jump_rope counter yet"
    assert notes[("hops.mp4", "two_leg_hops")] == "hops.mp4 is not a video"
    assert all(r.count is None and not r.exact for r in rows)
    assert EvalRow("a", "two_leg_hops", 5, None, 0).error is None


@pytest.mark.slow
def test_eval_command_on_a_folder(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "two_leg_hops_front.mp4", tmp_path / "hops.mp4")
    truth = sample_labels("two_leg_hops_front")["exercises"][0]["count"]
    write_labels(tmp_path, {"hops.mp4": {"exercise": "two_leg_hops", "count": truth, "tolerance": 0}})
    out = tmp_path / "eval.json"
    done = repcount("eval", str(tmp_path), "--json", str(out), "--cache", str(tmp_path / "cache"))
    assert done.returncode == 0, done.stderr
    assert "hops.mp4" in done.stdout and "exact 100%" in done.stdout
    assert json.loads(out.read_text())["exact"] == 1.0
