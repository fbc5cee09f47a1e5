"""The `repcount` command: a thin layer over the Python API.

Each command parses its options, calls the API and prints. Errors a user can fix
(`RepcountError`) become one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from vision import __version__
from vision.errors import NoPersonFound, RepcountError

if TYPE_CHECKING:
    from vision.live import Line
    from vision.store import ClipRecord
    from vision.synth.session import Session

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="Count the reps of a runner's foot-and-ankle routine from video.")
# Piped output (a file, CI logs) gets wide tables instead of rich's 80-column default.
console = Console(width=None if sys.stdout.isatty() else 120)
err_console = Console(stderr=True)

EXIT_USER_ERROR = 2


def fail(message: str) -> None:
    """Print one line for the user on stderr and exit non-zero."""
    err_console.print(f"[bold red]repcount:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_USER_ERROR)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn `RepcountError` and unwritable outputs into `fail` lines."""
    try:
        yield
    except RepcountError as e:
        fail(str(e))
    except PermissionError as e:
        fail(f"cannot write {e.filename}: permission denied; choose another output path")
    except IsADirectoryError as e:
        fail(f"{e.filename} is a folder: give a file path for the output")


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr; yields the ``progress(done, total)`` callback."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def check_writable(*paths: Path | None) -> None:
    """Fail before a long run, not after it, when an output can't be written."""
    for path in paths:
        if path is None:
            continue
        if path.is_dir():
            fail(f"{path} is a folder: give a file path for the output")
        probe = path.parent
        while not probe.exists():
            probe = probe.parent
        if not probe.is_dir() or not os.access(probe, os.W_OK):
            fail(f"cannot write {path}: {probe} is not a writable folder; choose another output path")


def _version(value: bool) -> None:
    if value:
        console.print(f"repcount {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = None,
) -> None:
    """Count the reps of a runner's foot-and-ankle routine from video."""


@app.command()
def analyze(
    video: Annotated[Path, typer.Argument(help="The video file to analyse.")],
    exercise: Annotated[Optional[str], typer.Option(help="Which exercise the clip holds, e.g. two_leg_hops.")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the result as JSON (schema 1).")] = None,
    csv_out: Annotated[Optional[Path], typer.Option("--csv", help="Write one row per rep as CSV.")] = None,
    annotate: Annotated[Optional[Path], typer.Option(help="Write an annotated copy of the video (.mp4).")] = None,
    cache: Annotated[Optional[Path], typer.Option(help="Keep the landmarks in this .npz and reuse them next time.")] = None,
    routine: Annotated[Optional[str], typer.Option(help="Compare with a routine: a .toml file, or 'default'.")] = None,
    report: Annotated[Optional[Path], typer.Option(help="Write a session report: one HTML page with plots and metrics.")] = None,
) -> None:
    """Count the reps in a video file and print a table.

    Without --exercise the video is split into segments (exercises, rests, walking), each counted.
    """
    from vision.analyze import analyze_with_series
    from vision.report.session import landmarks_path, write_report
    from vision.report.table import print_result
    from vision.routine import routine_from

    check_writable(json_out, csv_out, annotate, report)
    with user_errors():
        prescribed = None if routine is None else routine_from(routine)
        with progress_bar(f"analysing {video.name}") as progress:
            run = analyze_with_series(video, exercise, routine=prescribed, progress=progress, cache=cache, annotate=annotate)
        result = run.result
        print_result(console, result, run.comparison)
        for warning in (w for w in result.warnings if w != run.truncation):
            err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)
        if json_out:
            _write(json_out, result.to_json())
            run.series.save(landmarks_path(json_out))  # what `repcount plot` redraws from
        if csv_out:
            _write(csv_out, result.to_csv())
        if report:
            write_report(report, result, run.series, video)
            err_console.print(f"report: {report}", highlight=False)
    if run.truncation:  # bad input, though what decoded is counted and written above
        fail(run.truncation)


