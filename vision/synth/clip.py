"""Clip writer: a synthetic athlete's exercise (or session) as ``.mp4`` + ``.json`` + ``.npz``.

`render_clip` traces the motion through the humanoid, measures the labels on the 3D
motion, renders every frame and writes:

- ``out.mp4``: H.264 through an ffmpeg subprocess when ffmpeg is on the PATH (small
  files), else OpenCV's ``mp4v``;
- ``out.json``: the labels (DESIGN.md §4, schema 1) with the camera;
- ``out.npz``: the truth per frame: ``t`` (T,), ``landmarks`` (T, 33, 3) world metres,
  ``feet`` (T, 2) lowest foot points (left, right) above the floor, ``fps``.

The CLI's ``repcount synth`` maps its flags one to one onto `ClipSpec` and `MotionSpec`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Protocol

import numpy as np
import numpy.typing as npt

from vision.synth.body import OUTFIT_DEFAULT, Humanoid, Outfit
from vision.synth.camera import Camera
from vision.synth.fast import camera_info, leg_geometry, trace
from vision.synth.labels import Labels
from vision.synth.motions import LegGeometry, Motion, MotionSpec, build_motion
from vision.synth.render import ROOM_DEFAULT, Renderer, Room

FPS_CHOICES = (25, 30, 60)
Progress = Callable[[int, int], None]
"""Called as ``progress(frames_done, frames_total)`` after each rendered frame."""


class Routine(Protocol):
    """Anything that can build its own motion for a body (a `vision.synth.session.Session`)."""

    def build(self, geometry: LegGeometry) -> Motion: ...


@dataclass(frozen=True)
class ClipSpec:
    """Everything that decides a rendered clip; the same spec renders the same file.

    Args:
        content: the exercise (`MotionSpec`) or a whole session.
        view: ``front``, ``oblique`` or ``side`` (see `Camera.view`).
        angle_deg: azimuth from the front (None = the view's default: 0, 40, 90).
        distance: camera distance, metres.
        camera_height: camera height above the floor, metres.
        width, height: frame size in pixels.
        fps: 25, 30 or 60.
        outfit: colours, or ``"random"`` to draw them from ``seed``.
        room: floor and wall colours, or ``"random"`` to draw them from ``seed``.
        scale: body size (0.9–1.1 plausible).
        seed: seeds the random outfit.
        crf: H.264 quality (lower = better and bigger; 23–32 sensible).
    """

    content: MotionSpec | Routine
    view: str = "front"
    angle_deg: float | None = None
    distance: float = 3.2
    camera_height: float = 1.0
    width: int = 640
    height: int = 480
    fps: int = 30
    outfit: Outfit | str = field(default=OUTFIT_DEFAULT)
    room: Room | str = field(default=ROOM_DEFAULT)
    scale: float = 1.0
    seed: int = 0
    crf: int = 28

    def __post_init__(self) -> None:
        if self.fps not in FPS_CHOICES:
            raise ValueError(f"fps must be one of {FPS_CHOICES}, not {self.fps}")
        for name in ("outfit", "room"):
            value = getattr(self, name)
            if isinstance(value, str) and value != "random":
                raise ValueError(f"{name} must be an {name.title()} or 'random', not {value!r}")

    def camera(self) -> Camera:
        return Camera.view(
            self.view, self.angle_deg, self.distance, self.camera_height, self.width, self.height
        )  # fmt: skip

    def humanoid(self) -> Humanoid:
        outfit = Outfit.random(np.random.default_rng(self.seed)) if self.outfit == "random" else self.outfit
        assert isinstance(outfit, Outfit)
        return Humanoid(outfit, self.scale)

    def scene(self) -> Room:
        """The room; a random one comes from its own stream of ``seed``, apart from the outfit's."""
        room = Room.random(np.random.default_rng([self.seed, 1])) if self.room == "random" else self.room
        assert isinstance(room, Room)
        return room

    def motion(self, geometry: LegGeometry) -> Motion:
        if isinstance(self.content, MotionSpec):
            return build_motion(self.content, geometry)
        return self.content.build(geometry)


class VideoSink:
    """Writes BGR frames to an mp4: H.264 via ffmpeg if available, else OpenCV mp4v."""

    def __init__(self, path: Path, fps: float, size_wh: tuple[int, int], crf: int = 28) -> None:
        self.path, self.size_wh = path, size_wh
        ffmpeg = shutil.which("ffmpeg")
        self._proc: subprocess.Popen[bytes] | None = None
        self._cv = None
        if ffmpeg:
            w, h = size_wh
            cmd = [
                ffmpeg, "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{w}x{h}",
                "-r", str(fps), "-i", "-", "-c:v", "libx264", "-preset", "medium", "-crf", str(crf),
                "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path),
            ]  # fmt: skip
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
        else:
            import cv2

            fourcc = cv2.VideoWriter_fourcc(*"mp4v")  # type: ignore[attr-defined]
            self._cv = cv2.VideoWriter(str(path), fourcc, fps, size_wh)

    def write(self, frame: npt.NDArray[np.uint8]) -> None:
        if self._proc is not None and self._proc.stdin is not None:
            self._proc.stdin.write(np.ascontiguousarray(frame).tobytes())
        elif self._cv is not None:
            self._cv.write(frame)

    def close(self) -> None:
        if self._proc is not None and self._proc.stdin is not None:
            self._proc.stdin.close()
            if self._proc.wait() != 0:
                raise RuntimeError(f"ffmpeg failed writing {self.path}")
        elif self._cv is not None:
            self._cv.release()

    def __enter__(self) -> VideoSink:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def render_clip(spec: ClipSpec, out_path: str | Path, progress: Progress | None = None, npz: bool = True) -> Labels:
    """Render ``spec`` to ``out_path`` (.mp4) with its ``.json`` labels (and ``.npz`` truth).

    Args:
        spec: what to render.
        out_path: the video's path; the labels and truth go next to it.
        progress: called after each frame with (done, total), e.g. to drive a progress bar.
        npz: also write the per-frame truth.

    Returns:
        The labels written to the ``.json``.
    """
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    humanoid, camera = spec.humanoid(), spec.camera()
    traj = trace(spec.motion(leg_geometry(humanoid)), humanoid, spec.fps)
    info = camera_info(camera, view=spec.view, angle_deg=spec.angle_deg, distance=spec.distance)
    labels = traj.labels(info, source=out.name)
    n = len(traj.t)
    sink = VideoSink(out, spec.fps, (spec.width, spec.height), spec.crf)
    with Renderer(humanoid, camera, room=spec.scene()) as renderer, sink:
        for i, (pose, rope) in enumerate(zip(traj.poses, traj.ropes)):
            sink.write(renderer.render(pose, rope))
            if progress is not None:
                progress(i + 1, n)
    out.with_suffix(".json").write_text(json.dumps(labels.to_json(), indent=1) + "\n")
    if npz:
        np.savez_compressed(
            out.with_suffix(".npz"), t=traj.t, landmarks=traj.landmarks.astype(np.float32),
            feet=traj.feet.astype(np.float32), fps=np.asarray(spec.fps),
        )  # fmt: skip
    return labels
