"""CLI commands of the Analyse job: import, analyze, activities, trends."""

from __future__ import annotations
