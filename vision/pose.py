"""Pose estimation: MediaPipe PoseLandmarker (Tasks API) in, `PoseFrame` out.

This is the only module that imports MediaPipe. Everything downstream reads
`PoseFrame` / `LandmarkSeries`, so counters never depend on the model.

The landmarker may see several people (a coach walking through, a training partner).
`PoseEstimator` asks for up to ``num_poses`` and follows one athlete: the largest and
most central person when first seen, then whoever is nearest to where the athlete was,
never whoever the model happens to list first.

A distant athlete (a phone across a garage, a CCTV view) is too small for MediaPipe,
whose detector sees the frame letterboxed to 224x224: it finds nobody or tracks garbage.
Then `PoseEstimator` searches zoomed tiles (`tile_boxes`) and tracks the athlete in a
region of interest (`roi_box`), mapping landmarks back to frame pixels (`crop_to_frame`).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from vision import landmarks as lm
from vision.assets import model_path
from vision.series import PoseFrame

MODEL_FILE = "pose_landmarker_full.task"

TRACK_LOST_S = 1.0
"""After this long without the athlete, pick the main person afresh."""

SMALL_FRACTION = 0.3
"""An athlete shorter than this fraction of the frame's long side is searched for in tiles
and tracked in an ROI. The detector letterboxes the frame to 224x224, so it sees a person
at their height over the long side, and misses people below ~0.26 of it (measured)."""

LARGE_FRACTION = 0.4
"""An athlete in the ROI taller than this (of the long side) goes back to the full frame;
above `SMALL_FRACTION`, so an athlete near the limit does not flip to and fro."""

SEARCH_EVERY_S = 0.5
"""Search the tiles at most this often while nobody, or only someone small, is tracked:
a 1080p clip with nobody in it then costs ~1.4-2.4x the full frame alone (measured)."""

TILE_ZOOMS = (1.75, 3.0)
"""Zoom of the search tiles over the full frame, one level a frame until someone is found:
3 tiles of a 16:9 frame find people down to ~26 % of its height, then 15 down to ~15 %."""

TILE_OVERLAP = 0.4
"""Neighbouring tiles share at least this fraction of a tile, so a person up to 0.4 of a
tile tall lies whole inside one tile instead of being cut at a seam."""

ROI_SCALE = 2.0
"""ROI side over the athlete's size (the larger of their landmarks' width and height):
half a body of margin on every side keeps hops, rope swings and arm spreads inside."""

RECENTRE_MARGIN = 0.1
"""Move the ROI when the athlete comes within this fraction of its side from an edge."""

RESIZE_TOLERANCE = 0.3
"""Resize the ROI when the athlete's size has changed by more than this fraction."""

Box = tuple[int, int, int, int]
"""A crop of the frame in pixels: x0, y0, x1, y1 (end exclusive)."""


@dataclass(frozen=True)
class PoseCandidate:
    """One person the model found in a frame, before choosing the athlete."""

    xy: npt.NDArray[np.float32]  # (33, 2) pixels
    world: npt.NDArray[np.float32]  # (33, 3) metres
    visibility: npt.NDArray[np.float32]  # (33,)

    @property
    def centre(self) -> npt.NDArray[np.float32]:
        """Mid-point between the hips, in pixels."""
        return (self.xy[lm.idx("left_hip")] + self.xy[lm.idx("right_hip")]) / 2

    @property
    def height(self) -> float:
        """Height of the landmarks' bounding box in pixels (a size that ignores arm spread)."""
        return float(np.ptp(self.xy[:, 1]))


def main_person(candidates: list[PoseCandidate], resolution_wh: tuple[int, int]) -> int:
    """Index of the person most likely to be the athlete: large and near the centre.

    The score is the person's height as a fraction of the frame, less the distance of
    their hips from the frame's centre (also as a fraction), so a big person at the edge
    loses to a slightly smaller one in the middle of the shot.
    """
    w, h = resolution_wh
    frame_centre = np.array([w / 2, h / 2], np.float32)
    scores = [c.height / h - float(np.linalg.norm(c.centre - frame_centre)) / max(w, h) for c in candidates]
    return int(np.argmax(scores))


def nearest_person(candidates: list[PoseCandidate], previous: PoseCandidate) -> int | None:
    """Index of the person nearest to the athlete's last position, or None if nobody is close.

    "Close" is within one body height of the previous hip centre; further than that a
    different person is more likely than the athlete having moved that far.
    """
    dists = [float(np.linalg.norm(c.centre - previous.centre)) for c in candidates]
    best = int(np.argmin(dists))
    return best if dists[best] < max(previous.height, 1.0) else None


