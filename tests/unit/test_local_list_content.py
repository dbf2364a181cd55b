"""What each station's local authorization list holds, and the updates that get it there."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from app.domain.access import AccessRule, AccessSnapshot, Driver, Place, Subject
from app.domain.commands import AuthorizationEntry
from app.domain.local_list import ListEntry, apply, chunks, desired_list, differences, truncated
from app.domain.model import IdTag, IdTagStatus

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DEPOT = Place("DEPOT-1", 1)
GARAGE = Place("GARAGE-1", 2)
VANS = 10


def snapshot(*tags: IdTag, rules: tuple[AccessRule, ...] = ()) -> AccessSnapshot:
    drivers = {
        1: Driver(1, "Van driver", fleet_id=VANS),
        2: Driver(2, "Gone", active=False),
        3: Driver(3, "Visitor"),
    }
    return AccessSnapshot(tuple(tags), drivers, rules)


def test_blocked_expired_and_inactive_tags_are_left_off() -> None:
    later = NOW + timedelta(days=1)
    held = desired_list(
        snapshot(
            IdTag("OK", IdTagStatus.ACCEPTED, later, "GROUP"),
            IdTag("GROUP", IdTagStatus.ACCEPTED),
            IdTag("BLOCKED", IdTagStatus.BLOCKED),
            IdTag("OLD", IdTagStatus.ACCEPTED, NOW - timedelta(seconds=1)),
            IdTag("GONE", IdTagStatus.ACCEPTED, driver_id=2),
            IdTag("IN-BANNED-GROUP", IdTagStatus.ACCEPTED, parent_id_tag="BANNED"),
            IdTag("BANNED", IdTagStatus.BLOCKED),
        ),
        DEPOT,
        NOW,
    )
    assert held == {
        "OK": ListEntry("OK", IdTagStatus.ACCEPTED, later, "GROUP"),
        "GROUP": ListEntry("GROUP"),
    }


def test_a_station_holds_the_tags_that_may_charge_there_at_some_hour() -> None:
    rules = (
        AccessRule(1, Subject.FLEET, fleet_id=VANS, site_id=1, start=time(22), end=time(6)),
        AccessRule(2, Subject.NO_FLEET, site_id=2),
    )
    data = snapshot(
        IdTag("VAN", IdTagStatus.ACCEPTED, driver_id=1),
        IdTag("VISITOR", IdTagStatus.ACCEPTED, driver_id=3),
        IdTag("LOOSE-CARD", IdTagStatus.ACCEPTED),
        rules=rules,
    )
    # At noon the van may not charge at the depot, but it may at night: it is on the list.
    assert set(desired_list(data, DEPOT, NOW)) == {"VAN"}
    assert set(desired_list(data, GARAGE, NOW)) == {"VISITOR", "LOOSE-CARD"}


def test_a_differential_update_removes_first_then_adds_and_changes() -> None:
    held = {"A": ListEntry("A"), "B": ListEntry("B"), "C": ListEntry("C")}
    desired = {"A": ListEntry("A"), "C": ListEntry("C", parent_id_tag="G"), "D": ListEntry("D")}
    updates = differences(held, desired)
    assert updates == [
        AuthorizationEntry("B"),
        AuthorizationEntry("C", "Accepted", None, "G"),
        AuthorizationEntry("D", "Accepted"),
    ]
    assert apply(held, updates, full=False) == desired


def test_long_lists_are_sent_in_pieces_and_an_empty_full_list_still_goes() -> None:
    updates = [AuthorizationEntry(f"T{i}", "Accepted") for i in range(5)]
    assert [len(c) for c in chunks(updates, 2)] == [2, 2, 1]
    assert list(chunks([], 2)) == [()]
    assert [len(c) for c in chunks(updates, None)] == [5]


def test_a_list_too_long_for_the_station_keeps_the_first_tags() -> None:
    entries = {k: ListEntry(k) for k in ("C", "A", "B")}
    kept, dropped = truncated(entries, 2)
    assert (sorted(kept), dropped) == (["A", "B"], 1)
    assert truncated(entries, None) == (entries, 0)
