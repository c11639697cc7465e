"""The ranges a runner's own numbers may take, in one light module (no NumPy).

The models (:mod:`~stridelab.physiology.load`, :mod:`~stridelab.physiology.energy`) and
the CLI options (``--max-hr``, ``--rest-hr``, ``--mass-kg``) check against the same
:class:`~stridelab.units.Range`, so a value is refused with the same message wherever
it is given.
"""

from __future__ import annotations

from typing import Final

from stridelab.units import Range

__all__ = ["BODY_MASS_RANGE_KG", "MAX_HR_RANGE_BPM", "RESTING_HR_RANGE_BPM"]

#: Resting heart rates the TRIMP model is used for (Banister 1991 takes the person's own):
#: trained endurance athletes reach the high 20s; above 120 is tachycardia, not rest.
RESTING_HR_RANGE_BPM: Final = Range(25, 120, "bpm")
#: Maximum heart rates seen in adults (Tanaka, Monahan & Seals 2001: 208 − 0.7 × age,
#: SD ~10 bpm), widened to 100–240 so no real runner is refused.
MAX_HR_RANGE_BPM: Final = Range(100, 240, "bpm")
#: Body masses the kcal equations (ACSM running equation, Compendium METs) are used for.
BODY_MASS_RANGE_KG: Final = Range(20, 250, "kg")
