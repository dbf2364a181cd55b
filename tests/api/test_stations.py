"""Stations over HTTP: live state, approval of newcomers, passwords, configuration."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from app.bootstrap import Engine
from app.config import Settings, UnknownStationPolicy
from app.domain.api_tokens import TokenScope
from app.domain.operators import Role
from tests.api.conftest import Api
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until

PASSWORD = "correct-horse-battery"


def assert_problem(response: httpx.Response, status: int, kind: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/" + kind)


async def report(cp: RawCharger, connector: int, status: str, error: str = "NoError") -> None:
    await cp.ok(
        "StatusNotification", {"connectorId": connector, "status": status, "errorCode": error}
    )


async def refused_status(api: Api, station_id: str, **kwargs: Any) -> int:
    """Connect, expecting the websocket upgrade to be refused; the HTTP status it got."""
    with pytest.raises(InvalidStatus) as refused:
        await RawCharger.connect(api.ocpp_url, station_id, **kwargs)
    return refused.value.response.status_code


@pytest.fixture
async def pending_api(settings: Settings) -> AsyncIterator[Api]:
    """The shipped default: an unknown station waits until an operator accepts it."""
    pending = settings.with_overrides(unknown_stations=UnknownStationPolicy.PENDING)
    async with Engine(pending) as engine:
        url = await engine.api_started()
        _, reader = await engine.services.api_tokens.create("reader", TokenScope.READ)
        _, controller = await engine.services.api_tokens.create(
            "controller", TokenScope.CONTROL, Role.ADMIN
        )
        yield Api(engine, url, reader, controller)


async def test_the_list_shows_a_connected_charger_with_its_connectors_live(api: Api) -> None:
    cp = await RawCharger.connect(api.ocpp_url, "CP-LIVE")
    await cp.boot()
    await report(cp, 1, "Charging")
    await report(cp, 2, "Available")
    async with api.client(api.read_token) as http:
        listed = (await http.get("/api/v1/stations")).json()
        detail = (await http.get("/api/v1/stations/CP-LIVE")).json()
        connectors = (await http.get("/api/v1/stations/CP-LIVE/connectors")).json()
        everywhere = (await http.get("/api/v1/connectors")).json()
        (entry,) = [s for s in listed if s["station"]["id"] == "CP-LIVE"]
        assert entry == detail
        station = entry["station"]
        assert station["connected"] is True
        assert station["admission"] == "Accepted"
        assert station["boot"]["vendor"] == "TestVendor"
        states = {c["connector_id"]: c["status"] for c in entry["connectors"]}
        assert states == {1: "Charging", 2: "Available"}
        assert connectors == entry["connectors"]
        assert everywhere == entry["connectors"]

        await report(cp, 1, "Finishing")
        detail = (await http.get("/api/v1/stations/CP-LIVE")).json()
        assert {c["connector_id"]: c["status"] for c in detail["connectors"]}[1] == "Finishing"

        await cp.close()

        async def disconnected() -> bool:
            found = (await http.get("/api/v1/stations/CP-LIVE")).json()
            return found["station"]["connected"] is False

        await until(disconnected)


async def test_a_station_never_seen_is_not_found_everywhere(api: Api) -> None:
    async with api.client(api.control_token) as http:
        for method, path, body in [
            ("GET", "/api/v1/stations/CP-NONE", None),
            ("GET", "/api/v1/stations/CP-NONE/connectors", None),
            ("GET", "/api/v1/stations/CP-NONE/configuration", None),
            ("POST", "/api/v1/stations/CP-NONE/accept", {}),
            ("POST", "/api/v1/stations/CP-NONE/reject", None),
            ("PUT", "/api/v1/stations/CP-NONE/password", {"password": PASSWORD}),
        ]:
            response = await http.request(method, path, json=body)
            assert_problem(response, 404, "station-not-found")
        assert (await http.get("/api/v1/stations")).json() == []


async def test_a_pending_station_accepted_with_a_password_boots_accepted(
    pending_api: Api,
) -> None:
    api = pending_api
    cp = await RawCharger.connect(api.ocpp_url, "CP-NEW")
    assert (await cp.boot())["status"] == "Pending"
    async with api.client(api.control_token) as http:
        waiting = (await http.get("/api/v1/stations/CP-NEW")).json()
        assert waiting["station"]["admission"] == "Pending"
        # Until accepted, it gets only what OCPP allows a Pending station.
        response = await http.post("/api/v1/stations/CP-NEW/commands/reset", json={"type": "Soft"})
        assert_problem(response, 409, "station-not-accepted")

        response = await http.post("/api/v1/stations/CP-NEW/accept", json={"password": PASSWORD})
        assert response.status_code == 200, response.text
        station = response.json()["station"]
        assert (station["admission"], station["has_password"]) == ("Accepted", True)

    assert (await cp.boot())["status"] == "Accepted"
    await cp.close()
    # From now on the station must give that password.
    assert await refused_status(api, "CP-NEW") == 401
    assert await refused_status(api, "CP-NEW", password="not-the-password") == 401
    again = await RawCharger.connect(api.ocpp_url, "CP-NEW", password=PASSWORD)
    assert (await again.boot())["status"] == "Accepted"
    await again.close()


async def test_accepting_with_a_bad_password_changes_nothing(pending_api: Api) -> None:
    api = pending_api
    cp = await RawCharger.connect(api.ocpp_url, "CP-SHORT")
    await cp.boot()
    async with api.client(api.control_token) as http:
        for body in [{"password": "short"}, {"pasword": PASSWORD}]:
            response = await http.post("/api/v1/stations/CP-SHORT/accept", json=body)
            assert_problem(response, 400, "invalid-input")
        station = (await http.get("/api/v1/stations/CP-SHORT")).json()["station"]
    assert (station["admission"], station["has_password"]) == ("Pending", False)
    assert (await cp.boot())["status"] == "Pending"
    await cp.close()


async def test_a_station_can_be_accepted_without_a_body(pending_api: Api) -> None:
    api = pending_api
    cp = await RawCharger.connect(api.ocpp_url, "CP-PLAIN")
    await cp.boot()
    async with api.client(api.control_token) as http:
        response = await http.post("/api/v1/stations/CP-PLAIN/accept")
        assert response.status_code == 200, response.text
    station = response.json()["station"]
    assert (station["admission"], station["has_password"]) == ("Accepted", False)
    assert (await cp.boot())["status"] == "Accepted"
    await cp.close()


async def test_a_rejected_station_is_told_so_and_kept_out(pending_api: Api) -> None:
    api = pending_api
    cp = await RawCharger.connect(api.ocpp_url, "CP-BAD")
    await cp.boot()
    async with api.client(api.control_token) as http:
        response = await http.post("/api/v1/stations/CP-BAD/reject")
        assert response.status_code == 200, response.text
        assert response.json()["station"]["admission"] == "Rejected"
    assert (await cp.boot())["status"] == "Rejected"
    await cp.close()
    assert await refused_status(api, "CP-BAD") == 403


async def test_a_password_can_be_set_and_removed(api: Api) -> None:
    cp = await RawCharger.connect(api.ocpp_url, "CP-PW")
    await cp.boot()
    await cp.close()
    async with api.client(api.control_token) as http:
        path = "/api/v1/stations/CP-PW/password"
        for bad in [{"password": "short"}, {"password": "x" * 41}, {}, {"password": 12345678}]:
            assert_problem(await http.put(path, json=bad), 400, "invalid-input")
        assert (await http.get("/api/v1/stations/CP-PW")).json()["station"]["has_password"] is False

        response = await http.put(path, json={"password": PASSWORD})
        assert response.status_code == 204
        assert (await http.get("/api/v1/stations/CP-PW")).json()["station"]["has_password"] is True
        assert await refused_status(api, "CP-PW") == 401
        cp = await RawCharger.connect(api.ocpp_url, "CP-PW", password=PASSWORD)
        await cp.close()

        assert (await http.put(path, json={"password": None})).status_code == 204
        assert (await http.get("/api/v1/stations/CP-PW")).json()["station"]["has_password"] is False
    cp = await RawCharger.connect(api.ocpp_url, "CP-PW")
    await cp.close()
