"""Robustness: the labelled clips counted again as another camera would have filmed them.

The counters are checked blind on clips we never see, so a count that holds only for the
exact pixels of the clips we have is a count to distrust. This script writes three copies
of every labelled clip and runs the real pose model and the counters on each:

- ``mirror``: flipped left to right (the athlete's left becomes their right: counts stay);
- ``small``: scaled to 0.6 of its width and height (a cheaper camera, or further away);
- ``fps24``: frames dropped to 24 a second (a film-rate phone setting).

It prints, per clip and counter, the count on the original and on each copy against the
label, and per copy the share exact, so a change in a counter shows whether it generalises.
Clips and landmarks are kept in ``--work``, so a second run only recounts.

    python benchmarks/robustness.py ../shared/clips --work /tmp/robust
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import cv2
import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from vision.analyze import count_clip
from vision.counters import available
from vision.evaluate import EvalRow, EvalSummary, evaluate, read_labels

Frame = np.ndarray
VARIANTS: dict[str, tuple[Callable[[Frame], Frame], float | None]] = {
    "mirror": (lambda f: cv2.flip(f, 1), None),
    "small": (lambda f: cv2.resize(f, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA), None),
    "fps24": (lambda f: f, 24.0),
}
"""Each copy: what is done to a frame, and the frame rate frames are dropped to (None: kept)."""


def write_copy(src: Path, dst: Path, transform: Callable[[Frame], Frame], fps: float | None) -> None:
    """Write ``src`` to ``dst`` with every frame transformed, and frames dropped to ``fps``
    (a clip already at or below it is only transformed)."""
    cap = cv2.VideoCapture(str(src))
    src_fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    out_fps = min(fps, src_fps) if fps else src_fps
    writer = None
    i, kept = 0, -1
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        slot = int(i * out_fps / src_fps)  # the output frame this input frame falls in
        i += 1
        if slot == kept:
            continue
        kept = slot
        frame = transform(frame)
        if writer is None:
            h, w = frame.shape[:2]
            writer = cv2.VideoWriter(str(dst), cv2.VideoWriter_fourcc(*"mp4v"), out_fps, (w, h))
        writer.write(frame)
    cap.release()
    if writer is not None:
        writer.release()


def eval_folder(folder: Path, cache: Path) -> list[EvalRow]:
    """The eval rows of a folder of clips, with each clip's landmarks cached in ``cache``."""
    cache.mkdir(parents=True, exist_ok=True)
    rows = evaluate(folder, partial(count_clip, cache_dir=cache), read_labels(folder), available())
    return list(track(rows, description=folder.name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("clips", type=Path, help="a folder of labelled clips (labels.json beside them)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/robustness"))
    args = parser.parse_args()
    clips = sorted(p.name for p in args.clips.glob("*.mp4"))
    rows = {"original": eval_folder(args.clips, args.work / "original.landmarks")}
    for name, (transform, fps) in VARIANTS.items():
        folder = args.work / name
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(args.clips / "labels.json", folder / "labels.json")
        for clip in track(clips, description=f"writing {name}"):
            if not (folder / clip).exists():
                write_copy(args.clips / clip, folder / clip, transform, fps)
        rows[name] = eval_folder(folder, args.work / f"{name}.landmarks")

    table = Table(title="Counts on the labelled clips and on three copies of each")
    for column in ("clip", "counter", "true", *rows):
        table.add_column(column, no_wrap=column in ("clip", "counter"))
    for i, row in enumerate(rows["original"]):
        cells = [f"{r[i].count}" + ("" if r[i].exact else " ✗") for r in rows.values()]
        table.add_row(row.clip, row.exercise, str(row.true_count), *cells)
    console = Console()
    console.print(table)
    for name, variant in rows.items():
        s = EvalSummary(tuple(variant))
        console.print(f"{name:>8}: exact {s.exact_ratio:.0%}  MAE {s.mae:.2f}  ({len(variant)} runs)")


if __name__ == "__main__":
    main()
