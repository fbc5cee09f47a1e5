"""Frame sources on real files made here (ffmpeg or cv2.VideoWriter), never committed clips.

Each kind of file is made once per module: the ones that need ffmpeg skip cleanly without it.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from vision.errors import CameraError, NotAVideo, SourceError, TruncatedVideo, VideoNotFound
from vision.sources import Camera, VideoFile, VideoInfo, iter_video

NTSC_FPS = 30000 / 1001  # 29.97...


# --- making files ----------------------------------------------------------------------


def ffmpeg(*args: str | Path) -> None:
    """Run ffmpeg quietly, or skip the test if it is not installed."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    subprocess.run(["ffmpeg", "-v", "error", "-y", *map(str, args)], check=True)


def make_pattern(path: Path, rate: str, frames: int, *extra: str) -> Path:
    """An H.264 test pattern, 160x120, at a frame rate given as ffmpeg writes it."""
    ffmpeg("-f", "lavfi", "-i", f"testsrc=size=160x120:rate={rate}", "-frames:v", str(frames),
           *extra, "-c:v", "libx264", "-pix_fmt", "yuv420p", path)
    return path


def top_level_boxes(path: Path) -> dict[bytes, tuple[int, int]]:
    """The MP4's top-level boxes: type -> (offset, size)."""
    data, boxes, offset = path.read_bytes(), {}, 0
    while offset < len(data):
        size = int.from_bytes(data[offset:offset + 4], "big")
        boxes[data[offset + 4:offset + 8]] = (offset, size)
        offset += size
    return boxes


def first_half(src: Path, dst: Path) -> Path:
    """A copy of the first half of the bytes of ``src``: an interrupted copy or recording."""
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


# 30 frames 1/30 s apart, then 30 frames 1/10 s apart: a phone that dropped its rate.
VFR_TIMES = [i / 30 for i in range(30)] + [1 + i / 10 for i in range(30)]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sources")


@pytest.fixture(scope="module", params=["mp4", "mkv"])
def vfr(files: Path, request: pytest.FixtureRequest) -> Path:
    """A variable-frame-rate file whose frames sit at `VFR_TIMES`."""
    return make_pattern(files / f"vfr.{request.param}", "30", len(VFR_TIMES),
                        "-vf", "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'", "-fps_mode", "vfr")


@pytest.fixture(scope="module")
def ntsc_moov_at_end(files: Path) -> Path:
    """300 frames at 29.97 fps, index written last (what ffmpeg and most cameras do)."""
    return make_pattern(files / "ntsc.mp4", "30000/1001", 300)


@pytest.fixture(scope="module")
def ntsc_faststart(files: Path, ntsc_moov_at_end: Path) -> Path:
    """The same clip with its index moved to the front (what web exports do)."""
    path = files / "ntsc_faststart.mp4"
    ffmpeg("-i", ntsc_moov_at_end, "-c", "copy", "-movflags", "+faststart", path)
    return path


@pytest.fixture
def red_avi(tmp_path: Path) -> Path:
    """20 pure-red MJPEG frames at 29.97 fps, written by OpenCV (no ffmpeg needed)."""
    path = tmp_path / "red.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), NTSC_FPS, (64, 48))
    assert writer.isOpened()
    for _ in range(20):
        writer.write(np.full((48, 64, 3), (0, 0, 255), np.uint8))
    writer.release()
    return path


def reader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "repcount-reader"]


def strictly_increasing(times: list[float]) -> bool:
    return all(b > a for a, b in zip(times, times[1:]))


# --- timestamps and info ----------------------------------------------------------------


def test_variable_frame_rate_keeps_the_containers_times(vfr: Path) -> None:
    video = VideoFile(vfr)
    times = [t for t, _ in video]
    assert strictly_increasing(times)
    assert times == pytest.approx(VFR_TIMES, abs=1e-3)  # Matroska stores milliseconds
    assert video.timestamps_repaired == 0
    assert not video.truncated


