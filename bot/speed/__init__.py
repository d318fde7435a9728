"""Machinery that exists only for speed under load (question worker processes, the burst
gate); a newcomer may skip this room: everything works without it."""