def tile_boxes(resolution_wh: tuple[int, int], zoom: float, overlap: float = TILE_OVERLAP) -> list[Box]:
    """Overlapping square tiles covering the frame, in which a person looks ``zoom`` times larger.

    Square because the detector letterboxes its input to a square (a square tile wastes
    none of it); the side is the long side over ``zoom``, at most the short side. Tiles are
    evenly spaced with a step of at most ``1 - overlap`` of a side, so anything up to
    ``overlap`` of a side fits whole in one tile.
    """
    w, h = resolution_wh
    side = min(round(max(w, h) / zoom), w, h)

    def starts(length: int) -> list[int]:
        n = 1 + math.ceil((length - side) / (side * (1 - overlap)))
        return [round(i * (length - side) / (n - 1)) for i in range(n)] if n > 1 else [0]

    return [(x, y, x + side, y + side) for y in starts(h) for x in starts(w)]


def person_size(xy: npt.NDArray[np.float32]) -> float:
    """The larger side of the landmarks' bounding box, in pixels (the ROI must hold both)."""
    return float(np.ptp(xy, axis=0).max())


def roi_box(xy: npt.NDArray[np.float32], resolution_wh: tuple[int, int], scale: float = ROI_SCALE) -> Box:
    """Square crop centred on a person's landmarks, ``scale`` times their size, inside the frame.

    Near a frame edge the square is shifted, not shrunk, so the zoom stays the same; where
    it is larger than the frame it takes the whole frame in that direction.
    """
    w, h = resolution_wh
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    side = max(scale * person_size(xy), 16.0)

    def span(centre: float, length: int) -> tuple[int, int]:
        size = min(math.ceil(side), length)
        start = int(np.clip(round(centre - size / 2), 0, length - size))
        return start, start + size

    (x0, x1), (y0, y1) = span((lo[0] + hi[0]) / 2, w), span((lo[1] + hi[1]) / 2, h)
    return x0, y0, x1, y1


def roi_is_stale(xy: npt.NDArray[np.float32], box: Box, made_for: float, resolution_wh: tuple[int, int]) -> bool:
    """Whether to move or resize the ROI: the athlete nears one of its edges, or has changed size.

    Otherwise the ROI stays put: moving the crop every frame would shake the landmarks
    and restart MediaPipe's tracker. An edge at the frame's border doesn't count (the ROI
    cannot move further). ``made_for`` is the athlete's `person_size` when it was placed.
    """
    w, h = resolution_wh
    x0, y0, x1, y1 = box
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    margin = RECENTRE_MARGIN * max(x1 - x0, y1 - y0)
    near_edge = (
        (x0 > 0 and lo[0] - x0 < margin)
        or (y0 > 0 and lo[1] - y0 < margin)
        or (x1 < w and x1 - hi[0] < margin)
        or (y1 < h and y1 - hi[1] < margin)
    )
    return bool(near_edge) or abs(person_size(xy) / max(made_for, 1.0) - 1) > RESIZE_TOLERANCE


def crop_to_frame(norm_xy: npt.NDArray[np.float32], box: Box) -> npt.NDArray[np.float32]:
    """Frame pixels of landmarks MediaPipe normalised to a crop (x by its width, y by its height)."""
    x0, y0, x1, y1 = box
    return (norm_xy * np.array([x1 - x0, y1 - y0], np.float32) + np.array([x0, y0], np.float32)).astype(np.float32)


class _VideoLandmarker:
    """A VIDEO-mode landmarker with its own clock: each needs strictly increasing milliseconds."""

    def __init__(self, landmarker: Any) -> None:
        self.landmarker = landmarker
        self.last_ms = -1
        self.origin_ms = 0

    def detect(self, image_bgr: npt.NDArray[np.uint8], t: float, box: Box) -> list[PoseCandidate]:
        """Every person in ``image_bgr``, the crop ``box`` of the frame, in frame pixels."""
        self.last_ms = max(self.origin_ms + round(t * 1000), self.last_ms + 1)
        return _candidates(self.landmarker.detect_for_video(_mp_image(image_bgr), self.last_ms), box)

    def reset(self) -> None:
        """Drop the track (the Tasks API has no reset; a blank frame loses it), so the next
        frame runs the detector: after a crop moves, the old track points to the wrong place."""
        self.last_ms += 1
        self.landmarker.detect_for_video(_mp_image(np.zeros((64, 64, 3), np.uint8)), self.last_ms)

    def restart_clock(self) -> None:
        """Drop the track and start a new clip's clock: its t = 0 maps past every frame seen so far,
        with a gap, so the clip's frames keep their own spacing (MediaPipe smooths over time)."""
        self.reset()
        self.origin_ms = self.last_ms + 1000


