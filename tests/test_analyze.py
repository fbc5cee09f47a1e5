"""End to end with the real pose model: `vision.analyze`, the CLI's outputs and the README's snippet."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, repcount, sample_labels
from vision import analyze
from vision.result import SCHEMA

pytestmark = pytest.mark.slow

HOPS = SAMPLES / "two_leg_hops_front.mp4"


@pytest.fixture(scope="module")
def hops_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pose run of the hops sample, shared by the tests of this module."""
    cache = tmp_path_factory.mktemp("cache") / "hops.npz"
    analyze(HOPS, "two_leg_hops", cache=cache)
    return cache


def test_counts_the_sample_hops_exactly(hops_cache: Path) -> None:
    truth = sample_labels("two_leg_hops_front")["exercises"][0]
    result = analyze(HOPS, "two_leg_hops", cache=hops_cache)
    assert result.pose_detected_ratio > 0.98
    [hops] = result.exercises
    assert hops.count == truth["count"]
    for counted, true in zip(hops.reps, truth["reps"]):
        assert abs(counted.t - true["t"]) < 0.15  # the top of each flight, within a few frames


def test_json_follows_schema_1(hops_cache: Path) -> None:
    doc = json.loads(analyze(HOPS, "two_leg_hops", cache=hops_cache).to_json())
    assert doc["schema"] == SCHEMA == 1
    assert {"source", "fps", "frames", "duration_s", "pose_detected_ratio", "exercises", "routine"} <= set(doc)
    ex = doc["exercises"][0]
    assert {"name", "count", "start_s", "end_s", "details", "reps", "metrics", "confidence"} <= set(ex)
    assert ex["count"] == len(ex["reps"]) and ex["start_s"] == ex["reps"][0]["t"]


def test_cli_writes_json_csv_and_annotated_video(tmp_path: Path, hops_cache: Path) -> None:
    out = tmp_path / "out"
    done = repcount("analyze", str(HOPS), "--exercise", "two_leg_hops", "--cache", str(hops_cache),
                    "--json", str(out / "r.json"), "--csv", str(out / "r.csv"), "--annotate", str(out / "a.mp4"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "two_leg_hops" in done.stdout
    doc = json.loads((out / "r.json").read_text())
    rows = list(csv.DictReader((out / "r.csv").open()))
    assert len(rows) == doc["exercises"][0]["count"] > 0
    assert (out / "a.mp4").stat().st_size > 10_000


def test_readme_python_snippet_runs() -> None:
    """The README's Python example is real: run it as written, from the repository root."""
    readme = (ROOT / "README.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", readme, re.S)
    assert snippet is not None, "README has no python snippet"
    import os

    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        namespace: dict[str, object] = {}
        exec(compile(snippet.group(1), "README.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    assert namespace["result"].exercises[0].count == sample_labels("two_leg_hops_front")["exercises"][0]["count"]  # type: ignore[attr-defined]


def test_a_real_clip(shared_clips: Path, tmp_path: Path) -> None:
    """A real athlete (tuck jumps, a phone on a tripod): every jump counted."""
    labels = json.loads((shared_clips / "labels.json").read_text())["tuckjump_ndnam_1.mp4"]
    result = analyze(shared_clips / "tuckjump_ndnam_1.mp4", "two_leg_hops")
    assert result.pose_detected_ratio > 0.95
    assert abs(result.exercises[0].count - labels["count"]) <= labels["tolerance"]


def test_a_broken_cache_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "broken.npz"
    cache.write_text("not a cache")
    result = analyze(HOPS, "two_leg_hops", cache=cache)
    assert result.exercises[0].count == sample_labels("two_leg_hops_front")["exercises"][0]["count"]
    from vision.series import LandmarkSeries

    assert len(LandmarkSeries.load(cache)) == result.frames
