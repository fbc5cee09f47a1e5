"""Render a test set of synthetic clips, run the real pose model, and report per clip:
detection rate, mean foot-landmark visibility, and the count against the exact labels.

Every exercise from the front, obliquely and from the side, at two frame rates. Clips and
their landmarks are kept in ``--work`` so a second run only recounts.

    MUJOCO_GL=egl python benchmarks/synthetic_accuracy.py --work /tmp/synthset [--quick] [--only jump_rope ...]
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from vision import counters
from vision import landmarks as lm
from vision.analyze import count_series, run_pose
from vision.synth.clip import ClipSpec, render_clip
from vision.synth.motions import MotionSpec

EXERCISES: dict[str, dict[str, object]] = {
    "ankle_rotations": {"reps": 4, "side": "right", "direction": "ccw"},
    "two_leg_hops": {"reps": 6},
    "single_leg_hops": {"reps": 6, "side": "left"},
    "jump_rope": {"reps": 12, "style": "two_foot"},
    "jump_rope_alt": {"reps": 12, "style": "alternate_foot"},
    "split_jumps": {"reps": 4},
}
VIEWS: dict[str, tuple[str, float | None]] = {
    "front": ("front", None),
    "oblique": ("oblique", 40.0),
    "oblique_left": ("oblique", -40.0),
    "side": ("side", None),
}


@dataclass(frozen=True)
class Row:
    clip: str
    exercise: str
    view: str
    fps: int
    detected: float
    foot_visibility: float
    true_count: int
    count: int | None
    true_details: dict[str, object]
    details: dict[str, object]

    @property
    def details_ok(self) -> bool:
        """Whether every true detail (per foot, direction, style) was counted as it is."""
        return all(self.details.get(k) == v for k, v in self.true_details.items())


def evaluate_clip(work: Path, name: str, exercise: str, view: str, fps: int, seed: int) -> Row:
    """Render (once), run pose (once), count."""
    params = dict(EXERCISES[name])
    spec = ClipSpec(MotionSpec(exercise, seed=seed, **params), view=VIEWS[view][0], angle_deg=VIEWS[view][1],
                    fps=fps, outfit="random", seed=seed)  # type: ignore[arg-type]  # fmt: skip
    clip = work / f"{name}_{view}_{fps}.mp4"
    if not clip.with_suffix(".json").exists():
        render_clip(spec, clip, npz=False)
    truth = json.loads(clip.with_suffix(".json").read_text())["exercises"][0]
    series = run_pose(clip, cache=clip.with_suffix(".pose.npz")).series
    vis = series.visibility[series.detected][:, list(lm.FOOT)]
    result = None
    if exercise in counters.available():
        [result] = count_series(series, (exercise,))
    return Row(
        clip.name, exercise, view, fps, float(np.mean(series.detected)), float(np.mean(vis)) if vis.size else 0.0,
        truth["count"], result.count if result else None, truth["details"], result.details if result else {},
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/repcount-synthset"))
    parser.add_argument("--quick", action="store_true", help="30 fps only (half the clips)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    parser.add_argument("--only", action="append", choices=list(EXERCISES), help="these exercises only (repeatable)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rates = (30,) if args.quick else (30, 60)
    jobs = list(itertools.product(EXERCISES, VIEWS, rates))
    rows = []
    for i, (name, view, fps) in enumerate(track(jobs, description="synthetic clips")):
        if args.only and name not in args.only:
            continue  # the seed stays that of the clip's place in the whole set
        exercise = "jump_rope" if name.startswith("jump_rope") else name
        rows.append(evaluate_clip(args.work, name, exercise, view, fps, seed=100 + i))
    table = Table(title="synthetic test set through the real pose model")
    for col in ("clip", "detected", "foot vis", "true", "counted", "details ok"):
        table.add_column(col, justify="left" if col == "clip" else "right")
    for r in rows:
        table.add_row(r.clip, f"{r.detected:.1%}", f"{r.foot_visibility:.2f}", str(r.true_count),
                      "-" if r.count is None else str(r.count), "-" if r.count is None else str(r.details_ok))  # fmt: skip
    console = Console(width=120)
    console.print(table)
    counted = [r for r in rows if r.count is not None]
    exact = [r for r in counted if r.count == r.true_count]
    console.print(f"{len(rows)} clips; detection min {min(r.detected for r in rows):.1%}; "
                  f"counted exactly {len(exact)}/{len(counted)} (clips with a counter), "
                  f"details too {sum(r.details_ok for r in exact)}/{len(counted)}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], indent=1))


if __name__ == "__main__":
    main()
