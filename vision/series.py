"""`LandmarkSeries`: one athlete's pose over time, the boundary every counter reads.

Everything downstream of pose estimation is plain numpy on this dataclass: counters,
segmentation and reports never see MediaPipe, so they can be tested on recorded or
synthetic series in milliseconds.

Frames where no person was found are *gaps*: their coordinates are NaN and their
visibility 0, never zeros, so a missing frame can't look like a foot on the floor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from vision import landmarks as lm

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class PoseFrame:
    """The landmarks of one athlete in one frame.

    Attributes:
        t: capture time in seconds from the start of the source.
        xy: (33, 2) image coordinates in pixels (x right, y down).
        world: (33, 3) metric coordinates in metres, origin between the hips, axes as
            MediaPipe gives them (x to the image's right, y down, z away from the camera).
        visibility: (33,) MediaPipe's likelihood that each landmark is visible, 0..1.
    """

    t: float
    xy: FloatArray
    world: FloatArray
    visibility: FloatArray


@dataclass(frozen=True)
class LandmarkSeries:
    """One athlete's landmarks over T frames.

    Attributes:
        t: (T,) seconds, strictly increasing (real timestamps, so variable frame rate works).
        xy: (T, 33, 2) pixels; NaN where no person was detected.
        world: (T, 33, 3) metres; NaN where no person was detected.
        visibility: (T, 33) in 0..1; 0 where no person was detected.
        resolution_wh: (width, height) of the frames in pixels.
        fps: the source's nominal frame rate (a float: 29.97 stays 29.97).
    """

    t: npt.NDArray[np.float64]
    xy: FloatArray
    world: FloatArray
    visibility: FloatArray
    resolution_wh: tuple[int, int]
    fps: float
    meta: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.t)
        expected = {
            "t": (n,),
            "xy": (n, lm.COUNT, 2),
            "world": (n, lm.COUNT, 3),
            "visibility": (n, lm.COUNT),
        }
        for name, shape in expected.items():
            actual = getattr(self, name).shape
            if actual != shape:
                raise ValueError(f"LandmarkSeries.{name} has shape {actual}, expected {shape}")
        if n > 1 and not np.all(np.diff(self.t) > 0):
            raise ValueError("LandmarkSeries.t must be strictly increasing")

    def __len__(self) -> int:
        return len(self.t)

    @property
    def detected(self) -> npt.NDArray[np.bool_]:
        """(T,) True where a person was found in the frame."""
        return ~np.isnan(self.xy[:, 0, 0])

    @property
    def duration_s(self) -> float:
        """Seconds from the first to one frame past the last frame."""
        if len(self) == 0:
            return 0.0
        return float(self.t[-1] - self.t[0] + 1.0 / self.fps)

    def frame(self, i: int) -> PoseFrame | None:
        """Frame ``i`` as a `PoseFrame`, or None where it is a gap."""
        if not self.detected[i]:
            return None
        return PoseFrame(float(self.t[i]), self.xy[i], self.world[i], self.visibility[i])

    def slice(self, start: int, stop: int) -> LandmarkSeries:
        """Frames ``start:stop`` as a new series (timestamps unchanged)."""
        s = np.s_[start:stop]
        return LandmarkSeries(
            self.t[s], self.xy[s], self.world[s], self.visibility[s],
            self.resolution_wh, self.fps, dict(self.meta),
        )  # fmt: skip

    @classmethod
    def from_frames(
        cls,
        t: npt.ArrayLike,
        frames: list[PoseFrame | None],
        resolution_wh: tuple[int, int],
        fps: float,
        meta: dict[str, str] | None = None,
    ) -> LandmarkSeries:
        """Stack per-frame results (None for a frame with no person) into a series."""
        n = len(frames)
        xy = np.full((n, lm.COUNT, 2), np.nan, np.float32)
        world = np.full((n, lm.COUNT, 3), np.nan, np.float32)
        vis = np.zeros((n, lm.COUNT), np.float32)
        for i, f in enumerate(frames):
            if f is not None:
                xy[i], world[i], vis[i] = f.xy, f.world, f.visibility
        return cls(np.asarray(t, np.float64), xy, world, vis, resolution_wh, fps, meta or {})

    def save(self, path: str | Path) -> None:
        """Write the series to a compressed ``.npz`` (the ``--cache`` file)."""
        np.savez_compressed(
            path,
            t=self.t, xy=self.xy, world=self.world, visibility=self.visibility,
            resolution_wh=np.asarray(self.resolution_wh), fps=np.asarray(self.fps),
            meta_keys=np.asarray(list(self.meta.keys()), dtype=str),
            meta_values=np.asarray(list(self.meta.values()), dtype=str),
        )  # fmt: skip

    @classmethod
    def load(cls, path: str | Path) -> LandmarkSeries:
        """Read a series written by `save`."""
        with np.load(path) as z:
            w, h = (int(v) for v in z["resolution_wh"])
            meta = dict(zip(z["meta_keys"].tolist(), z["meta_values"].tolist()))
            return cls(z["t"], z["xy"], z["world"], z["visibility"], (w, h), float(z["fps"]), meta)
