"""The synthetic athlete: a MuJoCo humanoid that does exactly the reps we ask for.

`MotionSpec` says what the athlete does; `simulate` gives its landmarks as a
`LandmarkSeries` with exact `Labels` in milliseconds (no rendering, for counter tests);
`render_clip` renders a video MediaPipe sees as a person, with its labels beside it.
Lower down: `Humanoid` poses the body by joint angles (`BodyPose`) and gives the true 33
landmarks, `Camera` places a view and projects world points to pixels, `Renderer` draws
frames, `noise.degrade` adds MediaPipe-like trouble. Rendering needs the optional extra
``pip install 'repcount[synth]'`` (importing this package works without mujoco; using the
body or renderer raises the hint).
"""

from vision.synth.body import JOINTS, OUTFIT_DEFAULT, BodyPose, Humanoid, Outfit
from vision.synth.camera import Camera
from vision.synth.clip import ClipSpec, render_clip
from vision.synth.fast import simulate
from vision.synth.labels import Labels
from vision.synth.motions import EXERCISES, NEGATIVES, MotionSpec, build_motion
from vision.synth.noise import degrade
from vision.synth.render import ROOM_DEFAULT, Renderer, Room
from vision.synth.session import DEFAULT_SESSION, Session, SessionItem

__all__ = [
    "DEFAULT_SESSION",
    "EXERCISES",
    "JOINTS",
    "NEGATIVES",
    "OUTFIT_DEFAULT",
    "ROOM_DEFAULT",
    "BodyPose",
    "Camera",
    "ClipSpec",
    "Humanoid",
    "Labels",
    "MotionSpec",
    "Outfit",
    "Renderer",
    "Room",
    "Session",
    "SessionItem",
    "build_motion",
    "degrade",
    "render_clip",
    "simulate",
]
