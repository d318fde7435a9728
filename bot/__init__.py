"""Transports and runtime: Slack (Bolt), the console, the CLI, the scheduler, settings, rendering.

Only this package imports slack_bolt, slack_sdk or apscheduler, and only its settings read the
environment.
"""
