"""Ankle rotations: full circles of the toes, per foot and per direction (DESIGN.md §3).

What is counted: one rep is one full 360° turn of the toe around the centre of its
loop, as seen along the shin. With s the unit vector knee -> ankle and r = toe - ankle,
a circle is **clockwise** (as the athlete sees it, looking down the shin) when the
loop's signed area ∮ (r × dr)·s / 2 is positive.

The loop is read from the whole foot, f = toe - heel: the foot turns about the ankle, so
heel and toe circle it on opposite sides, and f draws the toe's loop with the same sense
of turning, scaled up by the heel's lever as well (the rendered athlete's loop, from the
front, is twice as wide across its narrow axis as the toe's alone, where MediaPipe's
jitter is as large as the toe's own loop).

How, frame by frame (each foot on its own):

1. **Legs.** A left/right swap that lasts a few frames (mediapipe #3496) is undone by
   continuity of the knees, ankles and toes in the image; a "swap" longer than
   `MAX_SWAP_S` is taken to be MediaPipe's own labelling and kept.
2. **3D vectors.** f, r and s take x and y from the image (pixels times the legs'
   world/image length ratio: the precise part) and z from the world landmarks (the only
   depth there is: noisy, and nearly flat for the foot), in camera axes (x right, y
   down, z away: right-handed).
3. **Loop centre, zero phase.** The counter looks `CENTRE_WINDOW_S` / 2 ahead (its
   latency): the loop's centre c is the midpoint of the 10th and 90th percentiles of f
   over the `CENTRE_WINDOW_S` around the sample (a mean would lean towards where the toe
   dwells, e.g. the holds before and after the circles), and the foot's offset there is
   smoothed with a Gaussian of sigma `SMOOTH_S`. n, the same midpoint of r made a unit
   vector, is the mean direction from the ankle to the toe, the axis of the cone the toe
   sweeps; the mean |f| is the foot length sizes are in.
4. **Where the loop is read.** The loop lies across n. Through MediaPipe its depth is
   almost lost, so it is read in the plane across m = n + `CAMERA_WEIGHT` n_z z
   (`loop_plane`): the image plane while the foot points towards or away from the
   camera, tilting towards across n only as the foot turns across the view and the image
   sees the loop edge-on. There the loop is an ellipse (squashed by the view and by the
   lost depth), so it is **whitened** by its covariance over the window (less the
   jitter's), which makes it round and keeps its sense of turning.
5. **Turns.** The whitened toe's angle is followed step by step. A circle is the
   shortest recent run of steps whose angles add up to 2π one way, within
   `MAX_TURN_S`, and it must look like one: toe at least `MIN_RADIUS` out (nearer, its
   angle is noise and is skipped), swept area at least `MIN_FILL` of the circle through
   its mean radius (a rock of the ankle, up and down along a line, sweeps none), net over
   total turning at least `MIN_STEADY` (jitter wanders back and forth), a loop whose
   narrowest axis stands `MIN_SNR` times above what the measured jitter leaves after the
   smoothing (whitening would make a circle of any thin line or of a planted foot's
   jitter otherwise), at least `MIN_SIZE` foot lengths across, and the foot off the
   floor while the other stays planted (`MIN_LIFTED`: walking, rocking and calf raises
   keep the foot down; running carries the other foot along). When the circling stops,
   a last turn within `END_SLACK_RAD` of 360° counts.
6. **The sign.** The loop's area vector A lies along n, so A·s = (A·n)(n·s), and the
   turn about m has the sense of the turn about n (n·m > 0): the circle is clockwise
   when (turn about m) × sign(n·s) > 0. n·s compares two long, window-averaged vectors
   (foot and shin), so its sign is sure unless the foot is within `PERPENDICULAR_DOT` of
   a right angle to the shin, where clockwise-along-the-shin is itself ill-posed: then a
   warning says the directions may be off, as it does when the foot lay across the view
   (`EDGE_ON`) and the loop was read in MediaPipe's depth.

Which foot works is whichever draws loops; the other counts nothing. Gaps up to
`GAP_RESET_S` are bridged, longer ones end the current turn. Sizes are in foot lengths,
times in seconds, never pixels or frames.

Measured limits (tests/test_counter_ankle.py, benchmarks/synthetic_accuracy.py): exact
on the synthetic athlete's landmarks from every view, both feet and directions, with
swaps and gaps, tempo 0.7-1.4, size 0.7-1.3, and on a depth-flattened, squashed loop;
the one real clip (loose circles, front view) counts 4 of 4 clockwise. Through MediaPipe
on the rendered athlete at 640x480 the foot's loop is thin and ragged: of 64 circles
(16 clips of 4, both feet and directions, front, 40° either side and side), 26 count, none
the wrong way: 11 of 16 from the front, 15 of 32 from 40°, none from the side.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vision import landmarks as lm
from vision.counters.base import Counter
from vision.counters.feet import FeetSeen
from vision.counters.signals import LegLength
from vision.result import ExerciseResult, Rep
from vision.series import PoseFrame

Vec = npt.NDArray[np.float64]

SMOOTH_S = 0.1
"""Sigma of the Gaussian smoothing of the toe (seconds): removes jitter, keeps a 1 s circle."""
CENTRE_WINDOW_S = 1.8
"""Window (seconds) whose mean is the loop's centre; half of it is the counter's look-ahead."""
MIN_RADIUS = 0.5
"""Whitened toe offset from the loop centre (a circle: ~1.4) below which its angle is not trusted."""
MIN_FILL = 0.5
"""A turn's swept area over the area of the circle through its mean radius (a circle: 1)."""
MIN_STEADY = 0.7
"""A turn's net angle over all the angle it travelled, back and forth (a circle: 1)."""
MIN_SIZE = 0.12
"""A turn's loop, major semi-axis in foot lengths, at least this: the foot swinging ~7° each way
(the toe's wobble as the weight shifts is ~0.09; a circle of the exercise, 0.2-0.4)."""
MIN_SNR = 3.0
"""A turn's loop, across its narrowest axis, over the spread jitter alone leaves after smoothing."""
MIN_LIFTED = 0.6
"""Share of a turn the foot must be off the floor: walking and rocking feet are down more."""
LIFTED = 0.04
"""A foot this many leg lengths above the other one is off the floor."""
PLANTED_S = 0.3
"""The standing foot is watched over this long, seconds..."""
PLANTED_MOVE = 0.15
"""...and is planted while its ankle stays within this many leg lengths in the image: a running
stride or a walking step carries it further (a circle is drawn standing, or seated, still)."""
MAX_TURN_S = 3.0
"""A turn slower than this is not a circle (a 1.4 s circle at tempo 0.7, 15 % slow, is 2.3 s)."""
END_SLACK_RAD = np.radians(90.0)
"""When the circling stops, a turn this close to 360° counts (the put-down bends the loop)."""
STALL_S = 1.0
"""The toe resting near the loop's centre this long ends the circling."""
MIN_SAMPLES = 5
"""Samples a window needs before a loop's shape is read from it."""
GAP_RESET_S = 0.4
"""A gap in the landmarks longer than this ends the current turn."""
MAX_SWAP_S = 0.5
"""A left/right swap lasting longer than this is believed (it is MediaPipe's labelling)."""
SWAP_RATIO = 0.5
"""Swap the legs back when the swapped assignment is this much closer to the last frame."""
PERPENDICULAR_DOT = 0.2
"""|n·s| below this: the foot is near 90° to the shin and the direction is ill-posed."""
CAMERA_WEIGHT = 3.0
"""How far the image is trusted over MediaPipe's depth when choosing where to read a loop from."""
EDGE_ON = 0.25
"""|n_z| below this: the foot lies across the view, its loop read in depth (a warning says so)."""

