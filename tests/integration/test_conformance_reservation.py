"""OCPP 1.6 OCTT central-system cases for reservations (checklist 3.17) and X16-16.

OCPP 1.6 has no message for a reservation that ends at the station, so the
central system reads it from what it sees: the transaction that names it, the
connector coming back Available after the expiry time, or a Faulted/Unavailable
connector. Each test checks the stored reservation as well as the frames.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.bootstrap import Engine
from app.domain import commands as c
from app.domain.errors import CommandRejected, InvalidInput
from app.domain.model import IdTagStatus, Reservation, ReservationState
from app.services.commands import CommandService
from app.store.repositories import SqlCommandLog, SqlStationRepository, SqlTagRepository
from tests.fakes.raw_charger import RawCharger
from tests.integration.ocpp16_steps import (
    add_tag,
    ahead,
    authorize,
    booted,
    events_of,
    iso,
    nothing_sent,
    operate,
    operate_refused,
    start,
    status,
)


async def reservations(engine: Engine, station_id: str) -> dict[int, Reservation]:
    return {r.id: r for r in await engine.services.stations.reservations(station_id)}


async def reserve(
    engine: Engine, cp: RawCharger, station_id: str, command: c.ReserveNow
) -> list[Any]:
    call, result = await operate(engine, cp, station_id, command, {"status": "Accepted"})
    assert result == c.StatusResult("Accepted")
    return call


async def test_tc_046_reservation_of_a_connector_transaction(engine: Engine, ocpp_url: str) -> None:
    """TC_046_CSMS: ReserveNow Accepted; Reserved; the start names the reservation: used."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-046")
    expiry = ahead(30)
    call = await reserve(engine, cp, "CP-046", c.ReserveNow(1, expiry, "TAG-OK", 46))
    assert call[2] == "ReserveNow"
    assert call[3] == {
        "connectorId": 1,
        "expiryDate": call[3]["expiryDate"],
        "idTag": "TAG-OK",
        "reservationId": 46,
    }
    assert call[3]["expiryDate"].startswith(iso(expiry)[:-1])
    await status(cp, 1, "Reserved")
    assert (await reservations(engine, "CP-046"))[46].state is ReservationState.ACTIVE

    assert (await authorize(cp, "TAG-OK"))["status"] == "Accepted"
    await status(cp, 1, "Preparing")
    tx_id = (await start(cp, "TAG-OK", reservationId=46))["transactionId"]
    await status(cp, 1, "Charging")
    await cp.close()
    used = (await reservations(engine, "CP-046"))[46]
    assert (used.state, used.transaction_id) == (ReservationState.USED, tx_id)
    tx = await engine.services.transactions.get(tx_id)
    assert tx is not None
    assert tx.reservation_id == 46


async def test_tc_047_reservation_of_a_connector_expire(engine: Engine, ocpp_url: str) -> None:
    """TC_047_CSMS: ReserveNow Accepted; Reserved; after the expiry Available: expired."""
    cp = await booted(ocpp_url, "CP-047")
    expiry = datetime.now(UTC) + timedelta(seconds=0.3)
    await reserve(engine, cp, "CP-047", c.ReserveNow(1, expiry, "TAG-OK", 47))
    await status(cp, 1, "Reserved")
    await asyncio.sleep(max(0.0, (expiry - datetime.now(UTC)).total_seconds()) + 0.05)
    # Even before the station says so, nobody is shown a live reservation.
    assert (await reservations(engine, "CP-047"))[47].state is ReservationState.EXPIRED
    await status(cp, 1, "Available")
    await cp.close()
    stored = await SqlStationRepository(engine.db).reservation(47)
    assert stored is not None
    assert stored.state is ReservationState.EXPIRED
    assert stored.ended_at is not None
    assert len(await events_of(engine, "CP-047", "reservation.expired")) == 1


@pytest.mark.parametrize(
    ("case", "answer"),
    [
        ("TC_048_1", "Faulted"),
        ("TC_048_2", "Occupied"),
        ("TC_048_4", "Rejected"),
    ],
)
async def test_tc_048_reservation_refused(
    engine: Engine, ocpp_url: str, case: str, answer: str
) -> None:
    """TC_048_1_CSMS / TC_048_2_CSMS / TC_048_4_CSMS: ReserveNow answered Faulted,
    Occupied (connector Preparing) or Rejected: named error, no reservation kept."""
    station_id = f"CP-{case}"
    cp = await booted(ocpp_url, station_id)
    if answer == "Occupied":
        await status(cp, 1, "Preparing")
    _call, error = await operate_refused(
        engine,
        cp,
        station_id,
        c.ReserveNow(1, ahead(30), "TAG-OK", 48),
        {"status": answer},
        CommandRejected,
    )
    assert isinstance(error, CommandRejected)
    assert error.status == answer
    assert await reservations(engine, station_id) == {}
    await cp.close()


