"""Batch analysis of a folder of clips: discovery, the work list, engines, and result writing.

A club drops its clips in a folder (one subfolder per athlete, or a ``manifest.csv``); a batch
analyses each clip with the same `vision.analyze.analyze` as one file, writes each result
JSON beside the others and records it in the SQLite `Store`. The flow is one way::

    discover(folder) -> plan_batch(...) -> engine.run(jobs) -> record_outcome(...) -> Store, JSON files

- Work is decided by content: a clip whose SHA-256 is in the store is not analysed again, so
  a second run does only new or changed clips, and a run killed halfway resumes where it stopped.
- Workers only compute; the driver process alone writes files and the database. Each JSON is
  written to a temporary name and renamed, then the clip's rows are committed in one
  transaction: a kill at any moment leaves a clip either fully recorded or not at all.
- Engines run `analyze_job` in other processes and hand back `Outcome`s as they finish:
  `LocalEngine` (a process pool on this machine) and `RayEngine` (tasks on a Ray cluster).
  Each worker process loads the pose model once and reuses it for all its clips.
"""

from __future__ import annotations

import csv
import ctypes
import datetime as dt
import hashlib
import io
import json
import multiprocessing as mp
import os
import resource
import signal
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from vision.compare import Performed, compare
from vision.counters import available
from vision.errors import RepcountError
from vision.result import AnalysisResult
from vision.routine import DEFAULT_ROUTINE, Routine, load_routine
from vision.store import ClipRecord, Store

if TYPE_CHECKING:
    from vision.pose import PoseEstimator

__all__ = [
    "MANIFEST",
    "Clip",
    "Engine",
    "Job",
    "LocalEngine",
    "ManifestError",
    "Outcome",
    "RayEngine",
    "analyze_job",
    "discover",
    "plan_batch",
    "run_jobs",
    "write_summary",
]

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm"})
MANIFEST = "manifest.csv"
NO_ATHLETE = "unknown"
"""The athlete of a clip at the top of the folder with no manifest row naming one."""


class ManifestError(RepcountError):
    """``manifest.csv`` cannot be read or names something that is not there."""


@dataclass(frozen=True)
class Clip:
    """One video found in the clips folder.

    Attributes:
        path: absolute path.
        name: path relative to the clips folder (how the clip is shown and its results named).
        athlete: from the manifest, else the first subfolder's name.
        date: ISO date of the session: from the manifest, else the file's modification date.
        exercise: the exercise the clip holds, from the manifest (None: every counter runs).
        routine: ``"default"`` or a routine ``.toml`` to compare with (None: no comparison).
    """

    path: Path
    name: str
    athlete: str
    date: str
    exercise: str | None = None
    routine: str | None = None


@dataclass(frozen=True)
class Job:
    """One clip to analyse, with everything a worker on another machine needs."""

    clip: Clip
    record: ClipRecord
    routine: Routine | None
    annotate: Path | None


@dataclass(frozen=True)
class Outcome:
    """What a worker hands back: the result (or why there is none) and what it cost.

    Attributes:
        result: the clip's counts; None when it failed.
        error: one line saying why the clip could not be analysed.
        truncation: where a clip that was counted broke off (`vision.analyze.PoseRun.truncation`).
        seconds: wall time of the analysis in the worker.
        worker: the worker process id; peak_rss_mb its peak resident memory so far.
    """

    job: Job
    result: AnalysisResult | None
    error: str | None
    seconds: float
    worker: int
    peak_rss_mb: float
    truncation: str = ""


@dataclass(frozen=True)
class BatchPlan:
    """A folder's clips split into those to analyse and those already in the store unchanged."""

    clips: tuple[Clip, ...]
    todo: tuple[Job, ...]
    unchanged: tuple[ClipRecord, ...]
    routines: dict[str, Routine]
    """The routines the clips are compared with, by name (for the club report's sessions)."""


# ---------------------------------------------------------------- discovery


def discover(folder: Path) -> list[Clip]:
    """Every video under ``folder`` (recursively), with its athlete, date and exercise.

    Raises:
        ManifestError: the manifest is unreadable, lacks the ``file`` column, or has a bad row.
        RepcountError: the folder does not exist.
    """
    if not folder.is_dir():
        raise RepcountError(f"{folder} is not a folder: give the folder that holds the clips")
    manifest = read_manifest(folder / MANIFEST)
    found = sorted(p for p in folder.rglob("*") if p.suffix.lower() in VIDEO_SUFFIXES and p.is_file())
    names = {p.relative_to(folder).as_posix() for p in found}
    for name in manifest:
        if name not in names:
            raise ManifestError(f"{MANIFEST} lists {name}, which is not under {folder}: fix the row or add the clip")
    return [_clip(folder, p, manifest.get(p.relative_to(folder).as_posix(), {})) for p in found]


