"""The live session: real pose on sample clips played as a camera, bad cameras, keys and hints."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import SAMPLES, repcount, sample_labels
from vision import analyze
from vision import landmarks as lm
from vision.live import Action, LiveSession, action_for_key, hint, rep_details, run_live
from vision.result import Rep
from vision.routine import parse_routine
from vision.series import LandmarkSeries, PoseFrame
from vision.sources import Camera, PacedVideo

HOPS = SAMPLES / "two_leg_hops_front.mp4"
SPLITS = SAMPLES / "split_jumps_oblique.mp4"

TWO_SETS = """
name = "two short sets"
[[item]]
exercise = "two_leg_hops"
sets = 2
reps = 3
rest_s = 0.5
"""


def read_json(path: Path) -> dict:
    return json.loads(path.read_text())


# --- the real CLI on sample clips played as a camera (real pose, real time) ---------------


@pytest.mark.slow
@pytest.mark.parametrize(("clip", "exercise"), [(HOPS, "two_leg_hops"), (SPLITS, "split_jumps")])
def test_live_counts_what_analyze_counts(tmp_path: Path, clip: Path, exercise: str) -> None:
    done = repcount(
        "live", "--camera", str(clip), "--headless", "--exercise", exercise, "--json", str(tmp_path / "l.json")
    )
    assert done.returncode == 0, done.stderr
    live = read_json(tmp_path / "l.json")
    offline = json.loads(analyze(clip, exercise).to_json())
    assert set(live) == set(offline) and set(live["exercises"][0]) == set(offline["exercises"][0])
    tolerance = 1 if live["frames"] < offline["frames"] else 0  # frames dropped by a busy machine
    count = live["exercises"][0]["count"]
    assert abs(count - offline["exercises"][0]["count"]) <= tolerance
    assert abs(count - sample_labels(clip.stem)["exercises"][0]["count"]) <= tolerance
    # counts are printed as they change, one line per rep
    assert f"{exercise} {live['exercises'][0]['count']}" in done.stdout


@pytest.mark.slow
def test_guided_mode_walks_the_routine_and_compares_it(tmp_path: Path) -> None:
    routine = tmp_path / "r.toml"
    routine.write_text(TWO_SETS)
    out = tmp_path / "out"
    done = repcount("live", "--camera", str(HOPS), "--headless", "--routine", str(routine), "--json", str(out / "g.json"),
                    "--record", str(out / "raw.mp4"), "--annotate", str(out / "hud.mp4"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "set complete: Rest" in done.stdout and "routine complete" in done.stdout
    doc = read_json(out / "g.json")
    [item] = doc["routine"]["items"]
    assert [s["done"] for s in item["sets"]] == [3, 3] and doc["routine"]["complete"]
    # the routine completed after 6 of the 8 hops, and the session stopped there
    assert doc["duration_s"] < 7.0
    for video in ("raw.mp4", "hud.mp4"):
        capture = cv2.VideoCapture(str(out / video))
        frames = capture.get(cv2.CAP_PROP_FRAME_COUNT)
        assert abs(frames - doc["duration_s"] * 30) <= 3  # real time: frames repeated where any were dropped


@pytest.mark.slow
def test_without_exercise_or_routine_the_default_routine_guides(tmp_path: Path) -> None:
    done = repcount("live", "--camera", str(HOPS), "--headless", "--json", str(tmp_path / "d.json"))
    assert done.returncode == 0, done.stderr
    assert "guided mode with the default routine" in done.stdout
    doc = read_json(tmp_path / "d.json")
    assert doc["routine"]["name"] == "Runner foot & ankle" and not doc["routine"]["complete"]


@pytest.mark.slow
def test_ctrl_c_saves_the_session(tmp_path: Path) -> None:
    command = [str(Path(sys.executable).parent / "repcount"), "live", "--camera", str(HOPS), "--headless",
               "--exercise", "two_leg_hops", "--json", str(tmp_path / "i.json")]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if "two_leg_hops 3" in line:
                process.send_signal(signal.SIGINT)
                break
        process.wait(timeout=30)
    assert process.returncode == 0
    doc = read_json(tmp_path / "i.json")
    assert 3 <= doc["exercises"][0]["count"] < 8 and doc["duration_s"] < 7.0


# --- cameras that fail ---------------------------------------------------------------------


@pytest.mark.parametrize("camera", ["/dev/video99", "99"])
def test_a_missing_camera_is_one_line_and_still_writes_json(tmp_path: Path, camera: str) -> None:
    done = repcount(
        "live", "--camera", camera, "--headless", "--exercise", "two_leg_hops", "--json", str(tmp_path / "c.json")
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "cannot open camera" in done.stderr
    assert "Traceback" not in done.stderr
    doc = read_json(tmp_path / "c.json")
    assert doc["exercises"] == [] and doc["frames"] == 0


def test_a_file_that_is_not_a_video_is_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("not a video")
    done = repcount("live", "--camera", str(text), "--headless", "--exercise", "two_leg_hops")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "not a video" in done.stderr


def test_a_camera_that_never_shows_a_person_is_one_line_and_still_writes_json(tmp_path: Path) -> None:
    """Nobody stepped into the picture: the (empty) counts are shown and written, then one line
    says so instead of each counter's warning about feet it never saw, exit code 2."""
    wall = tmp_path / "wall.mp4"
    writer = cv2.VideoWriter(str(wall), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, (320, 240))
    for _ in range(30):
        writer.write(np.full((240, 320, 3), 128, np.uint8))
    writer.release()
    done = repcount("live", "--camera", str(wall), "--headless", "--exercise", "jump_rope", "--json", str(tmp_path / "w.json"))  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"repcount: no person found in the picture from camera {wall}: film the whole body, feet included, in good light"]  # fmt: skip
    doc = read_json(tmp_path / "w.json")
    assert doc["frames"] > 0 and doc["pose_detected_ratio"] == 0 and doc["exercises"][0]["count"] == 0


