"""The live session: a camera -> pose -> counters -> (guide) -> the count on screen, as it happens.

The same stages as `vision.analyze`, driven by a camera instead of a file. The camera is read
on its own thread into a newest-frame-wins hand-off (`vision.sources.Camera` with
``latest_only``; a video file plays as a paced camera, `PacedVideo`), and inference always
takes the newest frame: when the machine is slower than the camera, frames are dropped (and
counted, and shown) instead of queueing up, so the latency never grows.

Pose runs in MediaPipe's VIDEO mode through the shared `PoseEstimator`, with ``num_poses=1``
(`NUM_POSES`). LIVE_STREAM mode was measured against it (benchmarks/live_modes.py: the 640x480
hops sample fed in real time, num_poses=1, 2 cores under a load of 5-6): medians of 19.5 and
16.8 ms from a frame to its landmarks in VIDEO mode against 18.3 and 19.4 ms in LIVE_STREAM
(two runs), the same landmarks (0.0-0.2 px apart), and LIVE_STREAM dropping frames of its own
when busy (211 of 223 in one run). A tie at best for LIVE_STREAM, so VIDEO mode is kept: one
code path with `analyze`, a synchronous call, and frames dropped only where we count them.

* `LiveSession` holds the counting state and draws the window's frame; it never touches a
  camera or a window, so it can be driven by tests.
* `run_live` is the loop: frames in, pose, session, window or stdout, keys, recordings, and
  the end of the session (quit, Ctrl-C, the end of a rehearsal clip, or a camera that fails).
* `action_for_key` maps a key to what it does; `hint` says what the athlete should fix.
"""

from __future__ import annotations

import enum
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from vision import counters
from vision import landmarks as lm
from vision.annotate import FLASH_S
from vision.compare import Comparison, compare
from vision.counters.base import Counter
from vision.errors import SourceError
from vision.guide import Cue, Guide, Phase
from vision.overlay import Hud, Image, LiveStatus, draw_hud, draw_pose, draw_status
from vision.pose import PoseEstimator
from vision.recorder import Recorder
from vision.result import AnalysisResult, ExerciseResult, Rep
from vision.routine import Routine
from vision.series import PoseFrame
from vision.sources import Camera, LiveSource

__all__ = [
    "Action",
    "FrameTiming",
    "Line",
    "LiveOutcome",
    "LiveSession",
    "action_for_key",
    "hint",
    "rep_details",
    "run_live",
    "unopened_result",
]

NUM_POSES = 1
"""People the model may return live. 2 (as `analyze` uses) costs ~30 ms a frame at 640x480 on
2 cores against ~17 ms for 1 (measured): at 30 fps the budget is 33 ms, so live takes 1."""

WINDOW = "repcount live"
BANNER_S = 1.5
"""How long a cue ("SET COMPLETE") stays across the window."""

HINT_HOLD_S = 0.5
"""A hint shows only once its cause has lasted this long, so one missed frame does not flash it."""

TOO_FAR = 0.3
"""An athlete shorter than this fraction of the frame's height is too small to count well."""

FOOT_VISIBLE = 0.5
"""MediaPipe visibility under which a foot counts as unseen. A foot lifted behind the other
drops to ~0.1-0.3 during single-leg hops (measured) while the other stays above 0.8, so only
both feet unseen gives the hint."""

EDGE = 0.01
"""Feet closer than this fraction of the height to the bottom edge are cut off (MediaPipe
places a foot it cannot see just past the edge, or on it)."""


class Action(enum.Enum):
    PAUSE = "pause"
    SKIP = "skip"
    RESET = "reset"
    QUIT = "quit"


KEYS: dict[int, Action] = {ord(" "): Action.PAUSE, ord("n"): Action.SKIP, ord("r"): Action.RESET,
                           ord("q"): Action.QUIT, 27: Action.QUIT}  # fmt: skip
"""Space pauses (and resumes), n skips the item, r resets it, q or Esc quits."""


def action_for_key(key: int) -> Action | None:
    """What a key from ``cv2.waitKey`` does (-1, no key, and unknown keys do nothing)."""
    return KEYS.get(key & 0xFF) if key >= 0 else None


def hint(pose: PoseFrame | None, resolution_wh: tuple[int, int]) -> str:
    """What the athlete should fix for the count to work, or "" when nothing."""
    if pose is None:
        return "Nobody in view: step into the picture, whole body and feet"
    w, h = resolution_wh
    feet = pose.xy[list(lm.FOOT)]
    inside = (feet[:, 0] >= 0) & (feet[:, 0] < w) & (feet[:, 1] >= 0) & (feet[:, 1] < (1 - EDGE) * h)
    # One foot lifted behind the other is hidden but fine; both feet unseen is not.
    if not np.all(inside) or pose.visibility[list(lm.FOOT)].max() < FOOT_VISIBLE:
        return "Feet out of frame: step back or tilt the camera down"
    if float(np.nanmax(pose.xy[:, 1]) - np.nanmin(pose.xy[:, 1])) < TOO_FAR * h:
        return "Too far: come closer to the camera"
    return ""


