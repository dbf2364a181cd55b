"""`chargedesk payments`: the payment desk from the command line. Cash, voids, cash refunds
and everything read run offline on the database; card refunds and reconciliation go through
a running engine's API (here with the real stripe SDK against the local stand-in)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.bootstrap import Engine
from app.cli.main import main
from app.config import Settings
from app.domain.api_tokens import TokenScope
from app.domain.operators import Role
from app.domain.payments import PaymentState
from app.payments.secrets import SecretStore
from app.store import migrate
from app.store.database import Database
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.payment_sessions import insert_ended_walk_ins
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.fixture import stripe_standin

__all__ = ["stripe_standin"]

ZONE = "Europe/Stockholm"
NOW = datetime.now(UTC)


@pytest.fixture(autouse=True)
def stockholm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARGEDESK_SITE_TIME_ZONE", ZONE)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def walk_ins(db_url: str, count: int) -> list[int]:
    async def seed() -> list[int]:
        await asyncio.to_thread(migrate.upgrade, db_url)
        db = Database(db_url)
        await db.start()
        try:
            return await insert_ended_walk_ins(db, count, 4640, NOW)
        finally:
            await db.close()

    return asyncio.run(seed())


def today() -> str:
    return str(datetime.now(ZoneInfo(ZONE)).date())


def test_cash_is_taken_shown_refunded_voided_and_settled_offline(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = walk_ins(db_url, 2)
    db = ("--db", db_url)
    code, out, err = run_cli(capsys, "payments", "awaiting", *db)
    assert code == 0, err
    assert [line.split()[0] for line in out.splitlines()[1:]] == [str(first), str(second)]
    assert "46.40 SEK" in out
    code, out, _ = run_cli(capsys, "payments", "awaiting", "--json", *db)
    listed = json.loads(out)
    assert [(s["transaction_id"], s["total_minor"]) for s in listed] == [
        (first, 4640),
        (second, 4640),
    ]
    assert [line["amount_minor"] for line in listed[0]["lines"]] == [500, 4140]

    code, out, err = run_cli(
        capsys, "payments", "cash", str(first), "--tendered", "50,00", "--by", "Anna", *db
    )
    assert code == 0, err
    assert f"Session {first} paid in cash: 46.40 SEK (payment 1, receipt 1)" in out
    assert "Change to hand back: 3.60 SEK" in out
    code, out, err = run_cli(
        capsys, "payments", "cash", str(second), "--tendered", "46.40", "--json", "--by", "Anna",
        *db,
    )  # fmt: skip
    assert code == 0, err
    taken = json.loads(out)
    assert (taken["change_minor"], taken["receipt"]["number"]) == (0, 2)

    code, out, _ = run_cli(capsys, "payments", "list", "--day", today(), *db)
    assert code == 0
    rows = [line.split() for line in out.splitlines()[1:]]
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("2", "cash", "captured"),
        ("1", "cash", "captured"),
    ]
    code, out, _ = run_cli(capsys, "payments", "receipt", "1", *db)
    assert code == 0
    assert "Receipt no." in out
    assert "Cash tendered" in out
    assert "50.00 SEK" in out

    code, out, err = run_cli(
        capsys, "payments", "refund", "1", "--amount", "6,40", "--reason", "stopped early",
        "--by", "Maja", *db,
    )  # fmt: skip
    assert code == 0, err
    assert out == (
        "Refunded 6.40 SEK of payment 1 (hand it back to the driver); "
        "it is now partially_refunded\n"
    )
    code, out, err = run_cli(
        capsys, "payments", "void", "2", "--reason", "wrong session", "--by", "Maja", *db
    )
    assert code == 0, err
    assert f"session {second} awaits payment again" in out
    code, out, _ = run_cli(capsys, "payments", "show", "1", *db)
    assert code == 0
    assert out.startswith("Payment 1: cash, partially_refunded\n")
    assert "Receipt     1" in out
    assert out.splitlines()[-1].split()[-5:] == [
        "partially_refunded",
        "refund-1",
        "stopped",
        "early",
        "Maja",
    ]

    sheet = tmp_path / "z.csv"
    code, out, err = run_cli(
        capsys, "payments", "settlement", "--day", today(), "--csv", str(sheet), "--semicolon", *db
    )
    assert code == 0, err
    assert "CASH EXPECTED IN DRAWER" in out
    assert out.splitlines()[-2].split()[-2:] == ["40.00", "SEK"]  # 46.40 in, 6.40 back
    assert f"CSV written to {sheet}" in out
    text = sheet.read_text(encoding="utf-8-sig")
    assert f"{today()};payments;cash;1;46,40" in text
    code, out, _ = run_cli(capsys, "payments", "settlement", "--day", today(), "--json", *db)
    report = json.loads(out)
    assert (report["cash_expected_minor"], report["voids_count"]) == (4000, 1)


def test_what_is_refused_says_why_and_changes_nothing(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tx,) = walk_ins(db_url, 1)
    db = ("--db", db_url)
    for tendered, why in (
        ("abc", "not a number"),
        ("46.401", "more than 2 decimals"),
        ("0", "above zero"),
    ):
        code, _, err = run_cli(capsys, "payments", "cash", str(tx), "--tendered", tendered, *db)
        assert (code, why in err) == (2, True), err
    code, _, err = run_cli(
        capsys, "payments", "cash", str(tx), "--tendered", "40", "--by", "A", *db
    )
    assert code == 2
    assert "short" in err
    code, _, err = run_cli(capsys, "payments", "void", "7", "--reason", "x", "--by", "A", *db)
    assert (code, "no payment 7" in err) == (2, True), err
    code, _, err = run_cli(capsys, "payments", "receipt", "3", *db)
    assert (code, "no receipt 3" in err) == (2, True), err
    code, _, err = run_cli(capsys, "payments", "list", "--day", "25/11", *db)
    assert (code, "not a date" in err) == (2, True), err
    assert "Traceback" not in err
    code, out, _ = run_cli(capsys, "payments", "awaiting", "--json", *db)
    assert [s["transaction_id"] for s in json.loads(out)] == [tx]
    code, out, _ = run_cli(capsys, "payments", "list", *db)
    assert out == "(none)\n"


@dataclass
class Served:
    engine: Engine
    url: str
    token: str
    db_url: str


@pytest.fixture
async def served(settings: Settings, stripe_standin: StripeStandin) -> AsyncIterator[Served]:
    keys = SecretStore(MemoryKeyring())
    keys.store("sk_test_cli")
    with_stripe = dataclasses.replace(settings, stripe_api_base=stripe_standin.url)
    async with Engine(with_stripe, secrets=keys) as engine:
        await engine.payments_reconciled.wait()
        url = await engine.api_started()
        _, token = await engine.services.api_tokens.create("Maja", TokenScope.CONTROL, Role.MANAGER)
        yield Served(engine, url, token, settings.db_url)


async def cli_against(
    served: Served, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    """The CLI in a thread (it runs its own event loop), while this loop serves the API."""
    code = await asyncio.to_thread(main, [*argv, "--db", served.db_url])
    out, err = capsys.readouterr()
    return code, out, err


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_card_refund_and_reconcile_go_through_the_running_engine(
    served: Served, stripe_standin: StripeStandin, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = served.engine.services.desk
    reader = await desk.register_simulated_reader("Desk")
    desk.use_reader(reader.id)
    (tx,) = await insert_ended_walk_ins(served.engine.db, 1, 4640, NOW)
    payment = await desk.start_card(tx, by="Anna")
    await desk.card.simulate_tap(reader.id, approve=True)
    await desk.finish_card(payment.id, timeout=5)
    refund = ("payments", "refund", str(payment.id), "--amount", "10", "--reason", "faulty")

    code, _, err = await cli_against(served, capsys, *refund, "--api", served.url)
    assert code == 2
    assert "API token is needed" in err
    away = f"http://127.0.0.1:{closed_port()}"
    code, _, err = await cli_against(
        served, capsys, *refund, "--api", away, "--token", served.token
    )
    assert code == 2
    assert "cannot reach the ChargeDesk API" in err
    assert stripe_standin.objects("refunds") == []

    api = ("--api", served.url, "--token", served.token)
    code, out, err = await cli_against(served, capsys, *refund, *api)
    assert code == 0, err
    assert out == f"Refunded 10.00 SEK of payment {payment.id}; it is now partially_refunded\n"
    (made,) = stripe_standin.objects("refunds")
    assert made["amount"] == 1000
    stripe_standin.fail_next(
        "/v1/refunds", status=400, error_type="invalid_request_error", message="No"
    )
    code, out, _ = await cli_against(served, capsys, *refund, *api)
    assert code == 1
    assert "Stripe did not refund 10.00 SEK" in out
    code, _, err = await cli_against(
        served,
        capsys,
        "payments",
        "refund",
        str(payment.id),
        "--amount",
        "100",
        "--reason",
        "all",
        *api,
    )
    assert code == 2
    assert "left to refund" in err
    assert (
        await served.engine.services.payments.get(payment.id)
    ).state is PaymentState.PARTIALLY_REFUNDED

    code, out, err = await cli_against(served, capsys, "payments", "reconcile", *api)
    assert code == 0, err
    assert out.endswith("Nothing left for a manager.\n")
    code, out, _ = await cli_against(served, capsys, "payments", "reconcile", "--json", *api)
    assert json.loads(out)["clean"] is True
