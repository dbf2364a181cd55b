"""Store side of subscriptions: plans and their sites, subscriptions and pauses, and the
month's sessions of a driver as priced in session_charges.

Every rule that spans rows (one subscription per driver per day, no price change on
a plan with subscribers, no archiving while one runs) is checked inside the write
that changes them, before its first change: the writer holds the lock, so no other
process slips in between, and a refusal leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, RowMapping, delete, func, insert, or_, select, update

from app.domain.errors import InvalidInput, NotFound
from app.domain.statements import ChargedSession
from app.domain.subscriptions import (
    DEFAULT_VAT_RATE_BP,
    Pause,
    Plan,
    Subscription,
    check_no_overlap,
)
from app.store.database import Database
from app.store.schema import (
    drivers,
    fleets,
    plan_sites,
    session_charges,
    sites,
    subscription_pauses,
    subscription_plans,
    subscriptions,
    transactions,
)

T = TypeVar("T")

# ---- rows to domain objects -----------------------------------------------------------


def _plans(conn: Connection, rows: Sequence[RowMapping]) -> list[Plan]:
    ids = [row["id"] for row in rows]
    covered: dict[int, set[int]] = {plan_id: set() for plan_id in ids}
    if ids:
        for link in conn.execute(select(plan_sites).where(plan_sites.c.plan_id.in_(ids))):
            covered[link.plan_id].add(link.site_id)
    return [
        Plan(
            name=row["name"],
            monthly_fee_minor=row["monthly_fee_minor"],
            included_wh=row["included_wh"],
            price_per_kwh_minor=row["price_per_kwh_minor"],
            discount_bp=row["discount_bp"],
            currency=row["currency"],
            vat_rate_bp=row["vat_rate_bp"],
            site_ids=frozenset(covered[row["id"]]),
            archived=bool(row["archived"]),
            id=row["id"],
        )
        for row in rows
    ]


def _plan(conn: Connection, plan_id: int) -> Plan | None:
    rows = conn.execute(select(subscription_plans).where(subscription_plans.c.id == plan_id))
    found = _plans(conn, rows.mappings().all())
    return found[0] if found else None


def _subscriptions(conn: Connection, *conditions: Any) -> list[Subscription]:
    query = select(subscriptions).where(*conditions)
    rows = conn.execute(query.order_by(subscriptions.c.starts_on, subscriptions.c.id)).mappings()
    found = rows.all()
    pauses: dict[int, list[Pause]] = {row["id"]: [] for row in found}
    if pauses:
        query = select(subscription_pauses).where(
            subscription_pauses.c.subscription_id.in_(list(pauses))
        )
        for pause in conn.execute(query):
            pauses[pause.subscription_id].append(Pause(pause.from_date, pause.to_date))
    return [
        Subscription(
            driver_id=row["driver_id"],
            plan_id=row["plan_id"],
            starts_on=row["starts_on"],
            ends_on=row["ends_on"],
            pauses=tuple(pauses[row["id"]]),
            id=row["id"],
        )
        for row in found
    ]


def _plan_values(plan: Plan) -> dict[str, Any]:
    return {
        "name": plan.name,
        "monthly_fee_minor": plan.monthly_fee_minor,
        "included_wh": plan.included_wh,
        "price_per_kwh_minor": plan.price_per_kwh_minor,
        "discount_bp": plan.discount_bp,
        "currency": plan.currency,
        "vat_rate_bp": plan.vat_rate_bp,
        "archived": plan.archived,
    }


# ---- checks inside a write -------------------------------------------------------------


def _check_name_free(conn: Connection, name: str, plan_id: int) -> None:
    query = select(subscription_plans.c.id).where(
        func.lower(subscription_plans.c.name) == name.lower(), subscription_plans.c.id != plan_id
    )
    if conn.execute(query).first() is not None:
        raise InvalidInput(f"there is a plan called {name!r} already")


def _check_sites(conn: Connection, plan: Plan) -> None:
    known = set(conn.scalars(select(sites.c.id).where(sites.c.id.in_(list(plan.site_ids)))))
    missing = sorted(plan.site_ids - known)
    if missing:
        raise InvalidInput(f"there is no site {', '.join(map(str, missing))}")


def _set_sites(conn: Connection, plan: Plan) -> None:
    conn.execute(delete(plan_sites).where(plan_sites.c.plan_id == plan.id))
    if plan.site_ids:
        conn.execute(
            insert(plan_sites), [{"plan_id": plan.id, "site_id": s} for s in sorted(plan.site_ids)]
        )


def _check_overlap(conn: Connection, candidate: Subscription) -> None:
    others = _subscriptions(conn, subscriptions.c.driver_id == candidate.driver_id)
    names = dict(conn.execute(select(subscription_plans.c.id, subscription_plans.c.name)).all())
    check_no_overlap(candidate, others, {int(k): str(v) for k, v in names.items()})


def _running_or_upcoming(plan_id: int, today: date) -> Any:
    return (
        subscriptions.c.plan_id == plan_id,
        or_(subscriptions.c.ends_on.is_(None), subscriptions.c.ends_on >= today),
    )


@dataclass(frozen=True, slots=True)
class _Refused:
    error: InvalidInput | NotFound


class SqlSubscriptionRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def _write(self, op: Callable[[Connection], T]) -> T:
        """Run a write whose checks all come before its first change.

        A refusal is handed back as a value rather than raised in the writer, so it
        costs no replay of the group commit and no error in the log.
        """

        def guarded(conn: Connection) -> T | _Refused:
            try:
                return op(conn)
            except (InvalidInput, NotFound) as error:
                return _Refused(error)

        result = await self._db.write(guarded)
        if isinstance(result, _Refused):
            raise result.error
        return result

    # ---- plans ----

    async def plans(self, include_archived: bool = False) -> list[Plan]:
        def op(conn: Connection) -> list[Plan]:
            query = select(subscription_plans).order_by(func.lower(subscription_plans.c.name))
            if not include_archived:
                query = query.where(subscription_plans.c.archived.is_(False))
            return _plans(conn, conn.execute(query).mappings().all())

        return await self._db.read(op)

    async def plan(self, plan_id: int) -> Plan | None:
        return await self._db.read(lambda conn: _plan(conn, plan_id))

    async def plan_named(self, name: str) -> Plan | None:
        def op(conn: Connection) -> Plan | None:
            query = select(subscription_plans).where(
                func.lower(subscription_plans.c.name) == name.strip().lower()
            )
            found = _plans(conn, conn.execute(query).mappings().all())
            return found[0] if found else None

        return await self._db.read(op)

    async def create_plan(self, plan: Plan, now: datetime) -> Plan:
        def op(conn: Connection) -> Plan:
            _check_name_free(conn, plan.name, 0)
            _check_sites(conn, plan)
            values = {**_plan_values(plan), "created_at": now}
            plan_id = conn.execute(insert(subscription_plans).values(**values)).inserted_primary_key
            assert plan_id is not None
            stored = replace(plan, id=int(plan_id[0]))
            _set_sites(conn, stored)
            return stored

        return await self._write(op)

    async def update_plan(self, plan: Plan) -> Plan:
        """Name, sites and archived may always change; prices only without subscribers."""

        def op(conn: Connection) -> Plan:
            old = _plan(conn, plan.id)
            if old is None:
                raise NotFound(f"there is no plan {plan.id}")
            _check_name_free(conn, plan.name, plan.id)
            if not old.same_prices(plan):
                query = select(func.count()).where(subscriptions.c.plan_id == plan.id)
                subscribers = conn.scalar(query) or 0
                if subscribers:
                    raise InvalidInput(
                        f"plan {old.name!r} has {subscribers} subscription(s): its prices cannot "
                        "change, as months already charged would change with them; create a new "
                        "plan and move the drivers to it"
                    )
            _check_sites(conn, plan)
            values = _plan_values(plan)
            conn.execute(
                update(subscription_plans)
                .where(subscription_plans.c.id == plan.id)
                .values(**values)
            )
            _set_sites(conn, plan)
            return plan

        return await self._write(op)

    async def set_plan_archived(self, plan_id: int, archived: bool, today: date) -> Plan:
        def op(conn: Connection) -> Plan:
            plan = _plan(conn, plan_id)
            if plan is None:
                raise NotFound(f"there is no plan {plan_id}")
            if archived:
                query = select(func.count()).where(*_running_or_upcoming(plan_id, today))
                running = conn.scalar(query) or 0
                if running:
                    raise InvalidInput(
                        f"plan {plan.name!r} still has {running} subscription(s) that have not "
                        "ended; end them before archiving the plan"
                    )
            conn.execute(
                update(subscription_plans)
                .where(subscription_plans.c.id == plan_id)
                .values(archived=archived)
            )
            return replace(plan, archived=archived)

        return await self._write(op)

    # ---- subscriptions ----

    async def subscriptions(
        self, *, driver_id: int | None = None, plan_id: int | None = None
    ) -> list[Subscription]:
        conditions = []
        if driver_id is not None:
            conditions.append(subscriptions.c.driver_id == driver_id)
        if plan_id is not None:
            conditions.append(subscriptions.c.plan_id == plan_id)
        return await self._db.read(lambda conn: _subscriptions(conn, *conditions))

    async def subscription(self, subscription_id: int) -> Subscription | None:
        def op(conn: Connection) -> Subscription | None:
            found = _subscriptions(conn, subscriptions.c.id == subscription_id)
            return found[0] if found else None

        return await self._db.read(op)

    async def add_subscription(self, subscription: Subscription, now: datetime) -> Subscription:
        def op(conn: Connection) -> Subscription:
            plan = _plan(conn, subscription.plan_id)
            if plan is None:
                raise NotFound(f"there is no plan {subscription.plan_id}")
            if plan.archived:
                raise InvalidInput(f"plan {plan.name!r} is archived: no new subscriptions")
            driver = select(drivers.c.id).where(drivers.c.id == subscription.driver_id)
            if conn.execute(driver).first() is None:
                raise NotFound(f"there is no driver {subscription.driver_id}")
            _check_overlap(conn, subscription)
            values = {
                "driver_id": subscription.driver_id,
                "plan_id": subscription.plan_id,
                "starts_on": subscription.starts_on,
                "ends_on": subscription.ends_on,
                "created_at": now,
            }
            key = conn.execute(insert(subscriptions).values(**values)).inserted_primary_key
            assert key is not None
            stored = replace(subscription, id=int(key[0]))
            _insert_pauses(conn, stored)
            return stored

        return await self._write(op)

    async def save_subscription(self, subscription: Subscription) -> Subscription:
        """Store a changed end and pauses (the driver, plan and start never change)."""

        def op(conn: Connection) -> Subscription:
            _check_overlap(conn, subscription)
            changed = conn.execute(
                update(subscriptions)
                .where(subscriptions.c.id == subscription.id)
                .values(ends_on=subscription.ends_on)
            ).rowcount
            if not changed:
                raise NotFound(f"there is no subscription {subscription.id}")
            conn.execute(
                delete(subscription_pauses).where(
                    subscription_pauses.c.subscription_id == subscription.id
                )
            )
            _insert_pauses(conn, subscription)
            return subscription

        return await self._write(op)

    # ---- drivers and their sessions ----

    async def driver(self, driver_id: int) -> tuple[str, str | None] | None:
        """The driver's name and fleet name."""

        def op(conn: Connection) -> tuple[str, str | None] | None:
            query = (
                select(drivers.c.name, fleets.c.name.label("fleet"))
                .outerjoin(fleets, drivers.c.fleet_id == fleets.c.id)
                .where(drivers.c.id == driver_id)
            )
            row = conn.execute(query).first()
            return None if row is None else (row.name, row.fleet)

        return await self._db.read(op)

    async def drivers_named(self, name: str) -> list[int]:
        def op(conn: Connection) -> list[int]:
            query = select(drivers.c.id).where(func.lower(drivers.c.name) == name.strip().lower())
            return list(conn.scalars(query.order_by(drivers.c.id)))

        return await self._db.read(op)

    async def included_wh_used(self, subscription_id: int, start: datetime, end: datetime) -> int:
        """Allowance taken by the subscription's sessions that started in [start, end).

        A session priced final counts what it used. One whose final price is not
        stored yet (pricing runs just after the stop) counts what it will use: its
        energy up to what was left when it started. One still charging reserves all
        that was left when it started, so two sessions never share the same Wh.
        """

        def op(conn: Connection) -> int:
            query = (
                select(
                    session_charges.c.final,
                    session_charges.c.included_wh_used,
                    session_charges.c.plan_snapshot,
                    transactions.c.meter_start,
                    transactions.c.meter_stop,
                )
                .select_from(session_charges)
                .join(transactions, transactions.c.id == session_charges.c.transaction_id)
                .where(
                    session_charges.c.subscription_id == subscription_id,
                    transactions.c.started_at >= start,
                    transactions.c.started_at < end,
                )
            )
            return sum(_allowance_taken(row._mapping) for row in conn.execute(query))

        return await self._db.read(op)

    async def charged_sessions(
        self, driver_id: int, start: datetime, end: datetime
    ) -> list[ChargedSession]:
        """The driver's sessions that started in [start, end), with their stored prices."""

        def op(conn: Connection) -> list[ChargedSession]:
            query = (
                select(
                    transactions.c.id,
                    transactions.c.station_id,
                    transactions.c.started_at,
                    transactions.c.stopped_at,
                    session_charges.c.energy_wh,
                    session_charges.c.total_minor,
                    session_charges.c.vat_minor,
                    session_charges.c.tariff_snapshot,
                    session_charges.c.currency,
                    session_charges.c.included_wh_used,
                    session_charges.c.final,
                )
                .select_from(session_charges)
                .join(transactions, transactions.c.id == session_charges.c.transaction_id)
                .where(
                    session_charges.c.driver_id == driver_id,
                    transactions.c.started_at >= start,
                    transactions.c.started_at < end,
                )
                .order_by(transactions.c.started_at, transactions.c.id)
            )
            return [_charged(row._mapping) for row in conn.execute(query)]

        return await self._db.read(op)


