"""Terminal tables for an analysis and for an accuracy evaluation (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from vision.evaluate import EvalSummary
from vision.result import AnalysisResult


def print_result(console: Console, result: AnalysisResult) -> None:
    """What was counted in one source: one row per exercise (per segment of a session), then
    the session's timeline and the routine comparison where there are any."""
    table = Table(
        title=f"{result.source}: {result.duration_s:.1f} s, person seen in {result.pose_detected_ratio:.0%} of frames"
    )
    for column in ("exercise", "count", "sets", "details", "from", "to", "confidence"):
        table.add_column(column, justify="left" if column in ("exercise", "sets", "details") else "right")
    for ex in result.exercises:
        details = ", ".join(f"{k} {v}" for k, v in ex.details.items())
        sets = " + ".join(str(n) for n in ex.sets) if len(ex.sets) > 1 else ""
        table.add_row(
            ex.name,
            str(ex.count),
            sets,
            details,
            _seconds(ex.start_s),
            _seconds(ex.end_s),
            f"{ex.confidence:.0%}",
        )
    if not result.exercises:
        table.add_row("(nothing counted)", "0", "", "", "", "", "")
    console.print(table)
    if result.segments:
        console.print(_timeline(result.segments))
    if result.routine is not None:
        console.print(f"[bold]{result.routine.routine.name}[/]")
        for line in result.routine.lines():
            console.print(f"  {line}", highlight=False)


def _timeline(segments: tuple[dict[str, Any], ...]) -> Table:
    """The session's segments in time order: exercises with their sets, and the idle stretches between."""
    table = Table(title="segments", title_justify="left", box=None, padding=(0, 2))
    for column in ("from", "to", "segment", "sets"):
        table.add_column(column, justify="right" if column in ("from", "to") else "left")
    for seg in segments:
        what = " ".join(str(w) for w in (seg["name"], seg.get("foot"), seg.get("direction")) if w)
        sets = " + ".join(str(n) for n in seg.get("sets", []))
        style = "dim" if "sets" not in seg else None
        table.add_row(_seconds(seg["start_s"]), _seconds(seg["end_s"]), what, sets, style=style)
    return table


def print_eval(console: Console, summary: EvalSummary) -> None:
    """The accuracy table: every (clip, counter) run, then the summary figures."""
    table = Table(title="repcount eval")
    table.add_column("clip", overflow="fold")
    for column in ("exercise", "true", "counted", "error", "tol", "ok"):
        table.add_column(column, justify="left" if column == "exercise" else "right")
    for row in summary.rows:
        counted = "-" if row.count is None else str(row.count)
        error = "-" if row.error is None else f"{row.error:+d}"
        ok = "[green]yes[/]" if row.exact else "[red]no[/]"
        table.add_row(row.clip, row.exercise, str(row.true_count), counted, error, str(row.tolerance), ok)
    console.print(table)
    console.print(
        f"exact {summary.exact_ratio:.0%}  off-by-one {summary.off_by_one_ratio:.0%}  "
        f"MAE {summary.mae:.2f}  normalized MAE {summary.normalized_mae:.3f}  ({len(summary.rows)} runs)"
    )
    for row in summary.rows:
        if row.note:
            console.print(f"[yellow]{row.clip}:[/] {row.note}")


def _seconds(t: float | None) -> str:
    return "" if t is None else f"{t:.1f} s"
