"""CLI commands of the Coach job: serve, replan, demo."""

from __future__ import annotations
