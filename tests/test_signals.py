"""The streaming signal pieces every counter stands on."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from vision.counters.signals import PeakDetector, StreamingFilter


def run_peaks(t: np.ndarray, x: np.ndarray, threshold: float, min_interval_s: float = 0.0) -> list[float]:
    detector = PeakDetector(threshold, min_interval_s)
    return [p.t for ti, xi in zip(t, x) if (p := detector.update(float(ti), float(xi))) is not None]


def test_streaming_filter_equals_offline_sosfilt() -> None:
    fps = 30.0
    x = np.sin(np.arange(300) / fps * 2 * np.pi * 2.0) + 0.01 * np.arange(300)
    f = StreamingFilter("highpass", 0.6, fps)
    streamed = np.array([f(v) for v in x])
    sos = signal.butter(2, 0.6, btype="highpass", fs=fps, output="sos")
    offline, _ = signal.sosfilt(sos, x, zi=signal.sosfilt_zi(sos) * x[0])
    np.testing.assert_allclose(streamed, offline, atol=1e-9)


def test_highpass_removes_a_ramp() -> None:
    f = StreamingFilter("highpass", 0.6, 30.0)
    out = [f(0.05 * i) for i in range(600)]
    assert abs(out[-1]) < 0.02


@settings(max_examples=50, deadline=None)
@given(
    freq=st.floats(0.5, 3.0),
    amplitude=st.floats(0.05, 1.0),
    fps=st.sampled_from([24.0, 25.0, 30.0, 60.0]),
    seconds=st.floats(3.0, 10.0),
)
def test_one_peak_per_cycle_of_a_sine(freq: float, amplitude: float, fps: float, seconds: float) -> None:
    t = np.arange(0, seconds, 1 / fps)
    x = amplitude * np.sin(2 * np.pi * freq * t - np.pi / 2)  # starts at a trough
    peaks = run_peaks(t, x, threshold=0.5 * amplitude)
    # A peak is confirmed once the signal has fallen back by the threshold after it.
    expected = sum(1 for k in range(100) if (k / freq) + 1 / (2 * freq) + 1 / (3 * freq) <= t[-1])
    assert abs(len(peaks) - expected) <= 1
    assert all(abs(((p * freq) % 1.0) - 0.5) < 1.5 * freq / fps + 1e-6 for p in peaks)


def test_noise_below_threshold_makes_no_peaks() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(0, 20, 1 / 30)
    x = rng.uniform(-0.49, 0.49, t.size) * 0.1
    assert run_peaks(t, x, threshold=0.1) == []


def test_min_interval_merges_close_peaks() -> None:
    t = np.arange(0, 2, 0.01)
    x = np.where((t > 0.5) & (t < 0.55), 1.0, 0.0) + np.where((t > 0.6) & (t < 0.65), 1.0, 0.0)
    assert len(run_peaks(t, x, 0.5)) == 2
    assert len(run_peaks(t, x, 0.5, min_interval_s=0.2)) == 1
