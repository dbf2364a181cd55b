"""What a station's local authorization list should hold, and how to get it there.

A local list (OCPP 1.6 §3.5.3) lets a charger authorize while its link is
down. It knows no time windows, so it carries every tag that may charge at
that station at *some* time (the cache and the online answer keep to the
hours); a tag that may never charge there, or that is blocked, expired or
belongs to an inactive driver, is left out (revocations also clear caches).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from app.domain.access import AccessSnapshot, Place, holder_of, may_charge_somewhere_at
from app.domain.authorization import decide
from app.domain.commands import AuthorizationEntry
from app.domain.model import IdTagStatus


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One tag on a station's list, as sent (and, once confirmed, as stored)."""

    id_tag: str
    status: IdTagStatus = IdTagStatus.ACCEPTED
    expiry_date: datetime | None = None
    parent_id_tag: str | None = None

    def as_update(self) -> AuthorizationEntry:
        return AuthorizationEntry(
            self.id_tag, self.status.value, self.expiry_date, self.parent_id_tag
        )


def desired_list(snapshot: AccessSnapshot, place: Place, now: datetime) -> dict[str, ListEntry]:
    """The entries the station at `place` should hold at `now`, by tag."""
    by_key = {t.id_tag: t for t in snapshot.tags}
    entries: dict[str, ListEntry] = {}
    for tag in snapshot.tags:
        parent = by_key.get(tag.parent_id_tag) if tag.parent_id_tag else None
        driver = snapshot.drivers.get(tag.driver_id) if tag.driver_id is not None else None
        info = decide(
            tag,
            now,
            accept_unknown=False,
            parent=parent,
            driver_active=driver.active if driver else True,
            allowed=may_charge_somewhere_at(snapshot.rules, holder_of(tag, driver), place),
        )
        if info.status is IdTagStatus.ACCEPTED:
            entries[tag.id_tag] = ListEntry(
                tag.id_tag, IdTagStatus.ACCEPTED, info.expiry_date, tag.parent_id_tag
            )
    return entries


def truncated(
    entries: Mapping[str, ListEntry], limit: int | None
) -> tuple[dict[str, ListEntry], int]:
    """At most `limit` entries (the first by tag, so the choice is stable) and how
    many were left out."""
    keys = sorted(entries)
    if limit is None or len(keys) <= limit:
        return dict(entries), 0
    kept = keys[: max(limit, 0)]
    return {k: entries[k] for k in kept}, len(keys) - len(kept)


def differences(
    held: Mapping[str, ListEntry], desired: Mapping[str, ListEntry]
) -> list[AuthorizationEntry]:
    """A differential update: removals first (an entry without idTagInfo), so a station
    near its size limit never holds both the old and the new tags at once."""
    removals = [AuthorizationEntry(k) for k in sorted(held) if k not in desired]
    changes = [e.as_update() for k, e in sorted(desired.items()) if held.get(k) != e]
    return removals + changes


def full_list(desired: Mapping[str, ListEntry]) -> list[AuthorizationEntry]:
    return [desired[k].as_update() for k in sorted(desired)]


def chunks(
    updates: Sequence[AuthorizationEntry], size: int | None
) -> Iterator[tuple[AuthorizationEntry, ...]]:
    """Pieces of at most `size` entries (one message each); always at least one piece,
    so an empty full list is still sent (it empties the station's list)."""
    if size is None or size <= 0 or len(updates) <= size:
        yield tuple(updates)
        return
    for start in range(0, len(updates), size):
        yield tuple(updates[start : start + size])


def apply(
    held: Mapping[str, ListEntry], updates: Sequence[AuthorizationEntry], *, full: bool
) -> dict[str, ListEntry]:
    """What the station holds after it accepted `updates`."""
    result = {} if full else dict(held)
    for update in updates:
        if update.status is None:
            result.pop(update.id_tag, None)
        else:
            result[update.id_tag] = ListEntry(
                update.id_tag, IdTagStatus(update.status), update.expiry_date, update.parent_id_tag
            )
    return result
