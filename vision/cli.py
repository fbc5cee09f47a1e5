"""The `repcount` command: a thin layer over the Python API.

Each command parses its options, calls the API and prints. Errors a user can fix
(`RepcountError`) become one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from vision import __version__
from vision.errors import RepcountError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Count the reps of a runner's foot-and-ankle routine from video.")
console = Console()
err_console = Console(stderr=True)

EXIT_USER_ERROR = 2


def fail(message: str) -> None:
    """Print one line for the user on stderr and exit non-zero."""
    err_console.print(f"[bold red]repcount:[/] {message}", highlight=False, soft_wrap=True)
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
        parent = path.parent if str(path.parent) else Path(".")
        probe = parent
        while not probe.exists():
            probe = probe.parent
        if not os.access(probe, os.W_OK):
            fail(f"cannot write {path}: {probe} is not writable; choose another output path")


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
) -> None:
    """Count the reps in a video file and print a table."""
    from vision.analyze import analyze as run_analyze
    from vision.report.table import print_result

    check_writable(json_out, csv_out, annotate)
    with user_errors():
        with progress_bar(f"analysing {video.name}") as progress:
            result = run_analyze(video, exercise, progress=progress, cache=cache, annotate=annotate)
        print_result(console, result)
        for warning in result.warnings:
            err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)
        if json_out:
            _write(json_out, result.to_json())
        if csv_out:
            _write(csv_out, result.to_csv())


@app.command("eval")
def eval_cmd(
    folder: Annotated[Path, typer.Argument(help="A folder of clips with a labels.json.")],
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the table and summary as JSON.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option("--cache", help="Keep each clip's landmarks in this folder.")] = None,
) -> None:
    """Count every labelled clip in FOLDER and compare with the true counts."""
    from vision.analyze import count_series, run_pose
    from vision.evaluate import EvalSummary, evaluate, read_labels
    from vision.report.table import print_eval

    def count_clip(path: Path, exercises: tuple[str, ...]) -> dict[str, int]:
        cache = cache_dir / f"{path.stem}.npz" if cache_dir else None
        series = run_pose(path, cache=cache).series
        return {r.name: r.count for r in count_series(series, exercises)}

    with user_errors():
        if cache_dir:
            cache_dir.mkdir(parents=True, exist_ok=True)
        labels = read_labels(folder)
        rows = []
        with progress_bar("eval") as progress:
            for row in evaluate(folder, count_clip, labels):
                rows.append(row)
                progress(len({r.clip for r in rows}), len(labels))
        summary = EvalSummary(tuple(rows))
        print_eval(console, summary)
        if json_out:
            _write(json_out, json.dumps(summary.to_dict(), indent=2))


def run() -> None:
    """Entry point that keeps Ctrl-C from printing a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("repcount: interrupted")
        sys.exit(130)
