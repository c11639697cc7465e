"""Training load: per-session load (TRIMP, rTSS-like), CTL/ATL/TSB and the acute:chronic ratio.

Sources
-------
* Banister EW. Modeling elite athletic performance. In: *Physiological Testing of
  Elite Athletes* (1991): TRIMP = minutes × ΔHR × 0.64·e^(1.92·ΔHR) (men; women
  0.86·e^(1.67·ΔHR)), ΔHR = (HR − HRrest)/(HRmax − HRrest). Valid for steady HR within
  rest..max; per-sample integration is used for recorded HR.
* rTSS (TrainingPeaks, after Coggan's TSS): hours × IF² × 100 with IF = speed / threshold
  speed; one hour at threshold pace = 100. stridelab integrates IF² over samples (no
  normalised graded pace), so hills are not credited.
* Fitness-fatigue (Banister 1975; Coggan's CTL/ATL): exponentially weighted daily load
  with time constants 42 days (CTL, "fitness") and 7 days (ATL, "fatigue"); TSB = CTL − ATL
  ("form"). stridelab uses the exact discretisation of the continuous model,
  **k = 1 − e^(−1/τ)** (:data:`SMOOTHING`), not the common k = 1/τ (which responds
  slightly faster: 1/42 = 0.0238 vs 0.0235). TSB is same-day (CTL_t − ATL_t).
* Acute:chronic workload ratio: Gabbett TJ, *Br J Sports Med* 50:273 (2016) proposed a
  0.8–1.3 "sweet spot" from team sports. Lolli L et al., *BJSM* 53:921 (2019) showed the
  coupled ratio is mathematically biased; Impellizzeri FM et al. (2020–21) found no
  predictive value for injury. stridelab uses :data:`MAX_ACWR` = 1.3 only as a
  **conservative guard** against sudden load increases, never as an injury-risk
  prediction. Williams S et al., *BJSM* 51:209 (2017) for the EWMA form.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stridelab.errors import PhysiologyError
from stridelab.physiology.limits import MAX_HR_RANGE_BPM, RESTING_HR_RANGE_BPM
from stridelab.units import speed_from_pace_s_per_km

__all__ = [
    "ATL_DAYS",
    "CHRONIC_DAYS",
    "CTL_DAYS",
    "MAX_ACWR",
    "MAX_SAMPLE_GAP_S",
    "ACWRMethod",
    "FitnessFatigue",
    "LoadMethod",
    "SessionLoad",
    "Sex",
    "Smoothing",
    "acute_chronic_ratio",
    "banister_trimp",
    "daily_load_series",
    "ewma_load",
    "fitness_fatigue",
    "rtss",
    "rtss_from_speed_series",
    "sample_weights_s",
    "session_load",
    "smoothing_factor",
    "trimp_from_hr_series",
    "weekly_acute_chronic_ratio",
]

CTL_DAYS: Final = 42
ATL_DAYS: Final = 7
#: Chronic window for the acute:chronic ratio (Gabbett 2016: 4 weeks).
CHRONIC_DAYS: Final = 28
#: Upper guard on the acute:chronic ratio (Gabbett 2016; a guard, not a risk model).
MAX_ACWR: Final = 1.3
#: One hour at threshold pace scores this many rTSS points.
RTSS_PER_THRESHOLD_HOUR: Final = 100.0
#: Banister's weighting constants (a, b) in a·e^(b·ΔHR).
_TRIMP_WEIGHTS: Final = {"male": (0.64, 1.92), "female": (0.86, 1.67)}
#: A gap between samples longer than this is a pause: it counts as neither load nor time.
MAX_SAMPLE_GAP_S: Final = 30.0


class Sex(StrEnum):
    """Which Banister TRIMP weighting to use."""

    MALE = "male"
    FEMALE = "female"


class Smoothing(StrEnum):
    """Exponential-smoothing convention for CTL/ATL (see module docstring)."""

    EXPONENTIAL = "exponential"  # k = 1 − e^(−1/τ)
    RECIPROCAL = "reciprocal"  # k = 1/τ


SMOOTHING: Final = Smoothing.EXPONENTIAL


class LoadMethod(StrEnum):
    """How a session's load was computed."""

    TRIMP = "trimp"
    RTSS = "rtss"


