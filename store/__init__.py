"""What planbot remembers: tables, engine and sessions, every query, migrations, plan import/export.

`store` imports neither `commands` nor `bot`; every SQL statement in the project lives here.
"""