SMALL_LEG_PX = 200.0
"""Legs (hip to knee to ankle) shorter than this in the picture, pixels, show MediaPipe's foot
too small for its loop: the rendered athlete's front-view circles count 3 of 4 with 150 px legs
(640x480) and 4 of 4 with 230 px (1280x720); the real clip's legs are 250 px. A warning says so."""

_CAMERA_AXIS = np.array([0.0, 0.0, 1.0])
_KNEE = {side: lm.side_idx(side, "knee") for side in lm.SIDES}
_ANKLE = {side: lm.side_idx(side, "ankle") for side in lm.SIDES}
_TOE = {side: lm.side_idx(side, "foot_index") for side in lm.SIDES}
_HEEL = {side: lm.side_idx(side, "heel") for side in lm.SIDES}
_LEG_PARTS = ("hip", "knee", "ankle", "heel", "foot_index")
_LEFT = np.array([lm.side_idx("left", p) for p in _LEG_PARTS])
_RIGHT = np.array([lm.side_idx("right", p) for p in _LEG_PARTS])
_TRACKED = np.array([lm.side_idx(s, p) for s in lm.SIDES for p in ("knee", "ankle", "foot_index")])


def unswapped(frame: PoseFrame, swap: bool) -> PoseFrame:
    """The frame with its left and right legs (hip to toe) exchanged when ``swap``."""
    if not swap:
        return frame
    xy, world, vis = frame.xy.copy(), frame.world.copy(), frame.visibility.copy()
    for a in (xy, world, vis):
        a[_LEFT], a[_RIGHT] = a[_RIGHT].copy(), a[_LEFT].copy()
    return PoseFrame(frame.t, xy, world, vis)