class PoseEstimator:
    """MediaPipe PoseLandmarker in VIDEO mode that follows one athlete, however small.

    Use as a context manager so the landmarkers are always closed:

        with PoseEstimator() as pose:
            for t, frame in source:
                athlete = pose.process(frame, t)   # PoseFrame, or None where nobody is seen

    A large athlete is tracked in the full frame, as before. While it shows nobody, or
    only someone below `SMALL_FRACTION`, an IMAGE-mode landmarker searches zoomed tiles
    now and then; an athlete found there is tracked by a second VIDEO-mode landmarker in
    a fixed ROI, moved only when they near its edge or change size. Both are made lazily.

    Args:
        model: path of a PoseLandmarker ``.task`` bundle; the shipped one by default.
        num_poses: how many people the model may return. 2 lets us ignore a second
            person instead of jumping to them; 1 is slightly faster.
        min_confidence: detection, presence and tracking thresholds of the landmarker.
    """

    def __init__(self, model: str | Path | None = None, num_poses: int = 2, min_confidence: float = 0.5) -> None:
        # MediaPipe's C++ logging prints start-up chatter to stderr; keep warnings and worse.
        os.environ.setdefault("GLOG_minloglevel", "2")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        self._model = str(model or model_path(MODEL_FILE))
        self._num_poses, self._min_confidence = num_poses, min_confidence
        self._full = _VideoLandmarker(self._create(video=True))
        self._in_roi: _VideoLandmarker | None = None
        self._searcher: Any = None
        self._roi: Box | None = None
        self._roi_made_for = 0.0
        self._search_level = 0
        self._search_t = -np.inf
        self._athlete: PoseCandidate | None = None
        self._athlete_t = -np.inf

    def _create(self, video: bool) -> Any:
        from mediapipe.tasks.python.core.base_options import BaseOptions
        from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

        options = PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=self._model),
            running_mode=RunningMode.VIDEO if video else RunningMode.IMAGE,
            num_poses=self._num_poses,
            min_pose_detection_confidence=self._min_confidence,
            min_pose_presence_confidence=self._min_confidence,
            min_tracking_confidence=self._min_confidence,
        )
        return PoseLandmarker.create_from_options(options)

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Release every landmarker (safe to call twice)."""
        in_roi = None if self._in_roi is None else self._in_roi.landmarker
        for landmarker in (self._full.landmarker, in_roi, self._searcher):
            if landmarker is not None:
                landmarker.close()

    def new_clip(self) -> None:
        """Forget the athlete and every track, so the next frames (another clip, its times from 0
        again) are processed as by a fresh estimator, without loading the model again: a batch
        worker keeps one estimator for all its clips."""
        for video in (self._full, self._in_roi):
            if video is not None:
                video.restart_clock()
        self._roi, self._roi_made_for = None, 0.0
        self._search_level, self._search_t = 0, -np.inf
        self._athlete, self._athlete_t = None, -np.inf

    def detect(self, frame_bgr: npt.NDArray[np.uint8], t: float) -> list[PoseCandidate]:
        """Every person the model finds in the full frame (in the model's order)."""
        h, w = frame_bgr.shape[:2]
        return self._full.detect(frame_bgr, t, (0, 0, w, h))

    def process(self, frame_bgr: npt.NDArray[np.uint8], t: float) -> PoseFrame | None:
        """The athlete's landmarks in this frame, or None where the athlete is not seen."""
        h, w = frame_bgr.shape[:2]
        athlete = self._track_in_roi(frame_bgr, t, (w, h)) if self._roi is not None else None
        if athlete is None:
            athlete = self._track_in_full(frame_bgr, t, (w, h))
        if athlete is None:
            return None
        self._athlete, self._athlete_t = athlete, t
        return PoseFrame(t, athlete.xy, athlete.world, athlete.visibility)

    def _choose(self, candidates: list[PoseCandidate], resolution_wh: tuple[int, int], t: float) -> PoseCandidate | None:
        """The athlete among the candidates: the main person, or the one nearest the athlete's last place."""
        if not candidates:
            return None
        if self._athlete is None or t - self._athlete_t > TRACK_LOST_S:
            return candidates[main_person(candidates, resolution_wh)]
        chosen = nearest_person(candidates, self._athlete)
        return None if chosen is None else candidates[chosen]

    def _is_small(self, athlete: PoseCandidate | None, wh: tuple[int, int]) -> bool:
        return athlete is None or athlete.height < SMALL_FRACTION * max(wh)

    def _track_in_full(self, frame_bgr: npt.NDArray[np.uint8], t: float, wh: tuple[int, int]) -> PoseCandidate | None:
        """The full frame: a large athlete as before; otherwise search the tiles now and then.
        Also runs where the ROI misses the athlete: a large athlete found here ends the ROI."""
        athlete = self._choose(self.detect(frame_bgr, t), wh, t)
        if self._roi is not None:
            if self._is_small(athlete, wh):
                if t - self._athlete_t > SEARCH_EVERY_S:
                    self._roi = None  # lost in the ROI: search again
                return None
            self._roi = None
        if not self._is_small(athlete, wh):
            return athlete
        # A large athlete seen a moment ago is merely missed by the model, not small.
        recently_large = t - self._athlete_t <= TRACK_LOST_S and not self._is_small(self._athlete, wh)
        if recently_large or (self._search_level == 0 and t - self._search_t < SEARCH_EVERY_S):
            return athlete
        found = self._search(frame_bgr, wh, t)
        if found is None:
            return athlete
        self._place_roi(found, wh)
        self._athlete, self._athlete_t = found, t
        tracked = self._track_in_roi(frame_bgr, t, wh)
        return found if tracked is None else tracked

    def _search(self, frame_bgr: npt.NDArray[np.uint8], wh: tuple[int, int], t: float) -> PoseCandidate | None:
        """The athlete among everyone the IMAGE-mode landmarker finds in the next level of tiles."""
        if self._searcher is None:
            self._searcher = self._create(video=False)
        zoom = TILE_ZOOMS[self._search_level]
        self._search_level = (self._search_level + 1) % len(TILE_ZOOMS)
        self._search_t = t
        candidates = []
        for x0, y0, x1, y1 in tile_boxes(wh, zoom):
            result = self._searcher.detect(_mp_image(frame_bgr[y0:y1, x0:x1]))
            candidates += _candidates(result, (x0, y0, x1, y1))
        if not candidates:
            return None
        self._search_level = 0  # next time, start again from the coarse tiles
        # The last athlete was small and may have been a full-frame misdetection: if nobody
        # is near them, take the main person the tiles show.
        return self._choose(candidates, wh, t) or candidates[main_person(candidates, wh)]

    def _place_roi(self, athlete: PoseCandidate, wh: tuple[int, int]) -> None:
        """Put the ROI around the athlete; its tracker restarts if the crop moved."""
        box = roi_box(athlete.xy, wh)
        self._roi_made_for = person_size(athlete.xy)
        if box == self._roi:
            return
        if self._in_roi is None:
            self._in_roi = _VideoLandmarker(self._create(video=True))
        else:
            self._in_roi.reset()
        self._roi = box

    def _track_in_roi(self, frame_bgr: npt.NDArray[np.uint8], t: float, wh: tuple[int, int]) -> PoseCandidate | None:
        """The athlete in the ROI, or None; moves or resizes the ROI when they need it."""
        assert self._roi is not None and self._in_roi is not None
        x0, y0, x1, y1 = self._roi
        athlete = self._choose(self._in_roi.detect(frame_bgr[y0:y1, x0:x1], t, self._roi), wh, t)
        if athlete is None:
            return None
        if athlete.height > LARGE_FRACTION * max(wh):
            self._roi = None
            self._full.reset()  # its last track is stale: detect afresh
        elif roi_is_stale(athlete.xy, self._roi, self._roi_made_for, wh):
            self._place_roi(athlete, wh)
        return athlete


def _mp_image(image_bgr: npt.NDArray[np.uint8]) -> Any:
    """A MediaPipe RGB image of a BGR frame or crop (the conversion also makes it contiguous)."""
    import mediapipe as mp

    return mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB))


def _candidates(result: Any, box: Box) -> list[PoseCandidate]:
    """MediaPipe's landmark lists as arrays: image landmarks in frame pixels; world ones are
    metric, around the hips, so the same whatever the crop."""
    people = []
    for image, world in zip(result.pose_landmarks, result.pose_world_landmarks):
        norm = np.array([(p.x, p.y) for p in image], np.float32)
        xyz = np.array([(p.x, p.y, p.z) for p in world], np.float32)
        vis = np.array([p.visibility if p.visibility is not None else 0.0 for p in image], np.float32)
        people.append(PoseCandidate(crop_to_frame(norm, box), xyz, vis))
    return people
