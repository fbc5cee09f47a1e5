"""The club report: per athlete, their sessions, counts against the routine and trends over the season.

Built from the batch database's records only (`vision.store.ClipRecord`), so it can be
rewritten at any time from ``repcount.db``. The numbers are pure functions of the records
(`athlete_summaries`); the page is `report/html.py`'s template plus one matplotlib figure
per athlete, inlined, so the HTML opens anywhere with no network.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from vision.report.html import figure_data_uri, render_page
from vision.store import ClipRecord

__all__ = ["AthleteSummary", "athlete_summaries", "club_report_html", "write_club_report"]


@dataclass(frozen=True)
class AthleteSummary:
    """One athlete over the season.

    Attributes:
        athlete: the name.
        clips: every clip of theirs, by date.
        sessions: the session dates (a session is one day).
        totals: reps per exercise over the season.
        per_session: per exercise, (date, reps that day) in date order: the trend.
        routine_complete, routine_items: routine items complete and prescribed, summed over
            the clips compared with a routine (0, 0 when none was).
    """

    athlete: str
    clips: tuple[ClipRecord, ...]
    sessions: tuple[str, ...]
    totals: dict[str, int]
    per_session: dict[str, tuple[tuple[str, int], ...]]
    routine_complete: int
    routine_items: int

    @property
    def failed(self) -> tuple[ClipRecord, ...]:
        return tuple(c for c in self.clips if not c.ok)


def athlete_summaries(records: Sequence[ClipRecord]) -> list[AthleteSummary]:
    """Group the records by athlete and add up their reps per exercise and per session day."""
    by_athlete: dict[str, list[ClipRecord]] = defaultdict(list)
    for record in records:
        by_athlete[record.athlete].append(record)
    summaries = []
    for athlete in sorted(by_athlete):
        clips = sorted(by_athlete[athlete], key=lambda c: (c.date, c.name))
        daily: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for clip in clips:
            for exercise in clip.exercises:
                daily[exercise.name][clip.date] += exercise.count
        compared = [c for c in clips if c.routine_items is not None]
        summaries.append(AthleteSummary(
            athlete=athlete,
            clips=tuple(clips),
            sessions=tuple(sorted({c.date for c in clips})),
            totals={name: sum(days.values()) for name, days in sorted(daily.items())},
            per_session={name: tuple(sorted(days.items())) for name, days in sorted(daily.items())},
            routine_complete=sum(c.routine_complete or 0 for c in compared),
            routine_items=sum(c.routine_items or 0 for c in compared),
        ))  # fmt: skip
    return summaries


def trend_figure(summary: AthleteSummary) -> Figure:
    """Reps per session day of each exercise, over the season."""
    fig = Figure(figsize=(6.4, 2.8))
    ax = fig.subplots()
    for name, points in summary.per_session.items():
        dates = [dt.date.fromisoformat(d) for d, _ in points]
        ax.plot(dates, [n for _, n in points], marker="o", label=name.replace("_", " "))
    ax.set_ylabel("reps per session")
    ax.set_title(f"{summary.athlete}: reps per session", fontsize=10)
    ax.grid(alpha=0.3)
    if summary.per_session:
        ax.legend(fontsize=8, loc="best")
    fig.autofmt_xdate()
    return fig


def club_report_html(records: Sequence[ClipRecord], title: str = "Club report") -> str:
    """The whole report as one self-contained HTML page."""
    summaries = athlete_summaries(records)
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
    )


def write_club_report(records: Sequence[ClipRecord], path: Path) -> None:
    """Write `club_report_html` to ``path`` (atomically: a reader never sees half a page)."""
    from vision.batch import write_atomic

    write_atomic(path, club_report_html(records))
