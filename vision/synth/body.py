"""The synthetic athlete's body: an MJCF humanoid posed by joint angles, no physics.

World frame (DESIGN.md §3, §6): metres, z up, floor at z=0. The athlete stands at the
origin facing -y, so the athlete's own LEFT is +x and RIGHT is -x. Joint angles are in
radians; a positive angle is the same anatomical motion on both sides (the MJCF mirrors
the hinge axes). Missing joints are 0, which is neutral standing.

    from vision.synth import BodyPose, Humanoid
    body = Humanoid()
    pose = body.grounded(BodyPose(np.zeros(3), joints={"left_knee": 0.6, "left_hip_flex": 0.5}))
    xyz = body.landmarks(pose)          # (33, 3) in vision.landmarks.NAMES order

mujoco is an optional dependency (``pip install 'repcount[synth]'``): this module imports
without it and raises an ImportError with that hint on first use.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from vision import landmarks as lm
from vision.assets import model_path

MODEL_FILE = "humanoid.xml"
INSTALL_HINT = "the synthetic athlete needs mujoco: pip install 'repcount[synth]'"

JOINTS: tuple[str, ...] = (
    "torso_flex", "torso_side", "torso_twist", "neck_flex",
    *(f"{s}_{j}" for s in lm.SIDES for j in ("shoulder_flex", "shoulder_abd", "elbow")),
    *(f"{s}_{j}" for s in lm.SIDES
      for j in ("hip_flex", "hip_abd", "hip_rot", "knee", "ankle_add", "ankle_flex", "ankle_inv")),
)  # fmt: skip
"""Every hinge in models/humanoid.xml. Signs (+ is the same motion on both sides):

- ``torso_flex`` + leans forward; ``torso_side`` + leans to the athlete's left;
  ``torso_twist`` + turns the chest to the athlete's left; ``neck_flex`` + nods down.
- ``{side}_hip_flex`` + thigh forward; ``{side}_hip_abd`` + thigh out to the side;
  ``{side}_hip_rot`` + external rotation (toes out); ``{side}_knee`` + flexion (0..2.6).
- ``{side}_ankle_flex`` + dorsiflexion (toes up), - plantarflexion (heel raise);
  ``{side}_ankle_inv`` + inversion (sole turns inward); ``{side}_ankle_add`` + adduction (toes
  turn inward about the shin: the foot's ab/adduction and the tibia's rotation together).
- ``{side}_shoulder_flex`` + arm forward/up; ``{side}_shoulder_abd`` + arm out to the side;
  ``{side}_elbow`` + flexion.

