"""Who may use the API: a Bearer token for everything but /api/health, and its scope."""

from __future__ import annotations

import httpx

from tests.api.conftest import Api
from tests.fakes.raw_charger import RawCharger

PROBLEM = "application/problem+json"


def assert_unauthorized(response: httpx.Response) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"].lower().startswith("bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["type"].endswith("/unauthorized")
    assert body["detail"]


async def test_health_answers_without_a_token(api: Api) -> None:
    async with api.client() as http:
        response = await http.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_without_a_token_every_resource_is_refused_with_a_challenge(api: Api) -> None:
    async with api.client() as http:
        for method, path in [
            ("GET", "/api/v1/stations"),
            ("GET", "/api/v1/events"),
            ("GET", "/api/v1/events/stream"),
            ("GET", "/api/v1/tags"),
            ("PUT", "/api/v1/tags/TAG-1"),
            ("POST", "/api/v1/stations/CP-1/commands/reset"),
        ]:
            assert_unauthorized(await http.request(method, path, json={}))


async def test_a_token_that_is_not_genuine_is_refused(api: Api) -> None:
    forged = api.read_token[:-1] + ("A" if api.read_token[-1] != "A" else "B")
    async with api.client() as http:
        for authorization in [
            "Bearer not-a-token",
            "Bearer cd_0123abcd_" + "x" * 43,  # well-formed, but nobody issued it
            f"Bearer {forged}",  # a real id with a wrong secret
            "Basic dXNlcjpwYXNz",
            "Bearer",
        ]:
            response = await http.get("/api/v1/stations", headers={"Authorization": authorization})
            assert_unauthorized(response)


async def test_the_scheme_is_case_insensitive_but_must_be_bearer(api: Api) -> None:
    async with api.client() as http:
        lower = await http.get(
            "/api/v1/stations", headers={"Authorization": f"bearer {api.read_token}"}
        )
        other = await http.get(
            "/api/v1/stations", headers={"Authorization": f"Token {api.read_token}"}
        )
    assert lower.status_code == 200
    assert_unauthorized(other)


async def test_a_revoked_token_is_refused_at_once(api: Api) -> None:
    async with api.client(api.read_token) as http:
        assert (await http.get("/api/v1/stations")).status_code == 200
        await api.engine.services.api_tokens.revoke("reader")
        assert_unauthorized(await http.get("/api/v1/stations"))
    async with api.client(api.control_token) as http:  # the other token is untouched
        assert (await http.get("/api/v1/stations")).status_code == 200


async def test_a_read_token_reads_everything(api: Api) -> None:
    async with api.client(api.read_token) as http:
        for path in [
            "/api/v1/stations",
            "/api/v1/connectors",
            "/api/v1/transactions",
            "/api/v1/tags",
            "/api/v1/events",
            "/api/v1/alarms",
            "/api/v1/commands",
        ]:
            response = await http.get(path)
            assert response.status_code == 200, (path, response.text)


async def test_a_read_token_may_not_change_anything(api: Api) -> None:
    cp = await RawCharger.connect(api.ocpp_url, "CP-AUTH")
    await cp.boot()
    async with api.client(api.read_token) as http:
        refusals = [
            await http.post("/api/v1/stations/CP-AUTH/commands/reset", json={"type": "Soft"}),
            await http.put("/api/v1/tags/TAG-1", json={"status": "Accepted"}),
            await http.delete("/api/v1/tags/TAG-1"),
            await http.post("/api/v1/stations/CP-AUTH/accept", json={}),
            await http.post("/api/v1/stations/CP-AUTH/reject"),
            await http.put("/api/v1/stations/CP-AUTH/password", json={"password": None}),
            await http.post("/api/v1/alarms/1/acknowledge", json={"by": "me"}),
        ]
    for response in refusals:
        assert response.status_code == 403, response.request.url
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["type"].endswith("/forbidden")
    assert cp.incoming_calls.empty()  # the reset never reached the charger
    assert await api.engine.services.authorization.list_tags() == []
    station = await api.engine.services.stations.get("CP-AUTH")
    assert (station.admission, station.has_password) == ("Accepted", False)
    await cp.close()


async def test_a_control_token_may_also_read(api: Api) -> None:
    async with api.client(api.control_token) as http:
        assert (await http.get("/api/v1/stations")).status_code == 200
