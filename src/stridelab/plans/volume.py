r"""The least weekly mileage that reaches the goal: a linear programme solved by HiGHS.

Variables (km): the training volume :math:`w_i` of each week :math:`i = 0..n-1` (the race
itself excluded) and the long run :math:`L_i` of each week before race week. Peak week
:math:`P = n - 1 - T` is the last week before a :math:`T`-week taper; cutback weeks
:math:`C = \{k-1, 2k-1, \dots\} \cap [0, P)`, counted from the start (every 4th week,
:math:`k = 4`, or every 3rd for older and returning runners; never in the first two). Weeks
are 7-day windows counted back from race day, so the last one ends with the race whatever
weekday it falls on.
:math:`c` is the current weekly volume, :math:`L^0` the longest run of the last 30 days,
:math:`d` the running days.

.. math::

    \min \sum_i w_i + \varepsilon \sum_i L_i \quad\text{subject to}

* ramp: :math:`w_i \le (1+r)\,w_{\mathrm{ref}(i)}` for loading weeks, where ref(i) is the
  previous non-cutback week (or :math:`c`); :math:`r` = 10 % by default (a configurable
  default, not settled science: Buist 2008, Nielsen 2014);
* cutback: :math:`w_i \le 0.8\,w_{i-1}` for :math:`i \in C`;
* acute:chronic: :math:`w_i \le 1.3 \cdot \tfrac14 \sum_{k=1}^{4} w_{i-k}`, weeks before the
  plan at :math:`c` (a conservative guard, Gabbett 2016; not a risk predictor, Impellizzeri
  2020);
* floor: :math:`w_i \ge c` (× 0.8 in cutbacks) before the taper: the plan adds no miles the
  goal does not need, but it never cuts the running the runner already does (a runner above
  the goal's peak week keeps their volume and gains quality sessions); capped only by what
  the longest allowed long run carries on the runner's days;
* target: :math:`w_P \ge W^*`, :math:`L_P \ge L^*` (see :mod:`stridelab.plans.targets`);
* taper: :math:`\ell_t w_P \le w_{P+t} \le h_t w_P`, non-increasing, race week 40–60 % of
  peak (Bosquet 2007); race week's lower bound is scaled by the share of running days that
  come before the race; taper long runs keep :math:`L_{P+t} \ge \ell_t L_P`;
* one long run: :math:`w_i \le (1 + 0.75(d-1))\,L_i` (no other run above 75 % of the long
  run, :data:`~stridelab.plans.targets.OTHER_RUN_MAX_SHARE`) and
  :math:`w_i - L_i \ge (d-1)\,m` (every other run at least the shortest run :math:`m`);
* long run: :math:`L_i \le 0.4\,w_i`; :math:`L_i \le` 150 min at easy pace (Daniels);
  :math:`L_i \le 1.1\,L_{\mathrm{ref}(i)}`
  (no run more than 10 % longer than the longest of the previous 30 days, BJSM 2025,
  doi 10.1136/bjsports-2024-109380; linearised conservatively against the last loading
  week's long run); marathon :math:`L_i \le 36` km;
* long-run floor: in loading weeks :math:`L_i \ge L^0` (the current long run, capped by
  40 % of the current week and the 150-min cap): never shorter than what the runner does;
* long-run progression: in loading weeks :math:`L_i \ge \ell_i` and
  :math:`L_i \ge L_{\mathrm{ref}(i)}`, where :math:`\ell` climbs in equal steps from the
  runner's current long run to the goal's peak long run (never faster than the ramp and
  spike caps allow, :meth:`VolumeProblem.long_run_progression_m`); in cutback weeks
  :math:`0.75\,L_{i-1} \le L_i \le 0.8\,L_{i-1}`: a shorter long run, not an easy run.

The small :math:`\varepsilon` keeps each long run at the least of those bounds: the
progression is set by the rules above, the objective only trims weekly volume. When the
progression cannot be met (a build too short for equal steps), the LP is solved without it
before the plan is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from stridelab.errors import PlanError
from stridelab.plans.model import MAX_WEEKLY_RAMP, RAMP_RANGE
from stridelab.plans.targets import LONG_RUN_MAX_SHARE, GoalTargets, taper_bounds, week_cap_m
from stridelab.units import M_PER_KM

__all__ = [
    "CUTBACK_EVERY_WEEKS",
    "CUTBACK_EVERY_WEEKS_RECOVERY",
    "CUTBACK_FRACTION",
    "CUTBACK_LONG_RUN_RANGE",
    "MAX_ACUTE_CHRONIC",
    "MAX_LONG_RUN_SPIKE",
    "Binding",
    "InfeasibleVolume",
    "VolumeProblem",
    "VolumeSchedule",
    "is_feasible",
    "optimise_volume",
    "weeks_needed",
]

#: Acute:chronic workload ratio cap (Gabbett 2016, BJSM 50:273), used as a guard only.
MAX_ACUTE_CHRONIC: Final = 1.3
#: A cutback week every this many weeks, counted from the start (3 loading weeks, 1
#: lighter; Higdon's and Pfitzinger's plans step back every 3rd–4th week: convention).
CUTBACK_EVERY_WEEKS: Final = 4
#: Older and returning runners step back every 3rd week (convention, more recovery).
CUTBACK_EVERY_WEEKS_RECOVERY: Final = 3
#: A cutback week runs at most this fraction of the week before it.
CUTBACK_FRACTION: Final = 0.8
#: A cutback week's long run is this range of the previous week's long run: shorter, not gone.
CUTBACK_LONG_RUN_RANGE: Final = (0.75, 0.80)
#: No run more than this fraction longer than the longest of the previous 30 days.
MAX_LONG_RUN_SPIKE: Final = 0.10
#: Weight of long-run km in the objective (tie-break only).
_LONG_RUN_WEIGHT: Final = 1e-3
#: Longest plan searched when diagnosing an infeasible request.
_DIAGNOSE_UP_TO_WEEKS: Final = 60
_TOL_KM: Final = 1e-4


class Binding(StrEnum):
    """Why a week has its volume: the constraint that stops it from being lower."""

    FLOOR = "floor"
    TARGET = "target"
    RAMP = "ramp"
    ACUTE_CHRONIC = "acute_chronic"
    LONG_RUN = "long_run"
    CUTBACK = "cutback"
    TAPER = "taper"


@dataclass(frozen=True, slots=True)
class VolumeProblem:
    """Inputs of the volume optimisation (metres; see the module docstring)."""

    n_weeks: int
    current_weekly_m: float
    recent_long_run_m: float
    days_per_week: int
    targets: GoalTargets
    max_weekly_ramp: float = MAX_WEEKLY_RAMP
    max_acute_chronic: float = MAX_ACUTE_CHRONIC
    cutback_every_weeks: int = CUTBACK_EVERY_WEEKS
    cutback_fraction: float = CUTBACK_FRACTION
    max_long_run_spike: float = MAX_LONG_RUN_SPIKE
    race_week_run_days: int | None = None
    cutback_long_run_range: tuple[float, float] = CUTBACK_LONG_RUN_RANGE
    min_run_m: float = 0.0

    @property
    def shortest_run_m(self) -> float:
        """The shortest run the LP guarantees each run day: ``min_run_m``, or less when the
        current volume cannot give every day that much (the days are kept, the runs short)."""
        room = (1 - LONG_RUN_MAX_SHARE) * self.weekly_floor_m / max(1, self.days_per_week - 1)
        return min(self.min_run_m, room)

    @property
    def week_factor(self) -> float:
        """A week is at most this many long runs (:func:`~stridelab.plans.targets.week_cap_m`)."""
        return week_cap_m(1.0, self.days_per_week)

    @property
    def weekly_floor_m(self) -> float:
        """The current weekly volume, capped by what the first week's longest allowed long
        run carries (150 min, and 10 % over the current long run) with one long run a week."""
        first_long = min(
            self.targets.long_run_cap_m, (1 + self.max_long_run_spike) * self.seed_long_run_m
        )
        return min(self.current_weekly_m, week_cap_m(first_long, self.days_per_week))

    @property
    def start_long_run_m(self) -> float:
        """Where the long-run progression starts, and its floor in loading weeks: the recent
        long run, capped so that it fits the current week (40 %) and 150 min."""
        return min(
            self.seed_long_run_m,
            LONG_RUN_MAX_SHARE * self.weekly_floor_m,
            self.targets.long_run_cap_m,
        )

    @property
    def peak_long_run_m(self) -> float:
        """The long run to reach by the peak: the goal's, or the current one when longer."""
        return max(self.targets.peak_long_run_m, self.start_long_run_m)

    def long_run_progression_m(self) -> tuple[float, ...]:
        """Lower bound of the long run of each week up to the peak (0 in cutback weeks).

        Equal steps from :attr:`start_long_run_m` in week 0 to the goal's peak long run in
        the peak week over the loading weeks, but never faster than
        ``min(ramp, spike)`` per loading week from the start (the LP then climbs the rest
        geometrically towards the peak).
        """
        peak, cut = self.peak_index, self.cutbacks
        loading = [i for i in range(peak + 1) if i not in cut]
        start, goal = self.start_long_run_m, self.peak_long_run_m
        steps = max(1, len(loading) - 1)
        rate = 1 + min(self.max_weekly_ramp, self.max_long_run_spike)
        out = [0.0] * (peak + 1)
        for k, i in enumerate(loading):
            out[i] = min(start + (goal - start) * k / steps, start * rate**k)
        return tuple(out)

    @property
    def seed_long_run_m(self) -> float:
        """The longest recent run, at least the average run of the current week."""
        return max(self.recent_long_run_m, self.current_weekly_m / self.days_per_week)

    @property
    def race_week_days(self) -> int:
        """Running days before the race in race week (default: all but race day)."""
        if self.race_week_run_days is None:
            return self.days_per_week - 1
        return self.race_week_run_days

    @property
    def race_week_trains(self) -> bool:
        """Whether any running day comes before the race in race week."""
        return self.race_week_days > 0

    @property
    def peak_index(self) -> int:
        """Index of the last week before the taper."""
        return self.n_weeks - 1 - self.targets.taper_weeks

    @property
    def cutbacks(self) -> frozenset[int]:
        """Cutback weeks: every ``cutback_every_weeks``-th week counted from the start, before
        the peak week (never in the first two weeks, never the peak itself)."""
        k = self.cutback_every_weeks
        return frozenset(i for i in range(k - 1, self.peak_index, k) if i >= 2)

    def reference(self, i: int) -> int:
        """The previous loading (non-cutback) week of week ``i``, or -1 for "before the plan"."""
        cut = self.cutbacks
        j = i - 1
        while j >= 0 and j in cut:
            j -= 1
        return j


