"""Keeping one `PlanIndex` per database until the store changes.

Each question checks `store_version` (cheap); status updates alone refresh just the items they
touched, anything else rebuilds, and a thorough fingerprint is read every minute or so."""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass

from sqlmodel import Session

from commands.questions.plan_index import PlanIndex, build_index
from store.queries.plan_changes import (
    load_state_changes,
    store_fingerprint,
    store_version,
)
from store.queries.whole_plan import (
    latest_notes,
    load_measure_texts,
    load_whole_plan,
)

RECHECK_SECONDS = 60.0  # how often the thorough fingerprint is read when nothing else moved
MAX_INCREMENTAL = 2000  # more updated items than this since the last look: rebuild instead


@dataclass
class _Cached:
    version: tuple[object, ...]
    fingerprint: tuple[object, ...]
    checked_at: float
    index: PlanIndex


_CACHE: dict[str, _Cached] = {}
_LOCK = threading.Lock()


def _build(session: Session, version: tuple[object, ...]) -> _Cached:
    fingerprint = store_fingerprint(session)
    index = build_index(
        load_whole_plan(session), latest_notes(session), load_measure_texts(session)
    )
    # The index is long-lived and holds no reference cycles (refcounting frees an old one):
    # moving it out of the collector's view keeps full collections, which would otherwise walk
    # every entry, from adding hundreds of milliseconds to an answer on a large store.
    gc.freeze()
    return _Cached(version, fingerprint, time.monotonic(), index)


def index_for(session: Session) -> PlanIndex:
    """The index for the session's database, rebuilt only when the store has changed.

    Each question reads `store_version` (highest ids and counts: cheap). Status updates alone
    move only the StatusUpdate figures; then just the items they touched are refreshed. Anything
    else (an import, new roles) rebuilds. Every `RECHECK_SECONDS` the thorough
    `store_fingerprint` is read too, so in-place edits (a re-imported title) are picked up.
    """
    bind = session.get_bind()
    key = f"{id(bind)}:{bind.url!r}"  # type: ignore[union-attr]
    version = store_version(session)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is None:
            if len(_CACHE) > 16:
                _CACHE.clear()
            cached = _CACHE[key] = _build(session, version)
        elif cached.version != version:
            updates_only = cached.version[2:] == version[2:]
            changes = None
            if updates_only and cached.index.last_update_id is not None:
                changes = load_state_changes(session, cached.index.last_update_id)
            if changes is not None and len(changes.actions) + len(changes.steps) <= MAX_INCREMENTAL:
                cached.index.apply(changes)
                cached.version = version
                cached.fingerprint = store_fingerprint(session)
                cached.checked_at = time.monotonic()
            else:
                cached = _CACHE[key] = _build(session, version)
        elif time.monotonic() - cached.checked_at >= RECHECK_SECONDS:
            if store_fingerprint(session) != cached.fingerprint:
                cached = _CACHE[key] = _build(session, version)
            else:
                cached.checked_at = time.monotonic()
        return cached.index
