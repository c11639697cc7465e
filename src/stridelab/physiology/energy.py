"""Energy cost: the ACSM running equation and Compendium MET values, in kcal.

Sources
-------
* American College of Sports Medicine. *ACSM's Guidelines for Exercise Testing and
  Prescription*, 10th ed. (2018), metabolic equations: running
  VO2 = 0.2·S + 0.9·S·G + 3.5 (mL/kg/min; S speed in m/min, G grade as a fraction),
  valid for speeds above about 134 m/min (8 km/h; also 80–134 m/min when truly jogging).
  It tends to *overestimate* the measured cost, more so at faster speeds and in trained
  runners, so the kcal it gives are an upper-leaning estimate.
* Energy per litre of oxygen: about 4.7 (fat) to 5.05 (carbohydrate) kcal/L; ACSM rounds
  to 5 kcal/L (kcal/min = MET × 3.5 × kg / 200). Weir JB, *J Physiol* 109:1 (1949).
* 1 MET = 3.5 mL O2/kg/min. With 5 kcal/L that is 1.05 kcal/kg/h; the familiar
  "1 MET ≈ 1 kcal/kg/h" shortcut is 5 % lower. stridelab uses the oxygen route
  (:data:`KCAL_PER_L_O2`) everywhere so the running equation and MET values agree.
* Compendium of Physical Activities, 2011 edition: Ainsworth BE et al., *Med Sci Sports
  Exerc* 43:1575–1581 (2011). The 2024 Adult Compendium (Herrmann SD et al., *J Sport
  Health Sci* 13:6–12) revises many values; values differ between editions (running
  6 mph: 10.0 MET in 2000, 9.8 in 2011), so every MET here names its edition and code.
  There is no Compendium code for running drills: stridelab uses "calisthenics,
  vigorous effort" (code 02020, 8.0 MET) as a *labelled proxy*.

Butt kicks and the "6–9 kcal per minute" of the drill literature
-----------------------------------------------------------------
At the 8.0 MET proxy a 70 kg runner spends 8 × 3.5 × 70 / 200 = 9.8 kcal/min gross
(9.3 kcal/min with the 1 kcal/kg/h shortcut): just *above* the 6–9 kcal/min quoted for a
155 lb (70.3 kg) runner. That range corresponds to about 4.9–7.3 MET with 5 kcal/L
(5.1–7.7 MET with the shortcut). The *net* cost (above resting, MET − 1) is 8.6 kcal/min,
inside it. stridelab reports gross kcal by default (what the Compendium's MET tables are)
and offers net kcal; it does not tune the MET to hit a popular number, because no study
has measured butt kicks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from stridelab.errors import PhysiologyError
from stridelab.physiology.limits import BODY_MASS_RANGE_KG

__all__ = [
    "KCAL_PER_L_O2",
    "ML_O2_PER_KG_MIN_PER_MET",
    "CompendiumEdition",
    "EnergyBasis",
    "MetValue",
    "acsm_running_vo2_ml_kg_min",
    "kcal_from_vo2",
    "met_kcal",
    "running_kcal",
]

#: kcal released per litre of O2 consumed (ACSM's rounding; 4.7–5.05 with the fuel mix).
KCAL_PER_L_O2: Final = 5.0
#: One MET, the resting oxygen uptake by convention.
ML_O2_PER_KG_MIN_PER_MET: Final = 3.5
#: Speeds the ACSM running equation is stated for (m/min): above ~134, or 80+ if jogging.
ACSM_RUNNING_MIN_SPEED_M_PER_MIN: Final = 80.0
ACSM_RUNNING_MAX_SPEED_M_PER_MIN: Final = 600.0  # 36 km/h: beyond any human running speed
#: Plausible body mass range for the kcal functions (kg).
MIN_MASS_KG: Final = BODY_MASS_RANGE_KG.low
MAX_MASS_KG: Final = BODY_MASS_RANGE_KG.high
MAX_GRADE: Final = 0.45


class CompendiumEdition(StrEnum):
    """Which Compendium of Physical Activities a MET value is taken from."""

    C2011 = "Ainsworth et al. 2011, Compendium of Physical Activities (MSSE 43:1575)"
    C2024 = "Herrmann et al. 2024, Adult Compendium of Physical Activities (JSHS 13:6)"


class EnergyBasis(StrEnum):
    """Gross kcal (everything burnt during the activity) or net (above resting, MET − 1)."""

    GROSS = "gross"
    NET = "net"


@dataclass(frozen=True, slots=True)
class MetValue:
    """A MET value with its provenance: edition, activity code and description.

    ``is_proxy`` marks a value borrowed from a related activity because the Compendium
    has no code for the real one (true for every running drill).
    """

    met: float
    edition: CompendiumEdition
    code: str
    description: str
    is_proxy: bool = False

    def as_dict(self) -> dict[str, str | float | bool]:
        """JSON-able form."""
        return {
            "met": self.met,
            "source": self.edition.value,
            "code": self.code,
            "description": self.description,
            "is_proxy": self.is_proxy,
        }


def _check_mass(mass_kg: float) -> None:
    if not MIN_MASS_KG <= mass_kg <= MAX_MASS_KG:
        raise PhysiologyError(
            f"Body mass {mass_kg:g} kg is outside {MIN_MASS_KG:g}–{MAX_MASS_KG:g} kg",
            hint="Give the mass in kilograms (155 lb is 70.3 kg).",
        )


def _check_duration(duration_s: float) -> None:
    if duration_s < 0:
        raise PhysiologyError(
            f"A duration of {duration_s:g} s is negative", hint="Give a duration ≥ 0."
        )


def acsm_running_vo2_ml_kg_min(speed_m_s: float, grade: float = 0.0) -> float:
    """Gross oxygen uptake of running (ACSM): VO2 = 0.2·S + 0.9·S·G + 3.5, S in m/min.

    ``grade`` is a fraction (0.05 for 5 %); negative grades are treated as level, since
    the equation is not valid downhill. Valid for about 80–600 m/min (4.8–36 km/h) and
    grades up to 45 %. Tends to overestimate measured VO2 (see module docstring).
    """
    speed_m_per_min = speed_m_s * 60.0
    if not ACSM_RUNNING_MIN_SPEED_M_PER_MIN <= speed_m_per_min <= ACSM_RUNNING_MAX_SPEED_M_PER_MIN:
        lo, hi = ACSM_RUNNING_MIN_SPEED_M_PER_MIN, ACSM_RUNNING_MAX_SPEED_M_PER_MIN
        raise PhysiologyError(
            f"The ACSM running equation is not valid at {speed_m_per_min:.0f} m/min "
            f"(valid {lo:.0f}–{hi:.0f})",
            hint="Use it for running, not walking or standing (check distance and time).",
        )
    if grade > MAX_GRADE:
        raise PhysiologyError(
            f"A grade of {grade:.0%} is beyond the equation's range",
            hint="Give the grade as a fraction, e.g. 0.05 for 5 %.",
        )
    g = max(grade, 0.0)
    return 0.2 * speed_m_per_min + 0.9 * speed_m_per_min * g + ML_O2_PER_KG_MIN_PER_MET


def kcal_from_vo2(vo2_ml_kg_min: float, mass_kg: float, duration_s: float) -> float:
    """kcal spent at ``vo2_ml_kg_min`` for ``duration_s``: VO2·kg·min/1000 × 5 kcal/L."""
    _check_mass(mass_kg)
    _check_duration(duration_s)
    litres = vo2_ml_kg_min * mass_kg * (duration_s / 60.0) / 1000.0
    return litres * KCAL_PER_L_O2


def met_kcal(
    met: float | MetValue,
    mass_kg: float,
    duration_s: float,
    basis: EnergyBasis = EnergyBasis.GROSS,
) -> float:
    """kcal for an activity of ``met`` METs: MET × 3.5 mL/kg/min × kg × min × 5 kcal/L.

    This is ACSM's kcal/min = MET × 3.5 × kg / 200. ``EnergyBasis.NET`` subtracts the
    resting 1 MET. A 70 kg runner at 8.0 MET: 9.8 kcal/min gross, 8.6 net.
    """
    value = met.met if isinstance(met, MetValue) else met
    if value < 1.0:
        raise PhysiologyError(f"{value:g} MET is below rest", hint="A MET value is ≥ 1.")
    if basis is EnergyBasis.NET:
        value -= 1.0
    return kcal_from_vo2(value * ML_O2_PER_KG_MIN_PER_MET, mass_kg, duration_s)


def running_kcal(
    distance_m: float,
    duration_s: float,
    mass_kg: float,
    grade: float = 0.0,
    basis: EnergyBasis = EnergyBasis.GROSS,
) -> float:
    """kcal of a run at its mean speed, from the ACSM running equation.

    ``grade`` is the mean uphill grade as a fraction. A 70 kg runner doing 10 km in
    50 min (200 m/min) spends (0.2·200 + 3.5) × 70 × 50 / 1000 × 5 ≈ 761 kcal gross.
    Net subtracts the resting 3.5 mL/kg/min. An overestimate for most trained runners.
    """
    if distance_m <= 0 or duration_s <= 0:
        raise PhysiologyError(
            "A run needs a positive distance and duration", hint="Give e.g. 10 km in 50:00."
        )
    vo2 = acsm_running_vo2_ml_kg_min(distance_m / duration_s, grade)
    if basis is EnergyBasis.NET:
        vo2 -= ML_O2_PER_KG_MIN_PER_MET
    return kcal_from_vo2(vo2, mass_kg, duration_s)
