"""OCPP 1.6 OCTT central-system cases for smart charging (checklist 3.19).

The central system must send exactly the profile the case describes, and refuse
before sending one that breaks §5.16 (those refusals are in test_conformance_spec).
"""

from __future__ import annotations

from app.bootstrap import Engine
from app.domain import commands as c
from tests.fakes.raw_charger import RawCharger
from tests.integration.ocpp16_steps import (
    add_tag,
    ago,
    ahead,
    authorize,
    booted,
    iso,
    last_command,
    operate,
    start,
    status,
)


def schedule(
    unit: c.ChargingRateUnit = c.ChargingRateUnit.AMPERE,
    limit: float = 6.0,
    *,
    duration: int | None = 3600,
    start_at: bool = True,
) -> c.ChargingSchedule:
    return c.ChargingSchedule(
        charging_rate_unit=unit,
        charging_schedule_period=(c.SchedulePeriod(0, limit),),
        duration=duration,
        start_schedule=ago(1) if start_at else None,
    )


def profile(
    profile_id: int,
    purpose: c.ProfilePurpose,
    *,
    stack_level: int = 0,
    transaction_id: int | None = None,
    kind: c.ProfileKind = c.ProfileKind.ABSOLUTE,
    unit: c.ChargingRateUnit = c.ChargingRateUnit.AMPERE,
    limit: float = 6.0,
) -> c.ChargingProfile:
    absolute = kind is c.ProfileKind.ABSOLUTE
    return c.ChargingProfile(
        charging_profile_id=profile_id,
        stack_level=stack_level,
        charging_profile_purpose=purpose,
        charging_profile_kind=kind,
        charging_schedule=schedule(unit, limit, start_at=absolute),
        transaction_id=transaction_id,
        valid_from=ago(1) if absolute else None,
        valid_to=ahead(120) if absolute else None,
    )


async def charging(engine: Engine, ocpp_url: str, station_id: str) -> tuple[RawCharger, int]:
    """A booted charger with a transaction running on connector 1."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, station_id)
    await status(cp, 1, "Preparing")
    tx_id = (await start(cp, "TAG-OK"))["transactionId"]
    await status(cp, 1, "Charging")
    return cp, tx_id


async def test_tc_056_central_smart_charging_tx_default_profile(
    engine: Engine, ocpp_url: str
) -> None:
    """TC_056_CSMS: SetChargingProfile TxDefaultProfile, Absolute, validFrom/validTo,
    startSchedule, duration, 6 A; no transactionId, no recurrencyKind; Accepted."""
    cp = await booted(ocpp_url, "CP-056")
    command = c.SetChargingProfile(1, profile(1, c.ProfilePurpose.TX_DEFAULT))
    call, result = await operate(engine, cp, "CP-056", command, {"status": "Accepted"})
    assert call[2] == "SetChargingProfile"
    sent = call[3]["csChargingProfiles"]
    assert call[3]["connectorId"] == 1
    assert sent["chargingProfilePurpose"] == "TxDefaultProfile"
    assert sent["chargingProfileKind"] == "Absolute"
    assert {"validFrom", "validTo"} <= set(sent)
    assert "transactionId" not in sent
    assert "recurrencyKind" not in sent
    assert sent["chargingSchedule"] == {
        "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 6.0}],
        "duration": 3600,
        "startSchedule": sent["chargingSchedule"]["startSchedule"],
    }
    assert sent["chargingSchedule"]["startSchedule"].endswith("Z")
    assert result == c.StatusResult("Accepted")

    watts = c.SetChargingProfile(
        1, profile(2, c.ProfilePurpose.TX_DEFAULT, unit=c.ChargingRateUnit.WATT, limit=6000)
    )
    call, _result = await operate(engine, cp, "CP-056", watts, {"status": "Accepted"})
    assert call[3]["csChargingProfiles"]["chargingSchedule"]["chargingRateUnit"] == "W"
    assert (await last_command(engine, "CP-056")).outcome == "accepted"
    await cp.close()


async def test_tc_057_central_smart_charging_tx_profile(engine: Engine, ocpp_url: str) -> None:
    """TC_057_CSMS: during a transaction, TxProfile naming the transaction id the CSMS
    issued (Absolute with validFrom/validTo/startSchedule/duration; Relative without
    startSchedule) Accepted."""
    cp, tx_id = await charging(engine, ocpp_url, "CP-057")
    absolute = c.SetChargingProfile(
        1, profile(3, c.ProfilePurpose.TX, stack_level=1, transaction_id=tx_id)
    )
    call, _result = await operate(engine, cp, "CP-057", absolute, {"status": "Accepted"})
    sent = call[3]["csChargingProfiles"]
    assert (sent["chargingProfilePurpose"], sent["transactionId"]) == ("TxProfile", tx_id)
    assert {"validFrom", "validTo"} <= set(sent)
    assert {"startSchedule", "duration"} <= set(sent["chargingSchedule"])

    relative = c.SetChargingProfile(
        1,
        profile(
            4,
            c.ProfilePurpose.TX,
            stack_level=2,
            transaction_id=tx_id,
            kind=c.ProfileKind.RELATIVE,
        ),
    )
    call, _result = await operate(engine, cp, "CP-057", relative, {"status": "Accepted"})
    sent = call[3]["csChargingProfiles"]
    assert sent["chargingProfileKind"] == "Relative"
    assert "startSchedule" not in sent["chargingSchedule"]
    await cp.close()


async def test_tc_059_remote_start_transaction_with_charging_profile(
    engine: Engine, ocpp_url: str
) -> None:
    """TC_059_CSMS: RemoteStartTransaction with a TxProfile (no transactionId, first
    startPeriod 0, no recurrencyKind); then Authorize and StartTransaction Accepted."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-059")
    tx_profile = c.ChargingProfile(
        charging_profile_id=5,
        stack_level=0,
        charging_profile_purpose=c.ProfilePurpose.TX,
        charging_profile_kind=c.ProfileKind.RELATIVE,
        charging_schedule=c.ChargingSchedule(
            c.ChargingRateUnit.AMPERE, (c.SchedulePeriod(0, 16.0), c.SchedulePeriod(600, 8.5))
        ),
    )
    command = c.RemoteStartTransaction("TAG-OK", 1, tx_profile)
    call, _result = await operate(engine, cp, "CP-059", command, {"status": "Accepted"})
    assert call[2:] == [
        "RemoteStartTransaction",
        {
            "idTag": "TAG-OK",
            "connectorId": 1,
            "chargingProfile": {
                "chargingProfileId": 5,
                "stackLevel": 0,
                "chargingProfilePurpose": "TxProfile",
                "chargingProfileKind": "Relative",
                "chargingSchedule": {
                    "chargingRateUnit": "A",
                    "chargingSchedulePeriod": [
                        {"startPeriod": 0, "limit": 16.0},
                        {"startPeriod": 600, "limit": 8.5},
                    ],
                },
            },
        },
    ]
    assert (await authorize(cp, "TAG-OK"))["status"] == "Accepted"
    answer = await start(cp, "TAG-OK")
    assert answer["idTagInfo"]["status"] == "Accepted"
    await cp.close()


