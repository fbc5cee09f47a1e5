"""The club report: per athlete, their sessions, counts against the routine and trends over the season.

Built from the batch database's records only (`vision.store.ClipRecord`), so it can be
rewritten at any time from ``repcount.db``. The numbers are pure functions of the records
(`athlete_summaries`); the page is `report/html.py`'s template plus one matplotlib figure
per athlete, inlined, so the HTML opens anywhere with no network.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import matplotlib.dates as mdates
from matplotlib.figure import Figure

from vision.batch import performed_blocks, write_atomic
from vision.compare import Comparison, compare
from vision.report.html import figure_data_uri, render_page
from vision.routine import Routine
from vision.store import ClipRecord

NO_ROUTINES: Mapping[str, Routine] = MappingProxyType({})

__all__ = ["AthleteSummary", "SessionSummary", "athlete_summaries", "club_report_html", "write_club_report"]


@dataclass(frozen=True)
class SessionSummary:
    """One athlete's day: the clips filmed, what they add up to, and that day against the routine.

    Attributes:
        date: ISO date.
        clips: the day's clips (failed ones included).
        totals: reps per exercise that day.
        routine: the routine's verdict for the whole day (each clip an exercise block), or None
            when the clips named no routine this report knows.
    """

    date: str
    clips: tuple[ClipRecord, ...]
    totals: dict[str, int]
    routine: Comparison | None

    @property
    def routine_complete(self) -> int:
        return 0 if self.routine is None else sum(item.complete for item in self.routine.items)


@dataclass(frozen=True)
class AthleteSummary:
    """One athlete over the season.

    Attributes:
        athlete: the name.
        sessions: their session days, in date order.
        totals: reps per exercise over the season.
        per_session: per exercise, (date, reps that day) in date order: the trend.
    """

    athlete: str
    sessions: tuple[SessionSummary, ...]
    totals: dict[str, int]
    per_session: dict[str, tuple[tuple[str, int], ...]]

    @property
    def clips(self) -> tuple[ClipRecord, ...]:
        return tuple(c for s in self.sessions for c in s.clips)

    @property
    def failed(self) -> tuple[ClipRecord, ...]:
        return tuple(c for c in self.clips if not c.ok)

    @property
    def routine_complete(self) -> int:
        return sum(s.routine_complete for s in self.sessions)

    @property
    def routine_items(self) -> int:
        return sum(len(s.routine.items) for s in self.sessions if s.routine is not None)


def session_summary(date: str, clips: Sequence[ClipRecord], routines: Mapping[str, Routine]) -> SessionSummary:
    """A day's clips added up, and compared with the routine they name (the first one named)."""
    totals: dict[str, int] = defaultdict(int)
    for clip in clips:
        for exercise in clip.exercises:
            totals[exercise.name] += exercise.count
    routine = next((routines[c.routine] for c in clips if c.routine in routines), None)
    comparison = None
    if routine is not None:
        comparison = compare(routine, performed_blocks(e for c in clips if c.ok for e in c.exercises))
    return SessionSummary(date, tuple(clips), dict(sorted(totals.items())), comparison)


def athlete_summaries(
    records: Sequence[ClipRecord], routines: Mapping[str, Routine] = NO_ROUTINES
) -> list[AthleteSummary]:
    """Group the records by athlete and by day, and add up their reps per exercise.

    Args:
        records: clips from the store.
        routines: routines by name, to compare each day with the one its clips name.
    """
    days: dict[str, dict[str, list[ClipRecord]]] = defaultdict(lambda: defaultdict(list))
    for record in sorted(records, key=lambda c: (c.date, c.name)):
        days[record.athlete][record.date].append(record)
    summaries = []
    for athlete in sorted(days):
        sessions = tuple(session_summary(date, clips, routines) for date, clips in sorted(days[athlete].items()))
        names = sorted({name for s in sessions for name in s.totals})
        per_session = {n: tuple((s.date, s.totals[n]) for s in sessions if n in s.totals) for n in names}
        totals = {n: sum(count for _, count in points) for n, points in per_session.items()}
        summaries.append(AthleteSummary(athlete, sessions, totals, per_session))
    return summaries


def trend_figure(summary: AthleteSummary) -> Figure:
    """Reps per session day of each exercise, over the season."""
    fig = Figure(figsize=(6.4, 2.8))
    ax = fig.subplots()
    for name, points in summary.per_session.items():
        dates = [dt.date.fromisoformat(d) for d, _ in points]
        ax.plot(dates, [n for _, n in points], marker="o", label=name.replace("_", " "))
    if len(summary.sessions) > 1:  # one day is too short a range for the date locator
        locator = mdates.AutoDateLocator(maxticks=6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel("reps per session")
    ax.set_title(f"{summary.athlete}: reps per session", fontsize=10)
    ax.grid(alpha=0.3)
    if summary.per_session:
        ax.legend(fontsize=8, loc="best")
    return fig


def club_report_html(
    records: Sequence[ClipRecord], routines: Mapping[str, Routine] = NO_ROUTINES, title: str = "Club report"
) -> str:
    """The whole report as one self-contained HTML page."""
    summaries = athlete_summaries(records, routines)
    exercises = sorted({name for s in summaries for name in s.totals})
    return render_page(
        "club.html.j2",
        title=title,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        summaries=summaries,
        exercises=exercises,
        figures={s.athlete: figure_data_uri(trend_figure(s)) for s in summaries if s.per_session},
        clip_count=len(records),
        failed_count=sum(not r.ok for r in records),
        with_routine=any(s.routine_items for s in summaries),
    )


def write_club_report(records: Sequence[ClipRecord], path: Path, routines: Mapping[str, Routine] = NO_ROUTINES) -> None:
    """Write `club_report_html` to ``path`` (atomically: a reader never sees half a page)."""
    write_atomic(path, club_report_html(records, routines))
