"""Spec-derived central-system checks X16-01…X16-22 (checklist 3.22) that the OCTT cases
do not fully exercise. Handshake, framing and credential checks (X16-18…X16-20) are
in test_conformance_security; reservation ids (X16-16) in test_conformance_reservation.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete

from app.bootstrap import Engine
from app.config import Settings, UnknownStationPolicy
from app.domain import commands as c
from app.domain.errors import InvalidInput, StationNotAccepted
from app.domain.model import ConnectorStatus, IdTagStatus, TransactionState
from app.store.schema import transactions
from tests.fakes.raw_charger import RawCharger
from tests.integration.ocpp16_steps import (
    add_tag,
    ago,
    ahead,
    authorize,
    booted,
    events_of,
    iso,
    last_command,
    nothing_sent,
    operate,
    start,
    status,
    stop,
)


@pytest.fixture
async def pending_engine(settings: Settings) -> AsyncIterator[Engine]:
    """Unknown stations are admitted as Pending, for an operator to approve."""
    async with Engine(settings.with_overrides(unknown_stations=UnknownStationPolicy.PENDING)) as e:
        yield e


# ---- transactions -----------------------------------------------------------------


@pytest.mark.parametrize("state", ["Invalid", "Blocked", "Expired"])
async def test_x16_01_refused_tag_still_gets_a_transaction_id(
    engine: Engine, ocpp_url: str, state: str
) -> None:
    """X16-01: StartTransaction.conf carries transactionId and idTagInfo also when the tag
    is unknown, blocked or expired."""
    if state == "Blocked":
        await add_tag(engine, "TAG", IdTagStatus.BLOCKED)
    elif state == "Expired":
        await add_tag(engine, "TAG", expiry=ago(1))
    cp = await booted(ocpp_url, f"CP-X1601-{state}")
    answer = await start(cp, "TAG")
    assert answer["idTagInfo"]["status"] == state
    await cp.close()
    tx = await engine.services.transactions.get(answer["transactionId"])
    assert tx is not None
    assert tx.id_tag_status.value == state


async def test_x16_02_transaction_ids_unique_across_stations_never_reused(
    engine: Engine, ocpp_url: str
) -> None:
    """X16-02: positive ids, unique across stations, never handed out again even after
    the newest rows are deleted."""
    one = await booted(ocpp_url, "CP-X1602-A")
    two = await booted(ocpp_url, "CP-X1602-B")
    ids = [
        (await start(one, "T", at=ago(3)))["transactionId"],
        (await start(two, "T", at=ago(3)))["transactionId"],
        (await start(one, "T", connector=2, at=ago(2)))["transactionId"],
    ]
    assert len(set(ids)) == 3
    assert all(i > 0 for i in ids)
    newest = max(ids)
    await engine.db.write(lambda conn: conn.execute(delete(transactions)))
    again = (await start(two, "T", at=ago(1)))["transactionId"]
    assert again > newest
    await one.close()
    await two.close()


async def test_x16_03_duplicate_start_transaction_returns_same_id(
    engine: Engine, ocpp_url: str
) -> None:
    """X16-03: an identical StartTransaction retried after a lost answer gets the same id;
    one row."""
    cp = await booted(ocpp_url, "CP-X1603")
    at = ago(5)
    first = await start(cp, "TAG", meter=42, at=at)
    second = await start(cp, "TAG", meter=42, at=at)
    assert second == first
    await cp.close()
    assert len(await engine.services.transactions.find(station_id="CP-X1603")) == 1


async def test_x16_04_transaction_id_minus_one_answered_normally(
    engine: Engine, ocpp_url: str
) -> None:
    """X16-04: MeterValues and StopTransaction with transactionId -1 get normal answers."""
    cp = await booted(ocpp_url, "CP-X1604")
    sample = {"timestamp": iso(ago(1)), "sampledValue": [{"value": "1500"}]}
    answer = await cp.call(
        "MeterValues", {"connectorId": 1, "transactionId": -1, "meterValue": [sample]}
    )
    assert answer[0] == 3
    assert answer[2] == {}
    answer = await cp.call(
        "StopTransaction",
        {"transactionId": -1, "meterStop": 1600, "timestamp": iso(ago(0)), "idTag": "T"},
    )
    assert answer[0] == 3
    assert answer[2] == {"idTagInfo": {"status": "Invalid"}}
    await cp.close()


async def test_x16_05_unknown_transaction_stop_and_meter_values(
    engine: Engine, ocpp_url: str
) -> None:
    """X16-05: StopTransaction / MeterValues for an unknown id: normal CALLRESULT, data
    kept, and the stop recorded in the event log as transaction.unknown_stop."""
    cp = await booted(ocpp_url, "CP-X1605")
    sample = {"timestamp": iso(ago(1)), "sampledValue": [{"value": "1500"}]}
    assert (
        await cp.ok(
            "MeterValues", {"connectorId": 1, "transactionId": 9999, "meterValue": [sample]}
        )
        == {}
    )
    assert await stop(cp, 9999, meter=2000, reason="Local") == {}
    await cp.close()
    [event] = await events_of(engine, "CP-X1605", "transaction.unknown_stop")
    assert event.data["transaction_id"] == 9999
    assert event.data["meter_stop"] == 2000
    assert await engine.services.transactions.find(station_id="CP-X1605") == []


async def test_x16_06_stop_transaction_variants(engine: Engine, ocpp_url: str) -> None:
    """X16-06: stop without idTag or reason (Local assumed); a stop tag other than the
    start tag gets its own idTagInfo."""
    await add_tag(engine, "START")
    await add_tag(engine, "OTHER", IdTagStatus.BLOCKED)
    cp = await booted(ocpp_url, "CP-X1606", connectors=2)
    first = (await start(cp, "START", connector=1))["transactionId"]
    second = (await start(cp, "START", connector=2))["transactionId"]
    assert await stop(cp, first) == {}
    assert await stop(cp, second, idTag="OTHER", reason="Local") == {
        "idTagInfo": {"status": "Blocked"}
    }
    await cp.close()
    one = await engine.services.transactions.get(first)
    two = await engine.services.transactions.get(second)
    assert one is not None
    assert two is not None
    assert (one.stop_reason, one.stop_id_tag) == ("Local", None)
    assert (two.stop_id_tag, two.state) == ("OTHER", TransactionState.CLOSED)


async def test_x16_07_queued_status_does_not_override_current(
    engine: Engine, ocpp_url: str
) -> None:
    """X16-07: a queued StatusNotification older than the current state is history only."""
    cp = await booted(ocpp_url, "CP-X1607")
    await status(cp, 1, "Charging", timestamp=iso(ago(0)))
    await status(cp, 1, "Preparing", timestamp=iso(ago(10)))
    await cp.close()
    [connector] = [
        s for s in await engine.services.stations.connectors("CP-X1607") if s.connector_id == 1
    ]
    assert connector.status is ConnectorStatus.CHARGING


# ---- boot, heartbeat, status, meter values, authorize --------------------------------------


async def test_x16_08_pending_station_gets_configuration_not_remote_start(
    pending_engine: Engine,
) -> None:
    """X16-08: Pending boot answer with the retry interval; while Pending the central
    system may Get/ChangeConfiguration but RemoteStart is refused and never sent."""
    url = f"ws://127.0.0.1:{pending_engine.port}/ocpp"
    cp = await RawCharger.connect(url, "CP-X1608")
    boot = await cp.boot()
    assert boot["status"] == "Pending"
    assert boot["interval"] == pending_engine.settings.boot_retry_interval
    assert boot["currentTime"].endswith("Z")

    with pytest.raises(StationNotAccepted):
        await pending_engine.services.commands.send("CP-X1608", c.RemoteStartTransaction("T", 1))
    with pytest.raises(StationNotAccepted):
        await pending_engine.services.commands.send("CP-X1608", c.RemoteStopTransaction(1))
    await nothing_sent(cp)
    assert (await last_command(pending_engine, "CP-X1608")).outcome == "refused"

    _call, result = await operate(
        pending_engine,
        cp,
        "CP-X1608",
        c.GetConfiguration(("HeartbeatInterval",)),
        {"configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "60"}]},
    )
    assert isinstance(result, c.ConfigurationResult)
    await operate(
        pending_engine,
        cp,
        "CP-X1608",
        c.ChangeConfiguration("HeartbeatInterval", "300"),
        {"status": "Accepted"},
    )
    await cp.close()


async def test_x16_09_heartbeat_current_time_utc(engine: Engine, ocpp_url: str) -> None:
    """X16-09: Heartbeat.conf carries currentTime, in UTC."""
    cp = await booted(ocpp_url, "CP-X1609")
    answer = await cp.ok("Heartbeat", {})
    moment = datetime.fromisoformat(answer["currentTime"])
    assert moment.utcoffset() is not None
    assert moment.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert abs((moment - datetime.now(UTC)).total_seconds()) < 5
    await cp.close()


async def test_x16_10_status_burst_and_new_transitions(engine: Engine, ocpp_url: str) -> None:
    """X16-10: connector 0 and a burst for 0..N right after boot; Preparing → Finishing."""
    cp = await RawCharger.connect(ocpp_url, "CP-X1610")
    await cp.boot()
    await status(cp, 0, "Unavailable")
    for connector in (1, 2, 3):
        await status(cp, connector, "Available")
    await status(cp, 0, "Faulted", "OtherError", vendorId="ACME", vendorErrorCode="E42")
    await status(cp, 1, "Preparing")
    await status(cp, 1, "Finishing")
    await cp.close()
    states = {s.connector_id: s for s in await engine.services.stations.connectors("CP-X1610")}
    assert set(states) == {0, 1, 2, 3}
    assert states[0].status is ConnectorStatus.FAULTED
    assert states[0].vendor_error_code == "E42"
    assert states[1].status is ConnectorStatus.FINISHING


async def test_x16_11_meter_values_tolerated(engine: Engine, ocpp_url: str) -> None:
    """X16-11: connector 0 (main meter) without transactionId; a value without measurand
    or unit is Energy.Active.Import.Register in Wh; SignedData and a value that fails
    a sanity check are still answered normally."""
    cp = await booted(ocpp_url, "CP-X1611")
    at = iso(ago(1))
    answer = await cp.call(
        "MeterValues",
        {
            "connectorId": 0,
            "meterValue": [
                {
                    "timestamp": at,
                    "sampledValue": [
                        {"value": "123456"},
                        {"value": "AB12CD", "format": "SignedData"},
                        {"value": "n/a", "measurand": "Voltage", "unit": "V"},
                    ],
                }
            ],
        },
    )
    assert answer[0] == 3, answer
    assert answer[2] == {}
    await cp.close()


async def test_x16_12_authorize_with_group(engine: Engine, ocpp_url: str) -> None:
    """X16-12: idTagInfo always has status; parentIdTag and expiryDate when known; a
    blocked group blocks its members."""
    await add_tag(engine, "FLEET")
    await add_tag(engine, "DRIVER", expiry=ahead(60), parent="FLEET")
    await add_tag(engine, "BANNED-FLEET", IdTagStatus.BLOCKED)
    await add_tag(engine, "BANNED-DRIVER", parent="BANNED-FLEET")
    cp = await booted(ocpp_url, "CP-X1612")
    info = await authorize(cp, "DRIVER")
    assert (info["status"], info["parentIdTag"]) == ("Accepted", "FLEET")
    assert info["expiryDate"].endswith("Z")
    assert (await authorize(cp, "BANNED-DRIVER"))["status"] == "Blocked"
    await cp.close()


# ---- checks before sending -------------------------------------------------------------


def tx_profile(
    purpose: c.ProfilePurpose = c.ProfilePurpose.TX,
    *,
    periods: tuple[c.SchedulePeriod, ...] = (c.SchedulePeriod(0, 16.0),),
    transaction_id: int | None = None,
    stack_level: int = 0,
    unit: c.ChargingRateUnit = c.ChargingRateUnit.AMPERE,
    recurrency: c.RecurrencyKind | None = None,
) -> c.ChargingProfile:
    return c.ChargingProfile(
        1,
        stack_level,
        purpose,
        c.ProfileKind.RELATIVE,
        c.ChargingSchedule(unit, periods),
        transaction_id=transaction_id,
        recurrency_kind=recurrency,
    )


async def refused_unsent(
    engine: Engine, cp: RawCharger, station_id: str, command: c.StationCommand
) -> str:
    with pytest.raises(InvalidInput) as caught:
        await engine.services.commands.send(station_id, command)
    await nothing_sent(cp)
    return str(caught.value)


async def test_x16_13_remote_start_checked_before_sending(engine: Engine, ocpp_url: str) -> None:
    """X16-13: connectorId above 0; an embedded profile is a TxProfile without
    transactionId. Otherwise InvalidInput and nothing reaches the charger."""
    cp = await booted(ocpp_url, "CP-X1613")
    for command in (
        c.RemoteStartTransaction("T", 0),
        c.RemoteStartTransaction("T", 1, tx_profile(c.ProfilePurpose.TX_DEFAULT)),
        c.RemoteStartTransaction("T", 1, tx_profile(transaction_id=5)),
    ):
        await refused_unsent(engine, cp, "CP-X1613", command)
    await cp.close()


async def test_x16_14_local_list_checked_before_sending(engine: Engine, ocpp_url: str) -> None:
    """X16-14: listVersion never 0 or -1; tags unique; SendLocalListMaxLength respected."""
    cp = await booted(ocpp_url, "CP-X1614")
    entry = c.AuthorizationEntry("T1", "Accepted")
    for version in (0, -1):
        await refused_unsent(engine, cp, "CP-X1614", c.SendLocalList(version, c.UpdateType.FULL))
    twice = c.SendLocalList(1, c.UpdateType.FULL, (entry, entry))
    assert "twice" in await refused_unsent(engine, cp, "CP-X1614", twice)
    await operate(
        engine,
        cp,
        "CP-X1614",
        c.GetConfiguration(),
        {"configurationKey": [{"key": "SendLocalListMaxLength", "readonly": True, "value": "1"}]},
    )
    two = c.SendLocalList(1, c.UpdateType.FULL, (entry, c.AuthorizationEntry("T2", "Accepted")))
    assert "at most 1" in await refused_unsent(engine, cp, "CP-X1614", two)
    await cp.close()


async def test_x16_15_charging_profiles_checked_before_sending(
    engine: Engine, ocpp_url: str
) -> None:
    """X16-15: TxProfile only on a running transaction; first period at 0, ascending;
    recurrencyKind only when Recurring; ChargePointMaxProfile on connector 0 only; the
    station's stack level, period count and rate unit limits respected."""
    cp = await booted(ocpp_url, "CP-X1615")
    for command in (
        c.SetChargingProfile(1, tx_profile()),  # nothing is running
        c.SetChargingProfile(
            1, tx_profile(c.ProfilePurpose.TX_DEFAULT, periods=(c.SchedulePeriod(60, 1),))
        ),
        c.SetChargingProfile(
            1,
            tx_profile(
                c.ProfilePurpose.TX_DEFAULT,
                periods=(
                    c.SchedulePeriod(0, 1),
                    c.SchedulePeriod(600, 1),
                    c.SchedulePeriod(300, 1),
                ),
            ),
        ),
        c.SetChargingProfile(
            1, tx_profile(c.ProfilePurpose.TX_DEFAULT, recurrency=c.RecurrencyKind.DAILY)
        ),
        c.SetChargingProfile(1, tx_profile(c.ProfilePurpose.CHARGE_POINT_MAX)),
    ):
        await refused_unsent(engine, cp, "CP-X1615", command)

    tx_id = (await start(cp, "T"))["transactionId"]
    wrong_tx = c.SetChargingProfile(1, tx_profile(transaction_id=tx_id + 1))
    assert "not running" in await refused_unsent(engine, cp, "CP-X1615", wrong_tx)
    await operate(
        engine,
        cp,
        "CP-X1615",
        c.SetChargingProfile(1, tx_profile(transaction_id=tx_id)),
        {"status": "Accepted"},
    )

    limits = [
        {"key": "ChargeProfileMaxStackLevel", "readonly": True, "value": "3"},
        {"key": "ChargingScheduleMaxPeriods", "readonly": True, "value": "2"},
        {"key": "ChargingScheduleAllowedChargingRateUnit", "readonly": True, "value": "Current"},
    ]
    await operate(engine, cp, "CP-X1615", c.GetConfiguration(), {"configurationKey": limits})
    default = c.ProfilePurpose.TX_DEFAULT
    three = tuple(c.SchedulePeriod(60 * i, 8) for i in range(3))
    limited: tuple[tuple[c.StationCommand, str], ...] = (
        (c.SetChargingProfile(1, tx_profile(default, stack_level=4)), "stack level"),
        (c.SetChargingProfile(1, tx_profile(default, periods=three)), "periods"),
        (c.SetChargingProfile(1, tx_profile(default, unit=c.ChargingRateUnit.WATT)), "Current"),
        (c.RemoteStartTransaction("T", 2, tx_profile(stack_level=9)), "stack level"),
    )
    for over_limit, reason in limited:
        assert reason in await refused_unsent(engine, cp, "CP-X1615", over_limit)
    await cp.close()


