"""Fast mode: the synthetic athlete's true landmarks as a `LandmarkSeries`, no rendering.

A motion is traced frame by frame through the humanoid's forward kinematics (grounded,
33 landmarks, foot heights: well under a millisecond a frame), projected by a `Camera`
and packed as the series MediaPipe would give on a perfect day, with its exact labels.
Counter tests run on it in milliseconds to a second; `vision.synth.noise` then adds
MediaPipe's typical trouble.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from vision import landmarks as lm
from vision.series import LandmarkSeries
from vision.synth.body import BodyPose, Humanoid
from vision.synth.camera import Camera
from vision.synth.labels import Labels, label_segments
from vision.synth.motions import LegGeometry, Motion, MotionSpec, Posture, Segment, build_motion
from vision.synth.motions_jumps import rope_polyline

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Trajectory:
    """A motion sampled at a frame rate, through the humanoid.

    Attributes:
        t: (T,) frame times, seconds.
        poses: grounded body poses, one per frame (what the renderer draws).
        landmarks: (T, 33, 3) true landmark positions, world metres.
        feet: (T, 2) lowest point of the left and right foot above the floor, metres.
        ropes: per frame an (N, 3) rope polyline, or None without a rope.
        segments: the motion's segments.
        fps: frames per second.
    """

    t: FloatArray
    poses: tuple[BodyPose, ...]
    landmarks: FloatArray
    feet: FloatArray
    ropes: tuple[FloatArray | None, ...]
    segments: tuple[Segment, ...]
    fps: float

    def labels(self, camera: dict[str, Any] | None = None, source: str = "") -> Labels:
        """The clip's true labels, measured on this trajectory."""
        return label_segments(self.t, self.landmarks, self.feet, self.segments, self.fps, camera, source)


@lru_cache(maxsize=4)
def default_humanoid(scale: float = 1.0) -> Humanoid:
    """A shared humanoid for fast mode (loading the model costs more than tracing a clip)."""
    return Humanoid(scale=scale)


def leg_geometry(humanoid: Humanoid) -> LegGeometry:
    """The humanoid's leg lengths, measured standing."""
    return LegGeometry.from_landmarks(humanoid.landmarks(BodyPose(np.zeros(3))))


def body_pose(humanoid: Humanoid, posture: Posture) -> BodyPose:
    """A posture as a grounded `BodyPose` (lowest foot point at ``posture.height``)."""
    return humanoid.grounded(BodyPose(np.asarray(posture.root, float), posture.yaw, posture.joints), posture.height)


def trace(motion: Motion, humanoid: Humanoid, fps: float) -> Trajectory:
    """Sample ``motion`` at ``fps`` through the humanoid's kinematics."""
    t = motion.times(fps)
    poses, marks, feet, ropes = [], [], [], []
    for ti in t:
        posture = motion.posture_at(float(ti))
        pose = body_pose(humanoid, posture)
        heights = humanoid.foot_heights(pose)
        points = humanoid.landmarks(pose)
        rope = None
        if posture.rope_phase is not None:
            rope = rope_polyline(points[lm.idx("left_wrist")], points[lm.idx("right_wrist")], posture.rope_phase)
        poses.append(pose)
        marks.append(points)
        feet.append((heights["left"], heights["right"]))
        ropes.append(rope)
    return Trajectory(t, tuple(poses), np.array(marks), np.array(feet), tuple(ropes), motion.segments, float(fps))


def camera_info(camera: Camera, **extra: Any) -> dict[str, Any]:
    """The camera as plain JSON values (plus e.g. ``view`` and ``angle_deg``)."""
    return {
        **extra,
        "position": [round(float(v), 4) for v in camera.position],
        "target": [round(float(v), 4) for v in camera.target],
        "fovy_deg": camera.fovy_deg, "width": camera.width, "height": camera.height,
    }  # fmt: skip


def to_series(traj: Trajectory, camera: Camera, seed: int = 0) -> LandmarkSeries:
    """What a perfect pose model would report: projected pixels, hip-centred camera-axes
    metres (MediaPipe's world landmarks) and a visibility of 0.9–1.0."""
    n = len(traj.t)
    flat = traj.landmarks.reshape(-1, 3)
    xy, _ = camera.project(flat)
    hips = 0.5 * (traj.landmarks[:, lm.idx("left_hip")] + traj.landmarks[:, lm.idx("right_hip")])
    world = (traj.landmarks - hips[:, None, :]).reshape(-1, 3) @ camera.axes.T
    vis = np.random.default_rng(seed).uniform(0.9, 1.0, (n, lm.COUNT))
    return LandmarkSeries(
        traj.t.copy(), xy.reshape(n, lm.COUNT, 2).astype(np.float32), world.reshape(n, lm.COUNT, 3).astype(np.float32),
        vis.astype(np.float32), (camera.width, camera.height), traj.fps, {"source": "synthetic"},
    )  # fmt: skip


def simulate(
    spec: MotionSpec | Motion,
    camera: Camera | None = None,
    fps: float = 30.0,
    humanoid: Humanoid | None = None,
) -> tuple[LandmarkSeries, Labels]:
    """A spec (or a prebuilt motion, e.g. a session) as a perfect landmark series and its labels.

    Args:
        spec: what the athlete does.
        camera: defaults to the front view, 640x480.
        fps: frame rate of the series.
        humanoid: defaults to a shared standard-size body.

    Example:
        >>> series, labels = simulate(MotionSpec("split_jumps", reps=6), Camera.view("oblique"))
        >>> labels.exercises[0].count
        6
    """
    humanoid = humanoid or default_humanoid()
    camera = camera or Camera.view("front")
    motion = build_motion(spec, leg_geometry(humanoid)) if isinstance(spec, MotionSpec) else spec
    traj = trace(motion, humanoid, fps)
    seed = spec.seed if isinstance(spec, MotionSpec) else 0
    return to_series(traj, camera, seed), traj.labels(camera_info(camera))
