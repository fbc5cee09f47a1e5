"""The errors repcount raises on purpose, each with a one-line message for the user.

The message says what is wrong and what to do about it; the CLI prints ``str(error)``
as it is, so it never shows a traceback for a bad input. The tree::

    RepcountError                 anything the user can fix
    ├── NoPersonFound             the pose model found nobody to count
    └── SourceError               a frame source cannot be opened or read
        ├── VideoNotFound         no file at that path
        ├── NotAVideo             a file, but not one we can decode (empty, text, ...)
        │   └── TruncatedVideo    an MP4/MOV cut short before its index: nothing decodable
        └── CameraError           a webcam, device or stream that cannot be opened or read

A file cut short *after* its index still plays up to the cut: that is not an error but a
`vision.sources.Truncation` recorded on the source, so the CLI can count what is there
and say how much was missing.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CameraError",
    "NoPersonFound",
    "NotAVideo",
    "RepcountError",
    "SourceError",
    "TruncatedVideo",
    "VideoNotFound",
]

CONVERT_ADVICE = "convert it to MP4 (e.g. ffmpeg -i INPUT out.mp4) and try again"


class RepcountError(Exception):
    """Base of every error repcount raises on purpose; ``str(error)`` is for the user."""


class NoPersonFound(RepcountError):
    """The pose model found nobody in the video, so there is nothing to count."""

    def __init__(self, where: str) -> None:
        super().__init__(f"no person found in {where}: film the whole body, feet included, in good light")


class SourceError(RepcountError):
    """A frame source (file, camera, stream) cannot be opened or read."""


class VideoNotFound(SourceError):
    """There is no file at the given path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: no such file: check the path (and that the copy finished)")


class NotAVideo(SourceError):
    """The file exists but cannot be decoded as video.

    Args:
        path: the file.
        reason: why, in a few words (e.g. "it is empty", "no frame could be decoded").
        advice: what the user can do about it.
    """

    def __init__(self, path: Path, reason: str, advice: str = CONVERT_ADVICE) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path.name or path} is not a video repcount can read ({reason}): {advice}")


class TruncatedVideo(NotAVideo):
    """An MP4/MOV whose index ("moov" box) is missing because the file was cut short.

    Phones and cameras write the index last, so a recording that was interrupted, or a
    copy or download that stopped early, loses it and with it every frame: no decoder
    can find them without a repair tool.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reason = "the file was cut short before its index"
        SourceError.__init__(
            self,
            f"{path.name} is truncated and its MP4 index is missing, so no frame can be read: "
            "copy or export the clip again (or repair it with a tool such as untrunc)",
        )


class CameraError(SourceError):
    """A webcam, capture device or stream URL cannot be opened or stopped giving frames."""
