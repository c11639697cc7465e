"""stridelab.plans.export: the plan as JSON, a terminal table, Markdown, iCalendar and FIT."""

from stridelab.plans.export.fit_workout import fit_workout_bytes, write_fit_workouts
from stridelab.plans.export.ics import plan_calendar, write_ics
from stridelab.plans.export.markdown import plan_markdown, write_markdown
from stridelab.plans.export.table import plan_table

__all__ = [
    "fit_workout_bytes",
    "plan_calendar",
    "plan_markdown",
    "plan_table",
    "write_fit_workouts",
    "write_ics",
    "write_markdown",
]
