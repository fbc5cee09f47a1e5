"""The synthetic athlete: landmarks, joint signs, grounding, projection, and MediaPipe seeing it."""

from __future__ import annotations

import importlib.util
import math
import sys

import numpy as np
import pytest

if importlib.util.find_spec("mujoco") is None:
    pytest.skip("the synthetic athlete needs the synth extra (mujoco)", allow_module_level=True)

from vision import landmarks as lm
from vision.synth import JOINTS, BodyPose, Camera, Humanoid, Outfit, Renderer, Room

ORIGIN = np.zeros(3)


@pytest.fixture(scope="module")
def body() -> Humanoid:
    return Humanoid()


def moved(body: Humanoid, joints: dict[str, float], name: str) -> np.ndarray:
    """How far landmark ``name`` moves (world metres) when ``joints`` are set from standing."""
    base = body.landmarks(BodyPose(ORIGIN))
    return body.landmarks(BodyPose(ORIGIN, joints=joints))[lm.idx(name)] - base[lm.idx(name)]


def test_landmarks_are_33_in_mediapipe_order(body: Humanoid) -> None:
    xyz = body.landmarks(body.grounded(BodyPose(ORIGIN)))
    assert xyz.shape == (lm.COUNT, 3)
    names = [body.model.site(int(i)).name for i in body._site_ids]
    assert names == list(lm.NAMES)
    z = {name: xyz[lm.idx(name)][2] for name in lm.NAMES}
    assert z["nose"] > z["left_shoulder"] > z["left_hip"] > z["left_knee"] > z["left_ankle"] > z["left_heel"]


def test_every_joint_in_the_model_is_listed(body: Humanoid) -> None:
    hinges = {body.model.joint(i).name for i in range(body.model.njnt) if body.model.jnt_type[i] == 3}
    assert hinges == set(JOINTS)
    for low, high in body.joint_ranges().values():
        assert low < high


def test_left_is_plus_x_and_the_athlete_faces_minus_y(body: Humanoid) -> None:
    xyz = body.landmarks(BodyPose(ORIGIN))
    for part in ("shoulder", "hip", "knee", "ankle", "eye", "ear", "wrist"):
        assert xyz[lm.side_idx("left", part)][0] > 0 > xyz[lm.side_idx("right", part)][0]
    assert xyz[lm.idx("nose")][1] < -0.05
    for side in lm.SIDES:
        assert xyz[lm.side_idx(side, "foot_index")][1] < xyz[lm.side_idx(side, "heel")][1]


def test_yaw_turns_the_athlete_about_z(body: Humanoid) -> None:
    nose = body.landmarks(BodyPose(ORIGIN, yaw=math.pi / 2))[lm.idx("nose")]
    assert nose[0] > 0.05 and abs(nose[1]) < 0.02  # yaw +90 deg faces +x


@pytest.mark.parametrize("height", [0.0, 0.15, 0.4])
def test_grounded_puts_the_lowest_foot_point_at_the_height(body: Humanoid, height: float) -> None:
    for joints in ({}, {"left_ankle_flex": -0.6, "right_ankle_flex": -0.6}, {"right_hip_flex": 0.8, "right_knee": 1.2}):
        pose = body.grounded(BodyPose(np.array([0.3, -0.2, 5.0]), yaw=0.4, joints=joints), height)
        feet = body.foot_heights(pose)
        assert min(feet.values()) == pytest.approx(height, abs=1e-9)
        assert pose.root_pos[:2] == pytest.approx([0.3, -0.2])
    standing = body.grounded(BodyPose(ORIGIN))
    assert standing.root_pos[2] == pytest.approx(0.98, abs=0.03)
    raised = body.foot_heights(body.grounded(BodyPose(ORIGIN, joints={"right_hip_flex": 0.8, "right_knee": 1.2})))
    assert raised["right"] > 0.08 and raised["left"] == pytest.approx(0.0, abs=1e-9)


