"""Governance above the weekly session: each plan's settings for approval and sign-off."""
