"""Drawing on frames: the skeleton, the feet, and the count. Overlays never count.

Pure functions of (frame, landmarks, what to show), shared by the annotated video
and the live window, so both look the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from vision import landmarks as lm
from vision.series import PoseFrame

Image = npt.NDArray[np.uint8]

BONE = (235, 235, 235)
JOINT = (60, 200, 255)
FOOT = {"left": (255, 160, 40), "right": (60, 60, 255)}  # BGR: left blue-ish, right red
FLASH = (80, 255, 80)


@dataclass(frozen=True)
class Hud:
    """What the heads-up display says about the count at one moment."""

    exercise: str
    count: int
    details: str = ""
    flash: float = 0.0  # 1.0 right at a rep, fading to 0


def draw_pose(frame: Image, pose: PoseFrame | None) -> Image:
    """The skeleton, with the ankle, heel and toe of each foot drawn larger."""
    if pose is None:
        return frame
    scale = max(frame.shape[:2]) / 640
    pts = np.nan_to_num(pose.xy).astype(np.int32)
    seen = pose.visibility > 0.3
    for a, b in lm.SKELETON:
        if seen[a] and seen[b]:
            cv2.line(frame, tuple(pts[a]), tuple(pts[b]), BONE, max(1, round(2 * scale)), cv2.LINE_AA)
    for i in range(11, lm.COUNT):
        if seen[i] and i not in lm.FOOT:
            cv2.circle(frame, tuple(pts[i]), max(2, round(3 * scale)), JOINT, -1, cv2.LINE_AA)
    for side in lm.SIDES:
        for part in lm.FOOT_PARTS:
            i = lm.side_idx(side, part)
            cv2.circle(frame, tuple(pts[i]), max(3, round(6 * scale)), FOOT[side], -1, cv2.LINE_AA)
            cv2.circle(frame, tuple(pts[i]), max(3, round(6 * scale)), (0, 0, 0), 1, cv2.LINE_AA)
    return frame


def draw_hud(frame: Image, hud: Hud) -> Image:
    """The exercise and the count in large type, flashing green as a rep is counted."""
    h, w = frame.shape[:2]
    scale = min(h, w) / 480
    panel = frame.copy()
    cv2.rectangle(panel, (0, 0), (int(260 * scale), int(110 * scale)), (0, 0, 0), -1)
    cv2.addWeighted(panel, 0.55, frame, 0.45, 0, dst=frame)
    colour = tuple(int(c * hud.flash + 255 * (1 - hud.flash)) for c in FLASH)
    cv2.putText(frame, hud.exercise.replace("_", " "), (int(10 * scale), int(25 * scale)),
                cv2.FONT_HERSHEY_SIMPLEX, 0.6 * scale, (255, 255, 255), max(1, round(scale)), cv2.LINE_AA)  # fmt: skip
    cv2.putText(frame, str(hud.count), (int(10 * scale), int(80 * scale)),
                cv2.FONT_HERSHEY_DUPLEX, 2.0 * scale, colour, max(2, round(3 * scale)), cv2.LINE_AA)  # fmt: skip
    if hud.details:
        cv2.putText(frame, hud.details, (int(10 * scale), int(102 * scale)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.45 * scale, (220, 220, 220), 1, cv2.LINE_AA)  # fmt: skip
    if hud.flash > 0:
        thickness = max(2, round(8 * scale * hud.flash))
        cv2.rectangle(frame, (0, 0), (w - 1, h - 1), FLASH, thickness)
    return frame


HINT = (80, 220, 255)  # BGR amber: something for the athlete to fix
STATS = (190, 190, 190)


@dataclass(frozen=True)
class LiveStatus:
    """What the live window shows besides the count (all optional).

    Attributes:
        guide: the routine item and its target, e.g. "Split jumps: 7 / 10 (set 1 of 2)".
        hint: what the athlete should fix, e.g. that the feet are out of frame.
        stats: frames processed per second, dropped frames, latency.
        banner: a word or two in large type across the middle ("SET COMPLETE", "PAUSED").
    """

    guide: str = ""
    hint: str = ""
    stats: str = ""
    banner: str = ""


def hershey(text: str) -> str:
    """``text`` in the characters OpenCV's Hershey fonts can draw (ASCII): "10–15" -> "10-15"."""
    return text.replace("–", "-").replace("—", "-").replace("✓", "ok").encode("ascii", "replace").decode()


def draw_status(frame: Image, status: LiveStatus) -> Image:
    """The guide line and the hint in a band at the bottom, the stats at the top right, and the banner."""
    h, w = frame.shape[:2]
    scale = min(h, w) / 480
    font, thin = cv2.FONT_HERSHEY_SIMPLEX, max(1, round(scale))
    lines = [(hershey(text), colour) for text, colour in ((status.guide, (255, 255, 255)), (status.hint, HINT)) if text]
    if lines:
        top = h - int((12 + 26 * len(lines)) * scale)
        panel = frame.copy()
        cv2.rectangle(panel, (0, top), (w, h), (0, 0, 0), -1)
        cv2.addWeighted(panel, 0.6, frame, 0.4, 0, dst=frame)
        for n, (text, colour) in enumerate(lines):
            y = top + int((26 + 26 * n) * scale)
            cv2.putText(frame, text, (int(10 * scale), y), font, 0.62 * scale, colour, thin, cv2.LINE_AA)
    if status.stats:
        text = hershey(status.stats)
        (tw, _), _ = cv2.getTextSize(text, font, 0.45 * scale, 1)
        cv2.putText(frame, text, (w - tw - int(8 * scale), int(18 * scale)), font, 0.45 * scale, STATS, 1, cv2.LINE_AA)
    if status.banner:
        text = hershey(status.banner)
        size = 1.4 * scale
        (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_DUPLEX, size, max(2, round(3 * scale)))
        org = ((w - tw) // 2, (h + th) // 2)
        cv2.putText(frame, text, org, cv2.FONT_HERSHEY_DUPLEX, size, (0, 0, 0), max(4, round(7 * scale)), cv2.LINE_AA)
        cv2.putText(frame, text, org, cv2.FONT_HERSHEY_DUPLEX, size, FLASH, max(2, round(3 * scale)), cv2.LINE_AA)
    return frame