async def test_x16_17_stop_after_hard_reset_boot(engine: Engine, ocpp_url: str) -> None:
    """X16-17: a StopTransaction queued over a hard reset arrives after the next boot and
    closes the transaction with the charger's values."""
    cp = await booted(ocpp_url, "CP-X1617")
    tx_id = (await start(cp, "T", meter=0, at=ago(10)))["transactionId"]
    await operate(engine, cp, "CP-X1617", c.Reset(c.ResetType.HARD), {"status": "Accepted"})
    await cp.close()
    cp = await booted(ocpp_url, "CP-X1617")
    stopped_at = ago(1)
    assert await stop(cp, tx_id, meter=800, at=stopped_at, reason="HardReset") == {}
    await cp.close()
    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert (tx.state, tx.stop_reason, tx.stopped_at) == (
        TransactionState.CLOSED,
        "HardReset",
        stopped_at,
    )


# ---- data transfer and time ------------------------------------------------------------


async def test_x16_21_data_transfer_unknown_vendor(engine: Engine, ocpp_url: str) -> None:
    """X16-21: an unknown vendorId is answered UnknownVendorId, without data."""
    cp = await booted(ocpp_url, "CP-X1621")
    assert await cp.ok("DataTransfer", {"vendorId": "org.example"}) == {"status": "UnknownVendorId"}
    await cp.close()


async def test_x16_22_times_with_fractions_and_offsets(engine: Engine, ocpp_url: str) -> None:
    """X16-22: ISO 8601 with fractions and offsets is accepted and stored as UTC."""
    cp = await booted(ocpp_url, "CP-X1622")
    answer = await cp.ok(
        "StartTransaction",
        {
            "connectorId": 1,
            "idTag": "T",
            "meterStart": 0,
            "timestamp": "2026-03-01T12:30:00.123456+02:00",
        },
    )
    await cp.close()
    tx = await engine.services.transactions.get(answer["transactionId"])
    assert tx is not None
    assert tx.started_at == datetime(2026, 3, 1, 10, 30, 0, 123456, tzinfo=UTC)
