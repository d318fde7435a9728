"""Fixtures for the plan store tests (defined in plan_store_helpers)."""

from plan_store_helpers import planbot, york_shared

__all__ = ["planbot", "york_shared"]
