"""A charger resends what it got no answer to; its readings must count once."""

from __future__ import annotations

from app.bootstrap import Engine
from tests.fakes.raw_charger import RawCharger

START = {"connectorId": 1, "idTag": "TAG1", "meterStart": 1000, "timestamp": "2026-11-26T08:00:00Z"}


def meter_values(tx_id: int, at: str, wh: str) -> dict[str, object]:
    return {
        "connectorId": 1,
        "transactionId": tx_id,
        "meterValue": [
            {
                "timestamp": at,
                "sampledValue": [
                    {"value": wh, "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
                    {"value": "7400", "measurand": "Power.Active.Import", "unit": "W"},
                ],
            }
        ],
    }


async def test_a_resent_meter_values_and_stop_are_stored_once(
    engine: Engine, ocpp_url: str
) -> None:
    cp = await RawCharger.connect(ocpp_url, "CP-RESEND")
    await cp.boot()
    tx_id = (await cp.ok("StartTransaction", START))["transactionId"]
    first = meter_values(tx_id, "2026-11-26T08:01:00Z", "1120")
    await cp.ok("MeterValues", first)
    await cp.ok("MeterValues", first)  # the answer was lost: the same message again
    await cp.ok("MeterValues", meter_values(tx_id, "2026-11-26T08:02:00Z", "1240"))
    stop = {
        "transactionId": tx_id,
        "meterStop": 1300,
        "timestamp": "2026-11-26T08:02:30Z",
        "reason": "Local",
        "transactionData": meter_values(tx_id, "2026-11-26T08:02:30Z", "1300")["meterValue"],
    }
    await cp.ok("StopTransaction", stop)
    await cp.ok("StopTransaction", stop)
    samples = await engine.services.transactions.samples(tx_id)
    assert [(s.timestamp.minute, s.timestamp.second, s.measurand) for s in samples] == [
        (1, 0, "Energy.Active.Import.Register"),
        (1, 0, "Power.Active.Import"),
        (2, 0, "Energy.Active.Import.Register"),
        (2, 0, "Power.Active.Import"),
        (2, 30, "Energy.Active.Import.Register"),
        (2, 30, "Power.Active.Import"),
    ]
    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert tx.energy_wh == 300
    await cp.close()


async def test_equal_readings_at_different_times_are_all_kept(
    engine: Engine, ocpp_url: str
) -> None:
    """A parked car's register stands still: same value, new time, a new reading."""
    cp = await RawCharger.connect(ocpp_url, "CP-STILL")
    await cp.boot()
    tx_id = (await cp.ok("StartTransaction", START))["transactionId"]
    for minute in (1, 2, 3):
        await cp.ok("MeterValues", meter_values(tx_id, f"2026-11-26T08:0{minute}:00Z", "1000"))
    assert len(await engine.services.transactions.samples(tx_id)) == 6
    await cp.close()
