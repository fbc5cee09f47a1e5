"""Shared fixtures: where the sample videos and the shared labelled clips are."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
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


@pytest.fixture
def ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        pytest.skip("ffmpeg is not installed")
    return path
