"""A session's price over HTTP: live while it charges, final with its lines once stopped."""

from __future__ import annotations

from datetime import timedelta

from app.domain.tariffs import Tariff
from tests.api.conftest import Api
from tests.api.test_transactions import ago, iso, meter, start
from tests.fakes.raw_charger import RawCharger


async def test_a_session_shows_its_price_live_then_final_with_its_lines(api: Api) -> None:
    services = api.engine.services
    standard = await services.tariffs.create(
        Tariff("Standard", energy_per_kwh_minor=345, start_fee_minor=500)
    )
    await services.tariffs.assign(standard.id)
    cp = await RawCharger.connect(api.ocpp_url, "CP-PRICE")
    await cp.boot()
    began = ago(30)
    tx = await start(cp, 1, "TAG-P", 1000, began)
    await meter(cp, tx, began + timedelta(minutes=10), "3", "7000")
    await services.session_pricing.settled()
    async with api.client(api.read_token) as http:
        live = (await http.get(f"/api/v1/transactions/{tx}")).json()["price"]
        assert (live["final"], live["total_minor"], live["currency"]) == (False, 1190, "SEK")
        await cp.ok(
            "StopTransaction",
            {
                "transactionId": tx,
                "meterStop": 5000,
                "timestamp": iso(began + timedelta(minutes=20)),
            },
        )
        await services.session_pricing.settled()
        final = (await http.get(f"/api/v1/transactions/{tx}")).json()["price"]
    assert (final["final"], final["total_minor"], final["vat_minor"]) == (True, 1880, 376)
    assert (final["tariff_id"], final["tariff_name"], final["walk_in"]) == (
        standard.id,
        "Standard",
        True,
    )
    assert [(line["kind"], line["amount_minor"]) for line in final["lines"]] == [
        ("start_fee", 500),
        ("energy", 1380),
    ]
    assert final["lines"][1]["quantity"] == "4.000"
    assert final["lines"][1]["unit"] == "kWh"
    await cp.close()


async def test_a_session_without_a_tariff_has_no_price(api: Api) -> None:
    cp = await RawCharger.connect(api.ocpp_url, "CP-FREE")
    await cp.boot()
    tx = await start(cp, 1, "TAG-F", 0, ago(5))
    await api.engine.services.session_pricing.settled()
    async with api.client(api.read_token) as http:
        answer = await http.get(f"/api/v1/transactions/{tx}")
    assert answer.status_code == 200, answer.text
    assert answer.json()["price"] is None
    await cp.close()
