#!/usr/bin/env bash
# Regenerate migration 0001 from the models while no release has shipped (run from the repo root).
# Once a release ships, add new revisions instead: `alembic revision --autogenerate`.
set -euo pipefail
tmp=$(mktemp -d)
rm -f store/migrations/versions/0001_initial_schema.py
.venv/bin/python - "$tmp" <<'PY'
import sys
from alembic import command
from store.db import make_engine
from store.migrate import alembic_config
engine = make_engine(f"sqlite:///{sys.argv[1]}/gen.db")
command.revision(alembic_config(engine), message="initial schema", autogenerate=True, rev_id="0001")
PY
.venv/bin/ruff format store/migrations/versions/0001_initial_schema.py >/dev/null
.venv/bin/ruff check --fix store/migrations/versions/0001_initial_schema.py >/dev/null || true
rm -rf "$tmp"
