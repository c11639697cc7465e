"""CLI commands of the Plan job: paces, plan, warmup, drills."""

from __future__ import annotations
