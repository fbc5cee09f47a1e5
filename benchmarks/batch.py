"""Batch throughput: clips/s and frames/s with 1 and 2 local workers and with Ray, against pose alone.

Runs every engine on the same clips in one run, each time into a fresh results folder and
database, so each run analyses every clip; the time includes starting the workers and
loading the model (what a real batch pays). Prints per run clips/s, frames/s, the speed-up
over one worker, and the peak resident memory of each worker process.
Goals: 2 workers >= 1.8x one worker on 2 cores; Ray within a few % of the local pool.

    python benchmarks/batch.py [--copies 2] [--no-ray]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from pipeline import pose_alone_fps

from vision.batch import Engine, LocalEngine, RayEngine, plan_batch, run_jobs
from vision.store import Store

SAMPLES = Path(__file__).resolve().parent.parent / "sample_videos"
CLIPS = ("two_leg_hops_front", "split_jumps_oblique", "jump_rope_alternate_oblique", "ankle_rotations_front")


def make_folder(root: Path, copies: int) -> Path:
    """The sample clips, ``copies`` times over (one athlete folder per copy)."""
    folder = root / "clips"
    for i in range(copies):
        (folder / f"athlete{i}").mkdir(parents=True)
        for name in CLIPS:
            shutil.copy(SAMPLES / f"{name}.mp4", folder / f"athlete{i}" / f"{name}.mp4")
    return folder


def run(label: str, folder: Path, root: Path, make_engine: Callable[[], Engine]) -> tuple[float, int, int]:
    """Time one batch, from starting the engine to the last clip recorded; prints its line
    (with the load average at its start) and returns (seconds, clips, frames)."""
    out = root / label.replace(" ", "_")
    load = os.getloadavg()[0]
    start = time.perf_counter()
    engine = make_engine()
    startup = time.perf_counter() - start
    rss: dict[int, float] = defaultdict(float)
    with Store(out / "repcount.db") as store:
        plan = plan_batch(folder, out, store)
        frames = 0
        for record, outcome in run_jobs(plan, engine, store):
            assert record.ok, record.reason
            frames += record.frames or 0
            rss[outcome.worker] = max(rss[outcome.worker], outcome.peak_rss_mb)
    engine.close()
    seconds = time.perf_counter() - start
    clips = len(plan.todo)
    memory = ", ".join(f"{mb:.0f}" for mb in sorted(rss.values()))
    print(f"{label:<22} {seconds:7.1f} s  {clips / seconds:6.3f} clips/s  {frames / seconds:6.1f} frames/s  "
          f"engine start {startup:4.1f} s  peak RSS per worker (MB): {memory}  load {load:.1f}", flush=True)  # fmt: skip
    return seconds, clips, frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2, help="copies of the 4 sample clips")
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = make_folder(root, args.copies)
        per_clip = [pose_alone_fps(SAMPLES / f"{name}.mp4") for name in CLIPS]
        pose_fps = sum(n for _, n in per_clip) / sum(n / fps for fps, n in per_clip)
        print(f"{len(CLIPS) * args.copies} clips; pose alone, one process, frames in memory: {pose_fps:.1f} frames/s")
        one, _, frames = run("local 1 worker", folder, root, lambda: LocalEngine(1, pin=False))
        pinned_one, _, _ = run("local 1 worker pinned", folder, root, lambda: LocalEngine(1, pin=True))
        two, _, _ = run("local 2 workers pinned", folder, root, lambda: LocalEngine(2, pin=True))
        free, _, _ = run("local 2 workers free", folder, root, lambda: LocalEngine(2, pin=False))
        best_one = min(one, pinned_one)
        print(f"1 worker vs pose alone: {frames / one / pose_fps:.1%}")
        print(f"speed-up, 2 workers over the faster single worker: pinned {best_one / two:.2f}x, "
              f"unpinned {best_one / free:.2f}x (goal >= 1.8x)")  # fmt: skip
        if not args.no_ray:
            ray_s, _, _ = run("ray 2 CPUs (local)", folder, root, lambda: RayEngine(None, 2))
            print(f"Ray engine over local 2 workers: {ray_s / two - 1:+.1%} (pinned), {ray_s / free - 1:+.1%} (free)")


if __name__ == "__main__":
    main()