def test_grounding_uses_the_shoe_not_just_the_landmarks(body: Humanoid) -> None:
    pose = body.grounded(BodyPose(ORIGIN))
    xyz = body.landmarks(pose)
    assert 0.0 < xyz[lm.idx("left_heel")][2] < 0.03  # the heel landmark sits just above the sole
    assert 0.05 < xyz[lm.idx("left_ankle")][2] < 0.1


@pytest.mark.parametrize("side", lm.SIDES)
def test_joint_signs_mean_the_same_motion_on_both_sides(body: Humanoid, side: str) -> None:
    out = 1.0 if side == "left" else -1.0  # +x is the athlete's left
    assert moved(body, {f"{side}_hip_flex": 0.5}, f"{side}_knee")[1] < -0.1  # knee forward (-y)
    assert moved(body, {f"{side}_hip_flex": -0.3}, f"{side}_knee")[1] > 0.05
    assert moved(body, {f"{side}_knee": 1.0}, f"{side}_ankle")[1] > 0.2  # shank back
    assert moved(body, {f"{side}_ankle_flex": 0.3}, f"{side}_foot_index")[2] > 0.03  # toes up
    assert moved(body, {f"{side}_ankle_flex": -0.5}, f"{side}_heel")[2] > 0.03  # heel raise
    assert out * moved(body, {f"{side}_hip_abd": 0.3}, f"{side}_ankle")[0] > 0.15  # foot outward
    assert out * moved(body, {f"{side}_hip_rot": 0.4}, f"{side}_foot_index")[0] > 0.03  # toes out
    heel_in = moved(body, {f"{side}_ankle_inv": 0.4}, f"{side}_heel")
    assert heel_in[2] > -0.01 and out * heel_in[0] < 0  # sole turns inward: heel point swings in
    assert moved(body, {f"{side}_shoulder_flex": 1.0}, f"{side}_wrist")[1] < -0.3  # arm forward
    assert out * moved(body, {f"{side}_shoulder_abd": 1.0}, f"{side}_wrist")[0] > 0.3  # arm out
    assert moved(body, {f"{side}_elbow": 1.2}, f"{side}_wrist")[1] < -0.15  # forearm forward


def test_torso_and_neck_signs(body: Humanoid) -> None:
    assert moved(body, {"torso_flex": 0.4}, "nose")[1] < -0.2  # lean forward
    assert moved(body, {"torso_side": 0.3}, "nose")[0] > 0.1  # lean to the athlete's left
    assert moved(body, {"torso_twist": 0.5}, "right_shoulder")[1] < -0.05  # chest turns left
    assert moved(body, {"neck_flex": 0.5}, "nose")[2] < -0.02  # nod down


def test_unknown_joint_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown joints"):
        BodyPose(ORIGIN, joints={"left_toe_wiggle": 1.0})


def test_scale_and_leg_length() -> None:
    small, large = Humanoid(scale=0.9), Humanoid(scale=1.1)
    assert small.leg_length == pytest.approx(0.84 * 0.9, rel=0.02)
    assert large.leg_length / small.leg_length == pytest.approx(1.1 / 0.9, rel=1e-6)
    assert min(large.foot_heights(large.grounded(BodyPose(ORIGIN))).values()) == pytest.approx(0.0, abs=1e-9)


def test_random_outfits_are_valid_and_varied() -> None:
    rng = np.random.default_rng(0)
    outfits = [Outfit.random(rng) for _ in range(20)]
    for outfit in outfits:
        for rgba in (outfit.skin, outfit.hair, outfit.shirt, outfit.shorts, outfit.shoes):
            assert len(rgba) == 4 and all(0.0 <= c <= 1.0 for c in rgba)
    assert len({o.shirt for o in outfits}) == 20 and len({o.skin for o in outfits}) > 10


