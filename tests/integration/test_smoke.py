"""A charger boots, charges and stops; everything it said is stored."""

from __future__ import annotations

import pytest

from app.bootstrap import Engine
from app.domain.alarms import AlarmFilter
from app.domain.model import TransactionState
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until


async def test_boot_charge_and_stop_are_stored(engine: Engine, ocpp_url: str) -> None:
    cp = await RawCharger.connect(ocpp_url, "CP-1")
    boot = await cp.boot()
    assert boot["status"] == "Accepted"
    assert boot["interval"] == engine.settings.heartbeat_interval
    await cp.ok(
        "StatusNotification", {"connectorId": 1, "status": "Preparing", "errorCode": "NoError"}
    )
    start = await cp.ok(
        "StartTransaction",
        {
            "connectorId": 1,
            "idTag": "TAG1",
            "meterStart": 1000,
            "timestamp": "2026-01-01T10:00:00Z",
        },
    )
    tx_id = start["transactionId"]
    await cp.ok(
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": tx_id,
            "meterValue": [
                {
                    "timestamp": "2026-01-01T10:10:00Z",
                    "sampledValue": [
                        {"value": "2.5", "unit": "kWh"},
                        {"value": "7.2", "unit": "kW", "measurand": "Power.Active.Import"},
                    ],
                }
            ],
        },
    )
    await cp.ok(
        "StopTransaction",
        {
            "transactionId": tx_id,
            "meterStop": 4000,
            "timestamp": "2026-01-01T10:30:00Z",
            "reason": "EVDisconnected",
        },
    )
    await cp.close()

    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert tx.state is TransactionState.CLOSED
    assert tx.energy_wh == 3000
    assert tx.stop_reason == "EVDisconnected"
    samples = await engine.services.transactions.samples(tx_id)
    assert {(s.measurand, s.value, s.unit) for s in samples} == {
        ("Energy.Active.Import.Register", 2500.0, "Wh"),
        ("Power.Active.Import", 7200.0, "W"),
    }


async def test_a_stop_below_the_start_reading_is_flagged_not_refused(
    engine: Engine, ocpp_url: str
) -> None:
    cp = await RawCharger.connect(ocpp_url, "CP-RESET")
    await cp.boot()
    tx_id = (
        await cp.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": "T",
                "meterStart": 5000,
                "timestamp": "2026-01-01T10:00:00Z",
            },
        )
    )["transactionId"]
    await cp.ok(
        "StopTransaction",
        {"transactionId": tx_id, "meterStop": 100, "timestamp": "2026-01-01T11:00:00Z"},
    )
    await cp.close()
    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert tx.energy_wh == 0
    alarms = await engine.services.alarms.find(AlarmFilter())
    assert any(a.kind == "transaction.meter_backwards" for a in alarms)


async def test_a_transaction_on_connector_zero_is_refused(engine: Engine, ocpp_url: str) -> None:
    cp = await RawCharger.connect(ocpp_url, "CP-ZERO")
    await cp.boot()
    answer = await cp.call(
        "StartTransaction",
        {"connectorId": 0, "idTag": "T", "meterStart": 0, "timestamp": "2026-01-01T10:00:00Z"},
    )
    await cp.close()
    assert answer[0] == 4
    assert answer[2] == "PropertyConstraintViolation"
    assert await engine.services.transactions.find() == []


async def test_the_engine_sends_nothing_unasked_unless_the_station_allows_it(
    engine: Engine, ocpp_url: str
) -> None:
    quiet = await RawCharger.connect(ocpp_url, "CP-QUIET-BOOT")
    await quiet.boot()
    with pytest.raises(TimeoutError):
        await quiet.next_call(timeout=0.5)
    await quiet.close()

    await engine.services.stations.add("CP-FETCH")
    await engine.services.stations.set_auto_fetch_configuration("CP-FETCH", True)
    cp = await RawCharger.connect(ocpp_url, "CP-FETCH")
    await cp.boot()
    call = await cp.next_call()
    assert call[2:] == ["GetConfiguration", {}]
    await cp.reply(
        call,
        {"configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}]},
    )

    async def stored() -> bool:
        return bool(await engine.services.stations.configuration("CP-FETCH"))

    await until(stored)
    keys = await engine.services.stations.configuration("CP-FETCH")
    assert [(k.key, k.value) for k in keys] == [("HeartbeatInterval", "300")]
    await cp.close()