Ranges are in the MJCF (``jnt_range``, see `joint_ranges`); they document plausible
motion and are not enforced.
"""

FOOT_BODIES = {side: f"{side}_foot" for side in lm.SIDES}
"""Bodies whose geoms (sole, shoe upper, heel, sock) make each foot for grounding."""

_mujoco: ModuleType | None = None


def load_mujoco() -> ModuleType:
    """Import mujoco on first use, choosing an offscreen GL backend first.

    If nobody set ``MUJOCO_GL``, this sets it to ``egl`` when an EGL context can be made
    (probed once in a subprocess, so a failure cannot poison this process's PyOpenGL),
    else to ``osmesa``. A value the user set is left alone. `vision.synth.render` makes its
    GL context from ``MUJOCO_GL`` itself, so this works even if something imported mujoco
    earlier (mujoco's own ``mujoco.Renderer`` reads the variable only at import).

    Raises:
        ImportError: mujoco is not installed (with the ``repcount[synth]`` install hint).
    """
    global _mujoco
    if _mujoco is None:
        if not os.environ.get("MUJOCO_GL") and "OpenGL" not in sys.modules:
            os.environ["MUJOCO_GL"] = "egl" if _egl_works() else "osmesa"
        try:
            import mujoco
        except ImportError as err:
            raise ImportError(INSTALL_HINT) from err
        _mujoco = mujoco
    return _mujoco


def _egl_works() -> bool:
    probe = "from mujoco.egl import GLContext\nc = GLContext(16, 16)\nc.make_current()\nc.free()\n"
    env = {**os.environ, "MUJOCO_GL": "egl", "PYOPENGL_PLATFORM": "egl"}
    try:
        done = subprocess.run([sys.executable, "-c", probe], check=False, env=env, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@dataclass(frozen=True)
class BodyPose:
    """Where the athlete is and how the joints are bent.

    Attributes:
        root_pos: (3,) pelvis centre in world metres (z about 0.97 when standing on the floor).
        yaw: heading in radians about +z; 0 faces -y, +pi/2 faces +x.
        joints: radians by name (see `JOINTS`); missing joints are 0 (neutral standing).
    """

    root_pos: npt.NDArray[np.float64]
    yaw: float = 0.0
    joints: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        pos = np.asarray(self.root_pos, dtype=np.float64)
        if pos.shape != (3,):
            raise ValueError(f"root_pos must have shape (3,), got {pos.shape}")
        object.__setattr__(self, "root_pos", pos)
        unknown = set(self.joints) - set(JOINTS)
        if unknown:
            raise ValueError(f"unknown joints {sorted(unknown)}; known: {', '.join(JOINTS)}")


RGBA = tuple[float, float, float, float]

_SKIN_TONES = np.array(
    [[0.96, 0.80, 0.69], [0.92, 0.74, 0.60], [0.84, 0.64, 0.50], [0.72, 0.53, 0.40],
     [0.58, 0.41, 0.30], [0.44, 0.30, 0.21], [0.33, 0.22, 0.16]]
)  # fmt: skip
_HAIR = np.array(
    [[0.06, 0.05, 0.05], [0.17, 0.11, 0.07], [0.32, 0.21, 0.12], [0.55, 0.40, 0.22],
     [0.78, 0.64, 0.40], [0.50, 0.22, 0.10], [0.55, 0.55, 0.55]]
)  # fmt: skip
_SHOES = np.array([[0.95, 0.95, 0.95], [0.93, 0.93, 0.93], [0.80, 0.82, 0.85], [0.12, 0.12, 0.13]])


@dataclass(frozen=True)
class Outfit:
    """Colours of the athlete, RGBA in 0..1. Sock, sole and lips are derived from these."""

    skin: RGBA
    hair: RGBA
    shirt: RGBA
    shorts: RGBA
    shoes: RGBA

    @classmethod
    def random(cls, rng: np.random.Generator) -> Outfit:
        """Plausible, varied human colours: a skin tone between two neighbours of a palette,
        natural hair, any shirt, mostly dark shorts, mostly white shoes."""
        i = rng.integers(len(_SKIN_TONES) - 1)
        skin = _SKIN_TONES[i] + rng.random() * (_SKIN_TONES[i + 1] - _SKIN_TONES[i])
        hair = _HAIR[rng.integers(len(_HAIR))] * rng.uniform(0.85, 1.1)
        shirt = _hsv(rng.random(), rng.uniform(0.0, 0.85), rng.uniform(0.25, 0.95))
        if rng.random() < 0.7:
            shorts = _hsv(rng.random(), rng.uniform(0.0, 0.5), rng.uniform(0.08, 0.3))
        else:
            shorts = _hsv(rng.random(), rng.uniform(0.0, 0.8), rng.uniform(0.3, 0.8))
        shoes = _SHOES[rng.choice(len(_SHOES), p=[0.45, 0.2, 0.2, 0.15])]
        return cls(*(_rgba(c) for c in (skin, hair, shirt, shorts, shoes)))


def _hsv(h: float, s: float, v: float) -> npt.NDArray[np.float64]:
    k = (np.array([5.0, 3.0, 1.0]) + h * 6.0) % 6.0
    return v - v * s * np.clip(np.minimum(k, 4.0 - k), 0.0, 1.0)


def _rgba(rgb: npt.ArrayLike) -> RGBA:
    r, g, b = (float(x) for x in np.clip(rgb, 0.0, 1.0))
    return (r, g, b, 1.0)


OUTFIT_DEFAULT = Outfit(
    skin=(0.85, 0.66, 0.53, 1.0),
    hair=(0.18, 0.12, 0.08, 1.0),
    shirt=(0.15, 0.35, 0.75, 1.0),
    shorts=(0.12, 0.12, 0.15, 1.0),
    shoes=(0.95, 0.95, 0.95, 1.0),
)


class Humanoid:
    """Loads models/humanoid.xml; one MjModel/MjData; forward kinematics with mj_kinematics (no physics).

    Args:
        outfit: colours of skin, hair and clothes.
        scale: body size relative to the 1.75 m model (0.9..1.1 are plausible athletes).

    Attributes:
        model, data: the MuJoCo model and data (the renderer draws ``data`` after `set_pose`).
        leg_length: hip-to-ankle length when standing, metres (used by counters' normalisation).
    """

    def __init__(self, outfit: Outfit = OUTFIT_DEFAULT, scale: float = 1.0) -> None:
        mujoco = load_mujoco()
        if not 0.5 <= scale <= 2.0:
            raise ValueError(f"scale {scale} is not a plausible body size (0.9..1.1 is typical)")
        self.outfit = outfit
        self.scale = scale
        self.model: Any = mujoco.MjModel.from_xml_string(_scaled_mjcf(scale))
        self.data: Any = mujoco.MjData(self.model)
        self._mujoco = mujoco
        self._site_ids = np.array([self.model.site(name).id for name in lm.NAMES])
        self._qpos_adr = {name: int(self.model.joint(name).qposadr[0]) for name in JOINTS}
        self._root_adr = int(self.model.joint("root").qposadr[0])
        self._foot_geoms = {
            side: np.flatnonzero(self.model.geom_bodyid == self.model.body(body).id)
            for side, body in FOOT_BODIES.items()
        }
        self.set_outfit(outfit)
        standing = self.landmarks(BodyPose(np.zeros(3)))
        self.leg_length = float(np.linalg.norm(standing[lm.idx("left_hip")] - standing[lm.idx("left_ankle")]))

    def set_outfit(self, outfit: Outfit) -> None:
        """Recolour the athlete (materials skin, hair, shirt, shorts, shoes; sock, sole, lips derived)."""
        self.outfit = outfit
        shoes = np.array(outfit.shoes)
        skin = np.array(outfit.skin)
        colours = {
            "skin": skin,
            "hair": np.array(outfit.hair),
            "shirt": np.array(outfit.shirt),
            "shorts": np.array(outfit.shorts),
            "shoes": shoes,
            "sock": np.array([0.96, 0.96, 0.96, 1.0]),
            "sole": np.r_[shoes[:3] * 0.55 + 0.2, 1.0],
            "lips": np.r_[skin[:3] * np.array([0.78, 0.52, 0.52]), 1.0],
        }
        for name, rgba in colours.items():
            self.model.mat_rgba[self.model.material(name).id] = rgba

    def joint_ranges(self) -> dict[str, tuple[float, float]]:
        """Plausible range of each joint in radians (from the MJCF; not enforced)."""
        ranges = {}
        for name in JOINTS:
            low, high = self.model.joint(name).range
            ranges[name] = (float(low), float(high))
        return ranges

    def set_pose(self, pose: BodyPose) -> None:
        """Write the pose into ``data`` and run forward kinematics (bodies, geoms, sites, lights)."""
        qpos = self.data.qpos
        qpos[:] = 0.0
        qpos[self._root_adr : self._root_adr + 3] = pose.root_pos
        qpos[self._root_adr + 3 : self._root_adr + 7] = (math.cos(pose.yaw / 2), 0.0, 0.0, math.sin(pose.yaw / 2))
        for name, angle in pose.joints.items():
            qpos[self._qpos_adr[name]] = angle
        self._mujoco.mj_kinematics(self.model, self.data)
        self._mujoco.mj_camlight(self.model, self.data)

    def landmarks(self, pose: BodyPose) -> npt.NDArray[np.float64]:
        """(33, 3) world positions of the BlazePose landmarks, in `vision.landmarks.NAMES` order."""
        self.set_pose(pose)
        return np.array(self.data.site_xpos[self._site_ids])

    def foot_heights(self, pose: BodyPose) -> dict[str, float]:
        """Lowest point of each foot's geoms (sole, shoe, heel) above the floor, metres."""
        self.set_pose(pose)
        return {side: self._lowest(geoms) for side, geoms in self._foot_geoms.items()}

    def grounded(self, pose: BodyPose, height: float = 0.0) -> BodyPose:
        """The same pose with root z shifted so the lowest point of the feet is at ``height``."""
        lowest = min(self.foot_heights(pose).values())
        return replace(pose, root_pos=pose.root_pos + np.array([0.0, 0.0, height - lowest]))

    def _lowest(self, geoms: npt.NDArray[np.intp]) -> float:
        """Exact lowest z of boxes, spheres, capsules and ellipsoids (after `set_pose`)."""
        mj = self._mujoco.mjtGeom
        lows = []
        for g in geoms:
            centre_z = float(self.data.geom_xpos[g, 2])
            rz = self.data.geom_xmat[g].reshape(3, 3)[2]  # row 2: z of each local axis
            size = self.model.geom_size[g]
            kind = self.model.geom_type[g]
            if kind == mj.mjGEOM_BOX:
                lows.append(centre_z - float(np.abs(rz) @ size))
            elif kind == mj.mjGEOM_SPHERE:
                lows.append(centre_z - float(size[0]))
            elif kind == mj.mjGEOM_CAPSULE:
                lows.append(centre_z - abs(float(rz[2])) * float(size[1]) - float(size[0]))
            elif kind == mj.mjGEOM_ELLIPSOID:
                lows.append(centre_z - float(np.linalg.norm(rz * size)))
            else:
                raise ValueError(f"foot geom type {kind} is not supported for grounding")
        return min(lows)


_LENGTH_ATTRS = ("pos", "size", "fromto")


def _scaled_mjcf(scale: float) -> str:
    """models/humanoid.xml with every length inside the athlete (body ``pelvis``) scaled."""
    tree = ET.parse(model_path(MODEL_FILE))
    if scale != 1.0:
        pelvis = tree.getroot().find(".//body[@name='pelvis']")
        if pelvis is None:
            raise ValueError(f"{MODEL_FILE} has no body named 'pelvis'")
        for element in pelvis.iter():
            for attr in _LENGTH_ATTRS:
                if attr in element.attrib:
                    values = [float(v) * scale for v in element.attrib[attr].split()]
                    element.set(attr, " ".join(f"{v:.6g}" for v in values))
    return ET.tostring(tree.getroot(), encoding="unicode")
