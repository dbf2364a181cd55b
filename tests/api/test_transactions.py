"""Charging sessions over HTTP: found by station, tag, state and time, with their meter series."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx

from tests.api.conftest import Api
from tests.fakes.raw_charger import RawCharger


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def ago(minutes: float) -> datetime:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).replace(microsecond=0)


async def start(cp: RawCharger, connector: int, id_tag: str, meter: int, at: datetime) -> int:
    answer = await cp.ok(
        "StartTransaction",
        {"connectorId": connector, "idTag": id_tag, "meterStart": meter, "timestamp": iso(at)},
    )
    transaction_id: int = answer["transactionId"]
    return transaction_id


async def meter(cp: RawCharger, transaction_id: int, at: datetime, kwh: str, watts: str) -> None:
    await cp.ok(
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": transaction_id,
            "meterValue": [
                {
                    "timestamp": iso(at),
                    "sampledValue": [
                        {"value": kwh, "measurand": "Energy.Active.Import.Register", "unit": "kWh"},
                        {"value": watts, "measurand": "Power.Active.Import", "unit": "W"},
                    ],
                }
            ],
        },
    )


async def ids(http: httpx.AsyncClient, **params: Any) -> list[int]:
    response = await http.get("/api/v1/transactions", params=params)
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()]


async def sessions(api: Api) -> tuple[RawCharger, int, int]:
    """CP-TX: closed, an hour ago on connector 1 (tag-a); open since 10 min ago (TAG-B)."""
    async with api.client(api.control_token) as http:
        for tag in ("TAG-A", "TAG-B"):
            assert (await http.put(f"/api/v1/tags/{tag}", json={})).status_code == 200
    cp = await RawCharger.connect(api.ocpp_url, "CP-TX")
    await cp.boot()
    first = await start(cp, 1, "tag-a", 1000, ago(60))
    await meter(cp, first, ago(50), "1.5", "7000")
    await meter(cp, first, ago(40), "3.25", "6800")
    await cp.ok(
        "StopTransaction",
        {"transactionId": first, "meterStop": 5000, "timestamp": iso(ago(30)), "reason": "Local"},
    )
    second = await start(cp, 2, "TAG-B", 200, ago(10))
    return cp, first, second


async def test_sessions_are_found_by_station_tag_and_state(api: Api) -> None:
    cp, closed, running = await sessions(api)
    other = await RawCharger.connect(api.ocpp_url, "CP-OTHER")
    await other.boot()
    elsewhere = await start(other, 1, "TAG-A", 0, ago(5))
    async with api.client(api.read_token) as http:
        assert await ids(http) == [elsewhere, running, closed]  # newest first
        assert await ids(http, station_id="CP-TX") == [running, closed]
        assert await ids(http, station_id="CP-TX", state="open") == [running]
        assert await ids(http, station_id="CP-TX", state="closed") == [closed]
        assert await ids(http, id_tag="TAG-A") == [elsewhere, closed]
        # The tag as a reader spelled it finds the same sessions (tags are stored normalised).
        assert await ids(http, id_tag="tag-a") == [elsewhere, closed]
        assert await ids(http, id_tag=" Tag-B ") == [running]
        assert await ids(http, station_id="CP-NONE") == []
        assert await ids(http, limit=1) == [elsewhere]
        listed = (await http.get("/api/v1/transactions", params={"state": "closed"})).json()
    (session,) = listed
    assert session["station_id"] == "CP-TX"
    assert session["connector_id"] == 1
    assert session["id_tag"] == "TAG-A"
    assert (session["meter_start"], session["meter_stop"]) == (1000, 5000)
    assert session["stop_reason"] == "Local"
    assert session["state"] == "closed"
    await cp.close()
    await other.close()


async def test_sessions_are_found_by_when_they_started(api: Api) -> None:
    cp, closed, running = await sessions(api)
    half_an_hour_ago = iso(ago(30))
    async with api.client(api.read_token) as http:
        assert await ids(http, since=half_an_hour_ago) == [running]
        assert await ids(http, until=half_an_hour_ago) == [closed]
        assert await ids(http, since=iso(ago(90)), until=iso(ago(0))) == [running, closed]
        # An offset other than UTC names the same moment.
        local = ago(30).astimezone(timezone(timedelta(hours=2))).isoformat()
        assert await ids(http, since=local) == [running]
        refusals: list[dict[str, str | int]] = [
            {"since": "2026-11-25T08:00:00"},  # no time zone: which 08:00?
            {"until": "2026-11-25T08:00:00"},
            {"since": iso(ago(10)), "until": iso(ago(20))},  # ends before it starts
            {"since": "yesterday"},
            {"since": "1700000000"},  # Unix time: the document promises ISO 8601
            {"state": "suspect"},
            {"limit": 0},
        ]
        for params in refusals:
            response = await http.get("/api/v1/transactions", params=params)
            assert response.status_code == 400, (params, response.text)
            assert response.headers["content-type"] == "application/problem+json"
    await cp.close()


async def test_a_session_comes_with_its_meter_series(api: Api) -> None:
    cp, closed, running = await sessions(api)
    async with api.client(api.read_token) as http:
        response = await http.get(f"/api/v1/transactions/{closed}")
        assert response.status_code == 200, response.text
        found = response.json()
        assert found["transaction"]["id"] == closed
        series = [(s["measurand"], s["value"], s["unit"]) for s in found["meter_values"]]
        assert series == [
            ("Energy.Active.Import.Register", 1500.0, "Wh"),  # sent in kWh
            ("Power.Active.Import", 7000.0, "W"),
            ("Energy.Active.Import.Register", 3250.0, "Wh"),
            ("Power.Active.Import", 6800.0, "W"),
        ]
        times = [datetime.fromisoformat(s["timestamp"]) for s in found["meter_values"]]
        assert times == sorted(times)
        assert all(t.tzinfo is not None for t in times)
        open_one = (await http.get(f"/api/v1/transactions/{running}")).json()
        assert open_one["transaction"]["state"] == "open"
        assert open_one["meter_values"] == []
        for missing in ("999999", str(2**63 - 1)):
            response = await http.get(f"/api/v1/transactions/{missing}")
            assert response.status_code == 404, (missing, response.text)
            assert response.json()["type"].endswith("/not-found")
        for not_an_id in ("not-a-number", str(2**64)):
            response = await http.get(f"/api/v1/transactions/{not_an_id}")
            assert response.status_code == 400, (not_an_id, response.text)
    await cp.close()
