"""Render the sample clips in sample_videos/ (seeded: the same command gives the same clips).

    MUJOCO_GL=egl python scripts/build_samples.py            # all clips
    MUJOCO_GL=egl python scripts/build_samples.py --only split_jumps_oblique

Each clip gets its ``.json`` of true labels next to it (DESIGN.md §4). Sizes are kept
small for the repository (each < 2.5 MB, all < 8 MB): 640x480, or 1280x720 for the session and the
ankle circles (where MediaPipe sees the foot large enough for its circles), H.264 via ffmpeg.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from vision.synth.clip import ClipSpec, render_clip
from vision.synth.motions import MotionSpec
from vision.synth.session import DEFAULT_SESSION

OUT = Path(__file__).resolve().parent.parent / "sample_videos"

SAMPLES: dict[str, ClipSpec] = {
    "session_front": ClipSpec(DEFAULT_SESSION, view="front", width=1280, height=720, fps=25, seed=11, crf=30),
    "ankle_rotations_front": ClipSpec(
        MotionSpec("ankle_rotations", reps=5, side="right", direction="ccw", seed=12),
        view="front", width=1280, height=720, outfit="random", room="random", seed=12,
    ),
    "split_jumps_oblique": ClipSpec(
        MotionSpec("split_jumps", reps=6, seed=13),
        view="oblique", angle_deg=40.0, outfit="random", room="random", seed=13,
    ),
    "two_leg_hops_front": ClipSpec(
        MotionSpec("two_leg_hops", reps=8, seed=14), view="front", outfit="random", room="random", seed=14
    ),
    "jump_rope_alternate_oblique": ClipSpec(
        MotionSpec("jump_rope", reps=16, style="alternate_foot", seed=15),
        view="oblique", angle_deg=30.0, outfit="random", room="random", seed=15,
    ),
}  # fmt: skip
"""The committed samples, by file stem."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: sample_videos/)")
    parser.add_argument("--only", choices=sorted(SAMPLES), action="append", help="render only these clips")
    args = parser.parse_args(argv)
    for name in args.only or SAMPLES:
        start = time.monotonic()

        def show(done: int, total: int, name: str = name) -> None:
            if done % 50 == 0 or done == total:
                print(f"\r{name}: {done}/{total} frames", end="", file=sys.stderr, flush=True)

        labels = render_clip(SAMPLES[name], args.out / f"{name}.mp4", progress=show, npz=False)
        size_mb = (args.out / f"{name}.mp4").stat().st_size / 1e6
        counts = ", ".join(f"{e.name} {e.count}" for e in labels.exercises)
        print(f"\r{name}.mp4: {labels.duration_s:.1f} s, {size_mb:.2f} MB, {counts} ({time.monotonic() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