def _allowance_taken(row: RowMapping) -> int:
    if row["final"]:
        return int(row["included_wh_used"] or 0)
    snapshot = row["plan_snapshot"]
    left = snapshot.get("included_wh_remaining") if isinstance(snapshot, dict) else None
    left = left if type(left) is int else 0
    if row["meter_stop"] is None:
        return left
    return min(left, max(0, int(row["meter_stop"]) - int(row["meter_start"])))


def _charged(row: RowMapping) -> ChargedSession:
    snapshot = row["tariff_snapshot"]
    rate = snapshot.get("vat_rate_bp") if isinstance(snapshot, dict) else None
    return ChargedSession(
        transaction_id=row["id"],
        station_id=row["station_id"],
        started_at=row["started_at"],
        stopped_at=row["stopped_at"],
        energy_wh=row["energy_wh"],
        total_minor=row["total_minor"],
        vat_minor=row["vat_minor"],
        vat_rate_bp=rate if type(rate) is int else DEFAULT_VAT_RATE_BP,
        currency=row["currency"],
        included_wh_used=row["included_wh_used"] or 0,
        final=bool(row["final"]),
    )


def _insert_pauses(conn: Connection, subscription: Subscription) -> None:
    if subscription.pauses:
        conn.execute(
            insert(subscription_pauses),
            [
                {
                    "subscription_id": subscription.id,
                    "from_date": pause.from_date,
                    "to_date": pause.to_date,
                }
                for pause in subscription.pauses
            ],
        )
