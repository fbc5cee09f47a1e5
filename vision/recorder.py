"""Writing a live session to mp4 off the inference thread, at the camera's real pace.

A live session processes only the newest frame, so the frames it has are irregular in time;
`Recorder` repeats a frame until the next one is due, so the file plays at its nominal rate
and a minute of session is a minute of video. Encoding runs on its own thread: it must not
add to the latency of the count on screen.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

QUEUE_FRAMES = 30
"""Frames waiting to be encoded; beyond this (a machine too slow to encode) frames are dropped
from the recording rather than letting memory grow."""


class Recorder:
    """An mp4 written from timestamped frames on a background thread.

    Args:
        path: the .mp4 to write (its folder is created).
        fps: the file's frame rate.
        size: (width, height) of the frames.

    Raises:
        PermissionError: the file cannot be opened for writing.
    """

    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.fps = path, fps
        self._writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
        if not self._writer.isOpened():
            raise PermissionError(13, "cannot open the video writer", str(path))
        self._queue: queue.Queue[tuple[float, npt.NDArray[np.uint8]] | None] = queue.Queue(QUEUE_FRAMES)
        self.frames_written = 0
        self.frames_skipped = 0
        self._thread = threading.Thread(target=self._run, name="repcount-recorder", daemon=True)
        self._thread.start()

    def write(self, t: float, frame: npt.NDArray[np.uint8]) -> None:
        """Queue ``frame``, shown from ``t`` seconds on; the caller must not draw on it afterwards."""
        try:
            self._queue.put_nowait((t, frame))
        except queue.Full:
            self.frames_skipped += 1

    def close(self) -> None:
        """Write what is queued and close the file."""
        self._queue.put(None)
        self._thread.join()
        self._writer.release()

    def _run(self) -> None:
        last: npt.NDArray[np.uint8] | None = None
        while (item := self._queue.get()) is not None:
            t, frame = item
            while last is not None and self.frames_written < round(t * self.fps):  # the previous frame lasts
                self._writer.write(last)
                self.frames_written += 1
            self._writer.write(frame)
            self.frames_written += 1
            last = frame
