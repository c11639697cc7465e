"""CLI commands of the Drill-check job: drill."""

from __future__ import annotations
