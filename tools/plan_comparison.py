"""Five example runners: stridelab's plan against the matching published plan family.

Prints docs/plan-comparison.md (offline, a few seconds); ``--write`` writes it there.
Run: ``python tools/plan_comparison.py [--write]``. The doc is generated: edit this file.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from stridelab.plans import Plan, PlanRequest, RecentRace, SessionKind, generate_plan
from stridelab.plans.families import FAMILIES
from stridelab.units import M_PER_KM, distance_label, format_duration

DOC: Final = Path(__file__).resolve().parents[1] / "docs" / "plan-comparison.md"


@dataclass(frozen=True)
class Runner:
    """An example runner, with the ``stridelab plan`` options that reproduce the plan."""

    title: str
    request: PlanRequest

    def command(self) -> str:
        r = self.request
        race = r.recent_race
        assert race is not None and r.start_date is not None
        parts = [
            f"--goal {distance_label(r.goal_distance_m)}",
            f"--race-date {r.race_date}",
            f"--start {r.start_date}",
            f"--recent {distance_label(race.distance_m)}={format_duration(race.time_s)}",
            f"--days-per-week {r.days_per_week}",
            f"--current-weekly-km {r.current_weekly_m / M_PER_KM:g}",
        ]
        if r.recent_long_run_m is not None:
            parts.append(f"--current-long-run-km {r.recent_long_run_m / M_PER_KM:g}")
        return "stridelab plan " + " ".join(parts)


RUNNERS: Final = (
    Runner(
        "Beginner 5K, 15 km a week on 3 days",
        PlanRequest(
            goal_distance_m=5_000.0,
            race_date=dt.date(2027, 3, 28),
            start_date=dt.date(2027, 1, 4),
            recent_race=RecentRace(5_000.0, 33 * 60),
            days_per_week=3,
            current_weekly_m=15_000.0,
        ),
    ),
    Runner(
        "Intermediate 10K, 30 km a week on 4 days",
        PlanRequest(
            goal_distance_m=10_000.0,
            race_date=dt.date(2027, 4, 18),
            start_date=dt.date(2027, 1, 4),
            recent_race=RecentRace(5_000.0, 25 * 60),
            days_per_week=4,
            current_weekly_m=30_000.0,
        ),
    ),
    Runner(
        "Half marathon, 40 km a week on 5 days",
        PlanRequest(
            goal_distance_m=21_097.5,
            race_date=dt.date(2027, 4, 25),
            start_date=dt.date(2027, 1, 4),
            recent_race=RecentRace(10_000.0, 50 * 60),
            days_per_week=5,
            current_weekly_m=40_000.0,
        ),
    ),
    Runner(
        "Marathon on 3 days, 30 km a week (the issue's case)",
        PlanRequest(
            goal_distance_m=42_195.0,
            race_date=dt.date(2027, 5, 30),
            start_date=dt.date(2026, 12, 7),
            recent_race=RecentRace(21_097.5, 1 * 3600 + 55 * 60),
            days_per_week=3,
            current_weekly_m=30_000.0,
        ),
    ),
    Runner(
        "Competitive marathon, 80 km a week on 6 days",
        PlanRequest(
            goal_distance_m=42_195.0,
            race_date=dt.date(2027, 5, 2),
            start_date=dt.date(2027, 1, 4),
            recent_race=RecentRace(10_000.0, 36 * 60),
            days_per_week=6,
            current_weekly_m=80_000.0,
            recent_long_run_m=24_000.0,
        ),
    ),
)


def _km(value_m: float) -> str:
    return f"{value_m / M_PER_KM:.0f}"


def _training(plan: Plan) -> list[float]:
    return [
        sum(s.distance_m for s in w.sessions if s.kind is not SessionKind.RACE) for w in plan.weeks
    ]


def _differences(plan: Plan, runner: Runner) -> list[str]:
    """What still differs, computed: volume, peak, long run, days, shape, clipping."""
    b = plan.baseline
    assert b is not None
    family = next(f for fams in FAMILIES.values() for f in fams if f.key == b.family)
    ours, theirs = _training(plan), [w.distance_m for w in b.weeks]
    total = plan.total_distance_m - b.total_distance_m
    word = "more" if total > 0 else "less"
    out = [
        f"stridelab asks {abs(total) / M_PER_KM:.0f} km {word} in all "
        f"({_km(plan.total_distance_m)} vs {_km(b.total_distance_m)} km, "
        f"{total / b.total_distance_m:+.0%}).",
        f"Peak week {_km(max(ours))} vs {_km(max(theirs))} km; longest run "
        f"{_km(max(w.long_run_m for w in plan.weeks))} vs "
        f"{_km(max(w.long_run_m for w in b.weeks))} km (published: "
        f"{_km(family.peak_weekly_m)} km and {_km(family.peak_long_run_m)} km).",
    ]
    days = runner.request.days_per_week
    if family.run_days != days:
        out.append(
            f"Run days: the family runs {family.run_days} days a week, this runner asked for "
            f"{days}; the comparison keeps the family's weekly km, not its days."
        )
    more = sum(1 for a, c in zip(ours, theirs, strict=True) if a > c + 500.0)
    less = sum(1 for a, c in zip(ours, theirs, strict=True) if a < c - 500.0)
    out.append(
        f"Week by week: stridelab runs more in {more} and less in {less} of "
        f"{len(ours)} weeks (0.5 km either way counts as the same)."
    )
    marker = "stridelab's plans follow: "
    if marker in b.why:
        clipped = b.why[b.why.index(marker) + len(marker) :]
        out.append(f"The published weeks needed clipping to the safety rules: {clipped}")
    else:
        out.append("The published weeks break none of stridelab's safety rules for this runner.")
    if family.approximate:
        out.append("This family's weekly totals are approximate (see docs/science.md).")
    return out


GENERAL: Final = """\
## What the comparison does not capture

