"""The command line on bad input: one clear line on stderr, exit code 2, no traceback."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import SAMPLES, repcount


def assert_one_line_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0].lower(), lines[0]


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(repcount("analyze", str(tmp_path / "nope.mp4"), "--exercise", "two_leg_hops"), "no such file")


def test_text_file_is_not_a_video(tmp_path: Path) -> None:
    fake = tmp_path / "notes.mp4"
    fake.write_text("these are not frames\n" * 100)
    assert_one_line_error(repcount("analyze", str(fake), "--exercise", "two_leg_hops"), "not a video")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.touch()
    assert_one_line_error(repcount("analyze", str(empty)), "empty")


def test_unknown_exercise_fails_before_any_work() -> None:
    done = repcount("analyze", str(SAMPLES / "two_leg_hops_front.mp4"), "--exercise", "burpees")
    assert_one_line_error(done, "unknown exercise", "two_leg_hops")


def test_unwritable_output_fails_before_the_analysis(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file, not a folder")
    done = repcount("analyze", str(SAMPLES / "two_leg_hops_front.mp4"), "--json", str(blocker / "out.json"))
    assert_one_line_error(done, "cannot write")


@pytest.mark.slow
def test_no_person_in_the_video(tmp_path: Path) -> None:
    clip = tmp_path / "wall.mp4"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, (320, 240))
    rng = np.random.default_rng(0)
    for _ in range(30):
        writer.write((rng.random((240, 320, 3)) * 60 + 100).astype(np.uint8))
    writer.release()
    assert_one_line_error(repcount("analyze", str(clip), "--exercise", "two_leg_hops"), "no person")


@pytest.mark.slow
def test_truncated_video_counts_what_decodes(tmp_path: Path, ffmpeg: str) -> None:
    """A clip cut short (index at the front, as phones write) is bad input: one line says so and the
    exit code is 2, yet what decoded up to the cut is counted and written."""
    whole = tmp_path / "whole.mp4"
    subprocess.run([ffmpeg, "-v", "error", "-i", str(SAMPLES / "two_leg_hops_front.mp4"), "-c", "copy",
                    "-movflags", "+faststart", str(whole)], check=True)  # fmt: skip
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.6)])
    out = tmp_path / "cut.json"
    done = repcount("analyze", str(cut), "--exercise", "two_leg_hops", "--json", str(out))
    assert_one_line_error(done, "truncated", "counted those")
    saved = json.loads(out.read_text())
    assert saved["schema"] == 1 and 0 < saved["frames"] < 223
    assert any("truncated" in w for w in saved["warnings"])
    assert saved["exercises"][0]["count"] >= 1


def test_version() -> None:
    done = repcount("--version")
    assert done.returncode == 0 and done.stdout.startswith("repcount ")
