"""The batch results database: one SQLite file, one row per clip and one per exercise counted.

Plain `sqlite3` so the file opens in any SQLite tool. WAL mode lets `repcount history` (or a
coach's spreadsheet) read while a batch writes. Each clip is written in one transaction
(its clip row and its exercise rows together), so a batch killed at any moment leaves either
the whole clip or nothing: the next run finds what is missing and does only that.

The schema's version is SQLite's ``user_version``; a database from a newer repcount is refused
rather than misread.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any

from vision.errors import RepcountError
from vision.result import AnalysisResult
from vision.routine import Routine, parse_routine, to_toml

__all__ = ["SCHEMA_VERSION", "ClipRecord", "ExerciseRow", "Store", "StoreError"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS clips (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,          -- absolute path of the clip when it was analysed
    name TEXT NOT NULL,                 -- path relative to the clips folder, for display
    sha256 TEXT NOT NULL,               -- content hash: a changed clip is analysed again
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,          -- with size, spares re-hashing an untouched file
    athlete TEXT NOT NULL,
    date TEXT NOT NULL,                 -- ISO date of the session
    exercise TEXT,                      -- the exercise asked for (NULL: every counter ran)
    routine TEXT,                       -- routine name the clip was compared with
    routine_items INTEGER,              -- items in that routine
    routine_complete INTEGER,           -- items complete
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    reason TEXT,                        -- why a failed clip failed
    frames INTEGER,
    duration_s REAL,
    pose_detected_ratio REAL,
    json_path TEXT,                     -- the clip's result JSON (schema 1)
    analysed_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS exercises (
    clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,               -- order within the clip (a session may hold several blocks)
    name TEXT NOT NULL,
    count INTEGER NOT NULL,
    start_s REAL,
    end_s REAL,
    confidence REAL,
    details TEXT NOT NULL,              -- JSON, e.g. {"left": 8, "right": 8}
    PRIMARY KEY (clip_id, idx)
);
CREATE INDEX IF NOT EXISTS clips_athlete ON clips(athlete, date);
CREATE TABLE IF NOT EXISTS routines (
    name TEXT PRIMARY KEY,              -- clips.routine
    toml TEXT NOT NULL                  -- the routine as a routine file, so reports can compare later
);
"""


class StoreError(RepcountError):
    """The database cannot be opened or is not one of ours."""


@dataclass(frozen=True)
class ExerciseRow:
    """One exercise counted in one clip."""

    name: str
    count: int
    details: dict[str, Any]
    start_s: float | None = None
    end_s: float | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class ClipRecord:
    """One clip as stored: where it is, whose it is, and what was found (or why nothing was).

    ``routine_complete``/``routine_items`` are None when the clip was not compared with a routine.
    """

    path: str
    name: str
    sha256: str
    size: int
    mtime_ns: int
    athlete: str
    date: str
    exercise: str | None
    status: str
    reason: str | None = None
    frames: int | None = None
    duration_s: float | None = None
    pose_detected_ratio: float | None = None
    json_path: str | None = None
    routine: str | None = None
    routine_items: int | None = None
    routine_complete: int | None = None
    exercises: tuple[ExerciseRow, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def with_result(self, result: AnalysisResult, json_path: str, reason: str | None = None) -> ClipRecord:
        """This clip with the counts of ``result``; the routine verdict is read from its ``routine`` field.
        ``reason`` says what was wrong with a clip that was still counted (a truncated file)."""
        routine = result.routine or {}
        items = routine.get("items", [])
        rows = tuple(
            ExerciseRow(e.name, e.count, e.details, e.start_s, e.end_s, e.confidence) for e in result.exercises
        )
        return replace(self, status="ok", reason=reason, frames=result.frames, duration_s=result.duration_s,
                        pose_detected_ratio=result.pose_detected_ratio, json_path=json_path,
                        routine=routine.get("name"), routine_items=len(items) if routine else None,
                        routine_complete=sum(bool(i["complete"]) for i in items) if routine else None,
                        exercises=rows)  # fmt: skip


_CLIP_COLUMNS = ("path", "name", "sha256", "size", "mtime_ns", "athlete", "date", "exercise", "status", "reason",
                 "frames", "duration_s", "pose_detected_ratio", "json_path", "routine", "routine_items",
                 "routine_complete")  # fmt: skip


_EXERCISE_COLUMNS = ("name", "count", "start_s", "end_s", "confidence", "details")


def _exercise_values(e: ExerciseRow) -> tuple[Any, ...]:
    return (e.name, e.count, e.start_s, e.end_s, e.confidence, json.dumps(e.details))


def _exercise_row(row: tuple[Any, ...]) -> ExerciseRow:
    name, count, start_s, end_s, confidence, details = row
    return ExerciseRow(name, count, json.loads(details), start_s, end_s, confidence)


class Store:
    """The results database; use as a context manager.

    Args:
        path: the ``.db`` file, created with its folder if absent.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
        except (sqlite3.Error, OSError) as e:
            raise StoreError(f"cannot open the results database {path}: {e}; give another path with --db") from e
        if version > SCHEMA_VERSION:
            self._db.close()
            raise StoreError(f"{path} was written by a newer repcount (schema {version}): upgrade repcount")
        with self._db:
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def put(self, record: ClipRecord) -> None:
        """Store a clip and its exercises in one transaction, replacing an earlier analysis of the same path."""
        with self._db:
            self._db.execute("DELETE FROM clips WHERE path = ?", (record.path,))
            values = tuple(getattr(record, c) for c in _CLIP_COLUMNS)
            placeholders = ", ".join("?" * len(_CLIP_COLUMNS))
            cur = self._db.execute(f"INSERT INTO clips ({', '.join(_CLIP_COLUMNS)}) VALUES ({placeholders})", values)
            self._db.executemany(
                f"INSERT INTO exercises (clip_id, idx, {', '.join(_EXERCISE_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(cur.lastrowid, i, *_exercise_values(e)) for i, e in enumerate(record.exercises)],
            )

    def put_routine(self, routine: Routine) -> None:
        """Keep a routine the clips are compared with, so `history` and later reports can use it."""
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO routines VALUES (?, ?)", (routine.name, to_toml(routine)))

    def routines(self) -> dict[str, Routine]:
        """The routines kept, by name."""
        rows = self._db.execute("SELECT name, toml FROM routines").fetchall()
        return {name: parse_routine(text, f"{self.path} routine {name!r}") for name, text in rows}

    def get(self, path: str) -> ClipRecord | None:
        """The stored clip at this absolute path, if any."""
        return next(self._select("WHERE path = ?", (path,)), None)

    def clips(self, athlete: str | None = None) -> list[ClipRecord]:
        """Every stored clip (of one athlete), by athlete, date and name."""
        where, args = ("WHERE athlete = ?", (athlete,)) if athlete is not None else ("", ())
        return list(self._select(where, args))

    def athletes(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT DISTINCT athlete FROM clips ORDER BY athlete")]

    def _select(self, where: str, args: tuple[Any, ...]) -> Iterator[ClipRecord]:
        query = f"SELECT id, {', '.join(_CLIP_COLUMNS)} FROM clips {where} ORDER BY athlete, date, name"
        for clip_id, *values in self._db.execute(query, args).fetchall():
            query = f"SELECT {', '.join(_EXERCISE_COLUMNS)} FROM exercises WHERE clip_id = ? ORDER BY idx"
            exercises = tuple(_exercise_row(row) for row in self._db.execute(query, (clip_id,)))
            yield ClipRecord(**dict(zip(_CLIP_COLUMNS, values)), exercises=exercises)