class LegSwapFixer:
    """Undoes brief left/right swaps by continuity of the legs in the image."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._last: PoseFrame | None = None
        self._swapped_since: float | None = None

    def __call__(self, frame: PoseFrame) -> PoseFrame:
        swap = self._swapped_since is not None
        if self._last is not None:
            keep = _leg_distance(frame, self._last, cross=swap)
            flip = _leg_distance(frame, self._last, cross=not swap)
            if flip < SWAP_RATIO * keep:
                swap = not swap
                self._swapped_since = frame.t if swap else None
        if swap and self._swapped_since is not None and frame.t - self._swapped_since > MAX_SWAP_S:
            swap, self._swapped_since = False, None
        fixed = unswapped(frame, swap)
        self._last = fixed
        return fixed


def _leg_distance(frame: PoseFrame, last: PoseFrame, cross: bool) -> float:
    """Summed image distance of knees, ankles and toes to ``last`` (legs crossed or not)."""
    now = unswapped(frame, cross).xy[_TRACKED]
    return float(np.nansum(np.linalg.norm(now - last.xy[_TRACKED], axis=1)))


def lifted(frame: PoseFrame, side: str, leg_px: float) -> bool:
    """Whether this foot's ankle is at least `LIFTED` leg lengths above the other's in the image."""
    rise = float(frame.xy[_ANKLE[lm.other_side(side)], 1] - frame.xy[_ANKLE[side], 1])
    return bool(np.isfinite(leg_px) and leg_px > 0 and rise > LIFTED * leg_px)


class PlantedFeet:
    """Which feet are planted: the ankle stayed within `PLANTED_MOVE` leg lengths over the last
    `PLANTED_S` (a foot is taken as planted until that much has been seen)."""

    def __init__(self) -> None:
        self._ankles: deque[tuple[float, Vec]] = deque()

    def reset(self) -> None:
        self._ankles.clear()

    def update(self, t: float, frame: PoseFrame, leg_px: float) -> dict[str, bool]:
        self._ankles.append((t, frame.xy[[_ANKLE[side] for side in lm.SIDES]].astype(np.float64)))
        while t - self._ankles[0][0] > PLANTED_S:
            self._ankles.popleft()
        points = np.stack([a for _, a in self._ankles])  # (time, side, xy)
        reach = np.nanmax(np.linalg.norm(points - points[-1], axis=2), axis=0)
        if not (np.isfinite(leg_px) and leg_px > 0):
            return dict.fromkeys(lm.SIDES, True)
        return {side: not reach[i] > PLANTED_MOVE * leg_px for i, side in enumerate(lm.SIDES)}


def metres_per_pixel(frame: PoseFrame) -> float:
    """World over image length of both legs (hip -> knee -> ankle), in the image plane."""
    idx = [lm.side_idx(s, p) for s in lm.SIDES for p in ("hip", "knee", "ankle")]
    w, px = frame.world[idx, :2].astype(float), frame.xy[idx].astype(float)
    world_len = sum(np.linalg.norm(w[i + 1] - w[i]) for i in (0, 1, 3, 4))
    image_len = sum(np.linalg.norm(px[i + 1] - px[i]) for i in (0, 1, 3, 4))
    return float(world_len / image_len) if image_len > 0 else float("nan")


def foot_vectors(frame: PoseFrame, side: str, scale: float) -> tuple[Vec, Vec, Vec] | None:
    """(f, r, s): toe - heel and toe - ankle in metres and the unit shin vector, camera axes;
    None if unseen.

    x and y come from the image (times ``scale``, metres per pixel), z from the world
    landmarks: the image is the precise part, the world only adds depth.
    """

    def vec(a: int, b: int) -> Vec:
        d = frame.xy[b].astype(float) - frame.xy[a].astype(float)
        return np.array([d[0] * scale, d[1] * scale, float(frame.world[b, 2] - frame.world[a, 2])])

    f, r, s = vec(_HEEL[side], _TOE[side]), vec(_ANKLE[side], _TOE[side]), vec(_KNEE[side], _ANKLE[side])
    if not np.all(np.isfinite(np.concatenate([f, r, s]))) or np.linalg.norm(s) == 0:
        return None
    return f, r, s / np.linalg.norm(s)


def cross(a: Vec, b: Vec) -> Vec:
    """a × b for two 3-vectors (np.cross costs ten times more per call)."""
    return np.array([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])


def jitter_variance(rs: Vec) -> float:
    """Per-axis variance of frame-to-frame jitter in (n, 3) consecutive samples.

    From second differences, which a smooth circle barely moves (x[i+1] - 2 x[i] +
    x[i-1] has 6 times the variance of white jitter).
    """
    if len(rs) < 3:
        return 0.0
    d2 = rs[2:] - 2 * rs[1:-1] + rs[:-2]
    return float(np.mean(d2**2)) / 6


def loop_plane(n: Vec, s: Vec) -> Vec | None:
    """The (2, 3) basis (b1, b2) of the plane the loop is read in, or None if there is none.

    The plane is across m = n + `CAMERA_WEIGHT` n_z z: close to the image plane while the
    foot points towards or away from the camera (the image is precise, MediaPipe's depth
    is flat and noisy), tilting to across the foot axis n as the foot turns across the
    view and the image sees its loop edge-on (then only the depth can tell). m moves
    smoothly with n, and n·m = 1 + `CAMERA_WEIGHT` n_z² > 0, so a turn read about m has
    the sense of the turn about n. (b1, b2, m) is right-handed.
    """
    m = n + CAMERA_WEIGHT * n[2] * _CAMERA_AXIS
    m /= np.linalg.norm(m)
    b1 = cross(s, m)
    if np.linalg.norm(b1) < 0.2:  # foot along the shin
        return None
    b1 /= np.linalg.norm(b1)
    return np.stack([b1, cross(m, b1)])


@dataclass(frozen=True)
class Step:
    """The toe's move from one analysed sample to the next, in the whitened loop."""

    t: float
    angle: float  # radians, + = counterclockwise about m
    area: float  # swept, whitened units (a circle: π r²), same sign
    radius2: float  # squared whitened offset from the loop centre (a circle: ~2)
    snr2: float  # the loop's minor variance over the jitter's after the smoothing
    size2: float  # the loop's squared major semi-axis, foot lengths²
    axis_dot: float  # n·s
    edge_on: bool  # |n_z| < `EDGE_ON`: the loop was read mostly in depth
    lifted: bool  # the foot was off the floor


