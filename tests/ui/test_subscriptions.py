"""The Subscriptions tab: plans made and edited in a dialog checked as typed, archived
with a confirmation, and a plan's members added, paused, resumed and ended."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from app.domain.subscriptions import Plan, SubscriptionStatus
from app.ui.dialogs.member_form import Change
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views import subscriptions
from app.ui.views.subscriptions import SubscriptionsView
from tests.ui.drivers_support import WAIT_MS, add_driver, call, cell

COMMUTER = Plan("Commuter", 14_900, included_wh=100_000, discount_bp=1000)


@pytest.fixture
def view(window: MainWindow, qtbot: QtBot) -> SubscriptionsView:
    window.tabs.setCurrentWidget(window.views["subscriptions"])
    opened = window.subscriptions
    qtbot.waitUntil(lambda: opened.loads >= 1, timeout=WAIT_MS)
    return opened


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def plans(host: EngineHost) -> list[Plan]:
    return call(host, lambda s: s.subscriptions.plans(include_archived=True))


def reload(view: SubscriptionsView, qtbot: QtBot) -> None:
    loads = view.loads
    view.refresh()
    qtbot.waitUntil(lambda: view.loads > loads, timeout=WAIT_MS)


def test_the_subscriptions_tab_is_built_only_when_opened(window: MainWindow, qtbot: QtBot) -> None:
    assert window.subscriptions_tab.view is None, "cold start does not pay for it"
    assert window.tabs.tabText(window.tabs.indexOf(window.subscriptions_tab)) == "Subscriptions"
    window.tabs.setCurrentWidget(window.subscriptions_tab)
    qtbot.waitUntil(lambda: window.subscriptions_tab.view is not None, timeout=WAIT_MS)


def test_a_plan_made_in_the_dialog_is_listed_with_its_fee_energy_discount_and_sites(
    view: SubscriptionsView, host: EngineHost, qtbot: QtBot
) -> None:
    depot = call(host, lambda s: s.sites.create_site("Depot"))
    call(host, lambda s: s.sites.create_site("Garage"))
    reload(view, qtbot)

    dialog = view.new_plan()
    dialog.name.setText("Commuter")
    dialog.fee.setText("149")
    dialog.included.setText("100")
    dialog.discount.setText("10")
    item = next(dialog.sites.item(r) for r in range(2) if dialog.sites.item(r).text() == "Depot")
    item.setCheckState(item.checkState().Checked)
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()

    qtbot.waitUntil(lambda: view.plans.rowCount() == 1, timeout=WAIT_MS)
    (stored,) = plans(host)
    assert (stored.monthly_fee_minor, stored.included_wh, stored.discount_bp) == (
        14_900,
        100_000,
        1000,
    )
    assert stored.site_ids == {depot.id}
    assert [cell(view.plans, 0, c) for c in range(6)] == [
        "Commuter",
        "149.00 SEK / month",
        "100 kWh",
        "10 % off charging",
        "Depot",
        "0",
    ]
    assert view.notice.text() == "Plan “Commuter” created."
    assert view.selected_plan() == stored


@pytest.mark.parametrize(
    ("typed", "minor"), [("149", 14_900), ("149,00", 14_900), ("149.5", 14_950), ("0,29", 29)]
)
def test_a_fee_typed_with_a_comma_or_a_point_is_taken_exactly(
    view: SubscriptionsView, host: EngineHost, qtbot: QtBot, typed: str, minor: int
) -> None:
    dialog = view.new_plan()
    dialog.name.setText("Flex")
    dialog.fee.setText(typed)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: len(plans(host)) == 1, timeout=WAIT_MS)
    assert plans(host)[0].monthly_fee_minor == minor


def test_a_fee_that_is_not_an_amount_disables_ok_and_says_why(
    view: SubscriptionsView, host: EngineHost
) -> None:
    dialog = view.new_plan()
    dialog.name.setText("Commuter")
    dialog.fee.setText("149,0,0")
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem_text("fee") == "Not a number: write it like 3,45 or 3.45."
    dialog.fee.setText("149,001")
    assert dialog.problem_text("fee") == "At most 2 decimals."
    dialog.fee.setText("")
    assert dialog.problem_text("fee") == "Required."
    dialog.fee.setText("149,00")
    assert dialog.problem_text("fee") == ""
    assert dialog.ok_button.isEnabled()
    dialog.discount.setText("101")
    assert dialog.problem_text("discount") == "From 0 to 100 %."
    assert not dialog.ok_button.isEnabled()
    dialog.accept()
    assert plans(host) == [], "nothing is stored while a field is wrong"


def test_a_name_already_taken_is_refused_before_ok(
    view: SubscriptionsView, host: EngineHost, qtbot: QtBot
) -> None:
    call(host, lambda s: s.subscriptions.create_plan(COMMUTER))
    reload(view, qtbot)
    dialog = view.new_plan()
    dialog.name.setText("  commuter ")
    dialog.fee.setText("99")
    assert dialog.problem_text("name") == "There is a plan called “commuter” already."
    assert not dialog.ok_button.isEnabled()


def test_a_plan_with_members_keeps_its_prices_but_can_be_renamed(
    view: SubscriptionsView, host: EngineHost, qtbot: QtBot
) -> None:
    plan = call(host, lambda s: s.subscriptions.create_plan(COMMUTER))
    anna = add_driver(host, "Anna Berg", "AA01")
    call(host, lambda s: s.subscriptions.subscribe(anna.driver.id, plan.id))
    qtbot.waitUntil(lambda: cell(view.plans, 0, 5) == "1", timeout=WAIT_MS)

    dialog = view.edit_selected()
    assert dialog is not None
    assert not dialog.fee.isEnabled()
    assert "the prices are fixed" in dialog.messages["fee"].text()
    dialog.name.setText("Commuter 2026")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: cell(view.plans, 0, 0) == "Commuter 2026", timeout=WAIT_MS)
    assert plans(host)[0].monthly_fee_minor == 14_900


def test_archiving_is_confirmed_and_refused_while_the_plan_has_members(
    view: SubscriptionsView, host: EngineHost, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = call(host, lambda s: s.subscriptions.create_plan(COMMUTER))
    anna = add_driver(host, "Anna Berg", "AA01")
    today = view.state.today
    subscription = call(
        host,
        lambda s: s.subscriptions.subscribe(anna.driver.id, plan.id, today - timedelta(days=10)),
    )
    qtbot.waitUntil(lambda: view.plans.rowCount() == 1, timeout=WAIT_MS)
    asked: list[str] = []

    def refuse(_parent: object, _title: str, question: str, _action: str) -> bool:
        asked.append(question)
        return False

    monkeypatch.setattr(subscriptions, "confirm", refuse)
    view.archive_button.click()
    assert asked
    assert "Archive “Commuter”?" in asked[0]
    assert not plans(host)[0].archived, "cancelled: nothing happens"

    monkeypatch.setattr(subscriptions, "confirm", lambda *_a: True)
    view.archive_button.click()
    qtbot.waitUntil(lambda: view.notice.isVisible(), timeout=WAIT_MS)
    assert "end them before archiving" in view.notice.text()
    assert not plans(host)[0].archived

    call(host, lambda s: s.subscriptions.end(subscription.id, today - timedelta(days=1)))
    qtbot.waitUntil(lambda: cell(view.plans, 0, 5) == "0", timeout=WAIT_MS)
    view.archive_button.click()
    qtbot.waitUntil(lambda: view.plans.rowCount() == 0, timeout=WAIT_MS)
    assert plans(host)[0].archived
    view.show_archived.setChecked(True)
    assert cell(view.plans, 0, 0) == "Commuter (archived)"
    assert view.archive_button.text() == "&Restore"


def test_a_member_added_in_the_dialog_is_listed_and_can_be_paused_and_resumed(
    view: SubscriptionsView, host: EngineHost, qtbot: QtBot
) -> None:
    fleet = call(host, lambda s: s.access.create_fleet("Acme Vans"))
    plan = call(host, lambda s: s.subscriptions.create_plan(COMMUTER))
    anna = add_driver(host, "Anna Berg", "AA01", fleet=fleet)
    qtbot.waitUntil(lambda: len(view.state.drivers) == 1, timeout=WAIT_MS)
    today = view.state.today

    dialog = view.add_member()
    assert dialog is not None
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem_text("driver") == "Choose a driver from the list."
    assert dialog.driver.choose(anna.driver.id)
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: view.members.rowCount() == 1, timeout=WAIT_MS)
    assert [cell(view.members, 0, c) for c in range(5)] == [
        "Anna Berg",
        "Acme Vans",
        today.isoformat(),
        "no end date",
        "Active",
    ]
    assert view.notice.text() == "Anna Berg added to “Commuter”."
    assert view.members_box.title() == "Members of “Commuter”"
    assert cell(view.plans, 0, 5) == "1"

    assert view.select_member("Anna Berg")
    assert not view.resume_button.isEnabled()
    pause = view.change_selected(Change.PAUSE)
    assert pause is not None
    assert pause.ok_button.text() == "Pause subscription"
    pause.ok_button.click()
    qtbot.waitUntil(lambda: cell(view.members, 0, 4) == "Paused until resumed", timeout=WAIT_MS)
    (member,) = call(host, lambda s: s.subscriptions.members(plan.id))
    assert member.status is SubscriptionStatus.PAUSED

    view.select_member("Anna Berg")
    assert view.resume_button.isEnabled()
    resume = view.change_selected(Change.RESUME)
    assert resume is not None
    resume.ok_button.click()
    qtbot.waitUntil(lambda: cell(view.members, 0, 4) == "Active", timeout=WAIT_MS)


def test_pause_and_end_dates_are_checked_before_anything_is_sent(
    view: SubscriptionsView, host: EngineHost, qtbot: QtBot
) -> None:
    plan = call(host, lambda s: s.subscriptions.create_plan(COMMUTER))
    anna = add_driver(host, "Anna Berg", "AA01")
    today = view.state.today
    call(host, lambda s: s.subscriptions.subscribe(anna.driver.id, plan.id, today))
    qtbot.waitUntil(lambda: view.members.rowCount() == 1, timeout=WAIT_MS)
    view.select_member("Anna Berg")

    pause = view.change_selected(Change.PAUSE)
    assert pause is not None
    assert pause.until is not None
    pause.day.setDate(qdate(today - timedelta(days=3)))
    assert pause.problem_text("day").startswith("Pick a day the subscription runs")
    assert not pause.ok_button.isEnabled()
    pause.day.setDate(qdate(today + timedelta(days=5)))
    pause.until.enabled.setChecked(True)
    pause.until.edit.setDate(qdate(today + timedelta(days=2)))
    assert pause.problem_text("until") == "The last paused day cannot come before the first."
    assert not pause.ok_button.isEnabled()
    pause.until.edit.setDate(qdate(today + timedelta(days=9)))
    assert pause.ok_button.isEnabled()
    pause.ok_button.click()
    qtbot.waitUntil(lambda: "to" in cell(view.members, 0, 5), timeout=WAIT_MS)
    first, last = today + timedelta(days=5), today + timedelta(days=9)
    assert cell(view.members, 0, 5) == f"{first.isoformat()} to {last.isoformat()}"

    view.select_member("Anna Berg")
    end = view.change_selected(Change.END)
    assert end is not None
    end.day.setDate(qdate(today - timedelta(days=1)))
    assert (
        end.problem_text("day") == f"It starts on {today.isoformat()}: it cannot end before that."
    )
    assert not end.ok_button.isEnabled()
    end.day.setDate(qdate(today + timedelta(days=30)))
    end.ok_button.click()
    qtbot.waitUntil(
        lambda: cell(view.members, 0, 3) == (today + timedelta(days=30)).isoformat(),
        timeout=WAIT_MS,
    )


def test_a_driver_with_a_subscription_that_day_cannot_be_added_again(
    view: SubscriptionsView, host: EngineHost, qtbot: QtBot
) -> None:
    plan = call(host, lambda s: s.subscriptions.create_plan(COMMUTER))
    other = call(host, lambda s: s.subscriptions.create_plan(Plan("Flex", 0)))
    anna = add_driver(host, "Anna Berg", "AA01")
    call(host, lambda s: s.subscriptions.subscribe(anna.driver.id, other.id))
    qtbot.waitUntil(lambda: len(view.state.members) == 1, timeout=WAIT_MS)
    view.select_plan(plan.id)
    dialog = view.add_member()
    assert dialog is not None
    dialog.driver.choose(anna.driver.id)
    assert dialog.problem_text("starts").startswith("Anna Berg already has “Flex” from ")
    assert not dialog.ok_button.isEnabled()
    dialog.ends.enabled.setChecked(True)
    dialog.starts.setDate(qdate(date(2020, 1, 10)))
    dialog.ends.edit.setDate(qdate(date(2020, 1, 9)))
    assert dialog.problem_text("ends") == "The last day cannot come before the first."
