"""The session report in a real browser: headless Chromium loads it offline, every section and
inlined figure renders, the console stays clean, and a screenshot is taken.

Skips where Chromium is not installed (``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.report_truth import synthetic_result
from vision.report.session import render_report
from vision.synth.camera import Camera
from vision.synth.fast import simulate
from vision.synth.motions import MotionSpec

FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars")
"""What a sandboxed, display-less machine needs: no user namespaces for Chromium's sandbox,
no GPU, and a /dev/shm that may be tiny."""

PROBE = """<script>
window.addEventListener("load", () => {
  const images = [...document.images];
  const broken = images.filter((img) => !(img.complete && img.naturalWidth > 0)).length;
  document.body.insertAdjacentHTML("beforeend",
    `<p id="probe">images=${images.length} broken=${broken}</p>`);
});
</script>"""
"""Appended to a copy of the page: after load it writes how many images decoded into the DOM."""


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    pytest.skip("chromium is not installed (apt-get install chromium)")


def run(browser: str, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Open ``page`` in headless Chromium with extra ``args``; console messages go to stderr."""
    command = [browser, *FLAGS, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", *args]
    return subprocess.run([*command, page.as_uri()], capture_output=True, text=True, timeout=120)


def console_errors(stderr: str) -> list[str]:
    """Console errors and uncaught exceptions Chromium logged for the page."""
    return [line for line in stderr.splitlines() if "CONSOLE" in line and re.search(r"error|uncaught", line, re.I)]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of single-leg hops, the athlete landing knees-in (fast mode: no video, no frames)."""
    spec = MotionSpec("single_leg_hops", reps=6, side="both", sets=2, rest_s=1.5, knee_valgus_deg=20.0, seed=2)
    series, _ = simulate(spec, Camera.view("front"))
    result = synthetic_result(series, "single_leg_hops")
    path = tmp_path_factory.mktemp("browser") / "report.html"
    path.write_text(render_report(result, series))
    return path


def test_sections_render_and_images_decode(chromium: str, report: Path) -> None:
    probe = report.with_name("probed.html")
    probe.write_text(report.read_text().replace("</body>", PROBE + "</body>"))
    done = run(chromium, probe, "--dump-dom")
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    for section in ('id="summary"', 'id="counts"', 'id="single_leg_hops"', 'class="signal"', 'class="metrics"'):
        assert section in dom
    assert "Knees fell inward on landing" in dom
    assert re.search(r"images=(\d+) broken=0", dom) and "images=0" not in dom
    assert console_errors(done.stderr) == []


def test_console_errors_are_caught(chromium: str, tmp_path: Path) -> None:
    """The console check above can fail: a page that throws is seen."""
    page = tmp_path / "throws.html"
    page.write_text("<!doctype html><html><body><script>console.error('broken'); null.x;</script></body></html>")
    assert len(console_errors(run(chromium, page, "--dump-dom").stderr)) >= 1


def test_screenshot(chromium: str, report: Path) -> None:
    shot = report.with_name("report.png")
    done = run(chromium, report, f"--screenshot={shot}", "--window-size=1000,1600")
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert console_errors(done.stderr) == []
