"""PoseLandmarker VIDEO vs LIVE_STREAM mode for live use: latency and landmarks on the same frames.

`vision.live` runs pose in VIDEO mode through `PoseEstimator`; this measures whether MediaPipe's
LIVE_STREAM mode (asynchronous, results by callback) would be faster. The 640x480 30 fps sample
is fed in real time, every frame, num_poses=1, to each mode in turn; latency is from a frame's
due time to its landmarks. It talks to MediaPipe directly because `PoseEstimator` (the package's
only MediaPipe import) has no LIVE_STREAM mode: that is the question asked.

    python benchmarks/live_modes.py
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import cv2
import mediapipe as mp
import numpy as np
from mediapipe.tasks.python.core.base_options import BaseOptions
from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

from vision.assets import model_path
from vision.pose import MODEL_FILE
from vision.sources import VideoFile

CLIP = Path(__file__).resolve().parent.parent / "sample_videos" / "two_leg_hops_front.mp4"
WARM_UP = 30  # frames left out of the figures: the first calls are slow


def options(mode: Any, callback: Any = None) -> Any:
    return PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=str(model_path(MODEL_FILE))),
                                 running_mode=mode, num_poses=1, result_callback=callback)  # fmt: skip


def image(frame: np.ndarray) -> Any:
    return mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))


def landmarks(result: Any) -> np.ndarray | None:
    return np.array([(p.x, p.y) for p in result.pose_landmarks[0]]) if result.pose_landmarks else None


def paced(frames: list[tuple[float, np.ndarray]], send: Any) -> None:
    """Call ``send(ms, frame, due)`` for each frame when its time comes."""
    start = time.monotonic()
    for t, frame in frames:
        due = start + t
        time.sleep(max(0.0, due - time.monotonic()))
        send(round(t * 1000), frame, due)


def run(frames: list[tuple[float, np.ndarray]], live_stream: bool) -> tuple[np.ndarray, dict[int, np.ndarray | None]]:
    latency: list[float] = []
    out: dict[int, np.ndarray | None] = {}
    due_at: dict[int, float] = {}

    def done(ms: int, result: Any) -> None:
        latency.append(time.monotonic() - due_at[ms])
        out[ms] = landmarks(result)

    mode = RunningMode.LIVE_STREAM if live_stream else RunningMode.VIDEO
    callback = (lambda result, _, ms: done(ms, result)) if live_stream else None
    with PoseLandmarker.create_from_options(options(mode, callback)) as landmarker:

        def send(ms: int, frame: np.ndarray, due: float) -> None:
            due_at[ms] = due
            if live_stream:
                landmarker.detect_async(image(frame), ms)
            else:
                done(ms, landmarker.detect_for_video(image(frame), ms))

        paced(frames, send)
        time.sleep(0.5)  # the last asynchronous results
    return np.array(latency[WARM_UP:]) * 1000, out


def main() -> None:
    frames = list(VideoFile(CLIP))
    video_ms, video = run(frames, live_stream=False)
    stream_ms, stream = run(frames, live_stream=True)
    for name, ms, out in (("VIDEO", video_ms, video), ("LIVE_STREAM", stream_ms, stream)):
        print(f"{name:12s} results {len(out)}/{len(frames)}, latency median {np.median(ms):.1f} ms, "
              f"p95 {np.percentile(ms, 95):.1f} ms")  # fmt: skip
    both = [k for k in video if video[k] is not None and stream.get(k) is not None]
    diff = np.mean([np.abs(video[k] - stream[k]).mean() for k in both]) * frames[0][1].shape[1]
    print(f"landmarks, LIVE_STREAM vs VIDEO on the same {len(both)} frames: mean difference {diff:.2f} px")


if __name__ == "__main__":
    main()
