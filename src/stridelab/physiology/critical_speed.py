"""Critical speed and D′ from best efforts: the two-parameter model d = CS·t + D′.

Sources
-------
* Jones AM, Vanhatalo A. The 'critical power' concept: applications to sports
  performance with a focus on intermittent high-intensity exercise. *Sports Med* 47:65
  (2017), review: CS is the highest speed with a metabolic steady state; D′ the distance
  that can be covered above it. Fit to exhaustive efforts of about 2–15 minutes.
* Smyth B, Muniz-Pumares D. Calculation of critical speed from raw training data in
  recreational marathon runners. *MSSE* 52:2637 (2020), about 25,000 runners: the
  marathon was run at about 85 % of CS (lower in slower runners).

Best efforts inside training runs are rarely exhaustive, so a CS from them is a lower
bound; the fit quality (R², the standard error of CS) says how well the points agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

__all__ = [
    "CS_MARATHON_FRACTION",
    "CS_MAX_S",
    "CS_MIN_S",
    "CriticalSpeed",
    "fit_critical_speed",
    "marathon_time_from_cs_s",
]

CS_MIN_S: Final = 120.0
CS_MAX_S: Final = 900.0
#: Smyth & Muniz-Pumares 2020: marathon speed ≈ 85 % of CS.
CS_MARATHON_FRACTION: Final = 0.85
MIN_POINTS: Final = 3
#: A D′ below this means the efforts were not exhaustive (one steady effort, cut up).
MIN_D_PRIME_M: Final = 20.0


@dataclass(frozen=True, slots=True)
class CriticalSpeed:
    """A least-squares fit of d = CS·t + D′ and the points it was fitted to."""

    speed_m_s: float
    d_prime_m: float
    r_squared: float
    speed_se_m_s: float
    points: tuple[tuple[float, float], ...]  # (time_s, distance_m)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "critical_speed_m_s": self.speed_m_s,
            "d_prime_m": self.d_prime_m,
            "r_squared": self.r_squared,
            "critical_speed_se_m_s": self.speed_se_m_s,
            "points": [{"time_s": t, "distance_m": d} for t, d in self.points],
        }


def fit_critical_speed(points: Sequence[tuple[float, float]]) -> CriticalSpeed | None:
    """Fit CS and D′ to ``(time_s, distance_m)`` efforts lasting 2–15 minutes.

    ``None`` with fewer than three usable points, durations spanning less than a factor
    of two, or a fit without physical meaning (CS not positive, D′ under 20 m: efforts
    cut from one steady run rather than separate all-out ones).
    """
    usable = sorted((t, d) for t, d in points if CS_MIN_S <= t <= CS_MAX_S and d > 0)
    if len(usable) < MIN_POINTS:
        return None
    t = np.array([p[0] for p in usable])
    d = np.array([p[1] for p in usable])
    if t.max() < 2 * t.min():
        return None
    slope, intercept = np.polyfit(t, d, 1)
    if slope <= 0 or intercept < MIN_D_PRIME_M:
        return None
    residual = d - (slope * t + intercept)
    total = float(((d - d.mean()) ** 2).sum())
    r2 = 1.0 - float((residual**2).sum()) / total if total > 0 else 0.0
    dof = len(t) - 2
    sxx = float(((t - t.mean()) ** 2).sum())
    se = float(np.sqrt((residual**2).sum() / dof / sxx)) if dof > 0 and sxx > 0 else 0.0
    return CriticalSpeed(float(slope), float(intercept), r2, se, tuple(usable))


def marathon_time_from_cs_s(speed_m_s: float, fraction: float = CS_MARATHON_FRACTION) -> float:
    """Marathon time at ``fraction`` of CS (about 85 %, Smyth & Muniz-Pumares 2020)."""
    return 42195.0 / (fraction * speed_m_s)
