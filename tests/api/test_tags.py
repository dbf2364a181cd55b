"""Id tags over HTTP: create or replace with PUT, read, delete; a refused body stores nothing."""

from __future__ import annotations

import httpx

from app.domain.authorization import normalise_id_tag
from tests.api.conftest import Api
from tests.fakes.raw_charger import RawCharger


def assert_invalid(response: httpx.Response) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/invalid-input")


async def test_a_tag_is_created_read_replaced_and_deleted(api: Api) -> None:
    async with api.client(api.control_token) as http:
        created = await http.put(
            "/api/v1/tags/ abc-123 ",
            json={"status": "Accepted", "expiry_date": "2030-01-01T00:00:00Z", "note": "van 4"},
        )
        assert created.status_code == 200, created.text
        key = normalise_id_tag(" abc-123 ")
        assert created.json() == {
            "id_tag": key,
            "status": "Accepted",
            "expiry_date": "2030-01-01T00:00:00Z",
            "parent_id_tag": None,
            "note": "van 4",
            "driver_id": None,
            "max_concurrent": 1,
        }
        # Any spelling of it names the same tag.
        for spelling in (key, "abc-123", "Abc-123"):
            found = await http.get(f"/api/v1/tags/{spelling}")
            assert found.status_code == 200, spelling
            assert found.json() == created.json()
        assert [t["id_tag"] for t in (await http.get("/api/v1/tags")).json()] == [key]

        replaced = await http.put(
            "/api/v1/tags/ABC-123", json={"status": "Blocked", "parent_id_tag": "fleet"}
        )
        assert replaced.status_code == 200
        assert replaced.json() == {
            "id_tag": key,
            "status": "Blocked",
            "expiry_date": None,  # replaced, not merged
            "parent_id_tag": "FLEET",
            "note": "",
            "driver_id": None,
            "max_concurrent": 1,
        }
        assert (await http.get(f"/api/v1/tags/{key}")).json() == replaced.json()
        assert len((await http.get("/api/v1/tags")).json()) == 1

        deleted = await http.delete("/api/v1/tags/abc-123")
        assert deleted.status_code == 204
        assert deleted.content == b""
        for method in ("GET", "DELETE"):
            gone = await http.request(method, f"/api/v1/tags/{key}")
            assert gone.status_code == 404, method
            assert gone.json()["type"].endswith("/not-found")
        assert (await http.get("/api/v1/tags")).json() == []


async def test_a_charger_is_answered_from_what_the_api_stored(api: Api) -> None:
    cp = await RawCharger.connect(api.ocpp_url, "CP-TAGS")
    await cp.boot()
    async with api.client(api.control_token) as http:
        assert (await cp.ok("Authorize", {"idTag": "card-9"}))["idTagInfo"]["status"] == "Invalid"
        await http.put("/api/v1/tags/card-9", json={})
        assert (await cp.ok("Authorize", {"idTag": "CARD-9"}))["idTagInfo"]["status"] == "Accepted"
        await http.put("/api/v1/tags/card-9", json={"status": "Blocked"})
        assert (await cp.ok("Authorize", {"idTag": "card-9"}))["idTagInfo"]["status"] == "Blocked"
        # A blank group is no group: chargers let tags of one parentIdTag stop
        # each other's sessions, so "" must never reach them as one.
        for blank in ("", "   "):
            stored = await http.put("/api/v1/tags/card-9", json={"parent_id_tag": blank})
            assert stored.json()["parent_id_tag"] is None
            answer = await cp.ok("Authorize", {"idTag": "card-9"})
            assert answer["idTagInfo"] == {"status": "Accepted"}
    await cp.close()


async def test_a_body_that_is_refused_stores_nothing(api: Api) -> None:
    async with api.client(api.control_token) as http:
        assert (await http.put("/api/v1/tags/KEEP", json={"note": "kept"})).status_code == 200
        for path, body in [
            ("/api/v1/tags/NEW-1", {"status": "ConcurrentTx"}),  # an answer, not a tag's status
            ("/api/v1/tags/NEW-1", {"status": "Allowed"}),
            ("/api/v1/tags/NEW-1", {"expiry_date": "2030-01-01T00:00:00"}),  # which zone?
            ("/api/v1/tags/NEW-1", {"expiry_date": "soon"}),
            ("/api/v1/tags/NEW-1", {"expiry_date": 1893456000}),  # Unix time, not ISO 8601
            ("/api/v1/tags/NEW-1", {"parent_id_tag": "P" * 21}),
            ("/api/v1/tags/NEW-1", {"note": "n" * 501}),
            ("/api/v1/tags/" + "T" * 21, {}),  # OCPP 1.6 id tags have at most 20 characters
            ("/api/v1/tags/%20%20", {}),  # nothing but blanks
            ("/api/v1/tags/KEEP", {"status": "ConcurrentTx"}),  # a refused replacement
            ("/api/v1/tags/KEEP", {"status": "Accepted", "unknown": 1}),
        ]:
            response = await http.put(path, json=body)
            assert_invalid(response)
        stored = (await http.get("/api/v1/tags")).json()
    assert [(t["id_tag"], t["note"]) for t in stored] == [("KEEP", "kept")]
