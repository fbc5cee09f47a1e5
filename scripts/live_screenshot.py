"""Render the README's picture of the live window (docs/live.png) from the frames the HUD draws.

A sample clip plays as a camera through the real live path (`vision.live.run_live`, guided
mode with a short routine, no window); the frame drawn at ``--at`` seconds is saved.

    python scripts/live_screenshot.py [--at 2.75] [--out docs/live.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2

from vision.live import FrameTiming, LiveSession, run_live
from vision.overlay import Image
from vision.routine import parse_routine
from vision.sources import PacedVideo

ROOT = Path(__file__).resolve().parent.parent
CLIP = ROOT / "sample_videos" / "two_leg_hops_front.mp4"
ROUTINE = parse_routine('name = "Hops"\n[[item]]\nexercise = "two_leg_hops"\nsets = 2\nreps = 5\nrest_s = 30\n')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", type=float, default=2.75, help="the moment to save, seconds into the clip")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "live.png")
    args = parser.parse_args()
    source = PacedVideo(CLIP, end_s=args.at + 0.1)
    session = LiveSession(source.info.fps, (source.info.width, source.info.height), routine=ROUTINE)
    saved: list[Image] = []

    def keep(frame: FrameTiming) -> None:
        if frame.shown is not None and frame.t <= args.at:
            saved[:] = [frame.shown]

    run_live(source, session, window=False, render=True, on_frame=keep)
    cv2.imwrite(str(args.out), saved[0], [cv2.IMWRITE_PNG_COMPRESSION, 9])
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
