"""Roles are checked in the services, whichever door a request came through, and audited."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import date
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from app.bootstrap import Engine
from app.domain import commands as c
from app.domain.api_tokens import TokenScope
from app.domain.audit import AuditQuery, Outcome
from app.domain.errors import InvalidInput, NotPermitted, NotSignedIn, SignInRefused
from app.domain.model import Admission, IdTag, IdTagStatus
from app.domain.operators import FAILURES_BEFORE_LOCK, Actor, Role, Source
from app.domain.tariffs import Tariff
from app.services.container import Services
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until

ADMIN = Actor("ada", Role.ADMIN, Source.UI)
PASSWORD = "correct horse battery"


def as_role(role: Role) -> Actor:
    return Actor(f"someone-{role.value}", role, Source.UI)


async def audit(services: Services, **filters: object) -> list[tuple[str, str, str, str]]:
    with services.acting(ADMIN):
        entries = await services.audit.entries(AuditQuery(**filters))  # type: ignore[arg-type]
    return [(e.actor, e.action, e.target, e.outcome.value) for e in reversed(entries)]


async def booted_station(engine: Engine, station_id: str) -> RawCharger:
    cp = await RawCharger.connect(f"ws://127.0.0.1:{engine.port}/ocpp", station_id)
    await cp.boot()
    return cp


async def test_an_attendant_may_start_and_unlock_but_not_reset_and_every_try_is_audited(
    engine: Engine,
) -> None:
    services = engine.services
    cp = await booted_station(engine, "CP-ROLE")
    attendant = as_role(Role.ATTENDANT)

    async def unlock() -> c.CommandResult:
        with services.acting(attendant):
            return await services.commands.send("CP-ROLE", c.UnlockConnector(1))

    sending = asyncio.create_task(unlock())
    call = await cp.next_call()
    assert call[2] == "UnlockConnector"
    await cp.reply(call, {"status": "Unlocked"})
    assert getattr(await sending, "status", None) == "Unlocked"
    with services.acting(attendant), pytest.raises(NotPermitted, match="needs the operator role"):
        await services.commands.send("CP-ROLE", c.Reset(c.ResetType.SOFT))
    with pytest.raises(TimeoutError):
        await cp.next_call(timeout=0.3)  # the refused Reset was never sent
    history = await services.commands.history(station_id="CP-ROLE")
    assert [(r.action, r.requested_by) for r in history] == [("UnlockConnector", attendant.name)]
    assert await audit(services, actor=attendant.name) == [
        (attendant.name, "command.UnlockConnector", "CP-ROLE", "ok"),
        (attendant.name, "command.Reset", "CP-ROLE", "denied"),
    ]
    await cp.close()


async def test_tariffs_are_a_managers_and_nobody_signed_in_may_do_anything_guarded(
    engine: Engine,
) -> None:
    services = engine.services
    tariff = Tariff(name="Day", energy_per_kwh_minor=350)
    with services.acting(as_role(Role.OPERATOR)), pytest.raises(NotPermitted):
        await services.tariffs.create(tariff)
    with services.acting(None), pytest.raises(NotSignedIn):
        await services.tariffs.create(tariff)
    with services.acting(as_role(Role.MANAGER)):
        created = await services.tariffs.create(tariff)
    assert [t.id for t in await services.tariffs.list()] == [created.id]
    outcomes = [(action, outcome) for _, action, _, outcome in await audit(services)]
    assert outcomes == [("tariff.create", "denied"), ("tariff.create", "ok")]


async def test_a_failed_action_is_audited_with_its_reason(engine: Engine) -> None:
    services = engine.services
    with services.acting(as_role(Role.OPERATOR)), pytest.raises(InvalidInput):
        await services.tags.create(IdTag("", IdTagStatus.ACCEPTED))
    ((_, action, _, outcome),) = await audit(services)
    assert (action, outcome) == ("tag.create", "failed")


async def test_sign_in_locks_after_repeated_wrong_passwords_until_an_admin_unlocks(
    engine: Engine,
) -> None:
    services = engine.services
    with services.acting(ADMIN):
        first = await services.operators.create("Ada", "Ada Admin", Role.ADMIN, PASSWORD)
        cashier = await services.operators.create("kim", "", Role.ATTENDANT, PASSWORD)
    assert (first.username, cashier.display_name) == ("ada", "kim")
    assert await services.operators.accounts_exist()
    for _ in range(FAILURES_BEFORE_LOCK):
        with pytest.raises(SignInRefused, match="wrong"):
            await services.operators.sign_in("kim", "not the password", Source.UI)
    with pytest.raises(SignInRefused, match="locked"):
        await services.operators.sign_in("kim", PASSWORD, Source.UI)
    with pytest.raises(SignInRefused, match="wrong"):
        await services.operators.sign_in("nobody", PASSWORD, Source.UI)
    with services.acting(first.as_actor(Source.UI)):
        await services.operators.unlock(cashier.id)
    signed_in = await services.operators.sign_in(" KIM ", PASSWORD, Source.UI)
    assert signed_in.last_login_at is not None
    entries = await audit(services, action_prefix="operator.sign_in")
    assert [o for *_, o in entries] == ["failed"] * (FAILURES_BEFORE_LOCK + 2) + ["ok"]
    assert entries[-2][0] == "nobody"


async def test_the_last_admin_stays_and_only_admins_manage_accounts(engine: Engine) -> None:
    services = engine.services
    with services.acting(ADMIN):
        with pytest.raises(InvalidInput, match="first operator account must be an admin"):
            await services.operators.create("kim", "", Role.ATTENDANT, PASSWORD)
        ada = await services.operators.create("ada", "", Role.ADMIN, PASSWORD)
        with pytest.raises(InvalidInput, match="last active admin"):
            await services.operators.set_role(ada.id, Role.MANAGER)
        with pytest.raises(InvalidInput, match="at least 10"):
            await services.operators.create("kim", "", Role.ATTENDANT, "short")
    with services.acting(as_role(Role.MANAGER)), pytest.raises(NotPermitted):
        await services.operators.create("kim", "", Role.ADMIN, PASSWORD)
    with services.acting(ada.as_actor(Source.UI)):
        assert [o.username for o in await services.operators.list()] == ["ada"]


async def test_the_audit_log_refuses_change_at_the_database(engine: Engine, db_url: str) -> None:
    services = engine.services
    with services.acting(as_role(Role.ATTENDANT)), pytest.raises(NotPermitted):
        await services.audit.entries(AuditQuery())
    assert len(await audit(services)) == 1
    path = Path(db_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:
        for statement in ("UPDATE audit_log SET outcome = 'ok'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)
    assert len(await audit(services)) == 1


async def test_an_api_token_acts_with_its_role(engine: Engine) -> None:
    services = engine.services
    await services.stations.add("CP-API")
    with services.acting(ADMIN):
        _, attendant = await services.api_tokens.create("desk", TokenScope.CONTROL, Role.ATTENDANT)
        _, operator = await services.api_tokens.create("ops", TokenScope.CONTROL, Role.OPERATOR)
    url = await engine.api_started()
    async with httpx.AsyncClient(base_url=url) as http:
        path = "/api/v1/stations/CP-API/reject"
        refused = await http.post(path, headers={"Authorization": f"Bearer {attendant}"})
        assert refused.status_code == 403
        assert refused.json()["type"].endswith("/role-forbidden")
        assert "attendant" in refused.json()["detail"]
        allowed = await http.post(path, headers={"Authorization": f"Bearer {operator}"})
    assert allowed.status_code in (200, 204), allowed.text
    assert (await services.stations.get("CP-API")).admission is Admission.REJECTED
    entries = await audit(services, action_prefix="station.admission")
    assert entries == [
        ("token:desk", "station.admission", "CP-API", "denied"),
        ("token:ops", "station.admission", "CP-API", "ok"),
    ]


async def test_a_refused_station_is_a_security_event_in_the_audit_log(engine: Engine) -> None:
    services = engine.services
    await services.stations.add("CP-LOCKED", password="a-strong-password-1")
    url = f"ws://127.0.0.1:{engine.port}/ocpp"
    with pytest.raises(InvalidStatus, match="401"):
        await RawCharger.connect(url, "CP-LOCKED", password="wrong-password-123")
    await until(lambda: audit_has(services, "station.refused"))


async def audit_has(services: Services, action: str) -> bool:
    return any(a == action for _, a, _, _ in await audit(services))


async def test_outcome_filter_reads_only_refusals(engine: Engine) -> None:
    services = engine.services
    with services.acting(as_role(Role.ATTENDANT)), pytest.raises(NotPermitted):
        await services.stations.add("CP-X")
    with services.acting(as_role(Role.OPERATOR)):
        await services.stations.add("CP-Y")
    denied = await audit(services, outcome=Outcome.DENIED)
    assert [(a, t) for _, a, t, _ in denied] == [("station.add", "CP-X")]


async def test_reports_are_for_managers(engine: Engine) -> None:
    services = engine.services
    today = date(2026, 11, 26)
    with services.acting(as_role(Role.OPERATOR)), pytest.raises(NotPermitted):
        await services.analytics.report(None, today, today)
    with services.acting(as_role(Role.MANAGER)):
        report = await services.analytics.report(None, today, today)
    assert report.usage.stations == ()
