"""The 33 BlazePose landmarks MediaPipe returns, by name, and the groups repcount uses.

Left and right are the athlete's own (DESIGN.md §3): in a front view the athlete's
left ankle is on the image's right. MediaPipe follows the same convention.
"""

from __future__ import annotations

NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner", "left_eye", "left_eye_outer",
    "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear",
    "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
    "left_pinky", "right_pinky",
    "left_index", "right_index",
    "left_thumb", "right_thumb",
    "left_hip", "right_hip",
    "left_knee", "right_knee",
    "left_ankle", "right_ankle",
    "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)  # fmt: skip
"""Landmark names in MediaPipe's order; ``foot_index`` is the toe tip."""

COUNT = len(NAMES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(NAMES)}

SIDES: tuple[str, str] = ("left", "right")


def idx(name: str) -> int:
    """Index of a landmark name, e.g. ``idx("left_ankle") == 27``."""
    return INDEX[name]


def side_idx(side: str, part: str) -> int:
    """Index of ``{side}_{part}``, e.g. ``side_idx("right", "heel") == 30``."""
    return INDEX[f"{side}_{part}"]


def other_side(side: str) -> str:
    """``"left"`` -> ``"right"`` and back."""
    return "right" if side == "left" else "left"


FOOT_PARTS: tuple[str, ...] = ("ankle", "heel", "foot_index")
FOOT: tuple[int, ...] = tuple(side_idx(s, p) for s in SIDES for p in FOOT_PARTS)
"""The six foot landmarks the counters care most about (drawn larger in overlays)."""

# Index lists for numpy fancy indexing (``xy[:, SOLE["left"]]``), so lists, not tuples.
FOOT_OF: dict[str, list[int]] = {side: [side_idx(side, p) for p in FOOT_PARTS] for side in SIDES}
"""Each foot's ankle, heel and toe."""
SOLE: dict[str, list[int]] = {side: [side_idx(side, p) for p in ("heel", "foot_index")] for side in SIDES}
"""Each foot's heel and toe: the points that reach the floor."""
HIPS: list[int] = [idx("left_hip"), idx("right_hip")]
SHOULDERS: list[int] = [idx("left_shoulder"), idx("right_shoulder")]

SKELETON: tuple[tuple[int, int], ...] = (
    (11, 12), (11, 13), (13, 15), (12, 14), (14, 16),
    (11, 23), (12, 24), (23, 24),
    (23, 25), (25, 27), (24, 26), (26, 28),
    (27, 29), (29, 31), (27, 31), (28, 30), (30, 32), (28, 32),
    (0, 11), (0, 12),
)  # fmt: skip
"""Bones drawn by overlays: torso, arms, legs and both feet's triangles."""