async def test_tc_048_3_reservation_of_a_connector_unavailable(
    engine: Engine, ocpp_url: str
) -> None:
    """TC_048_3_CSMS: ChangeAvailability(Inoperative) Accepted; Unavailable; ReserveNow
    answered Unavailable: no reservation."""
    cp = await booted(ocpp_url, "CP-0483")
    call, result = await operate(
        engine,
        cp,
        "CP-0483",
        c.ChangeAvailability(1, c.AvailabilityType.INOPERATIVE),
        {"status": "Accepted"},
    )
    assert call[2:] == ["ChangeAvailability", {"connectorId": 1, "type": "Inoperative"}]
    assert result == c.StatusResult("Accepted")
    await status(cp, 1, "Unavailable")
    await operate_refused(
        engine,
        cp,
        "CP-0483",
        c.ReserveNow(1, ahead(30), "TAG-OK", 483),
        {"status": "Unavailable"},
        CommandRejected,
    )
    assert await reservations(engine, "CP-0483") == {}
    await cp.close()


async def test_tc_049_reservation_of_a_charge_point_transaction(
    engine: Engine, ocpp_url: str
) -> None:
    """TC_049_CSMS: ReserveNow on connector 0 Accepted; a connector reports Reserved;
    the transaction naming it uses it."""
    await add_tag(engine, "TAG-OK")
    cp = await booted(ocpp_url, "CP-049", connectors=2)
    call = await reserve(engine, cp, "CP-049", c.ReserveNow(0, ahead(30), "TAG-OK", 49))
    assert call[3]["connectorId"] == 0
    await status(cp, 2, "Reserved")
    await status(cp, 2, "Available")  # a connector's status never ends a station-wide one
    assert (await reservations(engine, "CP-049"))[49].state is ReservationState.ACTIVE
    await status(cp, 2, "Preparing")
    tx_id = (await start(cp, "TAG-OK", connector=2, reservationId=49))["transactionId"]
    await cp.close()
    used = (await reservations(engine, "CP-049"))[49]
    assert (used.state, used.transaction_id, used.connector_id) == (
        ReservationState.USED,
        tx_id,
        0,
    )


async def test_tc_051_cancel_reservation(engine: Engine, ocpp_url: str) -> None:
    """TC_051_CSMS: ReserveNow Accepted; Reserved; CancelReservation(same id) Accepted;
    Available; the reservation is cancelled."""
    cp = await booted(ocpp_url, "CP-051")
    await reserve(engine, cp, "CP-051", c.ReserveNow(1, ahead(30), "TAG-OK", 51))
    await status(cp, 1, "Reserved")
    call, result = await operate(
        engine, cp, "CP-051", c.CancelReservation(51), {"status": "Accepted"}
    )
    assert call[2:] == ["CancelReservation", {"reservationId": 51}]
    assert result == c.StatusResult("Accepted")
    await status(cp, 1, "Available")
    await cp.close()
    assert (await reservations(engine, "CP-051"))[51].state is ReservationState.CANCELLED


async def test_tc_052_cancel_reservation_rejected(engine: Engine, ocpp_url: str) -> None:
    """TC_052_CSMS: the station dropped the reservation itself; CancelReservation answered
    Rejected: a named error, and the reservation is no longer shown as holding the connector."""
    cp = await booted(ocpp_url, "CP-052")
    await reserve(engine, cp, "CP-052", c.ReserveNow(1, ahead(30), "TAG-OK", 52))
    await status(cp, 1, "Reserved")
    await status(cp, 1, "Available")  # cancelled locally at the station
    _call, error = await operate_refused(
        engine, cp, "CP-052", c.CancelReservation(52), {"status": "Rejected"}, CommandRejected
    )
    assert isinstance(error, CommandRejected)
    assert error.status == "Rejected"
    await cp.close()
    assert (await reservations(engine, "CP-052"))[52].state is ReservationState.ENDED


