"""Frames per second of the synthetic athlete's renderer (DESIGN.md §6: aim >= 10 at 640x480).

Renders a scripted squat-and-hop from a front camera with shadows at a few shadow-map
sizes, without shadows and with 4x antialiasing, and prints frames/s for each, plus landmark (kinematics
only) throughput for comparison.

    python benchmarks/render.py [--frames 120] [--width 640 --height 480] [--view front]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from vision.synth import BodyPose, Camera, Humanoid, Renderer
from vision.synth.render import SHADOW_SIZE


def scripted_poses(body: Humanoid, frames: int) -> list[BodyPose]:
    """A squat that turns into small hops, 30 frames/s."""
    poses = []
    for i in range(frames):
        phase = 2 * math.pi * i / 30
        bend = 0.5 * (1 - math.cos(phase))
        joints = {f"{s}_{j}": a * bend for s in ("left", "right") for j, a in
                  (("hip_flex", 0.8), ("knee", 1.4), ("ankle_flex", 0.5), ("shoulder_flex", 0.9))}  # fmt: skip
        hop = 0.15 * max(0.0, math.sin(phase)) if i >= frames // 2 else 0.0
        poses.append(body.grounded(BodyPose(np.zeros(3), joints=joints), hop))
    return poses


def render_fps(
    body: Humanoid, camera: Camera, poses: list[BodyPose], shadows: bool, shadow_size: int, antialias: bool = False
) -> float:
    with Renderer(body, camera, shadows=shadows, shadow_size=shadow_size, antialias=antialias) as renderer:
        renderer.render(poses[0])  # warm-up: first frame compiles shaders
        start = time.perf_counter()
        for pose in poses:
            renderer.render(pose)
        return len(poses) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--view", default="front", choices=("front", "oblique", "side"))
    args = parser.parse_args()

    body = Humanoid()
    camera = Camera.view(args.view, width=args.width, height_px=args.height)
    poses = scripted_poses(body, args.frames)

    start = time.perf_counter()
    for pose in poses:
        body.landmarks(pose)
    print(f"landmarks only          : {len(poses) / (time.perf_counter() - start):9.0f} frames/s")
    print(f"rendering {args.width}x{args.height}, {args.view} view, {args.frames} frames:")
    for size in sorted({512, SHADOW_SIZE, 2048}):
        mark = " (default)" if size == SHADOW_SIZE else ""
        fps = render_fps(body, camera, poses, True, size)
        print(f"  shadows, map {size:4d}    : {fps:6.1f} frames/s{mark}")
    print(f"  no shadows            : {render_fps(body, camera, poses, False, SHADOW_SIZE):6.1f} frames/s")
    fps = render_fps(body, camera, poses, True, SHADOW_SIZE, antialias=True)
    print(f"  shadows + antialias   : {fps:6.1f} frames/s")


if __name__ == "__main__":
    main()