@dataclass(frozen=True, slots=True)
class VolumeSchedule:
    """The optimal weekly volumes and long runs, with what binds each week."""

    problem: VolumeProblem
    weekly_m: tuple[float, ...]
    long_run_m: tuple[float, ...]
    binding: tuple[frozenset[Binding], ...] = field(default=())

    @property
    def total_m(self) -> float:
        """Total training volume (the race excluded)."""
        return float(sum(self.weekly_m))

    def max_run_m(self, i: int) -> float:
        """Longest run allowed in week ``i``: 10 % over the longest of the previous 30 days.

        Counts the long runs of the previous 3 weeks (all within 30 days of any day of week
        ``i``) and, in week 0, the runner's recent long run: a conservative reading.
        """
        recent = list(self.long_run_m[max(0, i - 3) : i])
        if i == 0:
            recent.append(self.problem.seed_long_run_m)
        return (1 + self.problem.max_long_run_spike) * max(recent)


class _Lp:
    """Rows of ``A_ub x <= b_ub`` over x = [w_0..w_{n-1}, L_0..L_{n-2}] in km."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.rows: list[npt.NDArray[np.float64]] = []
        self.rhs: list[float] = []

    def add(self, coeffs: dict[int, float], rhs: float) -> None:
        row = np.zeros(2 * self.n - 1)
        for k, v in coeffs.items():
            row[k] += v
        self.rows.append(row)
        self.rhs.append(rhs)

    def w(self, i: int) -> int:
        return i

    def long(self, i: int) -> int:
        return self.n + i


def _build(p: VolumeProblem, progression: bool) -> tuple[_Lp, list[tuple[float, float | None]]]:
    n, peak, t = p.n_weeks, p.peak_index, p.targets
    c_km = p.current_weekly_m / M_PER_KM
    long0_km = p.seed_long_run_m / M_PER_KM
    need_w, need_l = t.peak_weekly_m / M_PER_KM, p.peak_long_run_m / M_PER_KM
    floor_km = p.weekly_floor_m / M_PER_KM
    long_floor_km = p.start_long_run_m / M_PER_KM
    factor, others_km = p.week_factor, (p.days_per_week - 1) * p.shortest_run_m / M_PER_KM
    up, acwr, spike = 1 + p.max_weekly_ramp, p.max_acute_chronic, 1 + p.max_long_run_spike
    lp, cut = _Lp(n), p.cutbacks
    ell = p.long_run_progression_m() if progression else ()
    lo_cut, hi_cut = p.cutback_long_run_range
    for i in range(n):
        ref = p.reference(i)
        if i <= peak:
            if i in cut:
                if i == 0:
                    lp.add({lp.w(0): 1.0}, p.cutback_fraction * c_km)
                else:
                    lp.add({lp.w(i): 1.0, lp.w(i - 1): -p.cutback_fraction}, 0.0)
            elif ref < 0:
                lp.add({lp.w(i): 1.0}, up * c_km)
            else:
                lp.add({lp.w(i): 1.0, lp.w(ref): -up}, 0.0)
            frac = p.cutback_fraction if i in cut else 1.0
            lp.add({lp.w(i): -1.0}, -frac * floor_km)
            if i in cut:  # a shorter long run, not an erased one
                lp.add({lp.long(i): -1.0, lp.long(i - 1): lo_cut}, 0.0)
                lp.add({lp.long(i): 1.0, lp.long(i - 1): -hi_cut}, 0.0)
            else:  # never below the current long run, and never backwards
                lp.add({lp.long(i): -1.0}, -long_floor_km)
                if progression:  # a steady climb to the peak long run
                    lp.add({lp.long(i): -1.0}, -ell[i] / M_PER_KM)
                if ref >= 0:
                    lp.add({lp.long(i): -1.0, lp.long(ref): 1.0}, 0.0)
        coeffs, before = {lp.w(i): 1.0}, 0
        for k in range(1, 5):
            if i - k >= 0:
                coeffs[lp.w(i - k)] = coeffs.get(lp.w(i - k), 0.0) - acwr / 4
            else:
                before += 1
        lp.add(coeffs, acwr / 4 * c_km * before)
        if i > peak:
            lo, hi = taper_bounds(t.taper_weeks)[i - peak - 1]
            lp.add({lp.w(i): 1.0, lp.w(peak): -hi}, 0.0)
            lp.add({lp.w(i): 1.0, lp.w(i - 1): -1.0}, 0.0)
            if i == n - 1:  # only the days before the race can carry race-week training
                lo *= min(1.0, p.race_week_days / (p.days_per_week - 1))
            else:  # the long run shrinks with the week, not to a token run
                lp.add({lp.long(i): -1.0, lp.long(peak): lo}, 0.0)
            lp.add({lp.w(i): -1.0, lp.w(peak): lo}, 0.0)
        if i < n - 1:
            lp.add({lp.long(i): 1.0, lp.w(i): -LONG_RUN_MAX_SHARE}, 0.0)
            lp.add({lp.w(i): 1.0, lp.long(i): -factor}, 0.0)  # one long run a week
            lp.add({lp.w(i): -1.0, lp.long(i): 1.0}, -others_km)  # other runs worth it
            if ref < 0:
                lp.add({lp.long(i): 1.0}, spike * long0_km)
            else:
                lp.add({lp.long(i): 1.0, lp.long(ref): -spike}, 0.0)
    lp.add({lp.w(peak): -1.0}, -need_w)
    lp.add({lp.long(peak): -1.0}, -need_l)
    cap = t.long_run_cap_m / M_PER_KM
    bounds: list[tuple[float, float | None]] = [(0.0, None)] * n + [(0.0, cap)] * (n - 1)
    if not p.race_week_trains:
        bounds[n - 1] = (0.0, 0.0)
    return lp, bounds


def _solve(p: VolumeProblem) -> npt.NDArray[np.float64] | None:
    """The LP with the long-run progression, else without it, else ``None`` (infeasible)."""
    from scipy.optimize import linprog  # imported here: SciPy costs ~0.3 s at CLI start-up

    if p.peak_index < 0:
        return None
    n = p.n_weeks
    cost = np.concatenate([np.ones(n), np.full(n - 1, _LONG_RUN_WEIGHT)])
    for progression in (True, False):
        lp, bounds = _build(p, progression)
        res = linprog(
            cost, A_ub=np.vstack(lp.rows), b_ub=np.array(lp.rhs), bounds=bounds, method="highs"
        )
        if res.status == 0:
            return np.asarray(res.x)
    return None


def _bindings(
    p: VolumeProblem, w: npt.NDArray[np.float64], long: npt.NDArray[np.float64]
) -> list[frozenset[Binding]]:
    n, peak, cut = p.n_weeks, p.peak_index, p.cutbacks
    c_km = p.current_weekly_m / M_PER_KM
    floor_km = p.weekly_floor_m / M_PER_KM
    up, acwr = 1 + p.max_weekly_ramp, p.max_acute_chronic
    out: list[set[Binding]] = [set() for _ in range(n)]
    for i in range(n):
        if i > peak:
            out[i].add(Binding.TAPER)
            continue
        if i in cut:
            out[i].add(Binding.CUTBACK)
        frac = p.cutback_fraction if i in cut else 1.0
        if abs(w[i] - frac * floor_km) < _TOL_KM:
            out[i].add(Binding.FLOOR)
        if i == peak:
            out[i].add(Binding.TARGET)
        tight = i < n - 1 and abs(long[i] - LONG_RUN_MAX_SHARE * w[i]) < _TOL_KM
        if tight and long[i] * p.week_factor > w[i] + _TOL_KM:
            out[i].add(Binding.LONG_RUN)
        for j in range(i + 1, min(n, i + 5)):
            if j > peak or w[j] <= w[i] + _TOL_KM:
                continue
            if j not in cut and p.reference(j) == i and abs(w[j] - up * w[i]) < _TOL_KM:
                out[i].add(Binding.RAMP)
            prev = [w[k] if k >= 0 else c_km for k in range(j - 4, j)]
            if abs(w[j] - acwr * sum(prev) / 4) < _TOL_KM:
                out[i].add(Binding.ACUTE_CHRONIC)
    return [frozenset(s) for s in out]


class InfeasibleVolume(PlanError):
    """No weekly volumes satisfy the rules in the weeks given: ``weeks_needed`` is the
    fewest that would (``None``: none up to 60), ``ramp_helps`` whether the highest ramp
    cap alone would do. :func:`stridelab.plans.generator.generate_plan` turns it into
    options it has checked."""

    def __init__(
        self, message: str, *, hint: str, weeks_needed: int | None, ramp_helps: bool
    ) -> None:
        self.weeks_needed = weeks_needed
        self.ramp_helps = ramp_helps
        super().__init__(message, hint=hint)


def weeks_needed(p: VolumeProblem) -> int | None:
    """The fewest weeks (up to 60) in which ``p`` becomes feasible, else ``None``."""
    for n in range(p.n_weeks + 1, _DIAGNOSE_UP_TO_WEEKS + 1):
        if _solve(replace(p, n_weeks=n, targets=p.targets.for_weeks(n))) is not None:
            return n
    return None


def is_feasible(p: VolumeProblem) -> bool:
    """Whether the LP of ``p`` has a solution."""
    return _solve(p) is not None


def optimise_volume(problem: VolumeProblem, *, diagnose: bool = True) -> VolumeSchedule:
    """Solve the LP of the module docstring; raise :class:`PlanError` saying what to change.

    The hint offers only changes that would make the volumes feasible: a higher ramp cap
    (only when that alone would do), a later race (the fewest weeks that work); the raised
    :class:`InfeasibleVolume` carries both for the generator to check with whole plans.
    ``diagnose=False`` (a probe) skips that search and raises with neither.
    """
    x = _solve(problem)
    n = problem.n_weeks
    if x is None and not diagnose:
        raise InfeasibleVolume(
            "no safe weekly volumes", hint="probe only", weeks_needed=None, ramp_helps=False
        )
    if x is None:
        t = problem.targets
        levels = (
            f"the {t.label or t.bracket} goal's {problem.peak_long_run_m / M_PER_KM:.0f} km long "
            f"run and {t.peak_weekly_m / M_PER_KM:.0f} km/week"
        )
        start = f"{problem.current_weekly_m / M_PER_KM:.0f} km/week"
        needed = weeks_needed(problem)
        hi = RAMP_RANGE[1]
        ramp = problem.max_weekly_ramp < hi and is_feasible(replace(problem, max_weekly_ramp=hi))
        ramp_hint = f" or raise --max-ramp (now {problem.max_weekly_ramp:.0%})" if ramp else ""
        if needed is None:
            raise InfeasibleVolume(
                f"No safe build reaches {levels} from {start} within {_DIAGNOSE_UP_TO_WEEKS} weeks",
                hint=f"Choose a shorter goal distance{ramp_hint}.",
                weeks_needed=None,
                ramp_helps=ramp,
            )
        raise InfeasibleVolume(
            f"A {n}-week plan cannot safely reach {levels} from {start}: "
            f"it needs at least {needed} weeks",
            hint=f"Move the race date {needed - n} week(s) later or start earlier{ramp_hint}.",
            weeks_needed=needed,
            ramp_helps=ramp,
        )
    w, long = x[:n], np.append(x[n:], 0.0)
    return VolumeSchedule(
        problem=problem,
        weekly_m=tuple(float(v) * M_PER_KM for v in w),
        long_run_m=tuple(float(v) * M_PER_KM for v in long),
        binding=tuple(_bindings(problem, w, long)),
    )
