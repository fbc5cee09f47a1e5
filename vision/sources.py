"""Frame sources: every input becomes an iterator of ``(t_seconds, frame)``.

``frame`` is a BGR ``uint8`` image of shape (height, width, 3), as OpenCV decodes it
(phone rotation already applied); ``t_seconds`` strictly increases. The stages after
this one never ask where frames come from.

A map of this module:

* `VideoInfo` - what a source is: size, fps (a float: 29.97 stays 29.97), frame count.
* `VideoFile` / `iter_video` - a video file. Timestamps are the container's own, so a
  variable-frame-rate phone clip keeps its real timing. A file cut short plays up to the
  cut and records a `Truncation`.
* `Camera` / `iter_camera` - a webcam index, a device path or a stream URL; timestamps
  come from a monotonic clock. ``latest_only=True`` keeps just the newest frame, for live
  use where a slow consumer must skip frames rather than fall behind.
* `PacedVideo` - a video file played as if it were a camera: each frame is released at its
  own timestamp in real time, so the live session can rehearse on a clip (tests, benchmarks,
  a user's dry run). `open_live` picks `Camera` or `PacedVideo` for what the user typed.
* Underneath all three: `vision.reader.Reader`, a background thread that decodes into a small hand-off
  (every frame for files, only the newest for live cameras) so decoding overlaps
  inference, and which stops and releases the capture as soon as the consumer stops.

Errors are `vision.errors.SourceError` subclasses with a one-line message for the user.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import cv2

from vision.errors import CameraError, NotAVideo, TruncatedVideo, VideoNotFound
from vision.reader import Bounded, Frame, Handoff, Latest, Reader

__all__ = [
    "Camera",
    "Frame",
    "LiveSource",
    "PacedVideo",
    "Truncation",
    "VideoFile",
    "VideoInfo",
    "iter_camera",
    "iter_video",
    "open_live",
]


FALLBACK_FPS = 30.0
"""Used when a file does not state its frame rate (rare: raw streams). Only matters for
frames whose container gives no usable timestamp."""

TRUNCATION_TOLERANCE = 0.01
"""Fraction of the declared frames, and of the declared duration (at least 2 frames' worth
of each), that may be missing before a file counts as truncated. Both must be short:
Matroska and WebM declare no frame count, so OpenCV estimates it as duration x nominal
fps, which overshoots on a variable-frame-rate file; and the duration ends one frame
after the last frame starts."""


@dataclass(frozen=True)
class VideoInfo:
    """What a source is, as far as it says before decoding.

    Attributes:
        source: the file path (as given) or the camera index, device path or URL.
        width: frame width in pixels, after any rotation the file asks for.
        height: frame height in pixels.
        fps: the nominal frame rate, never rounded (29.97 stays 29.97). For a
            variable-frame-rate file it is the average; trust the timestamps instead.
            A camera that does not say gives 0.0.
        frame_count: the declared number of frames, or None when unknown (cameras,
            streams, raw bitstreams). An estimate for some containers.
        duration_s: ``frame_count / fps``, or None when either is unknown.
    """

    source: str | int
    width: int
    height: int
    fps: float
    frame_count: int | None
    duration_s: float | None

    @classmethod
    def from_path(cls, path: str | Path) -> VideoInfo:
        """Read a video file's info without decoding it.

        Raises:
            VideoNotFound, NotAVideo, TruncatedVideo: as `VideoFile`.
        """
        return VideoFile(path).info

    @classmethod
    def from_capture(cls, capture: cv2.VideoCapture, source: str | int) -> VideoInfo:
        """Info of an opened OpenCV capture (a count OpenCV cannot know comes back as junk)."""
        fps = capture.get(cv2.CAP_PROP_FPS)
        fps = fps if math.isfinite(fps) and fps > 0 else 0.0
        count = capture.get(cv2.CAP_PROP_FRAME_COUNT)
        frame_count = int(count) if 0 < count < 1e9 else None
        return cls(
            source=source,
            width=int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
            height=int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
            fps=fps,
            frame_count=frame_count,
            duration_s=frame_count / fps if frame_count and fps else None,
        )


@dataclass(frozen=True)
class Truncation:
    """A file that stopped decoding well before its declared frame count.

    Attributes:
        path: the file.
        frames_decoded: how many frames could be decoded (all of them were yielded,
            unless the caller asked for a stride or a time range).
        frames_expected: how many the file declares (approximate for some containers).
    """

    path: Path
    frames_decoded: int
    frames_expected: int

    def __str__(self) -> str:
        return (
            f"{self.path.name} is truncated: only the first {self.frames_decoded} "
            f"of ~{self.frames_expected} frames could be decoded"
        )


class VideoFile:
    """A video file as an iterable of `Frame`, decoded on a background thread.

    The file is opened once at construction to check it and read its `info` (so a bad
    path fails before any work), and again by each iteration. After an iteration that
    reached the end of the file, `truncated` and `truncation` tell whether frames were
    missing, and `frames_decoded` how many there were.

    Timestamps are the container's presentation times (OpenCV's ``CAP_PROP_POS_MSEC``
    after each read), which follow a variable frame rate exactly. Where a container has
    none (raw H.264 reports 0 for every frame) or goes backwards, a frame gets the
    previous time plus one nominal frame period instead, so times strictly increase;
    `timestamps_repaired` counts such frames.

    Args:
        path: the video file.
        start_s: skip frames before this time (they are still decoded: exact, not a seek).
        end_s: stop after this time (decoding stops too).
        stride: yield every ``stride``-th frame of those in range.
        queue_size: frames decoded ahead of the consumer; small, since each is a full image.

    Raises:
        VideoNotFound: no file at ``path``.
        NotAVideo: the file is empty, a folder, or nothing OpenCV can open; iteration
            raises it too when not a single frame decodes.
        TruncatedVideo: an MP4/MOV cut short before its index.

    Example:
        >>> video = VideoFile("clip.mp4")                      # doctest: +SKIP
        >>> times = [t for t, frame in video]                  # doctest: +SKIP
        >>> if video.truncated: print(video.truncation)        # doctest: +SKIP
    """

    def __init__(
        self,
        path: str | Path,
        *,
        start_s: float = 0.0,
        end_s: float = math.inf,
        stride: int = 1,
        queue_size: int = 8,
    ) -> None:
        if stride < 1:
            raise ValueError(f"stride must be at least 1, got {stride}")
        self.path = Path(path)
        self.start_s, self.end_s, self.stride, self.queue_size = start_s, end_s, stride, queue_size
        capture = _open_file(self.path)
        try:
            self.info = VideoInfo.from_capture(capture, str(path))
        finally:
            capture.release()
        self.frames_decoded = 0
        self.timestamps_repaired = 0
        self.truncation: Truncation | None = None

    @property
    def truncated(self) -> bool:
        """Whether the last complete iteration ended well short of the declared frames."""
        return self.truncation is not None

    def __iter__(self) -> Iterator[Frame]:
        clock = _ContainerClock(1.0 / (self.info.fps or FALLBACK_FPS))
        reader = Reader(_open_file(self.path), clock, Bounded(self.queue_size))
        self.frames_decoded, self.truncation = 0, None
        in_range, t = 0, 0.0
        try:
            for t, frame in reader.frames():
                if t > self.end_s:
                    return
                if t >= self.start_s:
                    if in_range % self.stride == 0:
                        yield t, frame
                    in_range += 1
        finally:
            reader.stop()
            self.frames_decoded, self.timestamps_repaired = reader.frames_read, clock.repaired
        self._check_ending(reader.frames_read, t)

    def _check_ending(self, frames_read: int, last_t: float) -> None:
        """After the last frame: no frames at all is an error, too few is a truncation."""
        if frames_read == 0:
            raise NotAVideo(self.path, "not a single frame could be decoded")
        count, duration, fps = self.info.frame_count, self.info.duration_s, self.info.fps
        if count is None or duration is None:
            return
        frames_short = count - frames_read > max(2, TRUNCATION_TOLERANCE * count)
        time_short = duration - last_t > max(2 / fps, TRUNCATION_TOLERANCE * duration)
        if frames_short and time_short:
            self.truncation = Truncation(self.path, frames_read, count)


def iter_video(
    path: str | Path, *, start_s: float = 0.0, end_s: float = math.inf, stride: int = 1
) -> Generator[Frame, None, None]:
    """Frames of a video file; a shortcut for iterating `VideoFile` (see it for the details).

    Use `VideoFile` itself when you need to know afterwards whether the file was truncated.
    """
    yield from VideoFile(path, start_s=start_s, end_s=end_s, stride=stride)


class Camera:
    """A webcam, capture device or stream as an iterable of `Frame`.

    Timestamps come from a monotonic clock read as each frame arrives, relative to the
    first frame (cameras' own timestamps vary by driver and are often missing). The
    device is opened at construction, so a missing camera fails at once; use it as a
    context manager, or iterate it to the end, to release it.

    Args:
        device: a camera index (``0``; a string of digits counts as one), a device path
            (``/dev/video2``) or a URL (``rtsp://...``, ``http://...``); OpenCV decides.
        latest_only: keep only the newest frame for the consumer, dropping older ones
            (live use: never fall behind the camera). Otherwise every frame is kept,
            up to ``queue_size`` ahead, and the camera waits for the consumer.
        queue_size: frames read ahead of the consumer when ``latest_only`` is False.
        clock: seconds from a monotonic clock; replaceable for tests.

    Raises:
        CameraError: the device cannot be opened, or gives no frame at all.
    """

    def __init__(
        self,
        device: int | str,
        *,
        latest_only: bool = False,
        queue_size: int = 4,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.device: int | str = int(device) if isinstance(device, str) and device.isdigit() else device
        self.latest_only, self.queue_size, self.clock = latest_only, queue_size, clock
        self._capture: cv2.VideoCapture | None = self._open()
        self.info = VideoInfo.from_capture(self._capture, self.device)
        self._handoff: Handoff | None = None
        self._stamp = _WallClock(clock)

    @property
    def frames_dropped(self) -> int:
        """Frames the consumer was too slow for (``latest_only``), so far in the current or last iteration."""
        return 0 if self._handoff is None else self._handoff.dropped

    @property
    def started_at(self) -> float | None:
        """The ``clock`` reading of the first frame (its ``t`` is 0), so a frame at ``t`` was
        captured at ``started_at + t``; None before the first frame."""
        return self._stamp.start

    def __iter__(self) -> Iterator[Frame]:
        capture, self._capture = self._capture or self._open(), None
        handoff: Handoff = Latest() if self.latest_only else Bounded(self.queue_size)
        self._handoff, self._stamp = handoff, _WallClock(self.clock)
        reader = Reader(capture, self._stamp, handoff)
        try:
            yield from reader.frames()
        finally:
            reader.stop()
        if reader.frames_read == 0:
            raise CameraError(f"camera {self.device!r} opened but gave no frame: check that no other program uses it")

    def close(self) -> None:
        """Release the device if no iteration has taken it over (iterations release their own)."""
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def __enter__(self) -> Camera:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _open(self) -> cv2.VideoCapture:
        capture = cv2.VideoCapture(self.device)
        if not capture.isOpened():
            raise CameraError(
                f"cannot open camera {self.device!r}: check that it is connected and free, "
                "or pass another index, device or URL"
            )
        return capture


class PacedVideo:
    """A video file played as if it were a camera, for rehearsing the live session.

    The reader thread releases each frame when the wall clock reaches its timestamp (the
    container's, as in `VideoFile`), so the consumer sees the clip at its own frame rate and,
    with ``latest_only``, drops frames exactly as it would with a camera when it is slower.
    Frames keep the container's timestamps, so the counts can be compared with `analyze`'s.

    Args:
        path: the video file.
        latest_only: keep only the newest frame (see `Camera`).
        loop: play the clip again and again; timestamps keep increasing (long-session tests).
        end_s: stop after this time (with ``loop``, a session of that length).
        clock: seconds from a monotonic clock.

    Raises:
        VideoNotFound, NotAVideo, TruncatedVideo: as `VideoFile`.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        latest_only: bool = True,
        loop: bool = False,
        end_s: float = math.inf,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self.latest_only, self.loop, self.end_s, self.clock = latest_only, loop, end_s, clock
        self.info = VideoInfo.from_path(path)
        self._period = 1.0 / (self.info.fps or FALLBACK_FPS)
        self._handoff: Handoff | None = None
        self._pace = _Pace(self._period, clock)

    @property
    def frames_dropped(self) -> int:
        """As `Camera.frames_dropped`."""
        return 0 if self._handoff is None else self._handoff.dropped

    @property
    def started_at(self) -> float | None:
        """As `Camera.started_at`: when the frame at ``t = 0`` was released."""
        return self._pace.start

    def __iter__(self) -> Iterator[Frame]:
        capture = _open_file(self.path)
        self._pace = _Pace(self._period, self.clock)
        self._handoff = Latest() if self.latest_only else Bounded(4)
        if self.loop:
            capture = cast(cv2.VideoCapture, _Looping(capture, self._period))
        reader = Reader(capture, self._pace, self._handoff)
        try:
            for frame in reader.frames():
                if frame[0] > self.end_s:
                    return
                yield frame
        finally:
            reader.stop()


LiveSource = Camera | PacedVideo
"""What the live session reads: frames with ``info``, ``started_at`` and ``frames_dropped``."""


def open_live(source: str, *, loop: bool = False) -> LiveSource:
    """The live source the user means: an existing video file plays as a paced camera;
    anything else (an index such as ``0``, ``/dev/video2``, an ``rtsp://`` URL) is a camera.

    Raises:
        CameraError: the camera cannot be opened. NotAVideo: the file cannot be decoded.
    """
    path = Path(source)
    if not source.isdigit() and path.is_file():
        return PacedVideo(path, loop=loop)
    return Camera(source, latest_only=True)


def iter_camera(device: int | str, *, latest_only: bool = False) -> Generator[Frame, None, None]:
    """Frames of a camera or stream until it ends or the caller stops; see `Camera`."""
    with Camera(device, latest_only=latest_only) as camera:
        yield from camera


# --- opening files -----------------------------------------------------------------


def _open_file(path: Path) -> cv2.VideoCapture:
    """Open a video file with OpenCV, or raise the error that says why it cannot be."""
    if not path.exists():
        raise VideoNotFound(path)
    if path.is_dir():
        raise NotAVideo(path, "it is a folder", "pass one of the videos in it")
    if path.stat().st_size == 0:
        raise NotAVideo(path, "it is empty, 0 bytes", "copy or export the clip again")
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if capture.isOpened():
        return capture
    if _is_iso_media_without_index(path):
        raise TruncatedVideo(path)
    raise NotAVideo(path, "no video stream OpenCV can decode")


def _is_iso_media_without_index(path: Path) -> bool:
    """Whether ``path`` is an MP4/MOV (ISO base media) file whose "moov" index is missing.

    Walks the top-level boxes (4-byte big-endian size, 4-byte type). A recording cut
    short before the index was written has a "ftyp" box, media data, and no "moov".
    """
    with path.open("rb") as f:
        head = f.read(8)
        if len(head) < 8 or head[4:8] != b"ftyp":
            return False
        f.seek(0)
        while len(header := f.read(8)) == 8:
            size, kind = int.from_bytes(header[:4], "big"), header[4:8]
            if kind == b"moov":
                return False
            if size == 1:  # a 64-bit size follows the type
                size = int.from_bytes(f.read(8), "big") - 8
            elif size == 0:  # the box runs to the end of the file
                break
            if size < 8:  # not a box at all: a damaged file rather than a cut one
                return False
            f.seek(size - 8, 1)
    return True


# --- timestamps ----------------------------------------------------------------------


class _ContainerClock:
    """File timestamps: the container's, made strictly increasing.

    Args:
        period_s: one nominal frame period, the step used when a timestamp is missing or
            does not move forward.
    """

    def __init__(self, period_s: float) -> None:
        self.period_s = period_s
        self.previous: float | None = None
        self.repaired = 0

    def __call__(self, capture: cv2.VideoCapture) -> float:
        t = capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        if self.previous is not None and not t > self.previous:  # also catches NaN
            t = self.previous + self.period_s
            self.repaired += 1
        self.previous = t
        return t


class _WallClock:
    """Live timestamps: a monotonic clock read when each frame arrives, from the first frame."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.start: float | None = None
        self.previous = -math.inf

    def __call__(self, capture: cv2.VideoCapture) -> float:
        now = self.clock()
        if self.start is None:
            self.start = now
        # A coarse clock can repeat a value for two quick frames; nudge to keep order.
        t = max(now - self.start, math.nextafter(self.previous, math.inf))
        self.previous = t
        return t


class _Pace:
    """Container timestamps released in real time: waits (on the reader thread) until each
    frame is due, counting from when the first frame was read."""

    def __init__(self, period_s: float, clock: Callable[[], float]) -> None:
        self.container = _ContainerClock(period_s)
        self.clock = clock
        self.start: float | None = None

    def __call__(self, capture: cv2.VideoCapture) -> float:
        t = self.container(capture)
        if self.start is None:
            self.start = self.clock() - t
        wait = self.start + t - self.clock()
        if wait > 0:
            time.sleep(wait)
        return t


class _Looping:
    """A file capture that starts again at its end, its timestamps carrying on after the last
    frame (what `Reader` reads: ``read``, ``get`` and ``release``)."""

    def __init__(self, capture: cv2.VideoCapture, period_s: float) -> None:
        self.capture, self.period_s = capture, period_s
        self.offset_ms = 0.0
        self.last_ms = 0.0

    def read(self) -> tuple[bool, object]:
        ok, image = self.capture.read()
        if not ok and self.capture.set(cv2.CAP_PROP_POS_FRAMES, 0):
            self.offset_ms = self.last_ms + 1000 * self.period_s
            ok, image = self.capture.read()
        return ok, image

    def get(self, prop: int) -> float:
        value = self.capture.get(prop)
        if prop == cv2.CAP_PROP_POS_MSEC:
            value += self.offset_ms
            self.last_ms = value
        return value

    def release(self) -> None:
        self.capture.release()