class ACWRMethod(StrEnum):
    """Acute:chronic ratio form: exponentially weighted (Williams 2017) or rolling means."""

    EWMA = "ewma"
    ROLLING = "rolling"  # coupled: the chronic window includes the acute week


@dataclass(frozen=True, slots=True)
class SessionLoad:
    """One session's load and how it was computed (TRIMP and rTSS are not interchangeable)."""

    value: float
    method: LoadMethod


@dataclass(frozen=True, slots=True)
class FitnessFatigue:
    """Daily CTL (fitness), ATL (fatigue) and TSB (form = CTL − ATL), as arrays."""

    ctl: NDArray[np.float64]
    atl: NDArray[np.float64]

    @property
    def tsb(self) -> NDArray[np.float64]:
        """Form: CTL − ATL on the same day."""
        return self.ctl - self.atl


def _check_hr(rest_hr_bpm: float, max_hr_bpm: float) -> None:
    rest, top = RESTING_HR_RANGE_BPM, MAX_HR_RANGE_BPM
    plausible = rest.low <= rest_hr_bpm <= rest.high and top.low <= max_hr_bpm <= top.high
    if not (plausible and rest_hr_bpm < max_hr_bpm):
        raise PhysiologyError(
            f"Resting HR {rest_hr_bpm:g} and max HR {max_hr_bpm:g} bpm are not plausible",
            hint="Give resting HR (e.g. 50) below max HR (e.g. 190).",
        )


def _trimp_rate(
    hr_bpm: NDArray[np.float64], rest_hr_bpm: float, max_hr_bpm: float, sex: Sex
) -> NDArray[np.float64]:
    a, b = _TRIMP_WEIGHTS[sex.value]
    ratio = np.clip((hr_bpm - rest_hr_bpm) / (max_hr_bpm - rest_hr_bpm), 0.0, 1.0)
    return np.asarray(ratio * a * np.exp(b * ratio), dtype=np.float64)


def banister_trimp(
    duration_s: float,
    mean_hr_bpm: float,
    rest_hr_bpm: float,
    max_hr_bpm: float,
    sex: Sex = Sex.MALE,
) -> float:
    """Banister TRIMP of a steady session: minutes × ΔHR × a·e^(b·ΔHR).

    ΔHR is clipped to 0–1. 60 min at ΔHR 0.7 (men) scores about 103.
    """
    _check_hr(rest_hr_bpm, max_hr_bpm)
    if duration_s < 0:
        raise PhysiologyError("A session cannot last a negative time", hint="Check the duration.")
    rate = _trimp_rate(np.array([mean_hr_bpm], dtype=np.float64), rest_hr_bpm, max_hr_bpm, sex)
    return float(duration_s / 60.0 * rate[0])


def sample_weights_s(timestamp_s: NDArray[np.float64]) -> NDArray[np.float64]:
    """Seconds each sample stands for: the gap to the next sample, 0 across a pause.

    The last sample stands for nothing, so the weights of a pause-free recording add up
    to its elapsed time (as a device's timer does). Load here and every time-weighted
    metric in :mod:`stridelab.activities.metrics` share this one convention.
    """
    if timestamp_s.size == 0:
        return np.zeros(0, dtype=np.float64)
    dt = np.diff(timestamp_s, append=timestamp_s[-1])
    weights: NDArray[np.float64] = np.where((dt > 0) & (dt <= MAX_SAMPLE_GAP_S), dt, 0.0)
    return weights