@pytest.mark.slow
def test_a_camera_that_stops_giving_frames_keeps_what_was_counted() -> None:
    # OpenCV reads the clip as a capture device: at its end, reading fails as it does when a
    # webcam is unplugged, and the session must keep the count so far.
    camera = Camera(str(HOPS), latest_only=True)
    session = LiveSession(camera.info.fps, (640, 480), exercise="two_leg_hops")
    outcome = run_live(camera, session, window=False)
    assert outcome.ended == "camera" and "failed (it stopped giving frames)" in outcome.error
    assert "\n" not in outcome.error
    assert outcome.result.frames > 0 and outcome.result.exercises[0].name == "two_leg_hops"


def test_bad_options_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    both = repcount("live", "--exercise", "two_leg_hops", "--routine", "default", "--headless")
    assert both.returncode == 2 and "not both" in both.stderr
    unknown = repcount("live", "--camera", str(HOPS), "--exercise", "skipping", "--headless")
    assert unknown.returncode == 2 and "unknown exercise" in unknown.stderr
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    window = repcount("live", "--camera", str(HOPS), "--exercise", "two_leg_hops")
    assert window.returncode == 2 and "--headless" in window.stderr


# --- the session's state on real landmarks -------------------------------------------------


@pytest.fixture(scope="module")
def hops_series(tmp_path_factory: pytest.TempPathFactory) -> LandmarkSeries:
    cache = tmp_path_factory.mktemp("cache") / "hops.npz"
    analyze(HOPS, "two_leg_hops", cache=cache)
    return LandmarkSeries.load(cache)


@pytest.mark.slow
def test_reset_starts_again_and_pause_stops_counting(hops_series: LandmarkSeries) -> None:
    session = LiveSession(30.0, (640, 480), exercise="two_leg_hops")
    half = len(hops_series) // 2
    for i in range(len(hops_series)):
        if i == half:
            session.act(Action.RESET, float(hops_series.t[i]))
        session.update(float(hops_series.t[i]), hops_series.frame(i))
    session.finish()
    before, after = session.result("hops", 30.0, 0).exercises
    assert before.count + after.count in (7, 8)  # a hop astride the reset may be lost
    paused = LiveSession(30.0, (640, 480), exercise="two_leg_hops")
    paused.act(Action.PAUSE, 0.0)
    for i in range(len(hops_series)):
        paused.update(float(hops_series.t[i]), hops_series.frame(i))
    paused.finish()
    assert paused.result("hops", 30.0, 0).exercises[0].count == 0


