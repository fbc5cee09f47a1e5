"""The session report end to end: the real pose model on a rendered clip, through the CLI.

The sample ``two_leg_hops_front.mp4`` was rendered from a seeded spec
(scripts/build_samples.py), so tracing that spec again gives each hop's exact flight: the
metrics read off MediaPipe's landmarks are checked against it.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import ROOT, SAMPLES, repcount
from tests.report_truth import TrueFlight, as_array, nearest, synthetic_result, true_flights
from vision.compare import Performed, compare
from vision.report.session import landmarks_path, render_report
from vision.routine import DEFAULT_ROUTINE
from vision.synth.camera import Camera
from vision.synth.fast import leg_geometry, simulate, trace
from vision.synth.motions import MotionSpec

CLIP = "two_leg_hops_front"


def sample_truth(name: str) -> tuple[list[TrueFlight], float]:
    """The true flights of a sample clip, from the spec it was rendered from, and the leg length (m)."""
    loader = importlib.util.spec_from_file_location("build_samples", ROOT / "scripts" / "build_samples.py")
    assert loader is not None and loader.loader is not None
    build = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(build)
    spec = build.SAMPLES[name]
    humanoid = spec.humanoid()
    geo = leg_geometry(humanoid)
    return true_flights(trace(spec.motion(geo), humanoid, spec.fps)), geo.thigh + geo.shank


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``repcount analyze --json --report`` on the hops sample, once for this module."""
    out = tmp_path_factory.mktemp("report")
    done = repcount(
        "analyze", str(SAMPLES / f"{CLIP}.mp4"), "--exercise", "two_leg_hops",
        "--json", str(out / "hops.json"), "--report", str(out / "hops.html"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def hops(folder: Path) -> dict[str, Any]:
    exercise: dict[str, Any] = json.loads((folder / "hops.json").read_text())["exercises"][0]
    return exercise


def test_flight_time_and_height_through_the_pose_model(analysed: Path) -> None:
    truth, leg = sample_truth(CLIP)
    ex = hops(analysed)
    assert ex["count"] == len(truth) == 8
    rows = ex["metrics"]["per_rep"]
    matched = [nearest(truth, row["t"]) for row in rows]
    flight = as_array([row["flight_time_s"] for row in rows])
    assert np.all(np.abs(flight - [f.duration for f in matched]) <= 1 / 30)  # one frame period
    true_height = np.mean([f.height_m for f in matched]) / leg
    assert ex["metrics"]["height_leg"] == pytest.approx(true_height, rel=0.10)
    assert ex["metrics"]["timing_resolution_s"] == pytest.approx(1 / 30, abs=1e-3)
    assert ex["metrics"]["knee_valgus"]["judged"] and ex["metrics"]["knee_valgus"]["reps"] == []


def test_report_page_holds_counts_plots_frames_and_metrics(analysed: Path) -> None:
    page = (analysed / "hops.html").read_text()
    for part in ('id="counts"', 'id="two_leg_hops"', 'class="signal"', 'class="frames"', 'class="metrics"'):
        assert part in page
    assert "Flight time (mean)" in page and "Knees stayed over the feet" in page
    assert "http://" not in page and "https://" not in page  # opens offline: everything inlined
    assert page.count("data:image/png;base64,") == 3  # signal, key frames, per rep


def test_plot_redraws_from_the_saved_result_without_the_video(analysed: Path, tmp_path: Path) -> None:
    shutil.copy(analysed / "hops.json", tmp_path / "hops.json")
    shutil.copy(landmarks_path(analysed / "hops.json"), landmarks_path(tmp_path / "hops.json"))
    done = repcount("plot", str(tmp_path / "hops.json"), "--video", str(tmp_path / "gone.mp4"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "hops.html").read_text()
    assert 'class="signal"' in page and "The video was not found" in page
    done = repcount("plot", str(tmp_path / "hops.json"), "--report", str(tmp_path / "with_frames.html"))
    assert done.returncode == 0, done.stderr
    assert 'class="frames"' in (tmp_path / "with_frames.html").read_text()  # the analysed clip's path is kept


def test_plot_says_what_is_missing(tmp_path: Path) -> None:
    done = repcount("plot", str(tmp_path / "none.json"))
    assert done.returncode == 2 and "not found" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "lonely.json").write_text(json.dumps({"schema": 1, "source": "x.mp4", "fps": 30.0, "frames": 1,
                                                      "duration_s": 0.1, "pose_detected_ratio": 1.0, "exercises": []}))  # fmt: skip
    done = repcount("plot", str(tmp_path / "lonely.json"))
    assert done.returncode == 2 and "lonely.landmarks.npz not found" in done.stderr
    (tmp_path / "bad.json").write_text("{}")
    done = repcount("plot", str(tmp_path / "bad.json"))
    assert done.returncode == 2 and "not a repcount result" in done.stderr


@pytest.mark.slow
def test_knee_valgus_warning_through_the_pose_model(tmp_path: Path) -> None:
    """A rendered athlete landing knees-in is flagged from MediaPipe's landmarks (the straight
    sample above is not): ``repcount synth --knee-valgus`` then ``analyze``."""
    if importlib.util.find_spec("mujoco") is None:
        pytest.skip("the synthetic athlete needs the synth extra (mujoco)")
    clip = tmp_path / "knees_in.mp4"
    done = repcount("synth", "--exercise", "two_leg_hops", "--reps", "5", "--knee-valgus", "25", "--out", str(clip))
    assert done.returncode == 0, done.stderr
    done = repcount("analyze", str(clip), "--exercise", "two_leg_hops", "--json", str(tmp_path / "knees_in.json"))
    assert done.returncode == 0, done.stderr
    ex = json.loads((tmp_path / "knees_in.json").read_text())["exercises"][0]
    assert ex["count"] == 5 and ex["metrics"]["knee_valgus"]["reps"] == [1, 2, 3, 4, 5]
    assert "knees fell inward on landing" in done.stderr


def test_page_shows_the_routine_comparison() -> None:
    """The routine's verdicts (DESIGN.md §5) head the page when a result carries them."""
    series, _ = simulate(MotionSpec("split_jumps", reps=4, seed=2), Camera.view("front"))
    comparison = compare(DEFAULT_ROUTINE, [Performed("split_jumps", sets=(4,))]).to_dict()
    result = synthetic_result(series, "split_jumps", routine=comparison)
    page = render_report(result, series)
    assert 'id="routine"' in page and "Runner foot &amp; ankle" in page and "incomplete" in page
    assert "set 1: 4 of 10" in page and "not done" in page  # split jumps done short; other items skipped
    assert "Stance length (mean)" in page and "Tempo" in page