- **Intensity.** Only kilometres are compared. Higdon's intermediate plans hold one
  speed day and a pace run a week; stridelab's quality work (threshold, intervals,
  repetitions, marathon pace in long runs) progresses, two sessions a week from 5 days
  (Daniels' 2Q). A plan with fewer kilometres may still be the harder one.
- **Cross-training and walks** in the published plans (Higdon's 30–60 min cross days,
  Couch to 5K's walks) are not counted: the families' totals are running only.
- **Tune-up races** in Higdon's half-marathon plans (a 5K and a 10K) count as that week's
  longest run.
- **Alignment.** Published plans have a fixed length: a longer plan runs the runner's usual
  week before the family's week 1, a shorter one joins the family later. Neither is
  stretched.
- **Pfitzinger-like families** take only their peak and longest run from the books; the
  week-by-week shape between is a convention (docs/science.md), so their totals are an
  estimate of what the books ask, not a transcription.
- **Safety clipping works both ways.** The family is never allowed more than stridelab's
  rules allow, and never less than the runner already runs: a novice plan below the
  runner's volume becomes their usual week, which is why a beginner plan can look
  shorter than stridelab's.
"""


def render() -> str:
    """The whole document."""
    lines = [
        "# Plan comparison: stridelab against the matching published plan",
        "",
        "<!-- DO NOT EDIT: generated by tools/plan_comparison.py "
        "(python tools/plan_comparison.py > docs/plan-comparison.md). -->",
        "",
        "For five example runners, the total kilometres of stridelab's plan against the "
        "published plan family that matches the runner (`stridelab.plans.baseline`: Higdon "
        "Novice or Intermediate, Pfitzinger-like for high mileage), aligned to the same weeks "
        "and clipped to the same safety rules. Totals include the race. Each plan's JSON has "
        "the family week by week in `baseline.weeks`; Markdown exports and the web plan page "
        "show them side by side.",
        "",
        "| Runner | Weeks | stridelab km | Family | Family km | Difference |",
        "|---|---|---|---|---|---|",
    ]
    sections: list[str] = []
    for number, runner in enumerate(RUNNERS, start=1):
        plan = generate_plan(runner.request)
        b = plan.baseline
        assert b is not None
        diff = plan.total_distance_m - b.total_distance_m
        lines.append(
            f"| {number}. {runner.title} | {len(plan.weeks)} | {_km(plan.total_distance_m)} | "
            f"{b.name} | {_km(b.total_distance_m)} | {diff / M_PER_KM:+.0f} km "
            f"({diff / b.total_distance_m:+.0%}) |"
        )
        sections += [
            "",
            f"### {number}. {runner.title}",
            "",
            f"`{runner.command()}`",
            "",
            *(f"- {line}" for line in _differences(plan, runner)),
        ]
    lines += ["", "## Runner by runner: what still differs", *sections, "", GENERAL]
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {DOC.name} in docs/")
    text = render()
    if parser.parse_args().write:
        DOC.write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
