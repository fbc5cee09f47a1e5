"""What the annotated video and the live window show: the running count and its flash."""

from __future__ import annotations

import numpy as np
import pytest

from vision.annotate import FLASH_S, hud_at
from vision.overlay import draw_hud, draw_pose
from vision.result import ExerciseResult, Rep
from vision.series import PoseFrame

HOPS = ExerciseResult("single_leg_hops", (Rep(1.0, "left"), Rep(2.0, "right"), Rep(3.0, "left")))


@pytest.mark.parametrize(
    ("t", "count", "flashing"),
    [(0.5, 0, False), (1.0, 1, True), (1.0 + FLASH_S / 2, 1, True), (1.9, 1, False), (3.5, 3, False)],
)
def test_hud_counts_reps_up_to_now_and_flashes_after_each(t: float, count: int, flashing: bool) -> None:
    hud = hud_at(HOPS, t)
    assert hud.count == count
    assert (hud.flash > 0) == flashing


def test_hud_splits_the_count_by_foot() -> None:
    assert hud_at(HOPS, 3.2).details == "left 2  right 1"


def test_drawing_marks_the_frame_and_keeps_its_shape() -> None:
    frame = np.zeros((480, 640, 3), np.uint8)
    rng = np.random.default_rng(0)
    pose = PoseFrame(0.0, (rng.random((33, 2)) * [640, 480]).astype(np.float32),
                     np.zeros((33, 3), np.float32), np.ones(33, np.float32))  # fmt: skip
    out = draw_hud(draw_pose(frame, pose), hud_at(HOPS, 1.0))
    assert out.shape == (480, 640, 3) and out.dtype == np.uint8
    assert out.any()
    assert draw_pose(np.zeros((4, 4, 3), np.uint8), None).sum() == 0  # no person: nothing drawn
