"""What planbot does: understand, answer, apply an update, decide reminders, compose a digest.

Functions here take plain inputs (text, caller, clock, session) and return frozen result
dataclasses; they send nothing and format no Slack message. `commands` may import `store` only.
"""