def test_camera_views_and_projection_geometry(body: Humanoid) -> None:
    xyz = body.landmarks(body.grounded(BodyPose(ORIGIN)))
    front = Camera.view("front")
    xy, depth = front.project(xyz)
    assert xy[lm.idx("left_ankle")][0] > 320 > xy[lm.idx("right_ankle")][0]  # athlete's left on image right
    assert xy[lm.idx("nose")][1] < xy[lm.idx("left_ankle")][1]
    assert np.all(depth > 2.5) and np.all((xy >= 0) & (xy < [640, 480]))
    cam = front.to_camera_axes(xyz)
    assert cam[:, 2] == pytest.approx(depth)
    side = Camera.view("side")
    assert side.position[0] == pytest.approx(3.2) and side.position[1] == pytest.approx(0.0, abs=1e-9)
    assert Camera.view("oblique", -40).position[0] < 0  # towards the athlete's right
    with pytest.raises(ValueError):
        Camera.view("oblique", 75)


def rope_rows(image: np.ndarray) -> dict[int, float]:
    """Centre row of the dark rope in each image column where it is found."""
    dark = image.max(axis=2) < 60
    rows = {}
    for x in range(image.shape[1]):
        ys = np.flatnonzero(dark[:, x])
        if 0 < len(ys) <= 6 and np.ptp(ys) <= 5:
            rows[x] = float(ys.mean()) + 0.5  # pixel centres are at +0.5
    return rows


@pytest.mark.parametrize("view", ["front", "oblique", "side"])
def test_projection_agrees_with_the_render_within_a_pixel(body: Humanoid, view: str) -> None:
    camera = Camera.view(view)
    # A rope held across the image, well in front of the athlete, against the bright wall.
    toward = camera.position - camera.target
    toward[2] = 0
    toward /= np.linalg.norm(toward)
    across = np.cross([0.0, 0.0, 1.0], toward)
    centre = np.array([0.0, 0.0, 1.3]) + 1.2 * toward
    rope = centre + np.linspace(-1.0, 1.0, 21)[:, None] * across + np.linspace(0, 0.15, 21)[:, None] * [0, 0, 1]
    with Renderer(body, camera) as renderer:
        image = renderer.render(body.grounded(BodyPose(ORIGIN)), rope=rope)
    assert image.shape == (480, 640, 3) and image.dtype == np.uint8
    seen = rope_rows(image)
    xy, _ = camera.project(rope)
    errors = [abs(np.interp(x + 0.5, xy[:, 0], xy[:, 1]) - y) for x, y in seen.items()
              if xy[:, 0].min() + 5 < x < xy[:, 0].max() - 5]  # fmt: skip
    assert len(errors) > 100
    assert np.median(errors) < 0.5 and np.percentile(errors, 95) < 1.0


def test_landmarks_land_on_the_right_body_part(body: Humanoid) -> None:
    pose = body.grounded(BodyPose(ORIGIN))
    camera = Camera.view("front")
    with Renderer(body, camera, shadows=False) as renderer:
        image = renderer.render(pose).astype(int)
    xy, _ = camera.project(body.landmarks(pose))

    def colour(name: str) -> np.ndarray:
        x, y = xy[lm.idx(name)].astype(int)
        return image[y, x]

    shorts = colour("left_hip")
    assert shorts.max() < 90  # dark shorts
    skin = colour("left_knee")
    assert skin[2] > skin[0] + 30  # skin: more red than blue (BGR)
    assert colour("left_ankle").min() > 170  # white sock/shoe
    assert colour("nose")[2] > colour("nose")[0]


