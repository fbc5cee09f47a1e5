"""Pose estimation: MediaPipe PoseLandmarker (Tasks API) in, `PoseFrame` out.

This is the only module that imports MediaPipe. Everything downstream reads
`PoseFrame` / `LandmarkSeries`, so counters never depend on the model.

The landmarker may see several people (a coach walking through, a training partner).
`PoseEstimator` asks for up to ``num_poses`` and follows one athlete: the largest and
most central person when first seen, then whoever is nearest to where the athlete was,
never whoever the model happens to list first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from vision import landmarks as lm
from vision.assets import model_path
from vision.series import PoseFrame

MODEL_FILE = "pose_landmarker_full.task"

TRACK_LOST_S = 1.0
"""After this long without the athlete, pick the main person afresh."""


@dataclass(frozen=True)
class PoseCandidate:
    """One person the model found in a frame, before choosing the athlete."""

    xy: npt.NDArray[np.float32]  # (33, 2) pixels
    world: npt.NDArray[np.float32]  # (33, 3) metres
    visibility: npt.NDArray[np.float32]  # (33,)

    @property
    def centre(self) -> npt.NDArray[np.float32]:
        """Mid-point between the hips, in pixels."""
        return (self.xy[lm.idx("left_hip")] + self.xy[lm.idx("right_hip")]) / 2

    @property
    def height(self) -> float:
        """Height of the landmarks' bounding box in pixels (a size that ignores arm spread)."""
        return float(np.ptp(self.xy[:, 1]))


def main_person(candidates: list[PoseCandidate], resolution_wh: tuple[int, int]) -> int:
    """Index of the person most likely to be the athlete: large and near the centre.

    The score is the person's height as a fraction of the frame, less the distance of
    their hips from the frame's centre (also as a fraction), so a big person at the edge
    loses to a slightly smaller one in the middle of the shot.
    """
    w, h = resolution_wh
    frame_centre = np.array([w / 2, h / 2], np.float32)
    scores = [c.height / h - float(np.linalg.norm(c.centre - frame_centre)) / max(w, h) for c in candidates]
    return int(np.argmax(scores))


def nearest_person(candidates: list[PoseCandidate], previous: PoseCandidate) -> int | None:
    """Index of the person nearest to the athlete's last position, or None if nobody is close.

    "Close" is within one body height of the previous hip centre; further than that a
    different person is more likely than the athlete having moved that far.
    """
    dists = [float(np.linalg.norm(c.centre - previous.centre)) for c in candidates]
    best = int(np.argmin(dists))
    return best if dists[best] < max(previous.height, 1.0) else None


class PoseEstimator:
    """MediaPipe PoseLandmarker in VIDEO mode that follows one athlete.

    Use as a context manager so the landmarker is always closed:

        with PoseEstimator() as pose:
            for t, frame in source:
                athlete = pose.process(frame, t)   # PoseFrame, or None where nobody is seen

    Args:
        model: path of a PoseLandmarker ``.task`` bundle; the shipped one by default.
        num_poses: how many people the model may return. 2 lets us ignore a second
            person instead of jumping to them; 1 is slightly faster.
        min_confidence: detection, presence and tracking thresholds of the landmarker.
    """

    def __init__(self, model: str | Path | None = None, num_poses: int = 2, min_confidence: float = 0.5) -> None:
        # MediaPipe's C++ logging prints start-up chatter to stderr; keep warnings and worse.
        os.environ.setdefault("GLOG_minloglevel", "2")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        from mediapipe.tasks.python.core.base_options import BaseOptions
        from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

        options = PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model or model_path(MODEL_FILE))),
            running_mode=RunningMode.VIDEO,
            num_poses=num_poses,
            min_pose_detection_confidence=min_confidence,
            min_pose_presence_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
        )
        self._landmarker = PoseLandmarker.create_from_options(options)
        self._last_ms = -1
        self._athlete: PoseCandidate | None = None
        self._athlete_t = -np.inf

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release the landmarker (safe to call twice)."""
        self._landmarker.close()

    def detect(self, frame_bgr: npt.NDArray[np.uint8], t: float) -> list[PoseCandidate]:
        """Every person the model finds in the frame (in the model's order)."""
        import mediapipe as mp

        # VIDEO mode needs strictly increasing integer milliseconds.
        ms = max(int(round(t * 1000)), self._last_ms + 1)
        self._last_ms = ms
        rgb = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)
        result = self._landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), ms)
        h, w = frame_bgr.shape[:2]
        return [_candidate(image, world, w, h) for image, world in zip(result.pose_landmarks, result.pose_world_landmarks)]

    def process(self, frame_bgr: npt.NDArray[np.uint8], t: float) -> PoseFrame | None:
        """The athlete's landmarks in this frame, or None where the athlete is not seen."""
        candidates = self.detect(frame_bgr, t)
        if not candidates:
            return None
        h, w = frame_bgr.shape[:2]
        if self._athlete is None or t - self._athlete_t > TRACK_LOST_S:
            chosen: int | None = main_person(candidates, (w, h))
        else:
            chosen = nearest_person(candidates, self._athlete)
        if chosen is None:
            return None
        self._athlete, self._athlete_t = candidates[chosen], t
        c = candidates[chosen]
        return PoseFrame(t, c.xy, c.world, c.visibility)


def _candidate(image: list[Any], world: list[Any], w: int, h: int) -> PoseCandidate:
    """Convert MediaPipe's landmark lists to arrays (pixels for the image landmarks)."""
    xy = np.array([(p.x * w, p.y * h) for p in image], np.float32)
    xyz = np.array([(p.x, p.y, p.z) for p in world], np.float32)
    vis = np.array([p.visibility if p.visibility is not None else 0.0 for p in image], np.float32)
    return PoseCandidate(xy, xyz, vis)
