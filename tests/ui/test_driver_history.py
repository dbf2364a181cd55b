"""The Driver history tab: a driver's priced sessions from a real charger, monthly totals,
the budget this month, the sessions as CSV and the monthly statement as PDF."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.domain.access import DriverCard
from app.domain.driver_history import PeriodKind
from app.domain.statements import CsvStyle
from app.domain.tariffs import Tariff
from app.ui.dialogs import statement_export
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views.budget import OVER_COLOUR, UNDER_COLOUR
from app.ui.views.driver_history import DriverHistoryView
from app.ui.views.history_tables import SESSION_COLUMNS
from app.ui.views.tariff_text import money
from tests.fakes.threaded_charger import ThreadedCharger
from tests.ui.drivers_support import WAIT_MS, add_driver, call, cell

STANDARD = Tariff("Depot standard", energy_per_kwh_minor=345, start_fee_minor=500)
# One real second of charging is an hour for the simulated car: sessions have energy.
HOURS_PER_SECOND = 3600.0
COST = SESSION_COLUMNS.index("cost")


@pytest.fixture
def view(window: MainWindow, qtbot: QtBot) -> DriverHistoryView:
    window.tabs.setCurrentWidget(window.views["driver_history"])
    opened = window.driver_history
    qtbot.waitUntil(lambda: opened.drivers_loaded, timeout=WAIT_MS)
    return opened


@pytest.fixture
def charger(host: EngineHost, charger_factory: Callable[..., ThreadedCharger]) -> ThreadedCharger:
    tariff = call(host, lambda s: s.tariffs.create(STANDARD))
    call(host, lambda s: s.tariffs.assign(tariff.id))
    return charger_factory("DEPOT-01", time_scale=HOURS_PER_SECOND)


def charge(host: EngineHost, charger: ThreadedCharger, qtbot: QtBot, tag: str) -> int:
    """A whole session with the tag, priced at its stop; its transaction id."""
    transaction_id = charger.do(lambda c: c.start_transaction(1, tag))
    qtbot.wait(300)
    charger.do(lambda c: c.stop_transaction(1))
    call(host, lambda s: s.session_pricing.settled())
    return transaction_id


def price(host: EngineHost, transaction_id: int) -> int:
    charge = call(host, lambda s: s.session_pricing.price_of(transaction_id))
    assert charge is not None
    assert charge.price is not None
    return charge.price.total_minor


def show(view: DriverHistoryView, qtbot: QtBot, card: DriverCard, rows: int) -> None:
    qtbot.waitUntil(lambda: view.driver.findData(card.driver.id) >= 0, timeout=WAIT_MS)
    view.show_driver(card.driver.id)
    qtbot.waitUntil(
        lambda: (
            view.history is not None
            and view.history.card.driver.id == card.driver.id
            and view.sessions.rowCount() == rows
        ),
        timeout=WAIT_MS,
    )


def test_the_driver_history_tab_is_built_only_when_opened(window: MainWindow, qtbot: QtBot) -> None:
    assert window.driver_history_tab.view is None, "cold start does not pay for it"
    title = window.tabs.tabText(window.tabs.indexOf(window.driver_history_tab))
    assert title == "Driver history"
    window.tabs.setCurrentWidget(window.driver_history_tab)
    qtbot.waitUntil(lambda: window.driver_history_tab.view is not None, timeout=WAIT_MS)


def test_history_from_the_drivers_tab_opens_this_tab_on_that_driver(
    window: MainWindow, host: EngineHost, qtbot: QtBot
) -> None:
    add_driver(host, "Bo Ek", "BB01")
    anna = add_driver(host, "Anna Berg", "AA01")
    window.show_driver_history(anna.driver.id)
    assert window.tabs.currentWidget() is window.driver_history_tab
    view = window.driver_history
    qtbot.waitUntil(lambda: view.driver.driver_id() == anna.driver.id, timeout=WAIT_MS)
    assert view.driver.currentText() == "Anna Berg"
    qtbot.waitUntil(lambda: view.history is not None, timeout=WAIT_MS)
    assert view.summary.text() == "No sessions in this period."


def test_a_priced_session_shows_its_cost_and_the_monthly_total_is_the_sum(
    view: DriverHistoryView, host: EngineHost, charger: ThreadedCharger, qtbot: QtBot
) -> None:
    anna = add_driver(host, "Anna Berg", "AA01")
    first = charge(host, charger, qtbot, "AA01")
    second = charge(host, charger, qtbot, "AA01")
    show(view, qtbot, anna, rows=2)

    costs = {first: price(host, first), second: price(host, second)}
    assert all(cost > STANDARD.start_fee_minor for cost in costs.values()), "energy was charged"
    shown = {view.sessions.row_at(r).transaction_id: cell(view.sessions, r, COST) for r in range(2)}
    assert shown == {tx: money(cost, "SEK") for tx, cost in costs.items()}
    assert cell(view.sessions, 0, 1) == "DEPOT-01"
    assert cell(view.sessions, 0, SESSION_COLUMNS.index("tariff")) == "Depot standard"
    assert view.totals.rowCount() == 1
    assert cell(view.totals, 0, 1) == "2"
    assert cell(view.totals, 0, 3) == money(sum(costs.values()), "SEK")
    assert view.summary.text().startswith("Sessions: 2 · ")
    assert view.summary.text().endswith(money(sum(costs.values()), "SEK"))


def test_a_session_still_charging_shows_its_live_price_marked_live(
    view: DriverHistoryView, host: EngineHost, charger: ThreadedCharger, qtbot: QtBot
) -> None:
    anna = add_driver(host, "Anna Berg", "AA01")
    charger.do(lambda c: c.start_transaction(1, "AA01"))
    call(host, lambda s: s.session_pricing.settled())
    show(view, qtbot, anna, rows=1)
    qtbot.waitUntil(lambda: cell(view.sessions, 0, COST).endswith(" · live"), timeout=WAIT_MS)
    assert cell(view.sessions, 0, SESSION_COLUMNS.index("duration")).endswith(" so far")
    assert "charging now" in view.summary.text()


def test_spending_over_the_drivers_budget_turns_the_bar_red(
    view: DriverHistoryView, host: EngineHost, charger: ThreadedCharger, qtbot: QtBot
) -> None:
    anna = add_driver(host, "Anna Berg", "AA01")
    call(
        host,
        lambda s: s.access.update_driver(
            dataclasses.replace(anna.driver, monthly_budget_minor=100)
        ),
    )
    transaction_id = charge(host, charger, qtbot, "AA01")
    show(view, qtbot, anna, rows=1)
    spent = price(host, transaction_id)

    panel = view.budget
    assert panel.status is not None
    assert panel.status.over
    assert panel.colour == OVER_COLOUR
    assert OVER_COLOUR in panel.bar.styleSheet()
    assert panel.bar.value() == 100
    percent = (200 * spent + 100) // 200
    assert panel.bar.text() == f"{money(spent, 'SEK')[:-4]} of 1.00 SEK ({percent} %)"
    assert panel.detail.text() == f"{money(spent - 100, 'SEK')} over the budget."
    assert panel.owner.text().startswith("Anna Berg's own budget for ")


def test_without_a_budget_of_their_own_a_driver_is_shown_against_the_fleets(
    view: DriverHistoryView, host: EngineHost, qtbot: QtBot
) -> None:
    fleet = call(host, lambda s: s.access.create_fleet("Acme Vans"))
    call(
        host,
        lambda s: s.access.update_fleet(dataclasses.replace(fleet, monthly_budget_minor=200_000)),
    )
    anna = add_driver(host, "Anna Berg", "AA01", fleet=fleet)
    show(view, qtbot, anna, rows=0)
    panel = view.budget
    assert panel.colour == UNDER_COLOUR
    assert panel.bar.text() == "0.00 of 2,000.00 SEK (0 %)"
    assert panel.owner.text().startswith("The fleet Acme Vans's budget for ")

    bo = add_driver(host, "Bo Ek", "BB01")
    show(view, qtbot, bo, rows=0)
    assert panel.status is None
    assert panel.bar.isHidden()
    assert panel.owner.text().startswith("No monthly budget")


def test_export_writes_the_sessions_shown_to_a_csv_file(
    view: DriverHistoryView,
    host: EngineHost,
    charger: ThreadedCharger,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    anna = add_driver(host, "Anna Berg", "AA01")
    transaction_id = charge(host, charger, qtbot, "AA01")
    view.set_period(PeriodKind.ALL)
    show(view, qtbot, anna, rows=1)
    target = tmp_path / "anna.csv"
    asked: list[str] = []

    def ask(_parent: object, _caption: str, name: str) -> tuple[Path, CsvStyle]:
        asked.append(name)
        return target, CsvStyle.SEMICOLON

    monkeypatch.setattr(statement_export, "ask_csv_path", ask)
    view.export_button.click()

    assert asked == ["sessions-anna-berg-all.csv"]
    assert view.notice.text() == f"Sessions saved to {target}: 1."
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) == 1
    cost = price(host, transaction_id)
    assert rows[0]["transaction"] == str(transaction_id)
    assert rows[0]["station"] == "DEPOT-01"
    assert rows[0]["cost"] == f"{cost // 100},{cost % 100:02d}"
    assert (rows[0]["currency"], rows[0]["price"]) == ("SEK", "final")


def test_the_statement_of_a_month_is_saved_as_a_pdf(
    view: DriverHistoryView,
    host: EngineHost,
    charger: ThreadedCharger,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    anna = add_driver(host, "Anna Berg", "AA01")
    charge(host, charger, qtbot, "AA01")
    show(view, qtbot, anna, rows=1)
    target = tmp_path / "statement.pdf"
    monkeypatch.setattr(statement_export, "ask_pdf_path", lambda *_a: target)

    dialog = view.open_statement()
    assert dialog is not None
    assert view.history is not None
    assert dialog.chosen_month() == view.history.month, "this month, as shown"
    dialog.pdf_button.click()
    qtbot.waitUntil(lambda: dialog.written == target, timeout=WAIT_MS)
    assert target.read_bytes().startswith(b"%PDF")
    assert dialog.result_label.text().startswith("Saved the statement for ")

    csv_target = tmp_path / "statement.csv"
    monkeypatch.setattr(statement_export, "ask_csv_path", lambda *_a: (csv_target, CsvStyle.COMMA))
    dialog.csv_button.click()
    qtbot.waitUntil(lambda: dialog.written == csv_target, timeout=WAIT_MS)
    rows = list(csv.DictReader(io.StringIO(csv_target.read_text(encoding="utf-8")[1:])))
    assert [row["kind"] for row in rows][:1] == ["session"]
    assert rows[0]["driver"] == "Anna Berg"
