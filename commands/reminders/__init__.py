"""Reminders: which are due on a working day, and where each plan's threads go."""
