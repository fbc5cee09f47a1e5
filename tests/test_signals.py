"""The streaming signal pieces every counter stands on."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from vision.counters.signals import PeakDetector, StreamingFilter, SwingDetector


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


def test_a_peak_confirmed_early_on_another_signals_word() -> None:
    """Bumps on a rising ramp fall back less than the threshold, so alone they merge into one
    peak; confirming each top on a small fall (as the hips' dip does for the feet) splits them."""
    t = np.arange(0, 3, 0.01)
    bumps = np.where(np.abs((t % 0.5) - 0.25) < 0.1, 0.3 - 3 * np.abs((t % 0.5) - 0.25), 0.0)
    x = bumps + 0.5 * t  # each bump rises by 0.35 and falls back by only 0.25: the ramp climbs
    assert run_peaks(t, x, threshold=0.28) == []
    detector = PeakDetector(0.28)
    tops = []
    for ti, xi in zip(t, x):
        peak = detector.update(float(ti), float(xi))
        top = detector.top
        if peak is None and top is not None and ti - top[0] >= 0.08:  # a moment after the top
            peak = detector.confirm(float(ti), float(xi), fall=0.05)
        tops += [peak.t] if peak is not None else []
    assert len(tops) == 6
    np.testing.assert_allclose(np.array(tops) % 0.5, 0.25, atol=0.02)
    assert PeakDetector(0.28).confirm(0.0, 1.0, fall=0.05) is None  # nothing to confirm yet

def _square(
    period: float, fps: float, cycles: int, low: float = 0.1, high: float = 0.8
) -> tuple[np.ndarray, np.ndarray]:
    """Feet together, then apart for half of each period, moving in a tenth of a period between."""
    t = np.arange(0, cycles * period, 1 / fps)
    phase = (t % period) / period
    return t, np.interp(phase, [0, 0.2, 0.3, 0.7, 0.8, 1.0], [low, low, high, high, low, low])


@settings(max_examples=30, deadline=None)
@given(period=st.floats(0.6, 2.0), fps=st.sampled_from([24.0, 30.0, 60.0]), cycles=st.integers(2, 10))
def test_one_swing_per_move_between_levels(period: float, fps: float, cycles: int) -> None:
    t, x = _square(period, fps, cycles)
    detector = SwingDetector(0.3, 0.45)
    swings = [s for ti, xi in zip(t, x) if (s := detector.update(float(ti), float(xi))) is not None]
    assert len(swings) == 2 * cycles
    assert all(np.sign(a.change) != np.sign(b.change) for a, b in zip(swings, swings[1:]))
    moves = np.sort(np.concatenate([np.arange(cycles) + 0.2, np.arange(cycles) + 0.7])) * period  # each move's start
    assert all(m <= s.t <= m + 0.1 * period + 1 / fps for s, m in zip(swings, moves))


def test_slow_drift_and_small_wobbles_make_no_swing() -> None:
    t = np.arange(0, 10, 1 / 30)
    drift = SwingDetector(0.3, 0.45)
    assert [s for ti in t if (s := drift.update(float(ti), 0.1 * float(ti))) is not None] == []
    wobble = SwingDetector(0.3, 0.45)
    assert [s for ti in t if (s := wobble.update(float(ti), 0.12 * np.sin(9 * float(ti)))) is not None] == []
