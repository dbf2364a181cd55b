"""The event log and alarms over HTTP: pages, filters, and who acknowledged what when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from tests.api.conftest import Api
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until


async def page(http: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await http.get("/api/v1/events", params=params)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def a_busy_morning(api: Api) -> None:
    """CP-A and CP-B connect and boot; CP-A's connector 1 faults; CP-B leaves."""
    a = await RawCharger.connect(api.ocpp_url, "CP-A")
    await a.boot()
    b = await RawCharger.connect(api.ocpp_url, "CP-B")
    await b.boot()
    await a.ok(
        "StatusNotification",
        {"connectorId": 1, "status": "Faulted", "errorCode": "GroundFailure", "info": "RCD"},
    )
    await b.close()
    await a.close()
    async with api.client(api.read_token) as http:

        async def both_gone() -> bool:
            left = await page(http, kind="station.disconnected")
            return int(left["total"]) == 2

        await until(both_gone)


async def test_the_event_log_pages_newest_first(api: Api) -> None:
    await a_busy_morning(api)
    async with api.client(api.read_token) as http:
        everything = await page(http, limit=1000)
        ids = [r["id"] for r in everything["records"]]
        assert everything["total"] == len(ids) >= 5
        assert ids == sorted(ids, reverse=True)
        pages = [await page(http, offset=offset, limit=2) for offset in range(0, len(ids), 2)]
        assert [r["id"] for p in pages for r in p["records"]] == ids
        assert all((p["total"], p["limit"]) == (len(ids), 2) for p in pages)
        assert [p["offset"] for p in pages] == list(range(0, len(ids), 2))
        beyond = await page(http, offset=len(ids))
        assert (beyond["records"], beyond["total"]) == ([], len(ids))
        first = everything["records"][0]
        assert datetime.fromisoformat(first["timestamp"]).tzinfo is not None
        assert first["severity"] in ("info", "warning", "alarm")


async def test_the_event_log_filters_by_kind_station_severity_and_text(api: Api) -> None:
    await a_busy_morning(api)
    async with api.client(api.read_token) as http:
        connected = await page(http, kind="station.connected")
        assert {r["station_id"] for r in connected["records"]} == {"CP-A", "CP-B"}
        assert connected["total"] == 2

        of_a = await page(http, station_id="CP-A")
        assert of_a["total"] >= 3
        assert {r["station_id"] for r in of_a["records"]} == {"CP-A"}

        alarms = await page(http, severity="alarm")
        assert [(r["kind"], r["station_id"]) for r in alarms["records"]] == [
            ("connector.fault", "CP-A")
        ]
        fault = alarms["records"][0]
        assert fault["data"]["error_code"] == "GroundFailure"

        by_text = await page(http, text="groundfailure")  # any case
        assert [r["id"] for r in by_text["records"]] == [fault["id"]]
        by_station_text = await page(http, text="cp-b")
        assert {r["station_id"] for r in by_station_text["records"]} == {"CP-B"}
        both = await page(http, kind="station.disconnected", station_id="CP-B")
        assert both["total"] == 1

        refusals: list[dict[str, str | int]] = [
            {"limit": 0},
            {"limit": 1001},
            {"offset": -1},
            {"severity": "catastrophe"},
            {"text": "x" * 201},
        ]
        for params in refusals:
            response = await http.get("/api/v1/events", params=params)
            assert response.status_code == 400, (params, response.text)


async def test_a_faulted_connector_raises_an_alarm_that_can_be_acknowledged(api: Api) -> None:
    cp = await RawCharger.connect(api.ocpp_url, "CP-F")
    await cp.boot()
    await cp.ok(
        "StatusNotification",
        {"connectorId": 2, "status": "Faulted", "errorCode": "OverCurrentFailure"},
    )
    async with api.client(api.control_token) as http:
        alarms = (await http.get("/api/v1/alarms", params={"station_id": "CP-F"})).json()
        (alarm,) = alarms
        assert alarm["kind"] == "connector.fault"
        assert alarm["severity"] == "alarm"
        assert "OverCurrentFailure" in alarm["message"]
        assert (alarm["acknowledged_by"], alarm["acknowledged_at"]) == (None, None)

        path = f"/api/v1/alarms/{alarm['event_id']}/acknowledge"
        response = await http.post(path, json={"by": "Ada"})
        assert response.status_code == 200, response.text
        seen = response.json()
        assert seen["event_id"] == alarm["event_id"]
        assert seen["acknowledged_by"] == "Ada"
        assert datetime.fromisoformat(seen["acknowledged_at"]).tzinfo is not None

        # The first acknowledgement stands.
        again = await http.post(path, json={"by": "Grace"})
        assert again.status_code == 200
        assert again.json() == seen

        listed = (await http.get("/api/v1/alarms", params={"station_id": "CP-F"})).json()
        assert listed == [seen]
        open_only = await http.get(
            "/api/v1/alarms", params={"station_id": "CP-F", "include_acknowledged": "false"}
        )
        assert open_only.json() == []
    await cp.close()


async def test_only_an_alarm_can_be_acknowledged_and_only_by_someone(api: Api) -> None:
    cp = await RawCharger.connect(api.ocpp_url, "CP-Q")
    await cp.boot()
    await cp.ok(
        "StatusNotification", {"connectorId": 1, "status": "Faulted", "errorCode": "OtherError"}
    )
    async with api.client(api.control_token) as http:
        (connected,) = (await page(http, kind="station.connected"))["records"]
        (alarm,) = (await http.get("/api/v1/alarms")).json()
        ack = f"/api/v1/alarms/{alarm['event_id']}/acknowledge"
        for path, body in [
            (ack, {"by": ""}),
            (ack, {"by": "   "}),
            (ack, {"by": "x" * 101}),
            (ack, {}),
            (ack, {"by": "Ada", "note": "seen"}),
            (f"/api/v1/alarms/{2**64}/acknowledge", {"by": "Ada"}),  # beyond any row id
        ]:
            response = await http.post(path, json=body)
            assert response.status_code == 400, (path, body, response.text)
            assert response.headers["content-type"] == "application/problem+json"
        # No alarm has the id of an entry that is none, nor of one never logged.
        for event_id in (connected["id"], 999_999):
            missing = await http.post(f"/api/v1/alarms/{event_id}/acknowledge", json={"by": "Ada"})
            assert missing.status_code == 404, missing.text
            assert missing.json()["type"].endswith("/not-found")
        no_body = await http.post(ack)
        assert no_body.status_code == 400
        assert no_body.json()["detail"] == "the request needs a JSON body"
        (still,) = (await http.get("/api/v1/alarms")).json()
    assert still["acknowledged_at"] is None
    await cp.close()
