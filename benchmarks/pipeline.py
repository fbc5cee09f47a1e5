"""Throughput of the whole `analyze` pipeline against pose estimation alone.

Pose inference is the cost we cannot avoid; everything repcount adds (decoding,
athlete tracking, the series, counting) should hide behind it. This runs both on the
same clip in one process and prints frames per second and their ratio.
Goal: the pipeline keeps at least 95 % of pose-alone throughput.

    python benchmarks/pipeline.py [VIDEO] [--exercise two_leg_hops]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from vision import analyze
from vision.pose import PoseEstimator
from vision.sources import VideoFile

DEFAULT_CLIP = Path(__file__).resolve().parent.parent / "sample_videos" / "two_leg_hops_front.mp4"


def pose_alone_fps(path: Path) -> tuple[float, int]:
    """Frames per second of pose on frames already decoded into memory."""
    frames = list(VideoFile(path))
    with PoseEstimator() as pose:
        pose.process(frames[0][1], -1.0)  # warm-up: the first call is slow
        start = time.perf_counter()
        for t, frame in frames:
            pose.process(frame, t)
        elapsed = time.perf_counter() - start
    return len(frames) / elapsed, len(frames)


def pipeline_fps(path: Path, exercise: str) -> float:
    """Frames per second of `vision.analyze` from the file on disk to the counts."""
    start = time.perf_counter()
    result = analyze(path, exercise)
    return result.frames / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", nargs="?", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--exercise", default="two_leg_hops")
    args = parser.parse_args()
    pose_fps, n = pose_alone_fps(args.video)
    full_fps = pipeline_fps(args.video, args.exercise)
    print(f"clip: {args.video.name} ({n} frames)")
    print(f"pose alone:    {pose_fps:6.1f} frames/s ({1000 / pose_fps:.1f} ms/frame)")
    print(f"full pipeline: {full_fps:6.1f} frames/s ({1000 / full_fps:.1f} ms/frame)")
    print(f"ratio:         {full_fps / pose_fps:6.1%}  (goal >= 95%)")


if __name__ == "__main__":
    main()