@app.command()
def plot(
    result_json: Annotated[Path, typer.Argument(help="A result written by 'repcount analyze --json'.")],
    report: Annotated[Optional[Path], typer.Option(help="The HTML page to write (default: beside the JSON, .html).")] = None,
    video: Annotated[Optional[Path], typer.Option(help="The clip, for key frames (default: the analysed path).")] = None,
) -> None:
    """Redraw a saved result's session report without running pose again."""
    from vision.report.session import load_saved, write_report

    out = report or result_json.with_suffix(".html")
    check_writable(out)
    with user_errors():
        result, series, source = load_saved(result_json)
        write_report(out, result, series, video or source)
    console.print(f"report: {out}", highlight=False)


@app.command("eval")
def eval_cmd(
    folder: Annotated[Path, typer.Argument(help="A folder of clips with a labels.json.")],
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the table and summary as JSON.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option("--cache", help="Keep each clip's landmarks in this folder.")] = None,
) -> None:
    """Count every labelled clip in FOLDER and compare with the true counts."""
    from functools import partial

    from vision.analyze import count_clip
    from vision.counters import available
    from vision.evaluate import EvalSummary, evaluate, read_labels
    from vision.report.table import print_eval

    with user_errors():
        if cache_dir:
            cache_dir.mkdir(parents=True, exist_ok=True)
        labels = read_labels(folder)
        rows = []
        with progress_bar("eval") as progress:
            for row in evaluate(folder, partial(count_clip, cache_dir=cache_dir), labels, available()):
                rows.append(row)
                progress(len({r.clip for r in rows}), len(labels))
        summary = EvalSummary(tuple(rows))
        print_eval(console, summary)
        if json_out:
            _write(json_out, json.dumps(summary.to_dict(), indent=2))


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="The clip to write (.mp4); its labels go beside it (.json, .npz).")],
    exercise: Annotated[Optional[str], typer.Option(help="Exercise (or negative: standing, walking, weight_shift, heel_raise).")] = None,
    routine: Annotated[Optional[str], typer.Option(help="Render a whole session: a routine .toml, or 'default'.")] = None,
    reps: Annotated[int, typer.Option(help="Reps per set.")] = 10,
    sets: Annotated[int, typer.Option(help="Sets, with --rest seconds between.")] = 1,
    rest: Annotated[float, typer.Option(help="Rest between sets, seconds.")] = 3.0,
    side: Annotated[str, typer.Option(help="Working foot (rotations) or stance foot (single-leg): left, right, both.")] = "left",
    direction: Annotated[str, typer.Option(help="Ankle rotations: cw or ccw, as the athlete sees it.")] = "cw",
    style: Annotated[str, typer.Option(help="Jump rope: two_foot, alternate_foot, single_leg_alternating.")] = "",
    view: Annotated[str, typer.Option(help="Camera: front, oblique or side.")] = "front",
    angle: Annotated[Optional[float], typer.Option(help="Camera azimuth in degrees (oblique: 20-60, sign picks the side).")] = None,
    distance: Annotated[float, typer.Option(help="Camera distance, metres.")] = 3.2,
    fps: Annotated[int, typer.Option(help="Frame rate: 25, 30 or 60.")] = 30,
    width: Annotated[int, typer.Option(help="Frame width, pixels.")] = 640,
    height: Annotated[int, typer.Option(help="Frame height, pixels.")] = 480,
    tempo: Annotated[float, typer.Option(help="Pace factor around 1.")] = 1.0,
    amplitude: Annotated[float, typer.Option(help="Size factor around 1 (hop height, circle size).")] = 1.0,
    outfit: Annotated[str, typer.Option(help="'default' or 'random' (drawn from --seed).")] = "default",
    seed: Annotated[int, typer.Option(help="Seed: the same options and seed give the same clip.")] = 0,
    knee_valgus: Annotated[float, typer.Option(help="Hops and rope: turn the knees inward on landing by up to this many degrees.")] = 0.0,
) -> None:
    """Render the synthetic athlete doing exactly the reps asked for, with true labels."""
    from vision.synth.body import OUTFIT_DEFAULT
    from vision.synth.clip import ClipSpec, render_clip
    from vision.synth.motions import MotionSpec

    if (exercise is None) == (routine is None):
        fail("give either --exercise NAME or --routine FILE|default")
    check_writable(out)
    with user_errors():
        try:
            if routine is not None:
                content = _session(routine, seed)
            else:
                content = MotionSpec(exercise or "", reps=reps, sets=sets, rest_s=rest, side=side, direction=direction,
                                     style=style, tempo=tempo, amplitude=amplitude, seed=seed,
                                     knee_valgus_deg=knee_valgus)  # fmt: skip
            spec = ClipSpec(content, view=view, angle_deg=angle, distance=distance, width=width, height=height,
                            fps=fps, outfit="random" if outfit == "random" else OUTFIT_DEFAULT, seed=seed)  # fmt: skip
        except ValueError as e:
            fail(str(e))
        try:
            with progress_bar(f"rendering {out.name}") as progress:
                labels = render_clip(spec, out, progress=progress)
        except ImportError as e:
            fail(str(e))
    counts = ", ".join(f"{e.name} {e.count}" for e in labels.exercises)
    console.print(f"wrote {out} ({labels.duration_s:.1f} s: {counts}) and {out.with_suffix('.json').name}")


