"""Heart rate as evidence of fitness: max HR, steady runs, VDOT from HR, LTHR and Friel zones.

Sources
-------
* Tanaka H, Monahan KD, Seals DR. Age-predicted maximal heart rate revisited. *JACC*
  37:153 (2001), meta-analysis of 351 studies: HRmax = 208 − 0.7·age, SD about 10 bpm —
  an estimate for a group, not a measurement of one runner.
* Daniels J. *Daniels' Running Formula*: %HRmax tabulated against %VO2max; Runalyze's
  regression of that table, %HRmax = 0.68725·ln(%VO2max) + 1.00466. Runalyze's check:
  10 km in 41:21 at 95 % of HRmax gives an effective VO2max of about 50. It assumes a
  known HRmax and steady, warm, flat running; cardiac drift, heat and hills bias it.
* Friel J. *The Triathlete's Training Bible* / joefrieltraining.com: a 30-minute solo
  time trial, the mean HR of its last 20 minutes ≈ lactate-threshold HR (LTHR); running
  zones as % of LTHR: Z1 < 85, Z2 85–89, Z3 90–94, Z4 95–99, Z5a 100–102, Z5b 103–106,
  Z5c > 106. A practitioner's protocol, not a laboratory threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np

from stridelab.activities.model import Samples
from stridelab.physiology.best_efforts import (
    cumulative_columns,
    grade_adjusted_distance_m,
    time_order,
)
from stridelab.physiology.vdot import oxygen_cost_ml_kg_min

__all__ = [
    "FRIEL_RUN_ZONES_PCT_LTHR",
    "HR_VDOT_MAX_FRACTION",
    "HR_VDOT_MIN_FRACTION",
    "NO_MAX_HR_SOURCE",
    "TANAKA_AGE_RANGE_YEARS",
    "TANAKA_SD_BPM",
    "HrZone",
    "MaxHr",
    "SteadyRun",
    "credible_max_hr_bpm",
    "estimate_max_hr",
    "friel_hr_zones",
    "steady_run",
    "tanaka_max_hr_bpm",
    "vdot_from_heart_rate",
    "vo2max_fraction_from_hr_fraction",
]

TANAKA_SD_BPM: Final = 10.0
#: Ages of the healthy adults Tanaka et al. 2001 fitted their formula on.
TANAKA_AGE_RANGE_YEARS: Final = (18.0, 81.0)
#: A value must be held this many consecutive samples to count as a max HR (spikes out).
MAX_HR_HOLD_SAMPLES: Final = 5
#: Heart rates outside this range (bpm) are sensor faults.
CREDIBLE_HR_BPM: Final = (30.0, 230.0)
#: %HRmax range where the Runalyze regression of Daniels' table is used.
HR_VDOT_MIN_FRACTION: Final = 0.62
HR_VDOT_MAX_FRACTION: Final = 0.97
#: A steady run: the first 10 minutes (HR still rising) are skipped; 15 minutes must remain,
#: and its minute-by-minute speeds vary by less than 10 %.
STEADY_SKIP_S: Final = 600.0
STEADY_MIN_S: Final = 900.0
STEADY_MAX_SPEED_CV: Final = 0.10
#: Friel's running zones, lower bounds as a fraction of LTHR (Z1 starts at 0).
FRIEL_RUN_ZONES_PCT_LTHR: Final[tuple[tuple[str, float, float | None], ...]] = (
    ("Z1 recovery", 0.0, 0.85),
    ("Z2 aerobic", 0.85, 0.90),
    ("Z3 tempo", 0.90, 0.95),
    ("Z4 sub-threshold", 0.95, 1.00),
    ("Z5a super-threshold", 1.00, 1.03),
    ("Z5b aerobic capacity", 1.03, 1.07),
    ("Z5c anaerobic capacity", 1.07, None),
)


def tanaka_max_hr_bpm(age_years: float) -> float:
    """Age-predicted maximal heart rate (bpm): 208 − 0.7 × age.

    Tanaka H, Monahan KD, Seals DR. Age-predicted maximal heart rate revisited. *JACC*
    37:153–156 (2001): a meta-analysis of 351 studies (18,712 subjects), confirmed in a
    laboratory study of 514 healthy adults. Valid for healthy adults aged
    :data:`TANAKA_AGE_RANGE_YEARS` (18–81; outside it an extrapolation), whatever their sex
    or training; SD about :data:`TANAKA_SD_BPM` (10 bpm), so it estimates a group, and one
    runner's true maximum may lie 20 bpm either side.
    """
    return 208.0 - 0.7 * age_years


def vo2max_fraction_from_hr_fraction(hr_fraction: float) -> float:
    """%VO2max implied by %HRmax: inverse of %HRmax = 0.68725·ln(%VO2max) + 1.00466.

    Runalyze's regression of Daniels' table; used for 62–97 % HRmax.
    """
    return math.exp((hr_fraction - 1.00466) / 0.68725)


def vdot_from_heart_rate(speed_m_s: float, hr_bpm: float, max_hr_bpm: float) -> float | None:
    """Effective VDOT of a steady run: VO2 cost of its speed / the %VO2max its HR implies.

    10 km in 41:21 at 95 % HRmax gives ≈ 49 (Runalyze: about 50). ``None`` outside the
    62–97 % HRmax range, where the regression says little.
    """
    fraction = hr_bpm / max_hr_bpm
    if not HR_VDOT_MIN_FRACTION <= fraction <= HR_VDOT_MAX_FRACTION or speed_m_s <= 0:
        return None
    return oxygen_cost_ml_kg_min(speed_m_s * 60.0) / vo2max_fraction_from_hr_fraction(fraction)


@dataclass(frozen=True, slots=True)
class SteadyRun:
    """The steady part of a run: mean (grade-adjusted) speed and mean HR over it."""

    speed_m_s: float
    hr_bpm: float
    duration_s: float


def steady_run(samples: Samples) -> SteadyRun | None:
    """The run after its first 10 minutes, if it is steady and has heart rate, else ``None``.

    Steady: at least 15 minutes remain and the 1-minute mean speeds vary by under 10 %
    (coefficient of variation), so intervals and stop-start runs are left out.
    """
    columns = cumulative_columns(samples)
    if columns is None or samples.heart_rate_bpm is None:
        return None
    t, d, _, _ = columns
    order = time_order(samples)
    if order is None:
        return None
    hr = samples.heart_rate_bpm[order]
    if samples.altitude_m is not None and np.isfinite(samples.altitude_m[order]).sum() >= 2:
        d = grade_adjusted_distance_m(d, samples.altitude_m[order])
    start = int(np.searchsorted(t, STEADY_SKIP_S, side="left"))
    if start >= len(t) - 1 or t[-1] - t[start] < STEADY_MIN_S:
        return None
    edges = np.arange(t[start], t[-1] + 1e-9, 60.0)
    if len(edges) < 3:
        return None
    at = np.searchsorted(t, edges, side="left")
    minute_speed = np.diff(d[at]) / np.maximum(np.diff(t[at]), 1e-9)
    mean_speed = float((d[-1] - d[start]) / (t[-1] - t[start]))
    if mean_speed <= 0 or float(np.std(minute_speed)) / mean_speed > STEADY_MAX_SPEED_CV:
        return None
    hr_part = hr[start:]
    dt = np.diff(t[start:], prepend=t[start])
    ok = np.isfinite(hr_part) & (hr_part >= CREDIBLE_HR_BPM[0]) & (hr_part <= CREDIBLE_HR_BPM[1])
    if dt[ok].sum() < STEADY_MIN_S * 0.8:
        return None
    mean_hr = float((hr_part[ok] * dt[ok]).sum() / dt[ok].sum())
    return SteadyRun(mean_speed, mean_hr, float(t[-1] - t[start]))


def credible_max_hr_bpm(samples: Samples) -> float | None:
    """The run's highest heart rate held for :data:`MAX_HR_HOLD_SAMPLES` samples in a row.

    A rolling minimum over 5 samples removes optical-sensor spikes and cadence lock-on
    bursts shorter than that; values outside 30–230 bpm are faults.
    """
    hr = samples.heart_rate_bpm
    if hr is None or len(hr) < MAX_HR_HOLD_SAMPLES:
        return None
    lo, hi = CREDIBLE_HR_BPM
    clean = np.where(np.isfinite(hr) & (hr >= lo) & (hr <= hi), hr, 0.0)
    held = np.lib.stride_tricks.sliding_window_view(clean, MAX_HR_HOLD_SAMPLES).min(axis=1)
    best = float(held.max())
    return best if best >= lo else None


@dataclass(frozen=True, slots=True)
class MaxHr:
    """The max HR used, where it came from, and ± how many bpm it may be off.

    ``bpm`` is ``None`` when nothing gives one (no profile value, no hard run with heart
    rate, no age); ``measured`` is true for the profile's value and an observed one, which
    heart-rate-based VDOT and LTHR rely on, false for Tanaka's estimate.
    """

    bpm: float | None
    source: str
    uncertainty_bpm: float | None
    measured: bool


#: What ``max_hr_source`` says when no max HR is known.
NO_MAX_HR_SOURCE: Final = (
    "unknown: no max HR in your profile, no hard run with heart rate in the last 180 days "
    "and no age; set your max HR, or your age for Tanaka's estimate, in Settings"
)


def _tanaka_source(age_years: float, observed_bpm: float | None, when: str) -> str:
    text = f"Tanaka formula from age {age_years:g} (±{TANAKA_SD_BPM:g} bpm)"
    low, high = TANAKA_AGE_RANGE_YEARS
    if not low <= age_years <= high:
        text += f"; fitted on ages {low:g}–{high:g}, so an extrapolation"
    if observed_bpm is not None:
        text += (
            f"; your highest heart rate, {observed_bpm:.0f} bpm{when}, is more than "
            f"{2 * TANAKA_SD_BPM:g} bpm below it, so no recent run was hard enough to show "
            "your maximum"
        )
    return text


def estimate_max_hr(
    profile_bpm: float | None,
    observed_bpm: float | None,
    observed_date: str | None = None,
    age_years: float | None = None,
) -> MaxHr:
    """Max HR: the profile's, else the highest credible recent value, else Tanaka's
    estimate from the age (:func:`tanaka_max_hr_bpm`), else unknown (``bpm`` ``None``).

    An observed value more than 2 SD (20 bpm) below Tanaka's estimate for the runner's age
    is taken as "never ran hard enough" and Tanaka is used instead.
    """
    if profile_bpm is not None:
        return MaxHr(profile_bpm, "profile", 0.0, True)
    tanaka = None if age_years is None else tanaka_max_hr_bpm(age_years)
    when = f" on {observed_date}" if observed_date else ""
    if observed_bpm is not None and (tanaka is None or observed_bpm >= tanaka - 2 * TANAKA_SD_BPM):
        return MaxHr(
            observed_bpm,
            f"highest credible heart rate{when} (held 5 samples, spikes removed)",
            3.0,
            True,
        )
    if tanaka is not None and age_years is not None:
        return MaxHr(tanaka, _tanaka_source(age_years, observed_bpm, when), TANAKA_SD_BPM, False)
    return MaxHr(None, NO_MAX_HR_SOURCE, None, False)


@dataclass(frozen=True, slots=True)
class HrZone:
    """One heart-rate zone; ``high_bpm`` is ``None`` for the open top zone."""

    name: str
    low_bpm: float
    high_bpm: float | None

    def as_dict(self) -> dict[str, str | float | None]:
        """JSON-ready form."""
        return {"name": self.name, "low_bpm": self.low_bpm, "high_bpm": self.high_bpm}


def friel_hr_zones(lthr_bpm: float) -> tuple[HrZone, ...]:
    """Friel's seven running zones from LTHR (see module docstring)."""
    return tuple(
        HrZone(name, round(lo * lthr_bpm, 1), None if hi is None else round(hi * lthr_bpm, 1))
        for name, lo, hi in FRIEL_RUN_ZONES_PCT_LTHR
    )
