"""Jumps as ballistic flights: the one timing model every hop-like exercise shares.

A jump is a takeoff, a parabola of the lowest foot point and a landing on one or both
feet. `HopTrack` answers, for any time, how high the athlete flies, where it is in the
ground contact or the flight, and how far each foot is tucked up off the floor (a foot
that stays up through another foot's ground contact, as in single-leg hops or
alternate-foot rope skipping). Two-leg hops, single-leg hops, every rope style and split
jumps are all built on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vision.synth.motions import Segment, jitter, smoothstep

GRAVITY = 9.81
MIN_CONTACT_S = 0.12
"""Shortest ground contact between two jumps (a fast rope bounce is ~0.15 s)."""


def flight_time(height: float) -> float:
    """Seconds in the air for a ballistic jump of apex ``height`` metres."""
    return 2.0 * float(np.sqrt(2.0 * height / GRAVITY))


@dataclass(frozen=True)
class Jump:
    """One flight: takeoff and landing times (s), apex height (m), the landing foot/feet."""

    takeoff: float
    landing: float
    height: float
    lands_on: str = "both"

    @property
    def apex(self) -> float:
        return 0.5 * (self.takeoff + self.landing)

    def feet(self) -> tuple[str, ...]:
        """The feet that land: ``("left", "right")`` for ``"both"``."""
        return ("left", "right") if self.lands_on == "both" else (self.lands_on,)


def schedule(
    rng: np.random.Generator,
    start: float,
    lands_on: Sequence[str],
    period: float,
    height: float,
    spread: float,
) -> tuple[Jump, ...]:
    """Jumps one after the other from ``start`` (the first takeoff), each with its own
    period and height drawn within ``1 ± spread``; the flight lasts as long as physics
    says for that height, the ground contact takes the rest of the period.
    """
    periods = period * jitter(rng, spread, len(lands_on))
    heights = height * jitter(rng, spread, len(lands_on))
    jumps, t = [], start
    for p, h, feet in zip(periods, heights, lands_on):
        air = flight_time(h)
        jumps.append(Jump(t, t + air, float(h), feet))
        t += max(p, air + MIN_CONTACT_S)
    return tuple(jumps)


@dataclass(frozen=True)
class Phase:
    """Where the athlete is in the hop cycle: in the air (``u`` 0..1 through the
    flight) or on the ground (``u`` 0..1 through the contact), and which jump is next."""

    airborne: bool
    u: float
    jump: int


@dataclass(frozen=True)
class HopTrack:
    """A set of jumps and the feet's tucks, queried by time.

    Args:
        jumps: the flights, in order.
        start_feet: the feet on the floor before the first jump.
        end_s: when the set ends; a foot still up is put down before it.
        lead_contact_s: length of the countermovement before the first takeoff and of
            the absorption after the last landing.
    """

    jumps: tuple[Jump, ...]
    start_feet: tuple[str, ...]
    end_s: float
    lead_contact_s: float = 0.35

    def segment(self, exercise: str, style: str = "") -> Segment:
        """The whole set as one segment, with each flight's apex as the planned rep time."""
        return Segment(exercise, 0.0, self.end_s, style=style, planned=tuple(j.apex for j in self.jumps))

    def height(self, t: float) -> float:
        """Height of the lowest foot point: a parabola in each flight, 0 on the ground."""
        ph = self.phase(t)
        if not ph.airborne:
            return 0.0
        return 4.0 * self.jumps[ph.jump].height * ph.u * (1.0 - ph.u)

    def phase(self, t: float) -> Phase:
        takeoffs = np.array([j.takeoff for j in self.jumps])
        i = int(np.searchsorted(takeoffs, t, side="right")) - 1
        if i >= 0 and t < self.jumps[i].landing:
            j = self.jumps[i]
            return Phase(True, (t - j.takeoff) / (j.landing - j.takeoff), i)
        t0 = self.jumps[i].landing if i >= 0 else self.jumps[0].takeoff - self.lead_contact_s
        t1 = self.jumps[i + 1].takeoff if i + 1 < len(self.jumps) else t0 + self.lead_contact_s
        return Phase(False, float(np.clip((t - t0) / (t1 - t0), 0.0, 1.0)), i + 1)

    def swing_windows(self, side: str) -> list[tuple[float, float, float, float]]:
        """(start, end, lift time, put-down time) of each stretch in which a foot stays
        off the floor through more than one flight. A foot that takes off or lands with a
        jump is drawn up or put down within that jump's flight, so at every landing the
        landing foot is the lowest; at the set's ends it moves slowly."""
        windows: list[tuple[float, float, float, float]] = []
        on_floor = side in self.start_feet
        up_since, lift = (None, 0.4) if on_floor else (0.0, 0.4)
        for j in self.jumps:
            air = j.landing - j.takeoff
            if on_floor:
                up_since, lift, on_floor = j.takeoff, 0.6 * air, False
            if side in j.feet():
                if up_since is not None and up_since < j.takeoff:
                    windows.append((up_since, j.landing, lift, 0.8 * air))
                up_since, on_floor = None, True
        if up_since is not None:
            windows.append((up_since, self.end_s - self.lead_contact_s, lift, 0.4))
        return windows

    def tuck(self, side: str, t: float) -> float:
        """How far a foot is drawn up, 0..1: eased in and out of each swing window."""
        for t0, t1, up, down in self.swing_windows(side):
            if t0 <= t <= t1:
                half = 0.5 * (t1 - t0)
                return float(smoothstep((t - t0) / min(up, half)) * smoothstep((t1 - t) / min(down, half)))
        return 0.0

    def engagement(self, t: float) -> float:
        """0 standing at the set's ends, 1 from the countermovement to the absorption."""
        t_in = self.jumps[0].takeoff - self.lead_contact_s
        t_out = self.jumps[-1].landing + self.lead_contact_s
        ramp = 0.4
        return float(smoothstep((t - t_in + ramp) / ramp) * smoothstep((t_out + ramp - t) / ramp))