def _session(routine: str, seed: int) -> Session:
    """The synthetic session for ``--routine``: a routine file's items, or the shipped sample
    session (the article's routine with fewer reps, so that it renders in minutes)."""
    from vision.routine import routine_from
    from vision.synth.session import DEFAULT_SESSION, Session

    if routine == "default":
        return replace(DEFAULT_SESSION, seed=seed)
    items = routine_from(routine).items
    return Session(items=tuple({k: v for k, v in item.model_dump().items() if v is not None} for item in items), seed=seed)


@app.command()
def live(
    camera: Annotated[str, typer.Option(help="Camera index, /dev/video2, URL, or a video file.")] = "0",
    exercise: Annotated[Optional[str], typer.Option(help="Count one exercise, e.g. two_leg_hops (free mode).")] = None,
    routine: Annotated[Optional[str], typer.Option(help="Guided mode: a routine .toml, or 'default'.")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the result as JSON (schema 1).")] = None,
    record: Annotated[Optional[Path], typer.Option(help="Record the camera's video (.mp4).")] = None,
    annotate: Annotated[Optional[Path], typer.Option(help="Record the window: skeleton, count, guide (.mp4).")] = None,
    headless: Annotated[bool, typer.Option(help="No window: print the counts as they change.")] = False,
) -> None:
    """Count live from a camera, with the count on screen as it happens (keys: space pause, n skip, r reset, q quit)."""
    from vision.counters import available
    from vision.live import LiveSession, run_live, unopened_result
    from vision.report.table import print_result
    from vision.routine import DEFAULT_ROUTINE, load_routine
    from vision.sources import open_live

    if exercise is not None and routine is not None:
        fail("give --exercise NAME (free mode) or --routine FILE|default (guided mode), not both")
    check_writable(json_out, record, annotate)
    with user_errors():
        if exercise is not None and exercise not in available():
            fail(f"unknown exercise {exercise!r}: use one of {', '.join(available())}")
        plan = None if exercise else DEFAULT_ROUTINE if routine in (None, "default") else load_routine(Path(routine))
        if exercise is None and routine is None:
            console.print(f"no --exercise or --routine: guided mode with the default routine ({DEFAULT_ROUTINE.name})")
        if not headless and not _has_display():
            fail("no display for the live window: run with --headless (counts print as they change)")
        try:
            source = open_live(camera)
        except RepcountError as e:
            if json_out:  # nothing counted, but a script waiting for the file gets one
                _write(json_out, unopened_result(camera, plan).to_json())
            fail(str(e))
        session = LiveSession(source.info.fps, (source.info.width, source.info.height), exercise=exercise, routine=plan)

        def say(line: Line) -> None:
            console.print(line.text, markup=False, highlight=False)
            if line.cue and sys.stdout.isatty():
                sys.stdout.write("\a")  # the terminal's bell, where it has one

        outcome = run_live(source, session, window=not headless, record=record, annotate=annotate, on_line=say)
        if json_out:
            _write(json_out, outcome.result.to_json())
        print_result(console, outcome.result, outcome.comparison)
        nobody = outcome.result.frames > 0 and outcome.result.pose_detected_ratio == 0
        for warning in () if nobody else outcome.result.warnings:  # with nobody seen, one line says it all
            err_console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
        if outcome.error:
            fail(outcome.error)
        if nobody:
            fail(str(NoPersonFound(f"the picture from camera {camera}")))


def _has_display() -> bool:
    """Whether a window can open: on Linux an X or Wayland display must be set."""
    return not sys.platform.startswith("linux") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


routine_app = typer.Typer(no_args_is_help=True, help="Write and check routine files (DESIGN.md §5).")
app.add_typer(routine_app, name="routine")


@routine_app.command("check")
def routine_check(file: Annotated[Path, typer.Argument(help="The routine .toml to check.")]) -> None:
    """Check a routine file and print it in words."""
    from vision.routine import describe, load_routine

    with user_errors():
        routine = load_routine(file)
    console.print(f"{file}: {routine.name}, {len(routine.items)} items", markup=False, highlight=False)
    for line in describe(routine):
        console.print(f"  {line}", markup=False, highlight=False)


@routine_app.command("new")
def routine_new(
    out: Annotated[Optional[Path], typer.Option(help="Write the routine here (default: print it).")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite OUT if it exists.")] = False,
) -> None:
    """Start a routine file from the article's routine (commented TOML)."""
    from vision.routine import default_toml

    if out is None:
        sys.stdout.write(default_toml())
        return
    if out.exists() and not force:
        fail(f"{out} exists: choose another path, or add --force to overwrite it")
    check_writable(out)
    with user_errors():
        _write(out, default_toml())
    console.print(f"wrote {out}; edit it, then: repcount routine check {out}", markup=False, highlight=False)


@app.command()
def batch(
    clips: Annotated[Path, typer.Argument(help="Folder of clips: one subfolder per athlete, or a manifest.csv.")],
    out: Annotated[Path, typer.Option(help="Results folder: JSON per clip, summary.csv, report.html, repcount.db.")],
    routine: Annotated[Optional[str], typer.Option(help="Compare each clip with a routine .toml or 'default'.")] = None,
    workers: Annotated[Optional[int], typer.Option(help="Clips at once (default: one per core or Ray CPU).")] = None,
    annotate: Annotated[bool, typer.Option(help="Also write an annotated copy of each clip.")] = False,
    db: Annotated[Optional[Path], typer.Option(help="The results database (default: OUT/repcount.db).")] = None,
    engine: Annotated[str, typer.Option(help="'local' (processes here) or 'ray' (a Ray cluster).")] = "local",
    address: Annotated[Optional[str], typer.Option(help="Ray head HOST:PORT (or 'auto') for --engine ray.")] = None,
) -> None:
    """Analyse every clip under CLIPS; a second run does only new or changed clips."""
    from vision.batch import LocalEngine, RayEngine, plan_batch, run_jobs, write_summary
    from vision.report.club import write_club_report
    from vision.store import Store

    if engine not in ("local", "ray"):
        fail(f"unknown engine {engine!r}: use local or ray")
    if workers is not None and workers < 1:
        fail("--workers must be 1 or more")
    out = out.resolve()
    check_writable(out / "summary.csv", db)
    with user_errors(), Store(db or out / "repcount.db") as store:
        plan = plan_batch(clips, out, store, annotate=annotate, routine=routine)
        for known in plan.routines.values():
            store.put_routine(known)
        err_console.print(f"{len(plan.clips)} clips: {len(plan.todo)} to analyse, {len(plan.unchanged)} unchanged",
                          highlight=False)  # fmt: skip
        done = 0
        try:
            with closing(LocalEngine(workers) if engine == "local" else RayEngine(address, workers)) as runner:
                with progress_bar("batch") as progress:
                    progress(0, len(plan.todo))
                    for record, outcome in run_jobs(plan, runner, store):
                        line = _status_line(record, outcome.seconds)
                        err_console.print(line, highlight=False, markup=False, soft_wrap=True)
                        done += 1
                        progress(done, len(plan.todo))
        except KeyboardInterrupt:
            err_console.print(f"repcount: interrupted after {done} of {len(plan.todo)} clips, all recorded; "
                              "run the same command again to go on", highlight=False, soft_wrap=True)  # fmt: skip
            raise typer.Exit(130) from None
        records = [r for clip in plan.clips if (r := store.get(str(clip.path))) is not None]
        write_summary(records, out / "summary.csv")
        write_club_report(store.clips(), out / "report.html", store.routines())
    failed = sum(not r.ok for r in records)
    console.print(f"{len(records)} clips ({failed} failed): {out / 'summary.csv'}, {out / 'report.html'}",
                  markup=False, highlight=False)  # fmt: skip


def _status_line(record: ClipRecord, seconds: float) -> str:
    """One line per finished clip: what was counted, or why the clip failed."""
    if not record.ok:
        return f"✗ {record.name}: {record.reason}"
    counts = ", ".join(f"{e.name} {e.count}" for e in record.exercises) or "nothing counted"
    routine = "" if record.routine_items is None else f"; routine {record.routine_complete}/{record.routine_items}"
    note = f" ({record.reason})" if record.reason else ""  # counted, yet something was wrong: a truncated file
    return f"✓ {record.name} ({record.athlete}, {record.date}): {counts}{routine}{note} [{seconds:.1f} s]"


@app.command()
def history(
    athlete: Annotated[str, typer.Argument(help="The athlete (their folder name, or the manifest's athlete).")],
    db: Annotated[Path, typer.Option(help="The results database, or the batch's results folder.")] = Path("results"),
) -> None:
    """Print an athlete's sessions and counts over time from a batch's database."""
    from vision.report.table import print_history
    from vision.store import Store

    path = db / "repcount.db" if db.is_dir() else db
    if not path.exists():
        fail(f"{path}: no results database; run 'repcount batch CLIPS --out DIR' first, or give --db")
    with user_errors(), Store(path) as store:
        records = store.clips(athlete)
        if not records:
            fail(f"no clips of {athlete!r} in {path}; athletes there: {', '.join(store.athletes()) or 'none'}")
        print_history(console, athlete, records, store.routines())


def quiet_native_stderr() -> None:
    """Keep MediaPipe's, TFLite's and FFmpeg's C++ log lines off the user's terminal.

    Those libraries write start-up chatter straight to file descriptor 2, where a user
    expects only repcount's own progress and its one-line errors. Python's ``sys.stderr``
    moves to a copy of the real stderr and descriptor 2 goes to /dev/null.
    ``REPCOUNT_DEBUG=1`` keeps the native logs.
    """
    if os.environ.get("REPCOUNT_DEBUG"):
        return
    try:
        real_stderr = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    sys.stderr.flush()
    sys.stderr = os.fdopen(real_stderr, "w", buffering=1)
    os.dup2(devnull, 2)
    os.close(devnull)


def run() -> None:
    """Entry point: quiet native logs, and no traceback on Ctrl-C."""
    quiet_native_stderr()
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("repcount: interrupted")
        sys.exit(130)
    except Exception as e:  # a bug, not bad input: one line, and the details on request
        if os.environ.get("REPCOUNT_DEBUG"):
            raise
        err_console.print(f"repcount: internal error: {type(e).__name__}: {e} "
                          "(please report it; REPCOUNT_DEBUG=1 shows the traceback)", highlight=False)  # fmt: skip
        sys.exit(1)