def rep_details(reps: list[Rep] | tuple[Rep, ...]) -> str:
    """The count split by foot and kind, e.g. "left cw 3  right ccw 2" or "left 4  right 5"."""
    keys = [" ".join(x for x in (r.side, r.kind) if x and x != "both") for r in reps]
    return "  ".join(f"{key} {keys.count(key)}" for key in sorted(set(keys)) if key)


@dataclass(frozen=True)
class Line:
    """Something worth printing: a new count, a hint, or a cue (``cue``: ring the bell)."""

    text: str
    cue: bool = False


@dataclass(frozen=True)
class FrameTiming:
    """How one processed frame went: its time, how long after its capture its count was on
    screen, the frames dropped so far, and the frame as drawn (None when nothing was drawn)."""

    t: float
    latency_s: float
    dropped: int
    shown: Image | None = None


@dataclass(frozen=True)
class LiveOutcome:
    """How a session ended and what it counted.

    Attributes:
        result: the counts, in the JSON layout of `analyze` (routine comparison included).
        comparison: guided mode: the routine against what was done (its `lines` for a terminal).
        ended: ``quit``, ``interrupted`` (Ctrl-C), ``end`` (a rehearsal clip ended, or the
            routine is complete) or ``camera`` (the camera failed).
        error: for ``camera``, the one line to show.
    """

    result: AnalysisResult
    ended: str
    error: str = ""
    comparison: Comparison | None = None


