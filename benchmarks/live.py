"""The live session on a paced 640x480 30 fps source: throughput, dropped frames, latency, memory.

A sample clip plays as a camera in real time (`PacedVideo`, looped for long sessions) through
the whole live path (`vision.live.run_live`: newest-frame hand-off, pose, counter, HUD drawn
as for the window, no window). Prints the frames processed per second, the frames dropped,
the latency from a frame's capture to its count drawn on screen (median, p95), and the
process's RSS once a minute, which must stay flat over a long session.
Goals: every frame of 30 fps processed (none dropped), p95 latency < 50 ms, flat RSS.

    python benchmarks/live.py [VIDEO] [--minutes 10] [--num-poses 1] [--exercise two_leg_hops]
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import numpy as np

from vision.live import FrameTiming, LiveSession, run_live
from vision.sources import PacedVideo

DEFAULT_CLIP = Path(__file__).resolve().parent.parent / "sample_videos" / "two_leg_hops_front.mp4"


def rss_mb() -> float:
    """The process's resident memory now, MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Probe:
    """Collects each frame's latency and prints RSS and the minute's figures once a minute."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.next_minute = 60.0
        self.minute_start = 0
        self.rss: list[float] = []

    def __call__(self, timing: FrameTiming) -> None:
        self.latencies.append(timing.latency_s)
        if timing.t >= self.next_minute:
            recent = np.array(self.latencies[self.minute_start :]) * 1000
            self.rss.append(rss_mb())
            print(f"minute {len(self.rss):2d}: RSS {self.rss[-1]:6.1f} MB, {len(recent)} frames, "
                  f"dropped so far {timing.dropped}, latency median {np.median(recent):.0f} ms, "
                  f"p95 {np.percentile(recent, 95):.0f} ms", flush=True)  # fmt: skip
            self.next_minute += 60.0
            self.minute_start = len(self.latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", nargs="?", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--minutes", type=float, default=1.0, help="session length (the clip loops)")
    parser.add_argument("--num-poses", type=int, default=1)
    parser.add_argument("--exercise", default="two_leg_hops")
    args = parser.parse_args()
    source = PacedVideo(args.video, loop=True, end_s=60 * args.minutes)
    session = LiveSession(source.info.fps, (source.info.width, source.info.height), exercise=args.exercise)
    probe = Probe()
    print(f"RSS at start: {rss_mb():.1f} MB")
    start = time.monotonic()
    outcome = run_live(source, session, window=False, render=True, on_frame=probe, num_poses=args.num_poses)
    elapsed = time.monotonic() - start
    result = outcome.result
    latency = np.array(probe.latencies[30:]) * 1000  # the first second holds the model's warm-up
    total = result.frames + source.frames_dropped
    print(f"clip: {args.video.name} {source.info.width}x{source.info.height} @ {source.info.fps:g} fps, "
          f"looped for {result.duration_s:.0f} s; num_poses={args.num_poses}")  # fmt: skip
    print(f"processed: {result.frames} of {total} frames ({result.frames / elapsed:.1f} frames/s; "
          f"source {total / elapsed:.1f}), dropped {source.frames_dropped}")  # fmt: skip
    print(f"latency capture -> count drawn: median {np.median(latency):.1f} ms, "
          f"p95 {np.percentile(latency, 95):.1f} ms, max {latency.max():.1f} ms (goal p95 < 50 ms)")  # fmt: skip
    print(f"counted: {result.exercises[0].count} {args.exercise}")
    if probe.rss:
        print(f"RSS per minute (MB): {', '.join(f'{r:.0f}' for r in probe.rss)}; end {rss_mb():.1f} MB")


if __name__ == "__main__":
    main()
