"""Terminal tables for an analysis and for an accuracy evaluation (rich)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from vision.compare import Comparison
from vision.evaluate import EvalSummary
from vision.result import AnalysisResult
from vision.routine import Routine
from vision.store import ClipRecord


def print_result(console: Console, result: AnalysisResult, comparison: Comparison | None = None) -> None:
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
    if comparison is not None:
        console.print(f"[bold]{comparison.routine.name}[/]")
        for line in comparison.lines():
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


def print_history(
    console: Console, athlete: str, records: Sequence[ClipRecord], routines: Mapping[str, Routine]
) -> None:
    """An athlete's sessions over time (a day's clips together, against their routine), then each
    exercise's first, last and best session."""
    from vision.report.club import athlete_summaries

    (summary,) = athlete_summaries(records, routines)
    table = Table(title=f"{athlete}: {len(summary.sessions)} sessions, {len(records)} clips")
    for column in ("date", "clips", "counted", "routine"):
        table.add_column(column, overflow="fold")
    for day in summary.sessions:
        clips = "\n".join(c.name if c.ok else f"{c.name} [red](failed: {escape(c.reason or '')})[/]" for c in day.clips)
        counted = ", ".join(f"{name} {n}" for name, n in day.totals.items()) or "nothing counted"
        routine = "" if day.routine is None else f"{day.routine_complete}/{len(day.routine.items)} items complete"
        table.add_row(day.date, clips, counted, routine)
    console.print(table)
    for name, points in summary.per_session.items():
        (first_day, first), (last_day, last) = points[0], points[-1]
        best_day, best = max(points, key=lambda p: p[1])
        console.print(f"{name}: {first} ({first_day}) -> {last} ({last_day}), best {best} ({best_day}), "
                      f"{len(points)} sessions", highlight=False)  # fmt: skip