def test_fps_stays_a_float(ntsc_moov_at_end: Path) -> None:
    info = VideoInfo.from_path(ntsc_moov_at_end)
    assert info.fps == pytest.approx(NTSC_FPS, rel=1e-6)
    assert info.frame_count == 300
    assert info.duration_s == pytest.approx(300 / NTSC_FPS)
    assert (info.width, info.height) == (160, 120)
    times = [t for t, _ in iter_video(ntsc_moov_at_end)]
    assert times[-1] == pytest.approx(299 / NTSC_FPS, abs=1e-3)  # not 299/29 or 299/30


def test_frames_are_bgr_uint8_and_fps_float_without_ffmpeg(red_avi: Path) -> None:
    video = VideoFile(red_avi)
    assert video.info.fps == pytest.approx(29.97, abs=1e-3)
    frames = [frame for _, frame in video]
    assert len(frames) == 20
    assert frames[0].dtype == np.uint8 and frames[0].shape == (48, 64, 3)
    assert tuple(frames[0][24, 32]) == pytest.approx((0, 0, 255), abs=3)  # red is the last channel


def test_missing_timestamps_are_repaired_one_nominal_period_apart(files: Path) -> None:
    """A raw H.264 stream has no timestamps: OpenCV reports 0 for every frame."""
    path = files / "raw.h264"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-frames:v", "50", "-c:v", "libx264", "-f", "h264", path)
    video = VideoFile(path)
    times = [t for t, _ in video]
    assert video.info.frame_count is None
    assert times == pytest.approx([i / 25 for i in range(50)])
    assert video.timestamps_repaired == 49


def test_time_range_and_stride(ntsc_moov_at_end: Path) -> None:
    video = VideoFile(ntsc_moov_at_end, start_s=1.0, end_s=2.0, stride=3)
    times = [t for t, _ in video]
    assert 1.0 <= times[0] < 1.0 + 1 / NTSC_FPS and times[-1] <= 2.0
    assert np.diff(times) == pytest.approx(3 / NTSC_FPS, abs=1e-3)
    assert not video.truncated  # stopping at end_s is no truncation


