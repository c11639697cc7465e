"""Daniels–Gilbert VDOT: fitness from a race, race predictions, training paces.

Sources
-------
* Daniels J, Gilbert J. *Oxygen Power: Performance Tables for Distance Runners* (1979).
* Daniels J. *Daniels' Running Formula*, 3rd ed. (2014): training intensities
  (easy 59–74 % VO2max, threshold ≈ 88 %, interval ≈ 97.5 %, repetition faster than
  interval) and the published VDOT table (VDOT 50 ↔ 5K 19:57, marathon 3:10:49).
* Riegel PS. Athletic records and human endurance. *Am Sci* 69:285 (1981);
  Vickers AJ, Vertosick EA. *BMC Sports Sci Med Rehabil* 8:36 (2016): Riegel is fine up
  to the half marathon but predicts the marathon 10+ min too fast for about half of
  recreational runners.

Valid range: the equations were fitted to race efforts of about 3.5 to 240 minutes
(1500 m to marathon) and VDOT roughly 30–85; stridelab refuses results outside
2.5–360 minutes and VDOT 15–95.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from stridelab.errors import PhysiologyError
from stridelab.units import RACE_DISTANCES_M, pace_s_per_km_from_speed, pace_s_per_km_from_time

__all__ = [
    "INTENSITY_FRACTIONS",
    "PREDICTION_DISTANCES",
    "RIEGEL_NOTE",
    "RaceReport",
    "TrainingPaces",
    "fraction_of_vo2max",
    "oxygen_cost_ml_kg_min",
    "predict_race_time_s",
    "race_report",
    "riegel_time_s",
    "speed_at_vo2_m_s",
    "training_paces",
    "vdot_from_race",
]

MIN_RACE_DURATION_S: Final = 2.5 * 60
MAX_RACE_DURATION_S: Final = 360 * 60
MIN_VDOT: Final = 15.0
MAX_VDOT: Final = 95.0
RIEGEL_EXPONENT: Final = 1.06

#: Fraction of VDOT (VO2max) for each training intensity (Daniels' Running Formula).
#: Marathon pace is not a fixed fraction: it is the predicted marathon race pace.
INTENSITY_FRACTIONS: Final[dict[str, float]] = {
    "easy_slow": 0.59,
    "easy_fast": 0.74,
    "threshold": 0.88,
    "interval": 0.975,
    "repetition": 1.055,
}


def oxygen_cost_ml_kg_min(speed_m_per_min: float) -> float:
    """Oxygen cost of running at ``speed_m_per_min`` (Daniels & Gilbert 1979).

    VO2 = −4.60 + 0.182258·v + 0.000104·v², v in m/min, VO2 in mL/kg/min.
    Fitted to speeds of roughly 150–400 m/min.
    """
    v = speed_m_per_min
    return -4.60 + 0.182258 * v + 0.000104 * v * v


def fraction_of_vo2max(duration_min: float) -> float:
    """Fraction of VO2max sustainable for a race lasting ``duration_min`` (Daniels & Gilbert).

    0.8 + 0.1894393·e^(−0.012778·t) + 0.2989558·e^(−0.1932605·t), t in minutes.
    """
    t = duration_min
    return 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)


def _check_race(distance_m: float, time_s: float) -> None:
    if distance_m <= 0 or time_s <= 0:
        raise PhysiologyError(
            "A race needs a positive distance and time", hint="Give e.g. 5k in 24:30."
        )
    if not MIN_RACE_DURATION_S <= time_s <= MAX_RACE_DURATION_S:
        raise PhysiologyError(
            f"A race lasting {time_s / 60:.1f} min is outside the VDOT model's range "
            f"({MIN_RACE_DURATION_S / 60:.1f}–{MAX_RACE_DURATION_S / 60:.0f} min)",
            hint="Use a race between 1500 m and the marathon run all-out.",
        )


def vdot_from_race(distance_m: float, time_s: float) -> float:
    """VDOT from an all-out race: VO2 at race speed divided by the sustainable fraction.

    A 5K in 20:00 gives 49.8 (Daniels' table).
    """
    _check_race(distance_m, time_s)
    duration_min = time_s / 60.0
    vdot = oxygen_cost_ml_kg_min(distance_m / duration_min) / fraction_of_vo2max(duration_min)
    if not MIN_VDOT <= vdot <= MAX_VDOT:
        raise PhysiologyError(
            f"{distance_m:.0f} m in {time_s:.0f} s gives VDOT {vdot:.1f}, outside "
            f"{MIN_VDOT:.0f}–{MAX_VDOT:.0f}",
            hint="Check the distance and time (is 25:30 minutes:seconds?).",
        )
    return vdot


def predict_race_time_s(vdot: float, distance_m: float) -> float:
    """Race time (s) over ``distance_m`` for a runner of this VDOT, by root-finding.

    Solves VO2(d/t) / fraction(t) = VDOT for t. VDOT 50 → 5K 19:57, marathon 3:10:49.
    """
    if not MIN_VDOT <= vdot <= MAX_VDOT:
        raise PhysiologyError(
            f"VDOT {vdot:.1f} is outside the model's range {MIN_VDOT:.0f}–{MAX_VDOT:.0f}",
            hint="Check the race result it came from.",
        )
    if not RACE_DISTANCES_M["1500m"] * 0.5 <= distance_m <= RACE_DISTANCES_M["marathon"] * 1.5:
        raise PhysiologyError(
            f"Predictions cover 750 m to 63 km, not {distance_m:.0f} m",
            hint="Ask for a distance between 1500 m and the marathon.",
        )

    from scipy.optimize import brentq  # imported here: SciPy costs ~0.3 s at CLI start-up

    def gap(time_min: float) -> float:
        v = distance_m / time_min
        return oxygen_cost_ml_kg_min(v) / fraction_of_vo2max(time_min) - vdot

    return float(brentq(gap, 1.0, 1000.0, xtol=1e-6)) * 60.0


def speed_at_vo2_m_s(vo2_ml_kg_min: float) -> float:
    """Running speed (m/s) whose oxygen cost is ``vo2_ml_kg_min``: the positive root."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2_ml_kg_min
    v_m_per_min = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
    return v_m_per_min / 60.0


@dataclass(frozen=True, slots=True)
class TrainingPaces:
    """Daniels training paces in seconds per km. ``easy_s_per_km`` is (fast end, slow end)."""

    vdot: float
    easy_s_per_km: tuple[float, float]
    marathon_s_per_km: float
    threshold_s_per_km: float
    interval_s_per_km: float
    repetition_s_per_km: float

    def as_dict(self) -> dict[str, float | list[float]]:
        """The paces as the CLI's JSON contract: ``{"easy": [lo, hi], "marathon": x, ...}``."""
        return {
            "easy": [self.easy_s_per_km[0], self.easy_s_per_km[1]],
            "marathon": self.marathon_s_per_km,
            "threshold": self.threshold_s_per_km,
            "interval": self.interval_s_per_km,
            "repetition": self.repetition_s_per_km,
        }


def _pace_at_fraction(vdot: float, fraction: float) -> float:
    return pace_s_per_km_from_speed(speed_at_vo2_m_s(vdot * fraction))


def training_paces(vdot: float) -> TrainingPaces:
    """Training paces for a VDOT (Daniels' Running Formula intensities, see module docstring).

    Marathon pace is the predicted marathon race pace, not a fixed fraction.
    """
    marathon_s = predict_race_time_s(vdot, RACE_DISTANCES_M["marathon"])
    f = INTENSITY_FRACTIONS
    return TrainingPaces(
        vdot=vdot,
        easy_s_per_km=(
            _pace_at_fraction(vdot, f["easy_fast"]),
            _pace_at_fraction(vdot, f["easy_slow"]),
        ),
        marathon_s_per_km=pace_s_per_km_from_time(marathon_s, RACE_DISTANCES_M["marathon"]),
        threshold_s_per_km=_pace_at_fraction(vdot, f["threshold"]),
        interval_s_per_km=_pace_at_fraction(vdot, f["interval"]),
        repetition_s_per_km=_pace_at_fraction(vdot, f["repetition"]),
    )


def riegel_time_s(
    time_s: float, distance_m: float, target_distance_m: float, exponent: float = RIEGEL_EXPONENT
) -> float:
    """Riegel's prediction T2 = T1·(D2/D1)^1.06 — a second opinion only.

    Known bias (Vickers & Vertosick 2016, n = 2,303): adequate up to the half marathon,
    but marathon predictions are 10+ minutes too fast for about half of recreational runners.
    """
    if time_s <= 0 or distance_m <= 0 or target_distance_m <= 0:
        raise PhysiologyError(
            "Riegel needs positive times and distances", hint="Give e.g. 5k 24:30."
        )
    return float(time_s * (target_distance_m / distance_m) ** exponent)


#: The race distances every report predicts, by their canonical names.
PREDICTION_DISTANCES: Final = ("5k", "10k", "half", "marathon")
RIEGEL_NOTE: Final = (
    "Riegel T2 = T1·(D2/D1)^1.06 is a second opinion: fine up to the half marathon, but "
    "for about half of recreational runners its marathon prediction is 10+ minutes too "
    "fast (Vickers & Vertosick 2016)."
)


@dataclass(frozen=True, slots=True)
class RaceReport:
    """What one race result says: VDOT, race predictions (VDOT and Riegel) and paces."""

    distance_m: float
    time_s: float
    vdot: float
    predictions_s: Mapping[str, float]
    riegel_predictions_s: Mapping[str, float]
    paces: TrainingPaces

    def as_dict(self) -> dict[str, Any]:
        """The ``stridelab paces --json`` contract, plus the race and Riegel's opinion."""
        return {
            "vdot": self.vdot,
            "race": {"distance_m": self.distance_m, "time_s": self.time_s},
            "predictions_s": dict(self.predictions_s),
            "paces_s_per_km": self.paces.as_dict(),
            "riegel_predictions_s": dict(self.riegel_predictions_s),
            "riegel_note": RIEGEL_NOTE,
        }


def race_report(distance_m: float, time_s: float) -> RaceReport:
    """VDOT, predictions for 5K–marathon and training paces from one all-out race."""
    vdot = vdot_from_race(distance_m, time_s)
    names = PREDICTION_DISTANCES
    return RaceReport(
        distance_m=distance_m,
        time_s=time_s,
        vdot=vdot,
        predictions_s=MappingProxyType(
            {n: predict_race_time_s(vdot, RACE_DISTANCES_M[n]) for n in names}
        ),
        riegel_predictions_s=MappingProxyType(
            {n: riegel_time_s(time_s, distance_m, RACE_DISTANCES_M[n]) for n in names}
        ),
        paces=training_paces(vdot),
    )