def _clip(folder: Path, path: Path, row: dict[str, str]) -> Clip:
    name = path.relative_to(folder).as_posix()
    parts = Path(name).parts
    athlete = row.get("athlete") or (parts[0] if len(parts) > 1 else NO_ATHLETE)
    date = row.get("date") or dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
    return Clip(path.resolve(), name, athlete, date, row.get("exercise") or None, row.get("routine") or None)


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """``manifest.csv`` rows by file (relative to the clips folder); empty when there is no manifest.

    Columns: ``file`` (required), then any of ``athlete``, ``date`` (YYYY-MM-DD), ``exercise``,
    ``routine`` (``default`` or a routine file relative to the clips folder).
    """
    if not path.exists():
        return {}
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ManifestError(f"cannot read {path}: {e}; save it as a UTF-8 CSV") from e
    if rows and "file" not in rows[0]:
        raise ManifestError(f"{path} has no 'file' column: the first line must name the columns, e.g. "
                            "file,athlete,date,exercise,routine")  # fmt: skip
    exercises = available()
    out: dict[str, dict[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        where = f"{path.name} line {line}"
        if not row.get("file"):
            raise ManifestError(f"{where}: no file name; give the clip's path relative to the folder")
        if row.get("date"):
            try:
                dt.date.fromisoformat(row["date"])
            except ValueError:
                raise ManifestError(f"{where}: date {row['date']!r} is not YYYY-MM-DD") from None
        if row.get("exercise") and row["exercise"] not in exercises:
            raise ManifestError(f"{where}: unknown exercise {row['exercise']!r}; use one of {', '.join(exercises)}")
        out[Path(row["file"]).as_posix()] = row
    return out


def file_hash(path: Path) -> str:
    """SHA-256 of the file's content."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- planning


def plan_batch(
    folder: Path, out: Path, store: Store, *, annotate: bool = False, routine: str | None = None
) -> BatchPlan:
    """Find the clips and decide which need analysing.

    A clip is skipped when the store holds the same path with the same content hash (the
    hash is only recomputed when size or modification time changed).

    Args:
        folder: the clips folder.
        out: the results folder (JSON and annotated videos go under it, named like the clips).
        store: the results database.
        annotate: also write an annotated copy of each clip.
        routine: ``"default"`` or a routine file, for clips whose manifest row names none.
    """
    if routine not in (None, "default"):  # given on the command line: relative to where it was typed
        routine = str(Path(str(routine)).resolve())
    clips = [c if c.routine or not routine else replace(c, routine=routine) for c in discover(folder)]
    routines = {spec: _routine(folder, spec) for spec in {c.routine for c in clips} if spec}
    todo: list[Job] = []
    unchanged: list[ClipRecord] = []
    for clip in clips:
        stat = clip.path.stat()
        stored = store.get(str(clip.path))
        if stored and (stored.size, stored.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            sha = stored.sha256
        else:
            sha = file_hash(clip.path)
        routine = routines.get(clip.routine or "")
        record = ClipRecord(str(clip.path), clip.name, sha, stat.st_size, stat.st_mtime_ns, clip.athlete, clip.date,
                            clip.exercise, status="failed", json_path=str(out / f"{clip.name}.json"),
                            routine=routine.name if routine else None)  # fmt: skip
        if stored and stored.sha256 == sha and _same_labels(stored, record):
            unchanged.append(stored)
            continue
        annotated = out / f"{clip.name}.annotated.mp4" if annotate else None
        todo.append(Job(clip, record, routine, annotated))
    return BatchPlan(tuple(clips), tuple(todo), tuple(unchanged), {r.name: r for r in routines.values()})


def _same_labels(stored: ClipRecord, new: ClipRecord) -> bool:
    """The manifest may relabel an unchanged clip, or the routine change: a new athlete or date is a
    new record, a new exercise a new analysis, a new routine a new comparison."""
    return (stored.athlete, stored.date, stored.exercise, stored.routine) == (new.athlete, new.date, new.exercise,
                                                                              new.routine)  # fmt: skip


def _routine(folder: Path, spec: str) -> Routine:
    """The routine a spec names: ``default``, or a file (a manifest's, relative to the clips folder)."""
    return DEFAULT_ROUTINE if spec == "default" else load_routine(folder / spec)


# ---------------------------------------------------------------- the worker side

_POSE: PoseEstimator | None = None
"""This process's pose estimator: made on the first clip, reused for every later one."""


def _worker_pose() -> PoseEstimator:
    global _POSE
    if _POSE is None:
        from vision.pose import PoseEstimator

        _POSE = PoseEstimator()
    return _POSE


def analyze_job(job: Job) -> Outcome:
    """Analyse one clip in a worker process; every failure becomes an `Outcome` with its reason.

    A bad clip (not a video, truncated, nobody in it) must not stop a club's batch, so every
    `RepcountError` is caught and reported; an unexpected error is reported too, with its type,
    so that one odd file cannot lose the rest of the night's work.
    """
    from vision.analyze import analyze_with_series

    start = time.perf_counter()
    result, error, truncation = None, None, ""
    partial = None if job.annotate is None else job.annotate.with_name(job.annotate.stem + ".partial.mp4")
    try:
        if partial is not None:
            partial.parent.mkdir(parents=True, exist_ok=True)
        exercise = job.clip.exercise
        routine = job.routine if exercise is None else None  # a session: analyze compares its segments itself
        run = analyze_with_series(job.clip.path, exercise, routine=routine, annotate=partial, pose=_worker_pose())
        result, truncation = run.result, run.truncation
        if exercise is not None and job.routine is not None:  # the manifest's one exercise is the one block done
            result = replace(result, routine=compare(job.routine, performed_blocks(result.exercises)).to_dict())
        if partial is not None and job.annotate is not None:
            os.replace(partial, job.annotate)
    except RepcountError as e:
        error = str(e)
    except Exception as e:  # noqa: BLE001 - reported per clip, see the docstring
        error = f"internal error: {type(e).__name__}: {e}"
    if error is not None and partial is not None:
        partial.unlink(missing_ok=True)  # half an annotated video is no use to anyone
    return Outcome(job, result, error, time.perf_counter() - start, os.getpid(), peak_rss_mb(), truncation)


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, not ``ru_maxrss``: the latter survives
    exec, so a worker spawned by a big parent would report the parent's peak."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, bytes on macOS


class Counted(Protocol):
    """One exercise's count: an `ExerciseResult` fresh from a worker, or an `ExerciseRow` from the store."""

    @property
    def name(self) -> str: ...
    @property
    def count(self) -> int: ...
    @property
    def details(self) -> dict[str, Any]: ...
    @property
    def start_s(self) -> float | None: ...
    @property
    def end_s(self) -> float | None: ...


def performed_blocks(exercises: Iterable[Counted]) -> list[Performed]:
    """The counted exercises as `vision.compare` blocks, split per foot and direction where the
    counters split their counts (ankle rotations, single-leg hops), so per-foot items match.

    Used where no segments are at hand: a clip of one named exercise, and an athlete's stored
    counts of a day taken together."""
    return [block for exercise in exercises for block in _blocks(exercise)]


_SPLITS: dict[str, tuple[tuple[str, str | None, str | None], ...]] = {
    "ankle_rotations": (("left_cw", "left", "cw"), ("left_ccw", "left", "ccw"),
                        ("right_cw", "right", "cw"), ("right_ccw", "right", "ccw")),
    "single_leg_hops": (("left", "left", None), ("right", "right", None)),
}  # fmt: skip


def _blocks(exercise: Counted) -> list[Performed]:
    duration = None if exercise.start_s is None or exercise.end_s is None else exercise.end_s - exercise.start_s
    splits = _SPLITS.get(exercise.name)
    if splits is None:
        return [Performed(exercise.name, sets=(exercise.count,), duration_s=duration)]
    return [Performed(exercise.name, foot, direction, sets=(int(exercise.details[key]),))
            for key, foot, direction in splits if exercise.details.get(key)]  # fmt: skip


# ---------------------------------------------------------------- engines


class Engine(Protocol):
    """Runs `analyze_job` on many jobs and yields each `Outcome` as soon as it is ready."""

    def run(self, jobs: Sequence[Job]) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


def _pool_worker_init(cpu_counter: Any, pin: bool) -> None:
    """Set up a local worker: ignore Ctrl-C (the driver stops the batch and keeps what was
    recorded; a worker catching it would hand back a half-analysed clip), die with the driver
    even on ``kill -9`` (Linux), and optionally stay on one core."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if pin and hasattr(os, "sched_setaffinity"):
        with cpu_counter.get_lock():
            index = cpu_counter.value
            cpu_counter.value += 1
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[index % len(cpus)]})


class LocalEngine:
    """A pool of worker processes on this machine.

    Args:
        workers: processes (default: one per core).
        pin: keep each worker on its own core (default: when there are several workers).
            MediaPipe runs several threads per process; workers whose threads roam over every
            core ran 1.06x faster than one worker on 2 cores, pinned ones 1.54x
            (benchmarks/batch.py). One worker gains nothing: its decode thread would share its core.
    """

    def __init__(self, workers: int | None = None, pin: bool | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        pin = self.workers > 1 if pin is None else pin
        context = mp.get_context("spawn")  # no fork of a process that may hold MediaPipe's threads
        self._pool = ProcessPoolExecutor(self.workers, context, initializer=_pool_worker_init,
                                         initargs=(context.Value("i", 0), pin))  # fmt: skip
        self._finished = False

    def run(self, jobs: Sequence[Job]) -> Iterator[Outcome]:
        pending: set[Future[Outcome]] = {self._pool.submit(analyze_job, job) for job in jobs}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        except BrokenProcessPool:
            raise RepcountError("a worker process died (out of memory?); run the batch again to resume") from None
        self._finished = True

    def close(self) -> None:
        """Stop the workers. After a whole run, wait for them to exit: a pool left shutting down
        as Python exits may print a traceback from its exit hook (a closed wake-up pipe, seen in
        CI). Interrupted, don't wait for the clips still in the workers."""
        self._pool.shutdown(wait=self._finished, cancel_futures=True)


class RayEngine:
    """Clips as Ray tasks on a cluster; each Ray worker process keeps its pose model between tasks.

    The clips and results folders must be at the same paths on every node (a shared or
    network filesystem); only the result JSON travels back through Ray.

    Args:
        address: the cluster (``HOST:PORT`` of the head node, or ``auto``); None starts Ray here.
        workers: at most this many clips at once (default: as many as the cluster has CPUs).
    """

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        try:
            import ray
        except ImportError:
            raise RepcountError("the ray engine needs Ray: pip install 'repcount[ray]'") from None
        self._ray = ray
        try:
            ray.init(address=address, logging_level="ERROR", log_to_driver=False, configure_logging=False)
        except (ConnectionError, RuntimeError, ValueError) as e:
            raise RepcountError(f"cannot connect to the Ray cluster at {address}: {e}; "
                                "start it with 'ray start --head' or check --address") from None  # fmt: skip
        self.workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._task = ray.remote(num_cpus=1, max_retries=1)(analyze_job)

    def run(self, jobs: Sequence[Job]) -> Iterator[Outcome]:
        """At most ``workers`` tasks in flight, so a 10,000-clip batch does not flood the scheduler.
        A task whose worker died twice (out of memory, a node lost) is a failed clip, not a failed batch."""
        queue = list(reversed(jobs))
        running: dict[Any, Job] = {}
        while queue or running:
            while queue and len(running) < self.workers:
                job = queue.pop()
                running[self._task.remote(job)] = job
            (ref,), _ = self._ray.wait(list(running), num_returns=1)
            job = running.pop(ref)
            try:
                yield self._ray.get(ref)
            except self._ray.exceptions.RayError as e:
                yield Outcome(job, None, f"the Ray worker failed: {type(e).__name__}", 0.0, 0, 0.0)

    def close(self) -> None:
        self._ray.shutdown()


# ---------------------------------------------------------------- recording


def run_jobs(plan: BatchPlan, engine: Engine, store: Store) -> Iterator[tuple[ClipRecord, Outcome]]:
    """Run the plan's jobs and record each as it finishes; yields the stored record."""
    for outcome in engine.run(plan.todo):
        yield record_outcome(outcome, store), outcome


def record_outcome(outcome: Outcome, store: Store) -> ClipRecord:
    """Write the clip's JSON (to a temporary name, then renamed) and commit its rows."""
    job = outcome.job
    if outcome.result is None:
        record = replace(job.record, status="failed", reason=outcome.error, json_path=None)
    else:
        json_path = Path(job.record.json_path or "")
        write_atomic(json_path, outcome.result.to_json())
        record = job.record.with_result(outcome.result, str(json_path), reason=outcome.truncation or None)
    store.put(record)
    return record


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers, and a run killed halfway, see the old file or the new one whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


SUMMARY_COLUMNS = ("file", "athlete", "date", "status", "reason", "exercise", "count", "details", "routine",
                   "routine_complete", "frames", "duration_s", "json")  # fmt: skip


def write_summary(records: Sequence[ClipRecord], path: Path) -> None:
    """``summary.csv``: one row per clip and exercise (one row for a clip that failed or counted nothing)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    for r in records:
        routine = "" if r.routine_items is None else f"{r.routine_complete}/{r.routine_items}"
        common = (r.name, r.athlete, r.date, r.status, r.reason or "")
        tail = (r.routine or "", routine, r.frames or "", "" if r.duration_s is None else round(r.duration_s, 2),
                r.json_path or "")  # fmt: skip
        for e in r.exercises or (None,):
            what = ("", "", "") if e is None else (e.name, e.count, json.dumps(e.details))
            writer.writerow((*common, *what, *tail))
    write_atomic(path, out.getvalue())