async def test_tc_053_use_a_reserved_connector_with_parent_id_tag(
    engine: Engine, ocpp_url: str
) -> None:
    """TC_053_CSMS: ReserveNow for a tag with a group carries parentIdTag; another tag of
    the same group starts with the reservation id: accepted, reservation used."""
    await add_tag(engine, "GROUP-1")
    await add_tag(engine, "TAG-A", parent="GROUP-1")
    await add_tag(engine, "TAG-B", parent="GROUP-1")
    cp = await booted(ocpp_url, "CP-053")
    # The command service fills in the group when it can see the tags.
    commands = CommandService(
        engine.server.registry,
        SqlStationRepository(engine.db),
        SqlCommandLog(engine.db),
        engine.services.bus,
        engine.services.clock,
        timeout=5.0,
        tags=SqlTagRepository(engine.db),
    )
    task = asyncio.create_task(commands.send("CP-053", c.ReserveNow(1, ahead(30), "TAG-A", 53)))
    call = await cp.next_call()
    assert call[3]["idTag"] == "TAG-A"
    assert call[3]["parentIdTag"] == "GROUP-1"
    await cp.reply(call, {"status": "Accepted"})
    assert await task == c.StatusResult("Accepted")
    assert (await reservations(engine, "CP-053"))[53].parent_id_tag == "GROUP-1"

    await status(cp, 1, "Reserved")
    info = await authorize(cp, "TAG-B")
    assert info == {"status": "Accepted", "parentIdTag": "GROUP-1"}
    await status(cp, 1, "Preparing")
    answer = await start(cp, "TAG-B", reservationId=53)
    assert answer["idTagInfo"]["status"] == "Accepted"
    await cp.close()
    used = (await reservations(engine, "CP-053"))[53]
    assert (used.state, used.transaction_id) == (ReservationState.USED, answer["transactionId"])


async def test_tc_053_explicit_parent_id_tag_is_sent(engine: Engine, ocpp_url: str) -> None:
    """TC_053_CSMS: a parentIdTag given by the operator reaches the charger as given."""
    cp = await booted(ocpp_url, "CP-053B")
    call = await reserve(
        engine, cp, "CP-053B", c.ReserveNow(1, ahead(30), "TAG-A", 531, parent_id_tag="GROUP-1")
    )
    assert call[3]["parentIdTag"] == "GROUP-1"
    await cp.close()


# ---- X16-16 ---------------------------------------------------------------------------


async def test_x16_16_reservation_ids_are_not_reused(engine: Engine, ocpp_url: str) -> None:
    """X16-16: a used or cancelled reservation id is refused unsent; an active one may be
    renewed on the same station (ReserveNow with the same id replaces it)."""
    cp = await booted(ocpp_url, "CP-X1616")
    await reserve(engine, cp, "CP-X1616", c.ReserveNow(1, ahead(30), "TAG-OK", 1616))
    renewed = ahead(60)
    await reserve(engine, cp, "CP-X1616", c.ReserveNow(1, renewed, "TAG-OK", 1616))
    assert (await reservations(engine, "CP-X1616"))[1616].expiry_date == renewed
    await operate(engine, cp, "CP-X1616", c.CancelReservation(1616), {"status": "Accepted"})
    with pytest.raises(InvalidInput, match="already used"):
        await engine.services.commands.send("CP-X1616", c.ReserveNow(1, ahead(30), "T", 1616))
    await nothing_sent(cp)
    await cp.close()


async def test_x16_16_connector_zero_only_where_supported(engine: Engine, ocpp_url: str) -> None:
    """X16-16: connector 0 is reserved only if ReserveConnectorZeroSupported is not false;
    an expiry in the past is refused unsent."""
    cp = await booted(ocpp_url, "CP-X1616B")
    await operate(
        engine,
        cp,
        "CP-X1616B",
        c.GetConfiguration(("ReserveConnectorZeroSupported",)),
        {
            "configurationKey": [
                {"key": "ReserveConnectorZeroSupported", "readonly": True, "value": "false"}
            ]
        },
    )
    with pytest.raises(InvalidInput, match="connector 0"):
        await engine.services.commands.send("CP-X1616B", c.ReserveNow(0, ahead(30), "T", 1))
    with pytest.raises(InvalidInput, match="expiry"):
        await engine.services.commands.send("CP-X1616B", c.ReserveNow(1, ahead(-1), "T", 2))
    await nothing_sent(cp)
    await cp.close()


async def test_x16_16_faulted_connector_ends_its_reservation(engine: Engine, ocpp_url: str) -> None:
    """X16-16: a reservation ends when its connector goes Faulted."""
    await add_tag(engine, "TAG-OK", IdTagStatus.ACCEPTED)
    cp = await booted(ocpp_url, "CP-X1616C")
    await reserve(engine, cp, "CP-X1616C", c.ReserveNow(1, ahead(30), "TAG-OK", 1617))
    await status(cp, 1, "Reserved")
    await status(cp, 1, "Faulted", "GroundFailure")
    await cp.close()
    assert (await reservations(engine, "CP-X1616C"))[1617].state is ReservationState.ENDED
    assert len(await events_of(engine, "CP-X1616C", "reservation.ended")) == 1
