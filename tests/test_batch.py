"""`repcount batch` and `repcount history`: a folder of clips in, JSON, SQLite, CSV and HTML out.

The end-to-end tests run the real CLI and the real pose model on 2-second cuts of the sample
clips (made with ffmpeg in tmp_path), and compare with `vision.analyze.analyze` on the same
files. The resume test really kills the batch with SIGKILL halfway; the Ray test starts a real
two-node Ray cluster on loopback. Fast tests cover the store, the manifest and the report maths.
"""

from __future__ import annotations

import csv
import json
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import SAMPLES, repcount
from tests.test_cli import assert_one_line_error
from vision.analyze import analyze, run_pose
from vision.batch import discover, performed_blocks, read_manifest
from vision.compare import Performed
from vision.pose import PoseEstimator
from vision.report.club import athlete_summaries, club_report_html
from vision.result import AnalysisResult, ExerciseResult, Rep
from vision.routine import DEFAULT_ROUTINE, parse_routine
from vision.store import SCHEMA_VERSION, ClipRecord, ExerciseRow, Store, StoreError


def cut(ffmpeg: str, sample: str, out: Path, start: float = 0.0, seconds: float = 2.0) -> Path:
    """A short re-encoded cut of a sample clip (every frame kept, so counts are reproducible)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([ffmpeg, "-v", "error", "-ss", str(start), "-i", str(SAMPLES / f"{sample}.mp4"), "-t", str(seconds),
                    "-c:v", "libx264", "-preset", "ultrafast", "-an", "-y", str(out)], check=True)  # fmt: skip
    return out


def counts(result: dict[str, object] | AnalysisResult) -> dict[str, int]:
    """Exercise -> count, from a result JSON document or an `AnalysisResult`."""
    if isinstance(result, AnalysisResult):
        return {e.name: e.count for e in result.exercises}
    return {e["name"]: e["count"] for e in result["exercises"]}  # type: ignore[index, union-attr]


def db_rows(db: Path, query: str) -> list[tuple[object, ...]]:
    """Read the results database with plain sqlite3, as any SQLite tool would."""
    with sqlite3.connect(db) as con:
        return con.execute(query).fetchall()


def recorded_clips(db: Path) -> int:
    """How many clips the database holds, 0 while the batch has not yet made it or its tables."""
    if not db.exists():
        return 0
    tables = db_rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'clips'")
    return int(db_rows(db, "SELECT count(*) FROM clips")[0][0]) if tables else 0  # type: ignore[call-overload]


def batch(clips: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = repcount("batch", str(clips), "--out", str(out), *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


# ---------------------------------------------------------------- fast: store, manifest, report maths


def record(name: str, athlete: str, date: str, **exercises: int) -> ClipRecord:
    rows = tuple(ExerciseRow(n, c, {}) for n, c in exercises.items())
    return ClipRecord(f"/clips/{name}", name, "0" * 64, 1, 1, athlete, date, None, "ok", exercises=rows)


def test_store_round_trip_replaces_a_clip_and_opens_with_plain_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with Store(db) as store:
        store.put(record("a/1.mp4", "ann", "2026-09-01", two_leg_hops=8))
        store.put(record("a/1.mp4", "ann", "2026-09-01", two_leg_hops=9, jump_rope=3))  # analysed again
        store.put(
            ClipRecord("/clips/b.mp4", "b.mp4", "1" * 64, 1, 1, "bo", "2026-09-02", None, "failed", "not a video")
        )
        assert [c.exercises for c in store.clips("ann")] == [
            (ExerciseRow("two_leg_hops", 9, {}), ExerciseRow("jump_rope", 3, {}))
        ]
        assert store.athletes() == ["ann", "bo"]
        store.put_routine(DEFAULT_ROUTINE)
    with Store(db) as store:
        assert store.routines() == {DEFAULT_ROUTINE.name: DEFAULT_ROUTINE}
    assert db_rows(db, "PRAGMA journal_mode") == [("wal",)]
    assert db_rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert db_rows(db, "SELECT name, count FROM exercises ORDER BY idx") == [("two_leg_hops", 9), ("jump_rope", 3)]
    assert db_rows(db, "SELECT name, status, reason FROM clips WHERE athlete = 'bo'") == [
        ("b.mp4", "failed", "not a video")
    ]


def test_store_refuses_a_newer_schema(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with sqlite3.connect(db) as con:
        con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer repcount"):
        Store(db)


def test_manifest_gives_athlete_date_and_exercise(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    for name in ("x/a.mp4", "b.mov", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "manifest.csv").write_text("file,athlete,date,exercise\nb.mov,Cleo,2026-10-03,jump_rope\n")
    clips = {c.name: c for c in discover(tmp_path)}
    assert set(clips) == {"x/a.mp4", "b.mov"}
    assert (clips["b.mov"].athlete, clips["b.mov"].date, clips["b.mov"].exercise) == ("Cleo", "2026-10-03", "jump_rope")
    assert (clips["x/a.mp4"].athlete, clips["x/a.mp4"].exercise) == ("x", None)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("clip,athlete\na.mp4,x\n", ("no 'file' column",)),
        ("file,date\na.mp4,3/10/2026\n", ("line 2", "yyyy-mm-dd")),
        ("file,exercise\na.mp4,burpees\n", ("unknown exercise", "two_leg_hops")),
        ("file\nmissing.mp4\n", ("missing.mp4", "not under")),
    ],
)
def test_bad_manifest_is_one_line(tmp_path: Path, text: str, words: tuple[str, ...]) -> None:
    (tmp_path / "clips").mkdir()
    (tmp_path / "clips" / "a.mp4").write_bytes(b"")
    (tmp_path / "clips" / "manifest.csv").write_text(text)
    assert read_manifest(tmp_path / "nothing.csv") == {}
    done = repcount("batch", str(tmp_path / "clips"), "--out", str(tmp_path / "out"))
    assert_one_line_error(done, *(w.lower() for w in words))


def test_history_without_a_database_is_one_line(tmp_path: Path) -> None:
    assert_one_line_error(repcount("history", "ann", "--db", str(tmp_path)), "no results database")


def test_counts_become_routine_blocks_per_foot_and_direction() -> None:
    rotations = ExerciseResult("ankle_rotations", (Rep(1.0),) * 5, {"left_cw": 3, "left_ccw": 0, "right_ccw": 2})
    hops = ExerciseResult("two_leg_hops", (Rep(1.0), Rep(3.0)))
    blocks = performed_blocks(AnalysisResult("c.mp4", 30.0, 10, 1.0, 1.0, (rotations, hops)).exercises)
    assert blocks == [
        Performed("ankle_rotations", "left", "cw", (3,)),
        Performed("ankle_rotations", "right", "ccw", (2,)),
        Performed("two_leg_hops", sets=(2,), duration_s=2.0),
    ]


def test_season_summary_adds_up_per_session_day() -> None:
    records = [
        record("a/1.mp4", "ann", "2026-09-01", two_leg_hops=8),
        record("a/2.mp4", "ann", "2026-09-01", two_leg_hops=4, split_jumps=10),
        record("a/3.mp4", "ann", "2026-09-08", two_leg_hops=15),
        record("b/1.mp4", "bo", "2026-09-02", jump_rope=40),
    ]
    ann, bo = athlete_summaries(records)
    assert [day.date for day in ann.sessions] == ["2026-09-01", "2026-09-08"]
    assert ann.per_session["two_leg_hops"] == (("2026-09-01", 12), ("2026-09-08", 15))
    assert ann.totals == {"split_jumps": 10, "two_leg_hops": 27}
    assert bo.totals == {"jump_rope": 40}
    page = club_report_html(records)
    assert page.count("data:image/png;base64,") == 2 and "<script" not in page


def test_a_session_day_is_compared_with_the_routine_its_clips_name() -> None:
    """Clips of one exercise each, filmed the same day, add up to one session against the routine."""
    routine = parse_routine("""
        name = "Mini"
        [[item]]
        exercise = "split_jumps"
        sets = 2
        reps = 10
        [[item]]
        exercise = "two_leg_hops"
        reps = 8
    """)
    day = [replace(record("a/1.mp4", "ann", "2026-09-01", split_jumps=10), routine="Mini"),
           replace(record("a/2.mp4", "ann", "2026-09-01", split_jumps=7), routine="Mini"),
           replace(record("a/3.mp4", "ann", "2026-09-01", two_leg_hops=9), routine="Mini")]  # fmt: skip
    (ann,) = athlete_summaries(day, {"Mini": routine})
    (session,) = ann.sessions
    assert session.routine is not None
    assert session.routine.lines()[:3] == ["split jumps set 1: 10 of 10 ✓", "split jumps set 2: 7 of 10 ✗",
                                           "two-leg hops: 9 of 8 ✓"]  # fmt: skip
    assert (ann.routine_complete, ann.routine_items) == (1, 2)
    assert "1 of 2 items complete" in club_report_html(day, {"Mini": routine})


# ---------------------------------------------------------------- real pose, real CLI


@pytest.mark.slow
def test_batch_of_a_club_folder(tmp_path: Path, ffmpeg: str) -> None:
    """Athlete subfolders, a broken clip and two truncated ones (one still playable to its cut) in
    the middle, a clip with nobody in it;
    then a re-run that skips everything, a changed clip, and the history."""
    clips, out = tmp_path / "clips", tmp_path / "out"
    good = [cut(ffmpeg, "two_leg_hops_front", clips / "ann" / "hops.mp4", seconds=4.5),
            cut(ffmpeg, "split_jumps_oblique", clips / "bo" / "split.mp4", start=1.0, seconds=4.5)]  # fmt: skip
    (clips / "ann" / "broken.mp4").write_text("this is not a video\n" * 50)
    truncated = clips / "bo" / "cut_short.mp4"
    truncated.write_bytes(good[0].read_bytes()[: good[0].stat().st_size // 2])
    phone = tmp_path / "phone.mp4"  # the index at the front, as phones write: a cut file still plays to the cut
    subprocess.run([ffmpeg, "-v", "error", "-i", str(good[0]), "-c", "copy", "-movflags", "+faststart", str(phone)], check=True)  # fmt: skip
    (clips / "ann" / "cut_phone.mp4").write_bytes(phone.read_bytes()[: int(phone.stat().st_size * 0.6)])
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=320x240:d=1", "-pix_fmt", "yuv420p",
                    str(clips / "bo" / "empty_room.mp4")], check=True)  # fmt: skip

    done = batch(clips, out, "--workers", "2")
    assert "6 clips: 6 to analyse, 0 unchanged" in done.stderr
    for clip in good:
        name = clip.relative_to(clips).as_posix()
        doc = json.loads((out / f"{name}.json").read_text())
        assert counts(doc) == counts(analyze(clip)), name
        assert f"✓ {name}" in done.stderr
    rows = {r["file"]: r for r in csv.DictReader((out / "summary.csv").open())}
    assert rows["ann/broken.mp4"]["status"] == "failed" and "not a video" in rows["ann/broken.mp4"]["reason"]
    assert "truncated" in rows["bo/cut_short.mp4"]["reason"]
    phone_row = rows["ann/cut_phone.mp4"]  # analysed up to the cut, and the summary says it was cut
    assert phone_row["status"] == "ok" and "truncated" in phone_row["reason"]
    assert 0 < json.loads((out / "ann/cut_phone.mp4.json").read_text())["frames"] < 4.5 * 30 * 0.9
    assert "no person" in rows["bo/empty_room.mp4"]["reason"]
    assert db_rows(out / "repcount.db", "SELECT athlete, count(*) FROM clips GROUP BY athlete") == [
        ("ann", 3),
        ("bo", 3),
    ]
    report = (out / "report.html").read_text()
    assert "ann" in report and "bo" in report and "data:image/png;base64," in report

    again = batch(clips, out)
    assert "6 clips: 0 to analyse, 6 unchanged" in again.stderr
    cut(ffmpeg, "two_leg_hops_front", good[0], start=2.0, seconds=4.5)  # the same name, new content
    changed = batch(clips, out)
    assert "6 clips: 1 to analyse, 5 unchanged" in changed.stderr
    hops = counts(json.loads((out / "ann/hops.mp4.json").read_text()))
    assert hops == counts(analyze(good[0]))
    assert db_rows(out / "repcount.db", "SELECT count(*) FROM clips") == [(6,)]

    history = repcount("history", "ann", "--db", str(out))
    assert history.returncode == 0, history.stderr
    assert "hops.mp4" in history.stdout and f"two_leg_hops {hops['two_leg_hops']}" in history.stdout
    assert "broken.mp4" in history.stdout and "failed" in history.stdout


@pytest.mark.slow
def test_manifest_routine_and_annotated_videos(tmp_path: Path, ffmpeg: str) -> None:
    clips, out = tmp_path / "clips", tmp_path / "out"
    clip = cut(ffmpeg, "two_leg_hops_front", clips / "session1.mp4")
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=320x240:d=1", "-pix_fmt", "yuv420p",
                    str(clips / "empty_room.mp4")], check=True)  # fmt: skip
    (clips / "manifest.csv").write_text(
        "file,athlete,date,exercise\nsession1.mp4,Dana,2026-10-01,two_leg_hops\nempty_room.mp4,Dana,2026-10-01,\n"
    )
    batch(clips, out, "--routine", "default", "--annotate")
    assert not list(out.rglob("*.partial.mp4"))  # the clip with nobody in it leaves no half video
    doc = json.loads((out / "session1.mp4.json").read_text())
    annotated = cv2.VideoCapture(str(out / "session1.mp4.annotated.mp4"))
    assert int(annotated.get(cv2.CAP_PROP_FRAME_COUNT)) == doc["frames"]
    assert counts(doc) == counts(analyze(clip, "two_leg_hops"))
    assert doc["routine"]["name"] == "Runner foot & ankle"
    assert db_rows(
        out / "repcount.db", "SELECT athlete, date, exercise, routine_items FROM clips WHERE status = 'ok'"
    ) == [("Dana", "2026-10-01", "two_leg_hops", 9)]


@pytest.mark.slow
def test_a_reused_pose_estimator_sees_each_clip_as_a_fresh_one(tmp_path: Path, ffmpeg: str) -> None:
    """Batch workers keep one model for all their clips: the landmarks must not depend on the clip before."""
    clips = [cut(ffmpeg, "split_jumps_oblique", tmp_path / "a.mp4", seconds=1.0),
             cut(ffmpeg, "two_leg_hops_front", tmp_path / "b.mp4", seconds=1.0)]  # fmt: skip
    fresh = [run_pose(clip).series for clip in clips]
    with PoseEstimator() as pose:
        reused = [run_pose(clip, pose=pose).series for clip in clips]
    for a, b in zip(fresh, reused):
        np.testing.assert_array_equal(a.xy, b.xy)
        np.testing.assert_array_equal(a.world, b.world)


def children(pid: int) -> set[int]:
    """Direct child processes of ``pid`` (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_resume_after_kill_9(tmp_path: Path, ffmpeg: str) -> None:
    """SIGKILL the batch once a clip is recorded: nothing recorded is lost or done twice."""
    clips, out = tmp_path / "clips", tmp_path / "out"
    samples = ("two_leg_hops_front", "split_jumps_oblique", "jump_rope_alternate_oblique", "ankle_rotations_front")
    for i, sample in enumerate(samples):
        cut(ffmpeg, sample, clips / "eve" / f"{i}_{sample}.mp4", seconds=1.5)
    exe = Path(sys.executable).parent / "repcount"
    proc = subprocess.Popen([str(exe), "batch", str(clips), "--out", str(out), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    db, deadline, recorded = out / "repcount.db", time.monotonic() + 120, 0
    while recorded == 0 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        recorded = recorded_clips(db)
    workers = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < recorded < len(samples), "the kill must come halfway"
    before = {row[0] for row in db_rows(db, "SELECT name FROM clips")}
    time.sleep(1)
    assert not any(alive(pid) for pid in workers), "workers die with the batch"

    done = batch(clips, out, "--workers", "1")
    assert f"{len(samples)} clips: {len(samples) - len(before)} to analyse, {len(before)} unchanged" in done.stderr
    names = [row[0] for row in db_rows(db, "SELECT name FROM clips")]
    assert sorted(names) == sorted(set(names)) and len(names) == len(samples)
    assert all(n not in done.stderr for n in before)  # nothing finished is analysed again
    assert not list(out.rglob("*.tmp"))


# ---------------------------------------------------------------- Ray


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def ray_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A Ray head node and a second node, one CPU each, on loopback; stopped afterwards.

    HOME points to an empty folder: an earlier ``ray.init()`` on this machine leaves an auth
    token in ~/.ray that makes a joining node fail to authenticate."""
    pytest.importorskip("ray")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    ray_exe = str(Path(sys.executable).parent / "ray")
    port = str(free_port())
    address = f"127.0.0.1:{port}"
    common = ["--num-cpus", "1", "--node-ip-address", "127.0.0.1", "--disable-usage-stats"]
    temp_dir = tempfile.mkdtemp(prefix="rc-ray-")  # short: Ray's socket paths must fit in 107 bytes
    head = ["--head", "--port", port, "--include-dashboard", "false", "--temp-dir", temp_dir]
    try:
        for args in (head, ["--address", address]):
            started = subprocess.run([ray_exe, "start", *args, *common], capture_output=True, text=True, timeout=120)
            assert started.returncode == 0, started.stderr[-2000:]
        yield address
    finally:
        subprocess.run([ray_exe, "stop", "--force"], capture_output=True, timeout=120)
        shutil.rmtree(temp_dir, ignore_errors=True)


@pytest.mark.slow
def test_ray_engine_gives_the_local_results(tmp_path: Path, ffmpeg: str, ray_cluster: str) -> None:
    clips = tmp_path / "clips"
    cut(ffmpeg, "two_leg_hops_front", clips / "ann" / "hops.mp4")
    cut(ffmpeg, "split_jumps_oblique", clips / "bo" / "split.mp4", start=1.0)
    (clips / "bo" / "broken.mp4").write_text("not a video\n")
    ray_done = batch(clips, tmp_path / "ray", "--engine", "ray", "--address", ray_cluster)
    assert "3 clips: 3 to analyse" in ray_done.stderr
    batch(clips, tmp_path / "local", "--workers", "2")
    for name in ("ann/hops.mp4", "bo/split.mp4"):
        ray_doc = json.loads((tmp_path / "ray" / f"{name}.json").read_text())
        local_doc = json.loads((tmp_path / "local" / f"{name}.json").read_text())
        assert ray_doc == local_doc
    query = "SELECT name, status, sha256 FROM clips ORDER BY name"
    assert db_rows(tmp_path / "ray" / "repcount.db", query) == db_rows(tmp_path / "local" / "repcount.db", query)
