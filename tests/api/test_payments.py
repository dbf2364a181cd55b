"""The payment desk over HTTP: a real engine on loopback, sessions awaiting payment in its
database, and for QR codes and card refunds the real stripe SDK against the local stand-in."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.bootstrap import Engine
from app.config import Settings
from app.domain.api_tokens import TokenScope
from app.domain.operators import Role
from app.payments.secrets import SecretStore
from tests.api.conftest import Api
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.payment_sessions import insert_ended_walk_ins
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.fixture import stripe_standin

__all__ = ["stripe_standin"]

NOW = datetime.now(UTC)
V1 = "/api/v1"


def problem(response: httpx.Response, status: int, kind: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/" + kind), body
    detail: str = body["detail"]
    return detail


async def walk_ins(api: Api, count: int = 1, total: int = 4640) -> list[int]:
    return await insert_ended_walk_ins(api.engine.db, count, total, NOW)


def today(api: Api) -> str:
    zone = api.engine.services.payments.zone
    return str(api.engine.services.clock().astimezone(zone).date())


@pytest.fixture
async def desk_api(settings: Settings, stripe_standin: StripeStandin) -> AsyncIterator[Api]:
    """An engine with a Stripe test key, Stripe being the stand-in."""
    keys = SecretStore(MemoryKeyring())
    keys.store("sk_test_api")
    with_stripe = dataclasses.replace(settings, stripe_api_base=stripe_standin.url)
    async with Engine(with_stripe, secrets=keys) as engine:
        await engine.payments_reconciled.wait()
        url = await engine.api_started()
        _, reader = await engine.services.api_tokens.create("reader", TokenScope.READ)
        _, controller = await engine.services.api_tokens.create(
            "Maja", TokenScope.CONTROL, Role.MANAGER
        )
        yield Api(engine, url, reader, controller)


async def test_cash_pays_a_session_with_change_a_receipt_and_a_history(api: Api) -> None:
    (tx,) = await walk_ins(api)
    async with api.client(api.control_token) as http:
        (waiting,) = (await http.get(f"{V1}/payments/awaiting")).json()
        assert (waiting["transaction_id"], waiting["station_id"]) == (tx, "CP-1")
        assert (waiting["total_minor"], waiting["currency"]) == (4640, "SEK")
        assert [(x["kind"], x["amount_minor"]) for x in waiting["lines"]] == [
            ("start_fee", 500),
            ("energy", 4140),
        ]
        assert waiting["lines"][1]["quantity"] == "12.000"

        paid = await http.post(
            f"{V1}/payments/cash",
            json={"transaction_id": tx, "tendered_minor": 5000, "email": "anna@example.com"},
        )
        assert paid.status_code == 201, paid.text
        body = paid.json()
        assert body["change_minor"] == 360
        payment, receipt = body["payment"], body["receipt"]
        assert (payment["method"], payment["state"], payment["by"]) == (
            "cash",
            "captured",
            "controller",
        )
        assert (receipt["total_minor"], receipt["tendered_minor"]) == (4640, 5000)
        assert receipt["email"] == "anna@example.com"
        assert (await http.get(f"{V1}/payments/awaiting")).json() == []

        again = await http.post(
            f"{V1}/payments/cash", json={"transaction_id": tx, "tendered_minor": 5000}
        )
        assert "not awaiting payment" in problem(again, 409, "not-awaiting-payment")

        shown = (await http.get(f"{V1}/payments/{payment['id']}")).json()
        assert shown["payment"] == payment
        assert shown["receipt_number"] == receipt["number"]
        assert [e["to_state"] for e in shown["events"]][-1] == "captured"

        listed = await http.get(
            f"{V1}/payments",
            params={
                "from": (NOW - timedelta(hours=1)).isoformat(),
                "to": (NOW + timedelta(hours=1)).isoformat(),
            },
        )
        assert [p["payment"]["id"] for p in listed.json()] == [payment["id"]]
        assert [p["payment"]["id"] for p in (await http.get(f"{V1}/payments")).json()] == [
            payment["id"]
        ]
        later = NOW + timedelta(hours=2)
        assert (await http.get(f"{V1}/payments", params={"from": later.isoformat()})).json() == []
        backwards = {"from": NOW.isoformat(), "to": (NOW - timedelta(days=1)).isoformat()}
        assert (await http.get(f"{V1}/payments", params=backwards)).json() == []


async def test_a_receipt_as_data_as_printer_text_and_its_email_kept(api: Api) -> None:
    (tx,) = await walk_ins(api)
    async with api.client(api.control_token) as http:
        paid = await http.post(
            f"{V1}/payments/cash", json={"transaction_id": tx, "tendered_minor": 4640}
        )
        number = paid.json()["receipt"]["number"]
        data = (await http.get(f"{V1}/receipts/{number}")).json()
        assert (data["number"], data["method"], data["change_minor"]) == (number, "cash", 0)
        assert [line["label"] for line in data["lines"]] == ["Start fee", "Energy"]
        assert data["session"]["transaction_id"] == tx

        text = await http.get(f"{V1}/receipts/{number}", params={"format": "text"})
        assert text.headers["content-type"].startswith("text/plain")
        assert "Receipt no." in text.text
        assert "TOTAL" in text.text
        assert "46.40 SEK" in text.text
        assert max(len(line) for line in text.text.splitlines()) <= 42

        kept = await http.put(f"{V1}/receipts/{number}/email", json={"email": "b@example.se"})
        assert kept.status_code == 200, kept.text
        assert kept.json()["email"] == "b@example.se"
        bad = await http.put(f"{V1}/receipts/{number}/email", json={"email": "not an address"})
        problem(bad, 400, "invalid-input")
        assert (await http.get(f"{V1}/receipts/{number}")).json()["email"] == "b@example.se"
        cleared = await http.put(f"{V1}/receipts/{number}/email", json={"email": None})
        assert cleared.json()["email"] is None
        problem(await http.get(f"{V1}/receipts/9999"), 404, "not-found")
        missing = await http.put(f"{V1}/receipts/9999/email", json={"email": "x@example.com"})
        problem(missing, 404, "not-found")


async def test_refused_payments_change_nothing(api: Api) -> None:
    (tx,) = await walk_ins(api)
    async with api.client(api.control_token) as http:
        short = await http.post(
            f"{V1}/payments/cash", json={"transaction_id": tx, "tendered_minor": 4000}
        )
        assert "short" in problem(short, 400, "invalid-input")
        unknown = await http.post(
            f"{V1}/payments/cash", json={"transaction_id": 999, "tendered_minor": 5000}
        )
        problem(unknown, 404, "not-found")
        misspelt = await http.post(
            f"{V1}/payments/cash", json={"transaction_id": tx, "tendered": 5000}
        )
        problem(misspelt, 400, "invalid-input")
        no_fleet = await http.post(
            f"{V1}/payments/account", json={"transaction_id": tx, "fleet_id": 77}
        )
        problem(no_fleet, 404, "not-found")
        no_plan = await http.post(f"{V1}/payments/subscription", json={"transaction_id": tx})
        assert "subscription" in problem(no_plan, 409, "payment-conflict")
        # No Stripe key in this engine: QR is off, said plainly, and nothing is written.
        qr = await http.post(f"{V1}/payments/qr", json={"transaction_id": tx})
        assert "Cash and account payments work" in problem(qr, 503, "payments-not-configured")
        assert (await http.get(f"{V1}/payments")).json() == []
        assert [
            s["transaction_id"] for s in (await http.get(f"{V1}/payments/awaiting")).json()
        ] == [tx]
        available = (await http.get(f"{V1}/payments/availability")).json()
        assert (available["card"], available["qr"]) == (False, False)
    async with api.client(api.read_token) as http:
        looked = await http.post(
            f"{V1}/payments/cash", json={"transaction_id": tx, "tendered_minor": 5000}
        )
        problem(looked, 403, "forbidden")
        assert (await http.get(f"{V1}/payments/awaiting")).status_code == 200
    async with api.client() as http:
        problem(await http.get(f"{V1}/payments/awaiting"), 401, "unauthorized")


async def test_on_account_void_refund_and_the_z_report(api: Api) -> None:
    first, second, third = await walk_ins(api, 3)
    fleet = await api.engine.services.access.create_fleet("Acme Vans")
    async with api.client(api.control_token) as http:
        invoiced = await http.post(
            f"{V1}/payments/account", json={"transaction_id": first, "fleet_id": fleet.id}
        )
        assert invoiced.status_code == 201, invoiced.text
        assert invoiced.json()["payment"]["state"] == "invoiced"
        assert invoiced.json()["payment"]["fleet_id"] == fleet.id

        cash = (
            await http.post(
                f"{V1}/payments/cash", json={"transaction_id": second, "tendered_minor": 5000}
            )
        ).json()["payment"]
        refunded = await http.post(
            f"{V1}/payments/{cash['id']}/refunds",
            json={"amount_minor": 640, "reason": "charger stopped early"},
        )
        assert refunded.status_code == 201, refunded.text
        assert refunded.json()["refund"]["done"] is True
        assert refunded.json()["payment"]["state"] == "partially_refunded"
        too_much = await http.post(
            f"{V1}/payments/{cash['id']}/refunds", json={"amount_minor": 5000, "reason": "all"}
        )
        assert "left to refund" in problem(too_much, 409, "payment-conflict")
        blank = await http.post(
            f"{V1}/payments/{cash['id']}/refunds", json={"amount_minor": 1, "reason": "  "}
        )
        problem(blank, 400, "invalid-input")

        voidable = (
            await http.post(
                f"{V1}/payments/cash", json={"transaction_id": third, "tendered_minor": 4640}
            )
        ).json()["payment"]
        voided = await http.post(
            f"{V1}/payments/{voidable['id']}/void", json={"reason": "wrong session"}
        )
        assert voided.status_code == 200, voided.text
        assert voided.json()["state"] == "voided"
        assert third in [
            s["transaction_id"] for s in (await http.get(f"{V1}/payments/awaiting")).json()
        ]
        not_cash = await http.post(
            f"{V1}/payments/{invoiced.json()['payment']['id']}/void", json={"reason": "oops"}
        )
        problem(not_cash, 409, "payment-conflict")
        problem(await http.post(f"{V1}/payments/999/void", json={"reason": "x"}), 404, "not-found")

        day = today(api)
        report = (await http.get(f"{V1}/settlements/{day}")).json()
        by_method = {m["method"]: m for m in report["methods"]}
        assert (by_method["cash"]["count"], by_method["cash"]["amount_minor"]) == (1, 4640)
        assert by_method["account"]["amount_minor"] == 4640
        assert (report["voids_count"], report["voids_minor"]) == (1, 4640)
        assert [(r["method"], r["amount_minor"]) for r in report["refunds"]] == [("cash", 640)]
        assert report["cash_expected_minor"] == 4640 - 640

        as_csv = await http.get(f"{V1}/settlements/{day}", params={"format": "csv"})
        assert as_csv.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(as_csv.text.removeprefix("\ufeff"))))
        cash_row = next(r for r in rows if (r["section"], r["method"]) == ("payments", "cash"))
        assert (cash_row["count"], cash_row["amount"]) == ("1", "46.40")
        swedish = await http.get(
            f"{V1}/settlements/{day}", params={"format": "csv", "separator": "semicolon"}
        )
        assert "46,40" in swedish.text
        printed = await http.get(f"{V1}/settlements/{day}", params={"format": "text"})
        assert "CASH EXPECTED IN DRAWER" in printed.text

        problem(await http.get(f"{V1}/settlements/2026-13-01"), 400, "invalid-input")
        problem(await http.get(f"{V1}/settlements/1700000000"), 400, "invalid-input")
        problem(await http.get(f"{V1}/settlements/0001-01-01"), 404, "not-found")


async def test_a_qr_payment_is_paid_on_the_phone_and_checked_over_the_api(
    desk_api: Api, stripe_standin: StripeStandin
) -> None:
    (tx,) = await walk_ins(desk_api)
    async with desk_api.client(desk_api.control_token) as http:
        started = await http.post(f"{V1}/payments/qr", json={"transaction_id": tx})
        assert started.status_code == 201, started.text
        qr = started.json()
        assert qr["url"].startswith("http")
        assert datetime.fromisoformat(qr["expires_at"]) > NOW
        payment_id = qr["payment"]["id"]
        waiting = (await http.get(f"{V1}/payments/{payment_id}/qr")).json()
        assert (waiting["state"], waiting["receipt"]) == ("open", None)

        stripe_standin.complete_checkout_session(qr["payment"]["checkout_session_id"])
        async with desk_api.client(desk_api.read_token) as reader:
            paid = (await reader.get(f"{V1}/payments/{payment_id}/qr")).json()
        assert (paid["state"], paid["payment"]["state"]) == ("paid", "captured")
        assert paid["receipt"]["method"] == "qr"
        assert (await http.get(f"{V1}/payments/awaiting")).json() == []

        cash = await http.post(
            f"{V1}/payments/cash", json={"transaction_id": tx, "tendered_minor": 5000}
        )
        problem(cash, 409, "not-awaiting-payment")


async def test_a_card_refund_goes_through_stripe_and_its_failures_are_told_apart(
    desk_api: Api, stripe_standin: StripeStandin
) -> None:
    desk = desk_api.engine.services.desk
    reader = await desk.register_simulated_reader("Desk")
    desk.use_reader(reader.id)
    (tx,) = await walk_ins(desk_api)
    payment = await desk.start_card(tx, by="Anna")
    await desk.card.simulate_tap(reader.id, approve=True)
    assert (await desk.finish_card(payment.id, timeout=5)).outcome == "approved"

    async with desk_api.client(desk_api.control_token) as http:
        stripe_standin.fail_next(
            "/v1/refunds", status=400, error_type="invalid_request_error", message="No such charge"
        )
        refused = await http.post(
            f"{V1}/payments/{payment.id}/refunds", json={"amount_minor": 1000, "reason": "faulty"}
        )
        assert refused.status_code == 201, refused.text
        assert refused.json()["refund"]["done"] is False
        assert stripe_standin.objects("refunds") == []

        made = await http.post(
            f"{V1}/payments/{payment.id}/refunds", json={"amount_minor": 1000, "reason": "faulty"}
        )
        assert made.status_code == 201, made.text
        assert made.json()["refund"]["done"] is True
        assert made.json()["refund"]["by"] == "Maja"
        assert made.json()["payment"]["state"] == "partially_refunded"
        (at_stripe,) = stripe_standin.objects("refunds")
        assert at_stripe["amount"] == 1000

        for _ in range(3):  # the answer and both SDK retries lost
            stripe_standin.drop_connection("/v1/refunds")
        away = await http.post(
            f"{V1}/payments/{payment.id}/refunds", json={"amount_minor": 500, "reason": "faulty"}
        )
        problem(away, 503, "payment-provider-unavailable")
        qr_off = await http.post(f"{V1}/payments/qr", json={"transaction_id": tx})
        problem(qr_off, 409, "not-awaiting-payment")  # paid by card: nothing more to pay

        # A manager reconciles once Stripe answers again: the refund left in flight is
        # read back from Stripe (it was never made there) and recorded as failed.
        settled = await http.post(f"{V1}/payments/reconcile")
        assert settled.status_code == 200, settled.text
        report = settled.json()
        assert report["stripe_unreachable"] is False
        assert len(report["refunds_failed"]) == 1
        assert report["clean"] is True
        assert await desk_api.engine.services.payments.pending_refunds() == []
        not_qr = await http.get(f"{V1}/payments/{payment.id}/qr")
        problem(not_qr, 409, "payment-conflict")