# --- bad and truncated files --------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(VideoNotFound, match="nope.mp4: no such file"):
        VideoFile(tmp_path / "nope.mp4")


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"hello, I am a text file\n", "no video stream"), (b"", "it is empty")],
    ids=["text", "empty"],
)
def test_not_a_video(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(content)
    with pytest.raises(NotAVideo, match=reason) as caught:
        VideoFile(path)
    assert "\n" not in str(caught.value)


def test_a_folder_is_not_a_video(tmp_path: Path) -> None:
    with pytest.raises(NotAVideo, match="it is a folder"):
        VideoFile(tmp_path)


def test_truncated_before_the_index_cannot_be_read(files: Path, ntsc_moov_at_end: Path) -> None:
    """moov at the end: half the bytes keep frames but lose the index that locates them."""
    half = first_half(ntsc_moov_at_end, files / "half_moov_at_end.mp4")
    with pytest.raises(TruncatedVideo, match="truncated") as caught:
        VideoFile(half)
    assert isinstance(caught.value, NotAVideo)


def test_a_damaged_mp4_is_not_called_truncated(tmp_path: Path) -> None:
    path = tmp_path / "damaged.mp4"
    path.write_bytes(b"\x00\x00\x00\x10ftypisom\x00\x00\x02\x00" + b"\x00\x00\x00\x03junk" * 4)
    with pytest.raises(NotAVideo, match="no video stream") as caught:
        VideoFile(path)
    assert not isinstance(caught.value, TruncatedVideo)


def test_truncated_after_the_index_plays_up_to_the_cut(files: Path, ntsc_faststart: Path) -> None:
    """moov first: half the bytes decode to about half the frames, then iteration ends."""
    half = first_half(ntsc_faststart, files / "half_faststart.mp4")
    video = VideoFile(half)
    assert video.info.frame_count == 300  # the index still declares them all
    times = [t for t, _ in video]
    assert 50 < len(times) < 250 and strictly_increasing(times)
    assert video.truncated and video.truncation is not None
    assert (video.truncation.frames_decoded, video.truncation.frames_expected) == (len(times), 300)
    assert str(video.truncation) == f"half_faststart.mp4 is truncated: only the first {len(times)} of ~300 frames could be decoded"


def test_truncated_matroska_is_noticed_without_a_frame_count(files: Path, ntsc_moov_at_end: Path) -> None:
    """Matroska declares a duration, not a frame count: truncation shows against the estimate."""
    mkv = files / "ntsc.mkv"
    ffmpeg("-i", ntsc_moov_at_end, "-c", "copy", mkv)
    video = VideoFile(first_half(mkv, files / "half.mkv"))
    frames = sum(1 for _ in video)
    assert video.truncation is not None and video.truncation.frames_decoded == frames < 250


def test_index_without_any_frame_data_is_not_a_video(files: Path, ntsc_faststart: Path) -> None:
    """Opens (the index is whole) but not one frame decodes: an error, not an empty series."""
    path = files / "index_only.mp4"
    mdat_offset, _ = top_level_boxes(ntsc_faststart)[b"mdat"]
    path.write_bytes(ntsc_faststart.read_bytes()[: mdat_offset + 16])
    video = VideoFile(path)
    with pytest.raises(NotAVideo, match="not a single frame"):
        list(video)


# --- the background reader --------------------------------------------------------------


def test_closing_the_generator_early_stops_the_reader(ntsc_moov_at_end: Path) -> None:
    frames = iter_video(ntsc_moov_at_end)
    next(frames)
    assert len(reader_threads()) == 1
    frames.close()
    assert reader_threads() == []


def test_breaking_out_of_a_loop_stops_the_reader(ntsc_moov_at_end: Path) -> None:
    video = VideoFile(ntsc_moov_at_end, queue_size=2)
    for i, _ in enumerate(video):
        if i == 5:
            break
    # the for-loop dropped its iterator; CPython closes it at once
    assert reader_threads() == []
    assert video.frames_decoded < 300 and not video.truncated


def test_reader_errors_reach_the_consumer(ntsc_moov_at_end: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_read(self: cv2.VideoCapture) -> tuple[bool, np.ndarray]:
        raise RuntimeError("decoder exploded")

    video = VideoFile(ntsc_moov_at_end)
    monkeypatch.setattr(cv2.VideoCapture, "read", failing_read)
    with pytest.raises(RuntimeError, match="decoder exploded"):
        list(video)
    assert reader_threads() == []


# --- cameras and streams (a file stands in for the device) ----------------------------------


def fake_clock(step: float) -> Iterator[float]:
    t = 1000.0
    while True:
        yield t
        t += step


def test_camera_times_come_from_the_clock_from_zero(ntsc_moov_at_end: Path) -> None:
    ticks = fake_clock(0.5)
    with Camera(str(ntsc_moov_at_end), clock=lambda: next(ticks)) as camera:
        times = [t for t, _ in camera]
    assert times == pytest.approx([0.5 * i for i in range(300)])
    assert camera.info.frame_count == 300 and camera.frames_dropped == 0


def test_latest_only_skips_frames_for_a_slow_consumer(ntsc_moov_at_end: Path) -> None:
    camera = Camera(str(ntsc_moov_at_end), latest_only=True)
    seen = 0
    for _ in camera:
        time.sleep(0.01)
        seen += 1
    assert camera.frames_dropped > 0
    assert seen + camera.frames_dropped == 300  # every frame was either shown or dropped


def test_a_missing_camera_says_so() -> None:
    with pytest.raises(CameraError, match="cannot open camera 99") as caught:
        Camera("99")
    assert isinstance(caught.value, SourceError)