@dataclass(frozen=True)
class Circle:
    """A counted circle: completion time, foot, direction and what it looked like."""

    t: float
    side: str
    kind: str  # "cw" / "ccw" as the athlete sees it
    period_s: float
    radius: float  # foot lengths: the loop's major semi-axis (a projected circle keeps it)
    axis_dot: float  # mean n·s: how far the foot is from a right angle to the shin
    edge_on: bool  # the foot lay across the view: the loop was read mostly in depth


class FootLoop:
    """One foot's toe loop, one sample at a time, with `CENTRE_WINDOW_S` / 2 look-ahead."""

    def __init__(self, side: str) -> None:
        self.side = side
        self._half = CENTRE_WINDOW_S / 2
        self._buf: deque[tuple[float, Vec]] = deque()
        self._pending: deque[float] = deque()  # times of samples not yet analysed
        self._steps: deque[Step] = deque()
        self._prev: Vec | None = None  # whitened offset of the last analysed sample

    def update(
        self, t: float, f: Vec | None, s: Vec | None = None, lifted: bool = True, r: Vec | None = None
    ) -> list[Circle]:
        """Feed the foot vector f (heel to toe), the unit shin s (camera axes, metres), whether
        the foot is off the floor (above the other one) and the toe vector r (ankle to toe; f
        when not given) at ``t`` (f None: not seen); return finished circles."""
        out: list[Circle] = []
        if self._buf and t - self._buf[-1][0] > GAP_RESET_S:
            out += self.flush()
        if f is None or s is None:
            return out
        self._buf.append((t, np.concatenate([f, s, [float(lifted)], f if r is None else r])))
        self._pending.append(t)
        while self._pending and t - self._pending[0] >= self._half:
            out += self._analyse(self._pending.popleft())
        while t - self._buf[0][0] > 2 * self._half + 3 * SMOOTH_S:
            self._buf.popleft()
        return out

    def flush(self) -> list[Circle]:
        """Analyse what is pending with the samples at hand, close the turn and start afresh."""
        out: list[Circle] = []
        while self._pending:
            out += self._analyse(self._pending.popleft())
        out += self._close()
        self._buf.clear()
        self._prev = None
        return out

    def _analyse(self, tc: float) -> list[Circle]:
        """Read the sample at ``tc`` in its window: one step of the whitened toe, and a circle if one closed."""
        times = np.array([b[0] for b in self._buf])
        both = np.array([b[1] for b in self._buf])
        rs, shin, toes = both[:, :3], both[:, 3:6], both[:, 7:]
        lifted = bool(both[np.argmin(np.abs(times - tc)), 6] > 0.5)
        near = np.abs(times - tc) <= self._half
        if near.sum() < MIN_SAMPLES:  # just after a gap: too little to see a loop in
            self._prev = None
            return []
        s_mean = shin[near].mean(axis=0)
        s_mean /= np.linalg.norm(s_mean)
        low, high = np.percentile(np.stack([rs[near], toes[near]]), [10, 90], axis=1)
        centre, toe = 0.5 * (low + high)  # a mean would lean to where the toe dwells (the holds)
        foot = float(np.mean(np.linalg.norm(rs[near], axis=1)))
        n = toe / np.linalg.norm(toe)
        plane = loop_plane(n, s_mean) if foot > 0 else None
        if plane is None:
            self._prev = None
            return self._close()
        p = (rs - centre) @ plane.T
        jitter = jitter_variance(p[near])
        lam, v = np.linalg.eigh(np.cov(p[near].T) - jitter * np.eye(2))
        w = np.exp(-0.5 * ((times - tc) / SMOOTH_S) ** 2)
        here = v @ ((v.T @ (w @ p / w.sum())) / np.sqrt(lam)) if lam[0] > 0 else None
        if here is None or np.linalg.norm(here) < MIN_RADIUS:
            # no loop (a line, or jitter only), or the toe too near its centre for its angle to mean anything
            self._prev = None
            return self._close() if self._steps and tc - self._steps[-1].t > STALL_S else []
        radius = float(np.linalg.norm(here))
        out: list[Circle] = []
        if self._prev is not None:
            q = self._prev
            gain = float(np.sum(w**2)) / float(np.sum(w)) ** 2  # jitter variance left after smoothing
            self._steps.append(
                Step(
                    tc,
                    float(np.angle(complex(*here) / complex(*q))),
                    0.5 * float(q[0] * here[1] - q[1] * here[0]),
                    radius**2,
                    float(lam[0] / (jitter * gain)) if jitter > 0 else np.inf,
                    2 * float(lam[1]) / foot**2,
                    float(n @ s_mean),
                    abs(n[2]) < EDGE_ON,
                    lifted,
                )
            )
            while tc - self._steps[0].t > MAX_TURN_S:
                self._steps.popleft()
            if (circle := self._turn(2 * np.pi)) is not None:
                out.append(circle)
        self._prev = here
        return out

    def _turn(self, need: float) -> Circle | None:
        """The latest turn of at least ``need`` radians that swept a loop, if any.

        The turn is the shortest run of recent steps whose angles add up to ``need`` one
        way; it must stand out of the jitter (`MIN_SNR`), have gone steadily round
        (`MIN_STEADY`) and swept a loop (`MIN_FILL`, scaled down for a turn short of 360°)
        with the foot lifted (`MIN_LIFTED`). A found turn is consumed.
        """
        if not self._steps:
            return None
        angles = np.array([s.angle for s in reversed(self._steps)])
        net = np.cumsum(angles)
        for sense in (1.0, -1.0):
            reached = np.flatnonzero(sense * net >= need)
            if not len(reached):
                continue
            k = int(reached[0]) + 1
            steps = list(self._steps)[-k:]
            mean = {f: float(np.mean([getattr(s, f) for s in steps])) for f in ("radius2", "snr2", "size2", "axis_dot", "lifted")}
            fill = sense * sum(s.area for s in steps) / (np.pi * mean["radius2"])
            steady = abs(net[k - 1]) / float(np.sum(np.abs(angles[:k])))
            if (
                mean["snr2"] >= MIN_SNR**2
                and mean["size2"] >= MIN_SIZE**2
                and fill >= MIN_FILL * need / (2 * np.pi)
                and steady >= MIN_STEADY
                and mean["lifted"] >= MIN_LIFTED
            ):
                self._steps.clear()
                about_shin = sense * (1.0 if mean["axis_dot"] >= 0 else -1.0)
                t = steps[-1].t
                period = t - steps[0].t + (steps[1].t - steps[0].t if len(steps) > 1 else 0.0)
                return Circle(
                    t,
                    self.side,
                    "cw" if about_shin > 0 else "ccw",
                    period,
                    float(np.sqrt(mean["size2"])),
                    mean["axis_dot"],
                    any(s.edge_on for s in steps),
                )
        return None

    def _close(self) -> list[Circle]:
        """The circling stopped: a last turn nearly complete still counts."""
        circle = self._turn(2 * np.pi - END_SLACK_RAD)
        self._steps.clear()
        return [circle] if circle is not None else []