def _columns(time_s: ArrayLike, values: ArrayLike, what: str) -> tuple[NDArray[np.float64], ...]:
    t = np.asarray(time_s, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if t.shape != v.shape or t.ndim != 1:
        raise PhysiologyError(
            f"time_s and {what} must be 1-D arrays of the same length",
            hint="Pass one value per sample.",
        )
    return t, v


def trimp_from_hr_series(
    time_s: ArrayLike,
    hr_bpm: ArrayLike,
    rest_hr_bpm: float,
    max_hr_bpm: float,
    sex: Sex = Sex.MALE,
) -> float:
    """Banister TRIMP integrated sample by sample. NaN HR samples and pauses count zero."""
    _check_hr(rest_hr_bpm, max_hr_bpm)
    t, hr = _columns(time_s, hr_bpm, "hr_bpm")
    rate = np.nan_to_num(_trimp_rate(hr, rest_hr_bpm, max_hr_bpm, sex), nan=0.0)
    return float(np.sum(rate * sample_weights_s(t)) / 60.0)


def _check_threshold(threshold_pace_s_per_km: float) -> float:
    if not 120.0 <= threshold_pace_s_per_km <= 900.0:
        raise PhysiologyError(
            f"Threshold pace {threshold_pace_s_per_km:g} s/km is not plausible",
            hint="Give it in seconds per km (4:30/km is 270).",
        )
    return speed_from_pace_s_per_km(threshold_pace_s_per_km)


def rtss(duration_s: float, pace_s_per_km: float, threshold_pace_s_per_km: float) -> float:
    """rTSS-like load of a steady run: hours × (threshold pace / pace)² × 100."""
    threshold_speed = _check_threshold(threshold_pace_s_per_km)
    if duration_s < 0 or pace_s_per_km <= 0:
        raise PhysiologyError("Duration and pace must be positive", hint="Check the session.")
    intensity = speed_from_pace_s_per_km(pace_s_per_km) / threshold_speed
    return duration_s / 3600.0 * intensity**2 * RTSS_PER_THRESHOLD_HOUR


def rtss_from_speed_series(
    time_s: ArrayLike, speed_m_s: ArrayLike, threshold_pace_s_per_km: float
) -> float:
    """rTSS-like load integrated over samples: Σ dt·(v/v_thr)² / 3600 × 100."""
    threshold_speed = _check_threshold(threshold_pace_s_per_km)
    t, v = _columns(time_s, speed_m_s, "speed_m_s")
    intensity = np.nan_to_num(np.clip(v, 0.0, None) / threshold_speed, nan=0.0)
    return float(np.sum(intensity**2 * sample_weights_s(t)) / 3600.0 * RTSS_PER_THRESHOLD_HOUR)


def session_load(
    time_s: ArrayLike,
    *,
    hr_bpm: ArrayLike | None = None,
    speed_m_s: ArrayLike | None = None,
    rest_hr_bpm: float | None = None,
    max_hr_bpm: float | None = None,
    threshold_pace_s_per_km: float | None = None,
    sex: Sex = Sex.MALE,
) -> SessionLoad:
    """A session's load: TRIMP when HR (and rest/max HR) exist, else rTSS-like from speed."""
    if hr_bpm is not None and rest_hr_bpm is not None and max_hr_bpm is not None:
        hr = np.asarray(hr_bpm, dtype=np.float64)
        if hr.size and np.isfinite(hr).any():
            value = trimp_from_hr_series(time_s, hr, rest_hr_bpm, max_hr_bpm, sex)
            return SessionLoad(value, LoadMethod.TRIMP)
    if speed_m_s is not None and threshold_pace_s_per_km is not None:
        value = rtss_from_speed_series(time_s, speed_m_s, threshold_pace_s_per_km)
        return SessionLoad(value, LoadMethod.RTSS)
    raise PhysiologyError(
        "Not enough data for a training load",
        hint="Give heart rate with resting and max HR, or speed with a threshold pace.",
    )


def daily_load_series(
    day_index: ArrayLike, loads: ArrayLike, n_days: int | None = None
) -> NDArray[np.float64]:
    """Sum session loads into one value per day: ``day_index`` is days since the first day."""
    days = np.asarray(day_index, dtype=np.int64)
    values = np.asarray(loads, dtype=np.float64)
    if days.shape != values.shape or (days.size and days.min() < 0):
        raise PhysiologyError(
            "day_index must be non-negative and match loads", hint="Pass one day per session."
        )
    length = n_days if n_days is not None else (int(days.max()) + 1 if days.size else 0)
    return np.bincount(days, weights=values, minlength=length)[:length].astype(np.float64)


def smoothing_factor(tau_days: float, smoothing: Smoothing = SMOOTHING) -> float:
    """Daily smoothing factor k for time constant τ (see :class:`Smoothing`)."""
    if tau_days < 1:
        raise PhysiologyError(f"Time constant {tau_days:g} d is too short", hint="Use τ ≥ 1 day.")
    if smoothing is Smoothing.RECIPROCAL:
        return 1.0 / tau_days
    return 1.0 - math.exp(-1.0 / tau_days)


def ewma_load(
    daily_load: ArrayLike,
    tau_days: float,
    initial: float = 0.0,
    smoothing: Smoothing = SMOOTHING,
) -> NDArray[np.float64]:
    """Exponentially weighted load: x_t = x_{t−1} + k·(load_t − x_{t−1}), x_{−1} = ``initial``."""
    load = np.nan_to_num(np.asarray(daily_load, dtype=np.float64), nan=0.0)
    k = smoothing_factor(tau_days, smoothing)
    out = np.empty_like(load)
    x = initial
    for i, value in enumerate(load):
        x += k * (value - x)
        out[i] = x
    return out


def fitness_fatigue(
    daily_load: ArrayLike,
    initial_ctl: float = 0.0,
    initial_atl: float = 0.0,
    smoothing: Smoothing = SMOOTHING,
) -> FitnessFatigue:
    """CTL (τ = :data:`CTL_DAYS`) and ATL (τ = :data:`ATL_DAYS`) for a daily load series."""
    return FitnessFatigue(
        ctl=ewma_load(daily_load, CTL_DAYS, initial_ctl, smoothing),
        atl=ewma_load(daily_load, ATL_DAYS, initial_atl, smoothing),
    )


def acute_chronic_ratio(
    daily_load: ArrayLike,
    method: ACWRMethod = ACWRMethod.EWMA,
    acute_days: int = ATL_DAYS,
    chronic_days: int = CHRONIC_DAYS,
) -> NDArray[np.float64]:
    """Daily acute:chronic ratio; NaN where the chronic load is zero. A guard, not a predictor.

    EWMA: ratio of 7- and 28-day exponentially weighted loads (Williams 2017). ROLLING:
    7-day mean over the 28-day mean including the same week (Gabbett's coupled form;
    Lolli 2019 explains its bias). Early values, before ``chronic_days`` of history, are
    unreliable in both forms.
    """
    load = np.nan_to_num(np.asarray(daily_load, dtype=np.float64), nan=0.0)
    if method is ACWRMethod.EWMA:
        acute = ewma_load(load, acute_days)
        chronic = ewma_load(load, chronic_days)
    else:
        cumsum = np.concatenate([[0.0], np.cumsum(load)])
        idx = np.arange(1, load.size + 1)
        acute = (cumsum[idx] - cumsum[np.maximum(idx - acute_days, 0)]) / acute_days
        chronic = (cumsum[idx] - cumsum[np.maximum(idx - chronic_days, 0)]) / chronic_days
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(chronic > 0, acute / np.where(chronic > 0, chronic, 1.0), np.nan)
    return np.asarray(ratio, dtype=np.float64)


def weekly_acute_chronic_ratio(
    weekly_load: ArrayLike, chronic_weeks: int = CHRONIC_DAYS // ATL_DAYS
) -> NDArray[np.float64]:
    """Each week's load over the mean of the last ``chronic_weeks`` weeks including it.

    The coupled weekly form used to guard plans (:data:`MAX_ACWR`). For the first weeks
    the mean covers only the weeks so far; NaN where that mean is zero.
    """
    load = np.asarray(weekly_load, dtype=np.float64)
    cumsum = np.concatenate([[0.0], np.cumsum(load)])
    idx = np.arange(1, load.size + 1)
    n = np.minimum(idx, chronic_weeks)
    chronic = (cumsum[idx] - cumsum[idx - n]) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(chronic > 0, load / np.where(chronic > 0, chronic, 1.0), np.nan)
    return np.asarray(ratio, dtype=np.float64)
