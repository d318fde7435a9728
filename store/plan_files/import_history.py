"""Adding a plan file's status history to the store: history is only ever added to, and an edit
is written linked to the entry it replaces once that entry is in."""

from __future__ import annotations

from sqlmodel import Session

from store.models import Action, StatusUpdate, Step
from store.plan_files.dates import read_date
from store.plan_files.import_report import ImportReport
from store.plan_files.plan_doc import HistoryDoc, PlanDoc, PlanFileError, at_field
from store.queries.state import apply_derived, derive_state, updates_for


def _clean(value: str | None) -> str | None:
    return (value.strip() or None) if value else None


def _identity(update: StatusUpdate) -> tuple[object, ...]:
    """What makes a stored update the same as a file's history entry (re-imports add no twins)."""
    due = update.new_due_as_written or (update.new_due.isoformat() if update.new_due else None)
    return (
        update.at,
        update.source,
        update.new_status,
        update.new_rag,
        _clean(update.note),
        _clean(update.author),
        _clean(due),
        _clean(update.message_ts),
    )


def _entry_identity(entry: HistoryDoc) -> tuple[object, ...]:
    return (
        entry.at,
        entry.source,
        entry.status,
        entry.rag,
        _clean(entry.note),
        _clean(entry.author),
        _clean(entry.due),
        _clean(entry.message_ts),
    )


class HistoryImport:
    """The history entries of one plan's import, added item by item; edits linked at the end."""

    def __init__(self, session: Session, doc: PlanDoc, report: ImportReport) -> None:
        self.session, self.doc, self.report = session, doc, report
        self.rows: dict[str, list[StatusUpdate | None]] = {}  # ref -> the file's entries' rows
        # Edits waiting for the entry they replace: (item, entry, ref, index, target, where).
        self.corrections: list[
            tuple[Action | Step, HistoryDoc, str, int, tuple[str, int], str]
        ] = []

    def add(
        self, item: Action | Step, entries: list[HistoryDoc], ref: str, where: str, *, new: bool
    ) -> list[StatusUpdate]:
        """Add the file's history entries the item does not hold yet (history is only added to);
        returns all the item's updates, oldest first.

        An edit (`corrects`) waits until the entry it replaces is in, so that it is written with
        its link at once: the store allows one original update per chat message.
        """
        held = [] if new else updates_for(self.session, item)
        existing = {_identity(update): update for update in held}
        rows: list[StatusUpdate | None] = []
        for index, entry in enumerate(entries):
            key = _entry_identity(entry)
            if key in existing:
                rows.append(existing[key])
                continue
            self.report.history_added += 1
            if entry.corrects is not None:
                target = (
                    (ref, entry.corrects)
                    if isinstance(entry.corrects, int)
                    else (
                        entry.corrects.rpartition("#")[0].upper(),
                        int(entry.corrects.rpartition("#")[2]),
                    )
                )
                rows.append(None)
                self.corrections.append(
                    (item, entry, ref, index, target, at_field(where, f"history[{index}].corrects"))
                )
                continue
            update = self._new_update(item, entry)
            existing[key] = update
            rows.append(update)
        self.rows[ref] = rows
        if entries:
            self.session.flush()
        updates = sorted(
            {id(u): u for u in [*held, *rows] if u is not None}.values(),
            key=lambda u: (u.at, u.id),
        )
        self._fill_old_values(item, updates)
        return updates

    def _new_update(
        self, item: Action | Step, entry: HistoryDoc, corrects: StatusUpdate | None = None
    ) -> StatusUpdate:
        update = StatusUpdate(
            action_id=item.id if isinstance(item, Action) else None,
            step_id=item.id if isinstance(item, Step) else None,
            at=entry.at,
            author=entry.author,
            source=entry.source,
            source_ref=entry.source_ref,
            channel=entry.channel,
            message_ts=entry.message_ts,
            new_status=entry.status,
            new_rag=entry.rag,
            new_due=entry.due_date or (read_date(entry.due).due if entry.due else None),
            new_due_as_written=entry.due,
            note=entry.note,
            superseded=entry.superseded,
            deleted=entry.deleted,
            corrects_id=corrects.id if corrects else None,
        )
        self.session.add(update)
        return update

    def link_corrections(self) -> None:
        """Write the edits once the entries they replace are in (an edit of an edit waits its
        turn), then bring each edited item's state up to date."""
        pending = list(self.corrections)
        touched: dict[int, Action | Step] = {}
        while pending:
            waiting = []
            for item, entry, ref, index, (target_ref, target_index), where in pending:
                rows = self.rows.get(target_ref, [])
                if not 0 <= target_index < len(rows):
                    raise PlanFileError(
                        self.doc.file or self.doc.key,
                        where,
                        f"{target_ref}#{target_index} names no history entry of this plan",
                    )
                target = rows[target_index]
                if target is None:
                    waiting.append((item, entry, ref, index, (target_ref, target_index), where))
                    continue
                update = self._new_update(item, entry, corrects=target)
                self.session.flush()
                self.rows[ref][index] = update
                touched[id(item)] = item
            if len(waiting) == len(pending):
                raise PlanFileError(
                    self.doc.file or self.doc.key, waiting[0][5], "edits that correct each other"
                )
            pending = waiting
        for item in touched.values():
            updates = updates_for(self.session, item)
            self._fill_old_values(item, updates)
            apply_derived(item, derive_state(item, updates))
            self.session.add(item)
        self.session.flush()

    def _fill_old_values(self, item: Action | Step, updates: list[StatusUpdate]) -> None:
        """Give imported updates the state they moved from, replayed in order like record_update."""
        status, rag, due = "not_started", None, item.planned_due
        # Superseded updates count here: each was the current state until an edit replaced it.
        for update in updates:
            if update.old_status is None and update.old_rag is None and update.old_due is None:
                update.old_status, update.old_rag, update.old_due = status, rag, due
                self.session.add(update)
            status = update.new_status or status
            rag = update.new_rag or rag
            due = update.new_due or due