class LiveSession:
    """The counting state of a live session, fed one frame at a time; draws the window's frame.

    Free mode (``exercise``) runs one counter; guided mode (``routine``) runs a fresh counter
    for each routine item and a `Guide` that moves through the routine. ``r`` in free mode
    starts the count again (what was counted before is kept in the result).

    Args:
        fps: the camera's nominal frame rate (counters size their filters by it).
        size: the frames' (width, height) in pixels.
        exercise: the exercise, for free mode.
        routine: the routine, for guided mode (exactly one of the two).
    """

    def __init__(
        self, fps: float, size: tuple[int, int], *, exercise: str | None = None, routine: Routine | None = None
    ) -> None:
        if (exercise is None) == (routine is None):
            raise ValueError("give an exercise or a routine")
        self.fps, self.size = fps or 30.0, size
        self.routine = routine
        self.guide = Guide(routine) if routine is not None else None
        self._exercise = exercise or ""
        self._item = -1
        self._reps: list[Rep] = []  # what the current counter has counted
        self.counter: Counter = self._new_counter()
        self._results: list[ExerciseResult] = []
        self.paused = False
        self.frames = 0
        self.detected = 0
        self.last_t = 0.0
        self._last_rep_t = -np.inf
        self._banner, self._banner_t = "", -np.inf
        self._hint, self._hint_since, self._hint_shown = "", 0.0, ""

    @property
    def finished(self) -> bool:
        """Guided mode: the routine is complete."""
        return self.guide is not None and self.guide.phase is Phase.DONE

    def _new_counter(self) -> Counter:
        if self.guide is not None:
            item = self.guide.item or self.guide.routine.items[-1]
            self._exercise, self._item = item.exercise, self.guide.index
        self._reps = []
        return counters.get_counter(self._exercise, self.fps)

    def _close_counter(self) -> list[Rep]:
        """Finish the counter (its pending reps) and keep its result if it counted anything
        (free mode keeps it even at zero: `analyze --exercise` reports zero too)."""
        pending = self.counter.finish()
        result = self.counter.result()
        if result.count or self.guide is None:
            self._results.append(result)
        return pending

    def update(self, t: float, pose: PoseFrame | None) -> list[Line]:
        """Count one frame; returns what is worth printing. While paused (or once the routine
        is complete), frames are not looked at: `run_live` does not even run the model on them."""
        if self.paused or self.finished:
            return []
        self.frames += 1
        self.detected += pose is not None
        self.last_t = t
        lines = self._follow_hint(t, hint(pose, self.size))
        reps = self.counter.update(t, pose)
        return lines + self._take(t, reps)

    def _take(self, t: float, reps: list[Rep]) -> list[Line]:
        if reps:
            self._last_rep_t = t
            self._reps += reps
        if self.guide is None:
            return [self._count_line(t)] if reps else []
        cues = self.guide.update(t, reps)
        lines = [self._count_line(t)] if reps and not cues else []
        lines += self._cues(t, cues)
        if self.guide.index != self._item or self.finished:
            self._next_counter()
        return lines

    def _next_counter(self) -> None:
        self._close_counter()
        if not self.finished:
            self.counter = self._new_counter()

    def _cues(self, t: float, cues: list[Cue]) -> list[Line]:
        if not cues:
            return []
        self._banner, self._banner_t = cues[-1].value.upper(), t
        assert self.guide is not None
        return [Line(f"{t:7.1f} s  {' / '.join(c.value for c in cues)}: {self.guide.status(t).line}", cue=True)]

    def _count_line(self, t: float) -> Line:
        if self.guide is not None:
            return Line(f"{t:7.1f} s  {self.guide.status(t).line}")
        details = rep_details(self._reps)
        return Line(f"{t:7.1f} s  {self._exercise} {len(self._reps)}" + (f"  ({details})" if details else ""))

    def _follow_hint(self, t: float, text: str) -> list[Line]:
        """Show a hint once it has held for `HINT_HOLD_S`; a line when the shown hint changes."""
        if text != self._hint:
            self._hint, self._hint_since = text, t
        if t - self._hint_since < HINT_HOLD_S or self._hint == self._hint_shown:
            return []
        self._hint_shown = self._hint
        return [Line(f"{t:7.1f} s  {self._hint or 'in view'}")]

    def act(self, action: Action, t: float) -> list[Line]:
        """Apply a key's action (QUIT is the loop's business)."""
        if action is Action.PAUSE:
            self.paused = not self.paused
            if self.guide is not None:
                (self.guide.pause if self.paused else self.guide.resume)(t)
            return [Line(f"{t:7.1f} s  {'paused' if self.paused else 'resumed'}")]
        if action is Action.RESET:
            if self.guide is not None:
                self.guide.reset(t)
            else:
                self._close_counter()
                self.counter = self._new_counter()
            return [Line(f"{t:7.1f} s  reset")]
        if action is Action.SKIP and self.guide is not None:
            lines = self._cues(t, self.guide.skip(t)) or [
                Line(f"{t:7.1f} s  skipped, now: {self.guide.status(t).line}")
            ]
            self._next_counter()
            return lines
        return []

    def draw(self, image: Image, pose: PoseFrame | None, t: float, stats: str) -> Image:
        """The window's frame: skeleton and feet, the count, the guide line, the hint, the stats."""
        draw_pose(image, pose)
        since = t - self._last_rep_t
        flash = max(0.0, 1.0 - since / FLASH_S)
        if self.guide is not None:
            status = self.guide.status(t)
            guide_line, count = status.line, status.count
        else:
            guide_line, count = "", len(self._reps)
        draw_hud(image, Hud(self._exercise, count, rep_details(self._reps), flash))
        banner = "PAUSED" if self.paused else self._banner if t - self._banner_t < BANNER_S else ""
        return draw_status(image, LiveStatus(guide_line, self._hint_shown, stats, banner))

    def finish(self) -> list[Line]:
        """The session is over: decide the counter's pending reps (a guided routine that is
        complete has closed its last counter already)."""
        if self.finished:
            return []
        pending = self._close_counter()
        if self.guide is None or not pending:
            return []
        return self._cues(self.last_t, self.guide.update(self.last_t, pending))

    def result(self, source: str, fps: float, dropped: int) -> AnalysisResult:
        """Everything counted, as `analyze` returns it (call `finish` first)."""
        warnings = [w for r in self._results for w in r.warnings]
        total = self.frames + dropped
        if dropped:
            warnings.insert(0, f"{dropped} of {total} frames dropped (the machine was slower than the camera): "
                               "a fast rep may have been missed")  # fmt: skip
        comparison = self.comparison()
        return AnalysisResult(
            source=source,
            fps=fps,
            frames=self.frames,
            duration_s=self.last_t,
            pose_detected_ratio=self.detected / self.frames if self.frames else 0.0,
            exercises=tuple(self._results),
            warnings=tuple(warnings),
            routine=None if comparison is None else comparison.to_dict(),
        )

    def comparison(self) -> Comparison | None:
        """Guided mode: the routine against what was done so far."""
        if self.routine is None or self.guide is None:
            return None
        return compare(self.routine, self.guide.performed())


class _Meter:
    """Frames processed in the last second and the last latency, for the stats line."""

    def __init__(self) -> None:
        self.times: deque[float] = deque(maxlen=240)
        self.latency_s = 0.0

    def line(self, now: float, dropped: int) -> str:
        self.times.append(now)
        while self.times and now - self.times[0] >= 1.0:
            self.times.popleft()
        return f"{len(self.times)} fps  dropped {dropped}  {1000 * self.latency_s:.0f} ms"


