"""A York session for measures tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.db import session_scope


@pytest.fixture
def york(york_engine: Engine) -> Iterator[Session]:
    with session_scope(york_engine) as session:
        yield session