async def test_tc_066_get_composite_schedule(engine: Engine, ocpp_url: str) -> None:
    """TC_066_CSMS: GetCompositeSchedule(connector, duration, unit); the schedule is
    returned typed and kept in the command log."""
    cp = await booted(ocpp_url, "CP-066")
    begin = ago(0)
    answer = {
        "status": "Accepted",
        "connectorId": 1,
        "scheduleStart": iso(begin),
        "chargingSchedule": {
            "duration": 300,
            "chargingRateUnit": "W",
            "chargingSchedulePeriod": [
                {"startPeriod": 0, "limit": 11000.0, "numberPhases": 3},
                {"startPeriod": 120, "limit": 7400.5},
            ],
        },
    }
    command = c.GetCompositeSchedule(1, 300, c.ChargingRateUnit.WATT)
    call, result = await operate(engine, cp, "CP-066", command, answer)
    assert call[2:] == [
        "GetCompositeSchedule",
        {"connectorId": 1, "duration": 300, "chargingRateUnit": "W"},
    ]
    assert result == c.CompositeScheduleResult(
        status="Accepted",
        connector_id=1,
        schedule_start=begin,
        charging_schedule=c.ChargingSchedule(
            c.ChargingRateUnit.WATT,
            (c.SchedulePeriod(0, 11000.0, 3), c.SchedulePeriod(120, 7400.5)),
            duration=300,
        ),
    )
    assert (await last_command(engine, "CP-066")).response == answer
    await cp.close()


async def test_tc_067_clear_charging_profile(engine: Engine, ocpp_url: str) -> None:
    """TC_067_CSMS: three profiles during a transaction (ChargePointMax on 0, TxDefault,
    TxProfile with the transaction id; distinct ids), then ClearChargingProfile by id only,
    by criteria only, and with no fields at all."""
    cp, tx_id = await charging(engine, ocpp_url, "CP-067")
    installs = [
        c.SetChargingProfile(0, profile(10, c.ProfilePurpose.CHARGE_POINT_MAX, limit=32.0)),
        c.SetChargingProfile(1, profile(11, c.ProfilePurpose.TX_DEFAULT, stack_level=1)),
        c.SetChargingProfile(
            1, profile(12, c.ProfilePurpose.TX, stack_level=2, transaction_id=tx_id)
        ),
    ]
    sent_ids = []
    for install in installs:
        call, _result = await operate(engine, cp, "CP-067", install, {"status": "Accepted"})
        sent_ids.append(call[3]["csChargingProfiles"]["chargingProfileId"])
    assert sorted(set(sent_ids)) == [10, 11, 12]

    clears = [
        (c.ClearChargingProfile(id=12), {"id": 12}),
        (
            c.ClearChargingProfile(
                connector_id=1,
                charging_profile_purpose=c.ProfilePurpose.TX_DEFAULT,
                stack_level=1,
            ),
            {"connectorId": 1, "chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 1},
        ),
        (c.ClearChargingProfile(), {}),
    ]
    for command, payload in clears:
        call, result = await operate(engine, cp, "CP-067", command, {"status": "Accepted"})
        assert call[2:] == ["ClearChargingProfile", payload]
        assert result == c.StatusResult("Accepted")
    await cp.close()
