"""Longer recovery for masters runners and for runners back after a break or injury.

Two facts about the runner change a race plan (:class:`~stridelab.plans.model.PlanRequest`
``age_years`` and ``returning``):

- **Cutback every 3rd week** (:data:`~stridelab.plans.volume.CUTBACK_EVERY_WEEKS_RECOVERY`
  instead of every 4th) from :data:`MASTERS_AGE_YEARS` and for returning runners. Masters
  runners are thought to recover more slowly from hard training: Fell & Williams 2008
  (J Aging Phys Act 16:97, review) found the evidence mixed but consistent with slower
  recovery from muscle-damaging exercise; Friel (*Fast After 50*, 2015) coaches older
  athletes on 2–3-week blocks before a recovery week. The threshold age and the 3-week
  cycle are **convention**, not trial results.
- **Volume before intensity** for returning runners: for the first
  :data:`RETURNING_EASY_WEEKS` full weeks no hills, intervals, repetitions or race pace
  faster than threshold; easy running and strides, and at most threshold in build and
  peak weeks. A previous injury is the most consistent risk factor for a running injury
  (van der Worp et al. 2015, PLoS One 10:e0114937); Mujika & Padilla 2000 (Sports Med
  30:79) review what a break costs (detraining) but test no way back. The number of weeks
  and "volume before intensity" are **convention** (usual return-to-run practice), not a
  tested dose.

Age is not used for anything else (pace and volume follow the runner's own fitness).
"""

from __future__ import annotations

from typing import Final

from stridelab.plans.explain import ordinal
from stridelab.plans.volume import CUTBACK_EVERY_WEEKS, CUTBACK_EVERY_WEEKS_RECOVERY
from stridelab.session_kinds import SessionKind

__all__ = [
    "MASTERS_AGE_YEARS",
    "RETURNING_EASY_WEEKS",
    "RETURNING_NOT_YET",
    "cutback_every_weeks",
    "is_masters",
    "limit_returning_kinds",
    "recovery_notes",
    "returning_easy_week",
]

#: From this age a plan steps back every 3rd week (convention; see the module docstring).
MASTERS_AGE_YEARS: Final = 50
#: Full weeks at the start of a returning runner's plan without hard, fast work (convention).
RETURNING_EASY_WEEKS: Final = 3
#: Session kinds a returning runner does not get in the first weeks back.
RETURNING_NOT_YET: Final = frozenset(
    {SessionKind.HILLS, SessionKind.INTERVALS, SessionKind.REPETITIONS}
)

_K = SessionKind


def is_masters(age_years: int | None) -> bool:
    """Whether ``age_years`` is at least :data:`MASTERS_AGE_YEARS`."""
    return age_years is not None and age_years >= MASTERS_AGE_YEARS


def cutback_every_weeks(age_years: int | None, returning: bool) -> int:
    """Every how many weeks a cutback falls: 3 for masters or returning runners, else 4."""
    if returning or is_masters(age_years):
        return CUTBACK_EVERY_WEEKS_RECOVERY
    return CUTBACK_EVERY_WEEKS


def returning_easy_week(returning: bool, week_index: int) -> bool:
    """Whether full week ``week_index`` (0 = first) is one of the first weeks back."""
    return returning and 0 <= week_index < RETURNING_EASY_WEEKS


def limit_returning_kinds(
    kinds: tuple[SessionKind, ...], base_phase: bool, race_pace_above_threshold: bool
) -> tuple[SessionKind, ...]:
    """``kinds`` with the work a returning runner does not do yet replaced.

    Hills, intervals and repetitions (and race pace when it is faster than threshold pace,
    ``race_pace_above_threshold``) become threshold running outside the base phase and
    strides in it; never two threshold sessions in one week (the second becomes strides).
    """
    out: list[SessionKind] = []
    for kind in kinds:
        fast = kind in RETURNING_NOT_YET or (kind is _K.RACE_PACE and race_pace_above_threshold)
        if fast:
            kind = _K.STRIDES if base_phase else _K.THRESHOLD
        if kind in (_K.THRESHOLD, _K.TEMPO) and any(k in (_K.THRESHOLD, _K.TEMPO) for k in out):
            kind = _K.STRIDES
        out.append(kind)
    return tuple(out)


def recovery_notes(age_years: int | None, returning: bool, weeks_before: int = 0) -> list[str]:
    """The plan's notes for what age and returning changed, each saying what is convention.

    ``weeks_before`` is the full weeks already run of the plan a replan replaces: once the
    easy weeks are behind, the note says so instead of promising them again."""
    notes: list[str] = []
    every = cutback_every_weeks(age_years, returning)
    if every != CUTBACK_EVERY_WEEKS:
        why = []
        if is_masters(age_years):
            why.append(
                f"you are {age_years} (from {MASTERS_AGE_YEARS}, recovery tends to be slower)"
            )
        if returning:
            why.append("you are coming back after a break or injury")
        what = (
            "The age threshold and the 3-week cycle are"
            if is_masters(age_years)
            else ("The 3-week cycle is")
        )
        notes.append(
            f"A lighter cutback week every {ordinal(every)} week instead of every "
            f"{ordinal(CUTBACK_EVERY_WEEKS)}, counted from the start and never in the first two "
            f"weeks, because {' and '.join(why)}. {what} convention (coaching practice; "
            "the evidence on slower recovery with age is mixed), not a trial result."
        )
    if returning and weeks_before >= RETURNING_EASY_WEEKS:
        notes.append(
            f"Back after a break or injury: your first {RETURNING_EASY_WEEKS} easy weeks back "
            "are behind you, so hills, intervals and repetitions return where the phase has "
            "them. If something hurts, stop and see a professional."
        )
    elif returning:
        left = RETURNING_EASY_WEEKS - weeks_before
        notes.append(
            f"Back after a break or injury: the first {left} full weeks hold "
            "easy running, strides and at most threshold running, with no hills, intervals or "
            "repetitions; volume comes back before intensity. The number of weeks is "
            "convention. If something hurts, stop and see a professional: a plan cannot "
            "judge an injury."
        )
    return notes