@pytest.mark.slow
def test_skip_moves_to_the_next_item_with_a_fresh_counter(hops_series: LandmarkSeries) -> None:
    routine = parse_routine(
        'name = "r"\n[[item]]\nexercise = "split_jumps"\nreps = 5\n[[item]]\nexercise = "two_leg_hops"\nreps = 3\n'
    )
    session = LiveSession(30.0, (640, 480), routine=routine)
    session.act(Action.SKIP, 0.0)
    for i in range(len(hops_series)):
        session.update(float(hops_series.t[i]), hops_series.frame(i))
        if session.finished:
            break
    result = session.result("hops", 30.0, 0)
    assert session.finished and result.duration_s < 3.5  # the third hop is at ~2.7 s
    assert [e.name for e in result.exercises] == ["two_leg_hops"] and result.exercises[0].count == 3
    first, second = result.routine["items"]
    assert not first["done"] and second["complete"]


@pytest.mark.slow
def test_the_window_frame_shows_count_guide_and_hint(hops_series: LandmarkSeries) -> None:
    session = LiveSession(30.0, (640, 480), routine=parse_routine(TWO_SETS))
    image = np.zeros((480, 640, 3), np.uint8)
    i = len(hops_series) // 3
    session.update(float(hops_series.t[i]), hops_series.frame(i))
    drawn = session.draw(image.copy(), hops_series.frame(i), float(hops_series.t[i]), "30 fps  dropped 0  20 ms")
    assert drawn[440:, :300].any() and drawn[:100, :200].any() and drawn[:25, -200:].any()


# --- pure parts ----------------------------------------------------------------------------


def test_keys() -> None:
    assert action_for_key(ord(" ")) is Action.PAUSE
    assert action_for_key(ord("n")) is Action.SKIP
    assert action_for_key(ord("r")) is Action.RESET
    assert action_for_key(ord("q")) is Action.QUIT and action_for_key(27) is Action.QUIT
    assert action_for_key(0x100000 | ord("q")) is Action.QUIT  # some backends set modifier bits
    assert action_for_key(-1) is None and action_for_key(ord("x")) is None


def standing(height_px: float = 300.0, feet_y: float = 400.0) -> PoseFrame:
    xy = np.zeros((lm.COUNT, 2), np.float32)
    xy[:, 0] = 320
    xy[:, 1] = np.linspace(feet_y - height_px, feet_y, lm.COUNT)
    return PoseFrame(0.0, xy, np.zeros((lm.COUNT, 3), np.float32), np.ones(lm.COUNT, np.float32))


def test_hints() -> None:
    assert hint(standing(), (640, 480)) == ""
    assert "Nobody" in hint(None, (640, 480))
    assert "Feet out of frame" in hint(standing(feet_y=520), (640, 480))
    hidden = standing()
    hidden.visibility[list(lm.FOOT)] = 0.1
    assert "Feet out of frame" in hint(hidden, (640, 480))
    assert "Too far" in hint(standing(height_px=100), (640, 480))


def test_rep_details() -> None:
    assert rep_details([Rep(1, "left", "cw"), Rep(2, "left", "cw"), Rep(3, "right", "ccw")]) == "left cw 2  right ccw 1"
    assert rep_details([Rep(1, "both"), Rep(2)]) == ""


def test_paced_video_plays_in_real_time() -> None:
    video = PacedVideo(HOPS)
    frames = 0
    for t, _ in video:
        frames += 1
        if frames == 30:
            break
    assert video.started_at is not None
    assert t == pytest.approx(29 / 30, abs=0.01)
