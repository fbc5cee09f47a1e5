"""Shared fixtures: where the sample videos and the shared labelled clips are."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"
SHARED_CLIPS = ROOT.parent / "shared" / "clips"


def repcount(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the installed ``repcount`` command (the one next to this Python)."""
    exe = Path(sys.executable).parent / "repcount"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "vision"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=timeout)


def sample_labels(name: str) -> dict[str, Any]:
    """The true labels of a sample video."""
    return json.loads((SAMPLES / f"{name}.json").read_text())


@pytest.fixture
def shared_clips() -> Path:
    """The shared labelled clips; skips the test where they are absent (they are not ours to ship)."""
    if not (SHARED_CLIPS / "labels.json").exists():
        pytest.skip("../shared/clips is not here (labelled clips are only on developer and CI machines)")
    return SHARED_CLIPS


@pytest.fixture(scope="session")
def real_series(request: pytest.FixtureRequest) -> Callable[[str], Any]:
    """``real_series("clip.mp4")``: the pose series of a shared clip (MediaPipe, slow), computed
    once and kept in pytest's cache, keyed by pose.py so a change to pose estimation recomputes.
    Skips where the shared clips are absent."""
    if not (SHARED_CLIPS / "labels.json").exists():
        pytest.skip("../shared/clips is not here (labelled clips are only on developer and CI machines)")
    from vision.analyze import run_pose

    key = hashlib.sha256((ROOT / "vision" / "pose.py").read_bytes()).hexdigest()[:12]
    folder = request.config.cache.mkdir(f"pose-series-{key}")

    def load(name: str) -> Any:
        clip = SHARED_CLIPS / (name if name.endswith(".mp4") else f"{name}.mp4")
        return run_pose(clip, cache=folder / f"{clip.stem}.npz").series

    return load


def shared_labels() -> dict[str, Any]:
    """The shared clips' labels (empty where the clips are absent), for parametrising tests."""
    path = SHARED_CLIPS / "labels.json"
    if not path.exists():
        return {}
    return {k: v for k, v in json.loads(path.read_text()).items() if not k.startswith("_")}


@pytest.fixture
def ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        pytest.skip("ffmpeg is not installed")
    return path