EXPERIMENTAL = (
    "ankle_rotations: experimental. Film the working foot from the front, toes towards the camera;"
    " from an angle or the side MediaPipe shows little of the toe's loop and circles may be missed"
)
"""Said with every result until circles count from every view through MediaPipe (measured: the
real front-view clip 4 of 4; rendered clips 11 of 16 circles from the front, 15 of 32 from 40°,
none from the side)."""


class AnkleRotationCounter(Counter):
    """Counts ankle circles per foot and direction (see the module docstring).

    Args:
        fps: the source's frame rate (only for the interface: everything runs on seconds).
    """

    name = "ankle_rotations"
    latency_s = CENTRE_WINDOW_S / 2 + 3 * SMOOTH_S

    def __init__(self, fps: float = 30.0) -> None:
        self.fps = fps
        self._swaps = LegSwapFixer()
        self._planted = PlantedFeet()
        self._leg = LegLength()
        self._loops = {side: FootLoop(side) for side in lm.SIDES}
        self._scale: deque[float] = deque(maxlen=61)
        self._last_t = -np.inf
        self._circles: list[Circle] = []
        self._reps: list[Rep] = []
        self._seen = FeetSeen()
        self._leg_px_sum, self._leg_frames = 0.0, 0  # for the mean leg length in the picture

    def update(self, t: float, frame: PoseFrame | None) -> list[Rep]:
        self._seen.update(frame)
        if frame is None:
            return self._emit([c for loop in self._loops.values() for c in loop.update(t, None, None)])
        if t - self._last_t > GAP_RESET_S:
            self._swaps.reset()
            self._planted.reset()
        self._last_t = t
        frame = self._swaps(frame)
        mpp = metres_per_pixel(frame)
        if np.isfinite(mpp) and mpp > 0:
            self._scale.append(mpp)
        if not self._scale:
            return []
        scale = float(np.median(self._scale))
        leg = self._leg.update(frame)
        if np.isfinite(leg):
            self._leg_px_sum, self._leg_frames = self._leg_px_sum + leg, self._leg_frames + 1
        planted = self._planted.update(t, frame, leg)
        lifts = {side: lifted(frame, side, leg) and planted[lm.other_side(side)] for side in lm.SIDES}
        circles = []
        for side, loop in self._loops.items():
            f, r, shin = foot_vectors(frame, side, scale) or (None, None, None)
            circles += loop.update(t, f, shin, lifted=lifts[side], r=r)
        return self._emit(circles)

    def finish(self) -> list[Rep]:
        return self._emit([c for loop in self._loops.values() for c in loop.flush()])

    def _emit(self, circles: list[Circle]) -> list[Rep]:
        circles.sort(key=lambda c: c.t)
        self._circles += circles
        reps = [Rep(c.t, side=c.side, kind=c.kind) for c in circles]
        self._reps += reps
        return reps

    @property
    def confidence(self) -> float:
        """Share of frames with a person, times how surely their feet were seen."""
        return self._seen.confidence

    def result(self) -> ExerciseResult:
        confidence = self.confidence
        warnings = [EXPERIMENTAL]
        if confidence < 0.5:
            warnings.append(
                f"{self.name}: the feet were not seen clearly (confidence {confidence:.0%}); the count may be off"
            )
        if self._leg_frames and (leg_px := self._leg_px_sum / self._leg_frames) < SMALL_LEG_PX:
            warnings.append(
                f"{self.name}: the legs are only {leg_px:.0f} px long in the picture, so the foot's circles"
                f" may be missed: come closer or film at 720p or more (legs of {SMALL_LEG_PX:.0f} px and up)"
            )
        if any(c.edge_on for c in self._circles):
            warnings.append(
                f"{self.name}: the foot pointed across the view, so its circles were read in"
                " MediaPipe's depth estimate; the directions may be off (film the foot from the front)"
            )
        if any(abs(c.axis_dot) < PERPENDICULAR_DOT for c in self._circles):
            warnings.append(
                f"{self.name}: the foot was held near a right angle to the shin, so clockwise and"
                " counterclockwise are hard to tell apart; the directions may be off"
            )
        details = {
            f"{s}_{k}": sum(c.side == s and c.kind == k for c in self._circles) for s in lm.SIDES for k in ("cw", "ccw")
        }
        metrics = {}
        if self._circles:
            metrics["mean_period_s"] = float(np.mean([c.period_s for c in self._circles]))
            metrics["mean_radius_foot"] = float(np.mean([c.radius for c in self._circles]))
        reps = tuple(sorted(self._reps, key=lambda r: r.t))
        return ExerciseResult(
            self.name, reps, details, confidence=confidence, warnings=tuple(warnings), metrics=metrics
        )
