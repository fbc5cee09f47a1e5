"""The clip writer end to end: a few seconds of rendered video, its labels and its truth."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

if importlib.util.find_spec("mujoco") is None:
    pytest.skip("the synthetic athlete needs the synth extra (mujoco)", allow_module_level=True)

import cv2  # noqa: E402

from vision.synth.clip import ClipSpec, render_clip  # noqa: E402
from vision.synth.motions import MotionSpec  # noqa: E402


@pytest.mark.slow
def test_render_clip_writes_video_labels_and_truth(tmp_path: Path) -> None:
    spec = ClipSpec(MotionSpec("two_leg_hops", reps=2, seed=1), view="oblique", width=320, height=240, fps=25)
    calls: list[tuple[int, int]] = []
    labels = render_clip(spec, tmp_path / "hops.mp4", progress=lambda done, total: calls.append((done, total)))

    assert calls[-1] == (labels.frames, labels.frames) and len(calls) == labels.frames
    video = cv2.VideoCapture(str(tmp_path / "hops.mp4"))
    frames = int(video.get(cv2.CAP_PROP_FRAME_COUNT))
    ok, first = video.read()
    video.release()
    assert ok and first.shape == (240, 320, 3) and frames == labels.frames
    assert first.std() > 10  # a scene, not a blank frame

    saved = json.loads((tmp_path / "hops.json").read_text())
    assert saved["schema"] == 1 and saved["fps"] == 25.0 and saved["frames"] == labels.frames
    (ex,) = saved["exercises"]
    assert ex["name"] == "two_leg_hops" and ex["count"] == 2 and len(ex["reps"]) == 2
    assert saved["camera"]["view"] == "oblique" and saved["camera"]["width"] == 320

    with np.load(tmp_path / "hops.npz") as truth:
        assert truth["landmarks"].shape == (labels.frames, 33, 3)
        assert truth["feet"].shape == (labels.frames, 2) and truth["t"].shape == (labels.frames,)
        assert truth["feet"].min(axis=1).max() > 0.1  # the hops are in the truth


def test_clip_spec_rejects_odd_frame_rates() -> None:
    with pytest.raises(ValueError, match="fps"):
        ClipSpec(MotionSpec("standing"), fps=24)
