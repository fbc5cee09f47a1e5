"""The background reader behind every frame source: decode on a thread, hand frames over.

Decoding a frame costs about a thirtieth of pose inference, but done in line it still
adds up; on its own thread it overlaps inference. `Reader` owns the OpenCV capture and
puts frames into a small hand-off: `Bounded` keeps every frame (files: nothing may be
skipped), `Latest` keeps only the newest (live cameras: a slow consumer skips frames
instead of falling behind). Closing the consumer's generator stops the thread and
releases the capture.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Protocol, cast

import cv2
import numpy as np
import numpy.typing as npt

Frame = tuple[float, npt.NDArray[np.uint8]]
"""One frame: its time in seconds from the start of the source, and the BGR image."""

STOP_TIMEOUT_S = 2.0
"""How long closing a source waits for its reader thread. A file reader stops within one
frame; a stalled network stream may hang in the decoder, and its (daemon) thread is then
left to finish on its own."""


class End:
    """Marks the end of the frames in a hand-off."""


END = End()


class Handoff(Protocol):
    """Where the reader thread leaves frames for the consumer."""

    dropped: int

    def put(self, frame: Frame, stop: threading.Event) -> bool:
        """Hand over one frame; False if the consumer has stopped meanwhile."""

    def finish(self, error: BaseException | None, stop: threading.Event) -> None:
        """No more frames (with the reader's error, if it failed)."""

    def get(self) -> Frame | End:
        """The next frame, waiting for it; `END` after the last; re-raises the reader's error."""


class Bounded:
    """Keeps every frame, at most ``size`` ahead: a fast decoder waits for the consumer."""

    POLL_S = 0.05  # how often a waiting reader checks whether the consumer has gone

    def __init__(self, size: int) -> None:
        self._queue: queue.Queue[Frame | End] = queue.Queue(maxsize=max(1, size))
        self._error: BaseException | None = None
        self.dropped = 0

    def put(self, frame: Frame, stop: threading.Event) -> bool:
        return self._put(frame, stop)

    def finish(self, error: BaseException | None, stop: threading.Event) -> None:
        self._error = error
        self._put(END, stop)  # a consumer that has stopped needs no end mark

    def _put(self, item: Frame | End, stop: threading.Event) -> bool:
        """Wait for room, but give up as soon as the consumer has stopped."""
        while not stop.is_set():
            try:
                self._queue.put(item, timeout=self.POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def get(self) -> Frame | End:
        item = self._queue.get()
        if isinstance(item, End) and self._error is not None:
            raise self._error
        return item


class Latest:
    """Keeps only the newest frame ("newest frame wins"): a slow consumer skips frames."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._frame: Frame | None = None
        self._ended = False
        self._error: BaseException | None = None
        self.dropped = 0

    def put(self, frame: Frame, stop: threading.Event) -> bool:
        with self._ready:
            self.dropped += self._frame is not None
            self._frame = frame
            self._ready.notify()
        return not stop.is_set()

    def finish(self, error: BaseException | None, stop: threading.Event) -> None:
        with self._ready:
            self._ended, self._error = True, error
            self._ready.notify()

    def get(self) -> Frame | End:
        with self._ready:
            self._ready.wait_for(lambda: self._frame is not None or self._ended)
            frame, self._frame = self._frame, None
        if frame is not None:
            return frame
        if self._error is not None:
            raise self._error
        return END


class Reader:
    """Reads an opened capture on a background thread into a hand-off.

    The thread owns the capture from `frames()` on and releases it when it stops: at the
    end of the input, on an error (passed to the consumer), or when `stop()` is called
    because the consumer has stopped early.
    """

    def __init__(self, capture: cv2.VideoCapture, stamp: Callable[[cv2.VideoCapture], float], handoff: Handoff):
        self.capture, self.stamp, self.handoff = capture, stamp, handoff
        self.frames_read = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="repcount-reader", daemon=True)

    def frames(self) -> Iterator[Frame]:
        """Start the thread and yield its frames; closing this generator stops the thread."""
        self._thread.start()
        try:
            while not isinstance(item := self.handoff.get(), End):
                yield item
        finally:
            self.stop()

    def stop(self) -> None:
        """Ask the thread to stop and wait for it (idempotent)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(STOP_TIMEOUT_S)

    def _run(self) -> None:
        error: BaseException | None = None
        try:
            while not self._stop.is_set():
                ok, image = self.capture.read()
                if not ok:
                    break
                self.frames_read += 1
                frame = cast(npt.NDArray[np.uint8], image)  # 8-bit BGR: OpenCV's default conversion
                if not self.handoff.put((self.stamp(self.capture), frame), self._stop):
                    break
        except Exception as exc:  # handed to the consumer, who re-raises it
            error = exc
        finally:
            self.capture.release()
            self.handoff.finish(error, self._stop)
