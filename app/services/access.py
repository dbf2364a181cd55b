"""Fleets, drivers and the rules of who may charge where and when.

What the drivers and access screens call. Every change is checked first
(InvalidInput with a message naming the field; nothing stored), then stored
in one transaction, logged, and announced with AccessChanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from app.domain.access import AccessRule, Driver, DriverCard, Fleet, driver_narrowed
from app.domain.access_forms import (
    checked_email,
    checked_name,
    checked_notes,
    checked_phone,
    checked_rule,
    checked_tag,
)
from app.domain.errors import InvalidInput, NotFound
from app.domain.events import AccessChanged
from app.domain.model import IdTag, Severity
from app.domain.operators import Role
from app.domain.ports import AccessRepository, Clock, EventLog
from app.services.acting import requires
from app.services.events import EventBus

DRIVERS_LIMIT = 10_000


class AccessService:
    def __init__(
        self, repository: AccessRepository, events: EventLog, bus: EventBus, clock: Clock
    ) -> None:
        self._repo = repository
        self._events = events
        self._bus = bus
        self._clock = clock

    # ---- fleets -------------------------------------------------------------------

    async def fleets(self) -> list[Fleet]:
        return await self._repo.fleets()

    async def fleet(self, fleet_id: int) -> Fleet:
        fleet = await self._repo.fleet(fleet_id)
        if fleet is None:
            raise NotFound(f"no fleet {fleet_id}")
        return fleet

    @requires(Role.OPERATOR, "fleet.create")
    async def create_fleet(self, name: str, note: str = "") -> Fleet:
        fleet = Fleet(0, checked_name(name, "name"), checked_notes(note, "note"))
        created = await self._repo.create_fleet(fleet, self._clock())
        await self._announce("fleet", created.id, "created", f"Fleet {created.name} created")
        return created

    @requires(Role.OPERATOR, "fleet.update")
    async def update_fleet(self, fleet: Fleet) -> Fleet:
        checked = dataclasses.replace(
            fleet, name=checked_name(fleet.name, "name"), note=checked_notes(fleet.note, "note")
        )
        if checked.monthly_budget_minor is not None and checked.monthly_budget_minor < 0:
            raise InvalidInput("monthly budget: zero or more")
        updated = await self._repo.update_fleet(checked)
        if updated is None:
            raise NotFound(f"no fleet {fleet.id}")
        await self._announce("fleet", fleet.id, "changed", f"Fleet {updated.name} changed")
        return updated

    @requires(Role.OPERATOR, "fleet.remove")
    async def remove_fleet(self, fleet_id: int) -> None:
        """Its drivers stay, in no fleet (the public's rules apply to them); its rules go."""
        fleet = await self.fleet(fleet_id)
        if not await self._repo.remove_fleet(fleet_id):
            raise NotFound(f"no fleet {fleet_id}")
        await self._announce(
            "fleet", fleet_id, "removed", f"Fleet {fleet.name} removed", revoked=True
        )

    # ---- drivers ------------------------------------------------------------------

    async def drivers(
        self,
        search: str = "",
        *,
        fleet_id: int | None = None,
        include_inactive: bool = True,
        limit: int = 1000,
    ) -> list[DriverCard]:
        """Drivers with their fleet and tags, by name; `search` matches name, email,
        phone, fleet or any of their tags (in any spelling of the UID)."""
        if not 1 <= limit <= DRIVERS_LIMIT:
            raise InvalidInput(f"a page holds 1 to {DRIVERS_LIMIT:,} drivers")
        return await self._repo.drivers(search, fleet_id, include_inactive, limit)

    async def driver(self, driver_id: int) -> DriverCard:
        card = await self._repo.driver(driver_id)
        if card is None:
            raise NotFound(f"no driver {driver_id}")
        return card

    @requires(Role.OPERATOR, "driver.create")
    async def create_driver(
        self,
        name: str,
        *,
        fleet_id: int | None = None,
        email: str = "",
        phone: str = "",
        notes: str = "",
        tags: Sequence[IdTag] = (),
    ) -> DriverCard:
        """A new driver with their tags, all stored or none."""
        driver = _checked_driver(Driver(0, name, fleet_id, email, phone, notes))
        now = self._clock()
        checked = [checked_tag(t, now, new=True) for t in tags]
        keys = [t.id_tag for t in checked]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise InvalidInput(f"id tag: {', '.join(twice)} given twice")
        card = await self._repo.create_driver(driver, checked, now)
        await self._announce(
            "driver", card.driver.id, "created", f"Driver {card.driver.name} created"
        )
        return card

    @requires(Role.OPERATOR, "driver.update")
    async def update_driver(self, driver: Driver) -> DriverCard:
        before = await self.driver(driver.id)
        card = await self._repo.update_driver(_checked_driver(driver), self._clock())
        if card is None:
            raise NotFound(f"no driver {driver.id}")
        revoked = driver_narrowed(before.driver, card.driver)
        blocked = tuple(t.id_tag for t in card.tags) if _deactivated(before, card) else ()
        await self._announce(
            "driver",
            driver.id,
            "changed",
            _driver_message(before, card),
            revoked=revoked,
            blocked=blocked,
        )
        return card

    @requires(Role.OPERATOR, "driver.deactivate")
    async def deactivate_driver(self, driver_id: int) -> DriverCard:
        """Every tag of theirs is answered Blocked until they are active again."""
        card = await self.driver(driver_id)
        return await self.update_driver(dataclasses.replace(card.driver, active=False))

    @requires(Role.OPERATOR, "driver.activate")
    async def activate_driver(self, driver_id: int) -> DriverCard:
        card = await self.driver(driver_id)
        return await self.update_driver(dataclasses.replace(card.driver, active=True))

    @requires(Role.OPERATOR, "driver.remove")
    async def remove_driver(self, driver_id: int) -> None:
        """The driver and their tags go; past sessions keep the tag they were charged on."""
        card = await self._repo.remove_driver(driver_id)
        if card is None:
            raise NotFound(f"no driver {driver_id}")
        await self._announce(
            "driver",
            driver_id,
            "removed",
            f"Driver {card.driver.name} removed with tags "
            f"{', '.join(t.id_tag for t in card.tags) or '(none)'}",
            revoked=bool(card.tags),
        )

    # ---- rules --------------------------------------------------------------------

    async def rules(self) -> list[AccessRule]:
        """Every rule, oldest first. With none, every valid tag may charge anywhere, any time."""
        return await self._repo.rules()

    @requires(Role.MANAGER, "access_rule.add")
    async def add_rule(self, rule: AccessRule) -> AccessRule:
        checked = checked_rule(rule)
        first = not await self._repo.rules()
        added = await self._repo.add_rule(checked, self._clock())
        # The first rule ends "everyone everywhere": that narrows access.
        await self._announce("rule", added.id, "created", f"Access rule {added.id} added", first)
        return added

    @requires(Role.MANAGER, "access_rule.update")
    async def update_rule(self, rule: AccessRule) -> AccessRule:
        updated = await self._repo.update_rule(checked_rule(rule))
        if updated is None:
            raise NotFound(f"no access rule {rule.id}")
        await self._announce(
            "rule", rule.id, "changed", f"Access rule {rule.id} changed", revoked=True
        )
        return updated

    @requires(Role.MANAGER, "access_rule.remove")
    async def remove_rule(self, rule_id: int) -> None:
        removed = await self._repo.remove_rule(rule_id)
        if removed is None:
            raise NotFound(f"no access rule {rule_id}")
        # Removing the last rule opens access to all; any other removal may narrow it.
        revoked = bool(await self._repo.rules())
        await self._announce(
            "rule", rule_id, "removed", f"Access rule {rule_id} removed", revoked=revoked
        )

    async def _announce(
        self,
        subject: str,
        key: int,
        action: str,
        message: str,
        revoked: bool = False,
        blocked: tuple[str, ...] = (),
    ) -> None:
        now = self._clock()
        await self._events.append(
            f"access.{subject}",
            Severity.INFO,
            message,
            None,
            {subject + "_id": key, "action": action, "revoked": revoked},
            now,
        )
        self._bus.publish(AccessChanged(now, "", subject, str(key), action, revoked, blocked))


def _checked_driver(driver: Driver) -> Driver:
    if driver.monthly_budget_minor is not None and driver.monthly_budget_minor < 0:
        raise InvalidInput("monthly budget: zero or more")
    return dataclasses.replace(
        driver,
        name=checked_name(driver.name, "name"),
        email=checked_email(driver.email),
        phone=checked_phone(driver.phone),
        notes=checked_notes(driver.notes),
    )


def _deactivated(before: DriverCard, after: DriverCard) -> bool:
    return before.driver.active and not after.driver.active


def _driver_message(before: DriverCard, after: DriverCard) -> str:
    if _deactivated(before, after):
        return f"Driver {after.driver.name} deactivated"
    if after.driver.active and not before.driver.active:
        return f"Driver {after.driver.name} activated"
    return f"Driver {after.driver.name} changed"
