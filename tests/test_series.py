"""LandmarkSeries: shape checks, gaps and the ``--cache`` round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vision import landmarks as lm
from vision.series import LandmarkSeries, PoseFrame


def make_frame(t: float, offset: float = 0.0) -> PoseFrame:
    rng = np.random.default_rng(int(t * 1000))
    return PoseFrame(
        t,
        (rng.random((lm.COUNT, 2)) * 400 + offset).astype(np.float32),
        rng.standard_normal((lm.COUNT, 3)).astype(np.float32),
        rng.random(lm.COUNT).astype(np.float32),
    )


def test_from_frames_marks_missing_frames_as_gaps() -> None:
    t = [0.0, 1 / 30, 2 / 30]
    series = LandmarkSeries.from_frames(t, [make_frame(0.0), None, make_frame(2 / 30)], (640, 480), 30.0)
    assert series.detected.tolist() == [True, False, True]
    assert np.isnan(series.xy[1]).all() and np.isnan(series.world[1]).all()
    assert (series.visibility[1] == 0).all()
    assert series.frame(1) is None
    np.testing.assert_array_equal(series.frame(2).xy, make_frame(2 / 30).xy)  # type: ignore[union-attr]


def test_cache_round_trip_keeps_every_field(tmp_path: Path) -> None:
    frames = [make_frame(i / 29.97) if i % 7 else None for i in range(50)]
    series = LandmarkSeries.from_frames([i / 29.97 for i in range(50)], frames, (1280, 720), 29.97, {"source": "a.mp4"})
    path = tmp_path / "a.npz"
    series.save(path)
    loaded = LandmarkSeries.load(path)
    for name in ("t", "xy", "world", "visibility"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(series, name))
    assert loaded.resolution_wh == (1280, 720)
    assert loaded.fps == pytest.approx(29.97)
    assert loaded.meta == {"source": "a.mp4"}


def test_rejects_wrong_shapes_and_time_going_backwards() -> None:
    good = LandmarkSeries.from_frames([0.0, 0.1], [make_frame(0.0), make_frame(0.1)], (640, 480), 10.0)
    with pytest.raises(ValueError, match="xy has shape"):
        LandmarkSeries(good.t, good.xy[:, :5], good.world, good.visibility, (640, 480), 10.0)
    with pytest.raises(ValueError, match="strictly increasing"):
        LandmarkSeries(good.t[::-1].copy(), good.xy, good.world, good.visibility, (640, 480), 10.0)


def test_slice_keeps_timestamps() -> None:
    t = [i / 30 for i in range(10)]
    series = LandmarkSeries.from_frames(t, [make_frame(x) for x in t], (640, 480), 30.0)
    part = series.slice(3, 6)
    assert len(part) == 3
    np.testing.assert_allclose(part.t, t[3:6])
