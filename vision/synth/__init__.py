"""The synthetic athlete: a MuJoCo humanoid that does exactly the reps we ask for.

`Humanoid` poses the body by joint angles (`BodyPose`) and gives the true 33 landmarks;
`Camera` places a view and projects world points to pixels; `Renderer` draws BGR frames
MediaPipe detects as a person. Needs the optional extra: ``pip install 'repcount[synth]'``
(importing this package works without mujoco; using the body or renderer raises the hint).
"""

from vision.synth.body import JOINTS, OUTFIT_DEFAULT, BodyPose, Humanoid, Outfit
from vision.synth.camera import Camera
from vision.synth.render import ROOM_DEFAULT, Renderer, Room

__all__ = ["JOINTS", "OUTFIT_DEFAULT", "ROOM_DEFAULT", "BodyPose", "Camera", "Humanoid", "Outfit", "Renderer", "Room"]
