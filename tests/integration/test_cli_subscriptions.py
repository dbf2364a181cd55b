"""`chargedesk plans`, `subscriptions` and `statement`: what a manager or a script sees."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest

from app.cli.main import main
from app.store import migrate
from app.store.database import Database
from tests.integration.subscription_steps import add_driver, add_priced_session

T = TypeVar("T")


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def seed(db_url: str, work: Callable[[Database], Awaitable[T]]) -> T:
    async def go() -> T:
        await asyncio.to_thread(migrate.upgrade, db_url)
        db = Database(db_url)
        await db.start()
        try:
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(go())


def test_plans_are_created_listed_and_shown_with_their_subscribers(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_url, lambda db: add_driver(db, "Anna Berg", fleet="Vans"))
    code, out, _ = run_cli(
        capsys, "plans", "create", "Gold", "--fee", "299,00", "--included-kwh", "100",
        "--price-per-kwh", "1.99", "--discount", "12.5", "--db", db_url,
    )  # fmt: skip
    assert code == 0
    assert "Plan 1 'Gold': 299.00 SEK a month" in out
    code, out, _ = run_cli(capsys, "plans", "list", "--json", "--db", db_url)
    (plan,) = json.loads(out)
    assert (plan["monthly_fee_minor"], plan["included_wh"], plan["price_per_kwh_minor"]) == (
        29_900,
        100_000,
        199,
    )
    assert (plan["discount_bp"], plan["vat_rate_bp"], plan["site_ids"]) == (1250, 2500, [])
    code, table, _ = run_cli(capsys, "plans", "list", "--db", db_url)
    assert table.splitlines()[0].split()[:3] == ["ID", "NAME", "MONTHLY_FEE"]
    assert "12.5 %" in table

    code, out, _ = run_cli(
        capsys, "subscriptions", "add", "anna berg", "gold", "--from", "2026-11-01", "--db", db_url
    )
    assert code == 0, out
    assert "Subscription 1: Anna Berg on 'Gold' from 2026-11-01 with no end date added" in out
    code, out, _ = run_cli(capsys, "plans", "show", "Gold", "--json", "--db", db_url)
    (member,) = json.loads(out)["subscriptions"]
    assert (member["driver"], member["fleet"], member["starts_on"]) == (
        "Anna Berg",
        "Vans",
        "2026-11-01",
    )


def test_pause_resume_end_and_list_a_subscription(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_url, lambda db: add_driver(db, "Anna"))
    run_cli(capsys, "plans", "create", "Gold", "--fee", "300", "--db", db_url)
    run_cli(capsys, "subscriptions", "add", "1", "1", "--from", "2026-01-01", "--db", db_url)
    steps = (
        ("pause", "1", "--from", "2026-11-20"),
        ("resume", "1", "--on", "2026-11-25"),
        ("end", "1", "--on", "2026-12-31"),
    )
    for step in steps:
        code, out, err = run_cli(capsys, "subscriptions", *step, "--db", db_url)
        assert code == 0, err
        assert f"{step[0]}" in out
    code, out, _ = run_cli(
        capsys, "subscriptions", "list", "--driver", "Anna", "--json", "--db", db_url
    )
    (listed,) = json.loads(out)
    assert listed["ends_on"] == "2026-12-31"
    assert listed["pauses"] == [{"from": "2026-11-20", "to": "2026-11-24"}]
    code, table, _ = run_cli(capsys, "subscriptions", "list", "--db", db_url)
    assert "from 2026-11-20 to 2026-11-24" in table


def test_mistakes_get_one_clear_line_and_change_nothing(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_url, lambda db: add_driver(db, "Anna"))
    run_cli(capsys, "plans", "create", "Gold", "--fee", "300", "--db", db_url)
    run_cli(capsys, "subscriptions", "add", "Anna", "Gold", "--from", "2026-11-01", "--db", db_url)
    for argv, message in (
        (("plans", "create", "gold", "--fee", "1"), "there is a plan called 'gold' already"),
        (("plans", "create", "X", "--fee", "2.999"), "--fee: '2.999' has more than 2 decimals"),
        (("plans", "create", "X", "--fee", "lots"), "--fee: 'lots' is not a number"),
        (("plans", "create", "X", "--fee", "1", "--discount", "101"), "at most 10000"),
        (("plans", "show", "Silver"), "there is no plan 'Silver'"),
        (("subscriptions", "add", "Bo", "Gold"), "there is no driver 'Bo'"),
        (("subscriptions", "add", "Anna", "Gold", "--from", "2026-11-30"), "already has plan"),
        (("subscriptions", "end", "1", "--on", "2026-10-01"), "before it starts"),
        (("subscriptions", "pause", "1", "--from", "1 Nov"), "is not a date (YYYY-MM-DD)"),
        (("statement", "Anna", "--month", "2026-13"), "a month is 1–12"),
        (("statement", "Anna", "--month", "November"), "written YYYY-MM"),
    ):
        code, _, err = run_cli(capsys, *argv, "--db", db_url)
        assert code == 2, argv
        assert err.startswith("chargedesk: ")
        assert message in err
        assert len(err.splitlines()) == 1, "no traceback"
    code, out, _ = run_cli(capsys, "subscriptions", "list", "--json", "--db", db_url)
    assert [(s["starts_on"], s["ends_on"]) for s in json.loads(out)] == [("2026-11-01", None)]
    code, out, _ = run_cli(capsys, "plans", "list", "--json", "--db", db_url)
    assert [p["name"] for p in json.loads(out)] == ["Gold"]


async def _month_of_charging(db: Database) -> int:
    driver = await add_driver(db, "Anna Berg", fleet="Vans")
    for day, total, vat in ((3, 2_700, 540), (17, 4_051, 810)):
        await add_priced_session(
            db, driver, datetime(2026, 11, day, 16, tzinfo=UTC), total_minor=total, vat_minor=vat
        )
    return driver


def test_the_statement_as_json_csv_and_pdf_agree_on_the_total(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_url, _month_of_charging)
    run_cli(capsys, "plans", "create", "Gold", "--fee", "300", "--db", db_url)
    run_cli(
        capsys, "subscriptions", "add", "Anna Berg", "Gold", "--from", "2026-11-16", "--db", db_url
    )
    csv_path, pdf_path = tmp_path / "anna.csv", tmp_path / "anna.pdf"
    code, out, err = run_cli(
        capsys, "statement", "Anna Berg", "--month", "2026-11", "--json",
        "--csv", str(csv_path), "--semicolon", "--pdf", str(pdf_path), "--db", db_url,
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    # 27.00 + 40.51 of charging and 15 of 30 days of 300.00 SEK.
    assert (data["charging_minor"], data["fees_minor"], data["total_minor"]) == (
        6_751,
        15_000,
        21_751,
    )
    assert data["total_minor"] == sum(s["amount_minor"] for s in data["sessions"]) + sum(
        f["amount_minor"] for f in data["fees"]
    )

    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [r["kind"] for r in rows] == [
        "session",
        "session",
        "fee",
        "charging",
        "fees",
        "vat",
        "total",
    ]
    assert rows[-1]["amount"] == "217,51"

    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Anna Berg" in text
    assert "Charging statement 2026-11" in text
    assert "217.51 SEK" in text


def test_the_statement_as_text_names_the_driver_and_the_total(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_url, _month_of_charging)
    code, out, _ = run_cli(capsys, "statement", "Anna Berg", "--month", "2026-11", "--db", db_url)
    assert code == 0
    assert out.startswith("Statement 2026-11 for Anna Berg (Vans)")
    assert "Total: 67.51 SEK" in out
    code, out, _ = run_cli(capsys, "statement", "Anna Berg", "--month", "2026-10", "--db", db_url)
    assert "(none)" in out
    assert "Total: 0.00 SEK" in out
