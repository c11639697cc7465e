"""Command lines the CLI tests share."""

from __future__ import annotations

# A 10K plan from a recent 5K, four days a week, on fixed dates (no test reads the clock).
PLAN_ARGS = [
    "plan",
    "--goal",
    "10k",
    "--race-date",
    "2027-04-18",
    "--recent",
    "5k=24:30",
    "--days-per-week",
    "4",
    "--start",
    "2027-01-04",
]
