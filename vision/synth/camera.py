"""Where the synthetic athlete is filmed from, and the matching pinhole projection.

A `Camera` is a position and a target in the world frame (metres, z up; the athlete
stands at the origin facing -y, so a front camera sits at (0, -d, h)). There is no roll:
image-up is as close to world +z as the view allows. `project` uses the same pinhole
model MuJoCo renders with (vertical field of view ``fovy_deg``, square pixels), so true
landmarks land on the rendered body to well under a pixel.

Pixel coordinates are continuous: x right, y down, origin at the top-left corner of the
image, so pixel (i, j)'s centre is (i + 0.5, j + 0.5), the same convention as MediaPipe's
normalised coordinates times the image size.

Pure numpy: needs no mujoco.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

VIEWS = ("front", "oblique", "side")
OBLIQUE_RANGE_DEG = (20.0, 60.0)


@dataclass(frozen=True)
class Camera:
    """A pinhole camera looking from ``position`` at ``target`` (world metres).

    Attributes:
        position, target: (3,) world metres.
        fovy_deg: vertical field of view in degrees.
        width, height: image size in pixels.
    """

    position: npt.NDArray[np.float64]
    target: npt.NDArray[np.float64]
    fovy_deg: float = 45.0
    width: int = 640
    height: int = 480

    def __post_init__(self) -> None:
        for name in ("position", "target"):
            value = np.asarray(getattr(self, name), dtype=np.float64)
            if value.shape != (3,):
                raise ValueError(f"{name} must have shape (3,), got {value.shape}")
            object.__setattr__(self, name, value)
        if np.linalg.norm(self.target - self.position) < 1e-6:
            raise ValueError("camera position and target coincide")
        if not 1.0 < self.fovy_deg < 179.0:
            raise ValueError(f"fovy_deg must be in (1, 179), got {self.fovy_deg}")
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"image size must be positive, got {self.width}x{self.height}")

    @classmethod
    def view(
        cls,
        view: str = "front",
        angle_deg: float | None = None,
        distance: float = 3.2,
        height: float = 1.0,
        width: int = 640,
        height_px: int = 480,
        fovy_deg: float = 45.0,
        target_height: float = 0.85,
    ) -> Camera:
        """A camera on a circle of radius ``distance`` around the athlete, ``height`` m up.

        Args:
            view: ``front`` (azimuth 0), ``oblique`` (``angle_deg`` 20..60 in size, default 40)
                or ``side`` (default 90).
            angle_deg: azimuth from the front; positive towards the athlete's left (+x),
                negative towards the right. For ``front`` it defaults to 0 and may be any small
                offset; for ``side`` +-90 picks which side.
            distance: horizontal distance from the athlete, metres.
            height: camera height above the floor, metres.
            width, height_px: image size in pixels.
            fovy_deg: vertical field of view.
            target_height: height of the aim point at the athlete's mid-body; with the
                defaults the whole body, feet, hops up to ~0.4 m and raised arms are in frame.
        """
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, got {view!r}")
        if angle_deg is None:
            angle_deg = {"front": 0.0, "oblique": 40.0, "side": 90.0}[view]
        if view == "oblique" and not OBLIQUE_RANGE_DEG[0] <= abs(angle_deg) <= OBLIQUE_RANGE_DEG[1]:
            raise ValueError(f"an oblique view needs |angle_deg| in {OBLIQUE_RANGE_DEG}, got {angle_deg}")
        a = math.radians(angle_deg)
        position = np.array([distance * math.sin(a), -distance * math.cos(a), height])
        target = np.array([0.0, 0.0, target_height])
        return cls(position, target, fovy_deg, width, height_px)

    @property
    def axes(self) -> npt.NDArray[np.float64]:
        """(3, 3) rows: image-right, image-down and forward unit vectors in world coordinates."""
        forward = self.target - self.position
        forward /= np.linalg.norm(forward)
        right = np.cross(forward, [0.0, 0.0, 1.0])
        if np.linalg.norm(right) < 1e-9:  # looking straight up or down: pick +x as right
            right = np.array([1.0, 0.0, 0.0])
        right /= np.linalg.norm(right)
        up = np.cross(right, forward)
        return np.stack([right, -up, forward])

    @property
    def focal_px(self) -> float:
        """Focal length in pixels (same horizontally and vertically)."""
        return 0.5 * self.height / math.tan(math.radians(self.fovy_deg) / 2)

    @property
    def intrinsics(self) -> npt.NDArray[np.float64]:
        """(3, 3) pinhole matrix K for `to_camera_axes` coordinates and continuous pixels."""
        f = self.focal_px
        return np.array([[f, 0.0, self.width / 2], [0.0, f, self.height / 2], [0.0, 0.0, 1.0]])

    def to_camera_axes(self, points: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """World (N, 3) -> camera axes (N, 3): x image-right, y image-down, z forward (metres)."""
        p = np.asarray(points, dtype=np.float64)
        return (p - self.position) @ self.axes.T

    def project(self, points: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """World (N, 3) -> ((N, 2) pixel xy, (N,) depth along the view axis in metres).

        Points behind the camera (depth <= 0) get NaN pixels.
        """
        c = self.to_camera_axes(points)
        depth = c[..., 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            xy = self.focal_px * c[..., :2] / depth[..., None] + np.array([self.width / 2, self.height / 2])
        xy[depth <= 0] = np.nan
        return xy, depth

    def free_camera(self) -> tuple[npt.NDArray[np.float64], float, float, float]:
        """MuJoCo free-camera parameters: (lookat, distance, azimuth_deg, elevation_deg)."""
        offset = self.target - self.position
        distance = float(np.linalg.norm(offset))
        forward = offset / distance
        azimuth = math.degrees(math.atan2(forward[1], forward[0]))
        elevation = math.degrees(math.asin(float(np.clip(forward[2], -1.0, 1.0))))
        return self.target.copy(), distance, azimuth, elevation