def test_room_colours_change_the_background_only(body: Humanoid) -> None:
    pose = body.grounded(BodyPose(ORIGIN))
    camera = Camera.view("front")
    texels = body.model.tex_data.copy()
    with Renderer(body, camera, shadows=False) as plain:
        base = plain.render(pose).astype(int)
    with Renderer(body, camera, shadows=False, room=Room(floor=(0.5, 0.5, 0.5, 1), wall=(0.3, 0.6, 0.3, 1))) as tinted:
        other = tinted.render(pose).astype(int)
    assert np.array_equal(body.model.tex_data, texels)  # the shared model's floor texture is restored
    floor, wall = (470, 20), (60, 20)  # (row, col): bottom-left floor, top-left wall
    assert other[floor].sum() < 0.6 * base[floor].sum()
    assert other[wall][1] > other[wall][0] + 40  # green wall (BGR)
    nose = tuple(np.round(camera.project(body.landmarks(pose))[0][lm.idx("nose")][::-1]).astype(int))
    assert np.abs(other[nose] - base[nose]).max() < 30  # the athlete keeps its colours
    rooms = {Room.random(np.random.default_rng(i)) for i in range(10)}
    assert len(rooms) == 10


def test_without_mujoco_import_works_and_use_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    from vision.synth import body as body_module

    monkeypatch.setitem(sys.modules, "mujoco", None)  # makes `import mujoco` raise ImportError
    monkeypatch.setattr(body_module, "_mujoco", None)
    monkeypatch.setenv("MUJOCO_GL", "egl")
    with pytest.raises(ImportError, match=r"pip install 'repcount\[synth\]'"):
        Humanoid()


def squat_and_hop(body: Humanoid, frames: int = 60) -> list[BodyPose]:
    """One second of squatting, then one of 15 cm hops with arms swinging, at 30 frames/s."""
    poses = []
    for i in range(frames):
        phase = 2 * math.pi * i / 30
        bend = 0.5 * (1 - math.cos(phase))
        joints = {f"{s}_{j}": a * bend for s in lm.SIDES for j, a in
                  (("hip_flex", 0.8), ("knee", 1.4), ("ankle_flex", 0.5), ("shoulder_flex", 0.9))}  # fmt: skip
        hop = 0.15 * max(0.0, math.sin(phase)) if i >= frames // 2 else 0.0
        poses.append(body.grounded(BodyPose(ORIGIN, joints=joints), hop))
    return poses


MAX_MEDIAN_ANKLE_ERROR_PX = 10.0
"""Measured 3-4.5 px (front, oblique, side) with the figure ~300 px tall at 640x480."""


@pytest.mark.slow
@pytest.mark.parametrize(("view", "angle"), [("front", None), ("oblique", 40.0), ("side", 90.0)])
def test_mediapipe_detects_the_athlete(view: str, angle: float | None) -> None:
    from vision.assets import model_path

    try:
        bundle = model_path("pose_landmarker_full.task")
    except FileNotFoundError:
        pytest.skip("models/pose_landmarker_full.task is not built yet (see models/README.md)")
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import vision as mp_vision
    from mediapipe.tasks.python.core.base_options import BaseOptions

    rng = np.random.default_rng(7)
    body = Humanoid(Outfit.random(rng))
    camera = Camera.view(view, angle)
    options = mp_vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(bundle)), running_mode=mp_vision.RunningMode.VIDEO
    )
    poses = squat_and_hop(body)
    detected, ankle_errors = 0, []
    with (
        Renderer(body, camera, room=Room.random(rng)) as renderer,
        mp_vision.PoseLandmarker.create_from_options(options) as landmarker,
    ):
        for i, pose in enumerate(poses):
            rgb = cv2.cvtColor(renderer.render(pose), cv2.COLOR_BGR2RGB)
            result = landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), i * 33)
            if not result.pose_landmarks:
                continue
            detected += 1
            found = np.array([[p.x * camera.width, p.y * camera.height] for p in result.pose_landmarks[0]])
            truth, _ = camera.project(body.landmarks(pose))
            for side in lm.SIDES:
                k = lm.side_idx(side, "ankle")
                ankle_errors.append(float(np.linalg.norm(found[k] - truth[k])))
    assert detected / len(poses) >= 0.98
    assert np.median(ankle_errors) < MAX_MEDIAN_ANKLE_ERROR_PX
