"""Offscreen frames of the synthetic athlete, BGR like OpenCV, on the CPU.

    with Renderer(Humanoid(), Camera.view("oblique")) as renderer:
        frame = renderer.render(pose)            # (480, 640, 3) uint8 BGR

GL backend: the renderer makes its own offscreen context of the backend ``MUJOCO_GL``
names (egl, osmesa or glfw), so it works even if something imported mujoco first. If
nobody set it, `vision.synth.body.load_mujoco` (first use, never at import) sets ``egl``
(Debian: libegl1, libegl-mesa0, libgl1-mesa-dri) when a probe EGL context works in a
subprocess, else ``osmesa`` (libosmesa6; prints a harmless PyOpenGL error at exit). Set
``MUJOCO_GL`` yourself before the first `Humanoid` to force one; PyOpenGL binds one
platform per process, so all renderers in a process share the first one's backend.

Cost (640x480, 2 cores): shadows and 4x antialiasing each about halve the frame rate;
see benchmarks/render.py. The defaults (shadows on, a 1024 shadow map, no antialiasing)
run at ~10-20 frames/s depending on load.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt

from vision.synth.body import BodyPose, Humanoid, load_mujoco
from vision.synth.camera import Camera

ROPE_RADIUS = 0.006
"""Jump-rope thickness in metres (a real rope is 4-6 mm across; thin but visible)."""
ROPE_RGBA = (0.08, 0.08, 0.09, 1.0)
SHADOW_SIZE = 1024
"""Shadow-map size in texels: the main render cost; 1024 keeps soft but clear foot shadows."""


RGBA = tuple[float, float, float, float]


@dataclass(frozen=True)
class Room:
    """The room's colours: ``floor`` multiplies the wooden floor texture's RGB (above 1
    brightens it), ``wall`` is the walls' RGBA (0..1). Vary them so clips do not all share
    one background."""

    floor: RGBA = (1.0, 1.0, 1.0, 1.0)
    wall: RGBA = (0.80, 0.78, 0.72, 1.0)

    @classmethod
    def random(cls, rng: np.random.Generator) -> Room:
        """Light to dark wood (oak to walnut, some grey-washed) and pale walls of any hue."""
        shade = rng.uniform(0.55, 1.35)
        warmth = rng.uniform(-0.12, 0.08)
        floor = shade * np.array([1.0 + warmth, 1.0, 1.0 - warmth])
        hue = rng.uniform(0.0, 2 * np.pi)
        tint = 0.035 * np.array([np.cos(hue), np.cos(hue - 2.1), np.cos(hue + 2.1)])
        wall = np.clip(rng.uniform(0.62, 0.9) + tint, 0.0, 1.0)
        return cls(_rgba(floor), _rgba(wall))


def _rgba(rgb: npt.NDArray[np.float64]) -> RGBA:
    return (float(rgb[0]), float(rgb[1]), float(rgb[2]), 1.0)


ROOM_DEFAULT = Room()


def _gl_context(width: int, height: int) -> Any:
    """An offscreen OpenGL context of the backend ``MUJOCO_GL`` names (set by `load_mujoco`)."""
    backend = os.environ.get("MUJOCO_GL", "").lower().strip()
    if backend == "egl":
        from mujoco.egl import GLContext
    elif backend == "osmesa":
        from mujoco.osmesa import GLContext
    elif backend in ("glfw", ""):
        from mujoco.glfw import GLContext
    else:
        raise RuntimeError(f"MUJOCO_GL={backend!r} is not supported here: use egl, osmesa or glfw")
    return GLContext(width, height)


class Renderer:
    """Draws a `Humanoid` in a pose from one `Camera`; a context manager that frees the GL context.

    Args:
        humanoid: the body (its model gets this camera's field of view and shadow size).
        camera: where to film from; its width/height are the frame size.
        shadows: cast the key light's shadows (on by default: they ground the feet).
        shadow_size: shadow-map size in texels.
        antialias: 4x multisampling: smoother edges and rope, about half the frame rate.
            MediaPipe finds the athlete as well without it (same detection, same ankle error).
        room: floor and wall colours.
    """

    def __init__(
        self,
        humanoid: Humanoid,
        camera: Camera,
        shadows: bool = True,
        shadow_size: int = SHADOW_SIZE,
        antialias: bool = False,
        room: Room = ROOM_DEFAULT,
    ) -> None:
        self._mj = load_mujoco()
        self.humanoid = humanoid
        self.camera = camera
        self.shadows = shadows
        self.room = room
        model = humanoid.model
        model.vis.global_.offwidth = max(int(model.vis.global_.offwidth), camera.width)
        model.vis.global_.offheight = max(int(model.vis.global_.offheight), camera.height)
        model.vis.quality.shadowsize = shadow_size  # both are read when the GL context is made
        model.vis.quality.offsamples = 4 if antialias else 0
        mj = self._mj
        self._gl: Any = _gl_context(camera.width, camera.height)
        self._gl.make_current()
        self._scene = mj.MjvScene(model, maxgeom=2000)
        self._option = mj.MjvOption()
        self._perturb = mj.MjvPerturb()
        self._context: Any = mj.MjrContext(model, mj.mjtFontScale.mjFONTSCALE_50)
        mj.mjr_setBuffer(mj.mjtFramebuffer.mjFB_OFFSCREEN, self._context)
        self._upload_floor_texture(room.floor)
        self._rect = mj.MjrRect(0, 0, camera.width, camera.height)
        self._rgb = np.empty((camera.height, camera.width, 3), dtype=np.uint8)
        self._mjv_camera = mj.MjvCamera()
        self._mjv_camera.type = mj.mjtCamera.mjCAMERA_FREE
        lookat, distance, azimuth, elevation = camera.free_camera()
        self._mjv_camera.lookat[:] = lookat
        self._mjv_camera.distance = distance
        self._mjv_camera.azimuth = azimuth
        self._mjv_camera.elevation = elevation

    def render(self, pose: BodyPose, rope: npt.ArrayLike | None = None) -> npt.NDArray[np.uint8]:
        """A BGR uint8 (H, W, 3) frame of the athlete in ``pose``.

        Args:
            pose: the body pose (not grounded for you: use `Humanoid.grounded`).
            rope: optional (N, 3) polyline in world metres, drawn as a thin dark capsule chain.
        """
        if self._context is None:
            raise RuntimeError("render() called after close()")
        mj = self._mj
        model = self.humanoid.model
        model.vis.global_.fovy = self.camera.fovy_deg  # the model may be shared by renderers
        model.mat_rgba[model.material("wall").id] = self.room.wall
        self.humanoid.set_pose(pose)
        self._gl.make_current()
        mj.mjv_updateScene(
            model, self.humanoid.data, self._option, self._perturb, self._mjv_camera,
            mj.mjtCatBit.mjCAT_ALL, self._scene,
        )  # fmt: skip
        self._scene.flags[mj.mjtRndFlag.mjRND_SHADOW] = self.shadows
        if rope is not None:
            self._add_rope(self._scene, np.asarray(rope, dtype=np.float64))
        mj.mjr_render(self._rect, self._scene, self._context)
        mj.mjr_readPixels(self._rgb, None, self._rect, self._context)
        return np.ascontiguousarray(self._rgb[::-1, :, ::-1])  # GL rows are bottom-up; RGB -> BGR

    def _upload_floor_texture(self, tint: RGBA) -> None:
        """Give this renderer's GL context a tinted copy of the wooden floor texture.

        A material's colour does not tint its texture, so the texels are tinted in the
        model, uploaded, and restored (the model may be shared with other renderers).
        """
        model = self.humanoid.model
        tex = model.texture("floor").id
        start = int(model.tex_adr[tex])
        size = int(model.tex_width[tex] * model.tex_height[tex] * model.tex_nchannel[tex])
        texels = model.tex_data[start : start + size]
        original = texels.copy()
        factor = np.resize(np.asarray(tint[: int(model.tex_nchannel[tex])]), size)
        texels[:] = np.clip(original * factor, 0, 255).astype(np.uint8)
        try:
            self._mj.mjr_uploadTexture(model, self._context, tex)
        finally:
            texels[:] = original

    def _add_rope(self, scene: Any, rope: npt.NDArray[np.float64]) -> None:
        mj = self._mj
        if rope.ndim != 2 or rope.shape[1] != 3:
            raise ValueError(f"rope must be an (N, 3) polyline, got shape {rope.shape}")
        rgba = np.array(ROPE_RGBA, dtype=np.float32)
        for start, end in itertools.pairwise(rope):
            if scene.ngeom >= scene.maxgeom:
                break
            if np.linalg.norm(end - start) < 1e-9:
                continue
            geom = scene.geoms[scene.ngeom]
            mj.mjv_initGeom(geom, mj.mjtGeom.mjGEOM_CAPSULE, np.zeros(3), np.zeros(3), np.eye(3).ravel(), rgba)
            mj.mjv_connector(geom, mj.mjtGeom.mjGEOM_CAPSULE, ROPE_RADIUS, start, end)
            scene.ngeom += 1

    def close(self) -> None:
        """Free the GL context (idempotent)."""
        if self._context is not None:
            self._gl.make_current()
            self._context.free()
            self._context = None
            self._gl.free()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