def run_live(
    source: LiveSource,
    session: LiveSession,
    *,
    window: bool,
    render: bool = False,
    record: Path | None = None,
    annotate: Path | None = None,
    on_line: Callable[[Line], None] = lambda line: None,
    on_frame: Callable[[FrameTiming], None] | None = None,
    num_poses: int = NUM_POSES,
    clock: Callable[[], float] = time.monotonic,
) -> LiveOutcome:
    """Run a live session until quit, Ctrl-C, the end of the source or a camera failure.

    Args:
        source: the camera, or a video file played as one.
        session: the counting state (free or guided mode).
        window: show the OpenCV window and read its keys; otherwise headless.
        render: draw the window's frame even without a window (benchmarks).
        record: write the camera's frames to this mp4.
        annotate: write the window's frames (skeleton, count, guide) to this mp4.
        on_line: called with each line worth printing (a cue rings the bell where there is one).
        on_frame: called after each frame with its timing and drawing (benchmarks, screenshots).
        num_poses: people the pose model may return.
        clock: the source's clock (latency is measured on it).

    Returns:
        The outcome; whatever ended the session, what was counted is in it.
    """
    size = (source.info.width, source.info.height)
    fps = source.info.fps or 30.0
    raw = Recorder(record, fps, size) if record else None
    screen = _Screen(window, render, Recorder(annotate, fps, size) if annotate else None)
    meter, ended, error, finished_at = _Meter(), "end", "", None
    try:
        with PoseEstimator(num_poses=num_poses) as pose_model:
            for t, image in source:
                if raw is not None:
                    raw.write(t, image.copy())
                pose = None if session.paused or session.finished else pose_model.process(image, t)
                for line in session.update(t, pose):
                    on_line(line)
                dropped, shown = source.frames_dropped, None
                if screen.drawing:
                    shown = session.draw(image, pose, t, meter.line(clock(), dropped))
                    action = screen.show(t, shown)
                    if action is Action.QUIT:
                        ended = "quit"
                        break
                    for line in session.act(action, t) if action else []:
                        on_line(line)
                meter.latency_s = clock() - (source.started_at or 0.0) - t
                if on_frame is not None:
                    on_frame(FrameTiming(t, meter.latency_s, dropped, shown))
                if session.finished:  # a window shows ROUTINE COMPLETE a moment before closing
                    finished_at = t if finished_at is None else finished_at
                    if not window or t - finished_at >= BANNER_S:
                        break
    except KeyboardInterrupt:
        ended = "interrupted"
    except (SourceError, cv2.error) as e:
        ended, error = "camera", _camera_error(source, str(e))
    finally:
        if raw is not None:
            raw.close()
        screen.close()
    if ended == "end" and isinstance(source, Camera) and not session.finished:
        ended, error = "camera", _camera_error(source, "it stopped giving frames")
    for line in session.finish():
        on_line(line)
    name = Path(str(source.info.source)).name if not isinstance(source, Camera) else str(source.device)
    return LiveOutcome(session.result(name, fps, source.frames_dropped), ended, error, session.comparison())


class _Screen:
    """Where the drawn frame goes: the window (whose keys come back), the ``--annotate`` recording,
    or nowhere (a benchmark draws only to measure the cost)."""

    def __init__(self, window: bool, render: bool, recorder: Recorder | None) -> None:
        self.window, self.recorder = window, recorder
        self.drawing = window or render or recorder is not None
        if window:
            cv2.namedWindow(WINDOW, cv2.WINDOW_NORMAL)

    def show(self, t: float, shown: Image) -> Action | None:
        """Put the frame up; the action of a key pressed meanwhile (closing the window quits)."""
        if self.recorder is not None:
            self.recorder.write(t, shown)
        if not self.window:
            return None
        cv2.imshow(WINDOW, shown)
        action = action_for_key(cv2.waitKey(1))
        return Action.QUIT if cv2.getWindowProperty(WINDOW, cv2.WND_PROP_VISIBLE) < 1 else action

    def close(self) -> None:
        if self.recorder is not None:
            self.recorder.close()
        if self.window:
            cv2.destroyAllWindows()


def unopened_result(camera: str, routine: Routine | None) -> AnalysisResult:
    """The result of a session whose camera never opened: nothing counted (and, in guided mode,
    nothing of the routine done), so that a script waiting for the JSON still gets it."""
    comparison = compare(routine, []).to_dict() if routine is not None else None
    return AnalysisResult(camera, 0.0, 0, 0.0, 0.0, (), ("the camera never opened",), comparison)


def _camera_error(source: LiveSource, what: str) -> str:
    what = what.splitlines()[0] if what else "it failed"
    return f"camera {source.info.source!r} failed ({what}): check its cable or connection; the counts so far are kept"
