"""The tariff editor: prices as Swedes and others type them, problems shown as typed, the
calculator beside it agreeing with the pricing domain, and no changes lost by Cancel."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from PySide6.QtCore import QLocale, QTime
from pytestqt.qtbot import QtBot

from app.domain.pricing import describe_hypothetical
from app.domain.session_price import LineKind
from app.domain.subscriptions import Plan
from app.domain.tariffs import Tariff
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views import tariff_editor
from app.ui.views.tariff_calculator import TariffCalculator
from app.ui.views.tariff_draft import BandDraft, Field
from app.ui.views.tariff_editor import TariffEditor
from app.ui.views.tariffs import TariffsView


@pytest.fixture
def tariffs(window: MainWindow, qtbot: QtBot) -> TariffsView:
    window.tabs.setCurrentWidget(window.tariffs_tab)
    qtbot.waitUntil(lambda: window.tariffs_tab.view is not None, timeout=5000)
    return window.tariffs


@pytest.fixture
def editor(tariffs: TariffsView) -> TariffEditor:
    tariffs.new_button.click()
    assert tariffs.pages.currentWidget() is tariffs.editor
    tariffs.editor.name.setText("Depot standard")
    return tariffs.editor


def tariff_of(editor: TariffEditor) -> Tariff:
    tariff = editor.current_tariff()
    assert tariff is not None, editor.last_check
    return tariff


def total(calculator: TariffCalculator) -> int | None:
    return None if calculator.result is None else calculator.result.total_minor


def problem_at(editor: TariffEditor, field: Field) -> str:
    label = editor.checked[field].problem
    return label.text() if label.isVisibleTo(editor) else ""


def test_a_price_typed_with_a_comma_or_a_point_is_the_same_exact_amount(
    editor: TariffEditor,
) -> None:
    energy = editor.amounts[Field.ENERGY]
    energy.setText("3,45")
    assert tariff_of(editor).energy_per_kwh_minor == 345
    energy.setText("3.45")
    assert tariff_of(editor).energy_per_kwh_minor == 345
    # 0.29 is 28.999… as a float; parsed from its digits it is 29 öre.
    energy.setText("0,29")
    assert tariff_of(editor).energy_per_kwh_minor == 29
    editor.amounts[Field.START_FEE].setText("1 250,50")
    assert tariff_of(editor).start_fee_minor == 125050
    editor.amounts[Field.VAT].setText("12,5")
    assert tariff_of(editor).vat_rate_bp == 1250
    assert editor.save_button.isEnabled()


def test_a_wrong_field_says_why_next_to_it_and_save_stays_disabled(
    editor: TariffEditor,
) -> None:
    energy = editor.amounts[Field.ENERGY]
    energy.setText("3,456")
    assert problem_at(editor, Field.ENERGY) == "At most 2 decimals."
    assert not editor.save_button.isEnabled()
    energy.setText("3,45 kr")
    assert problem_at(editor, Field.ENERGY).startswith("Not a number")
    energy.setText("1.234,50")
    assert problem_at(editor, Field.ENERGY).startswith("Not a number")
    energy.setText("3,45")
    assert problem_at(editor, Field.ENERGY) == ""
    assert editor.save_button.isEnabled()

    editor.amounts[Field.START_FEE].setText("-5")
    assert problem_at(editor, Field.START_FEE) == "The start fee cannot be negative."
    assert not editor.save_button.isEnabled()
    assert editor.calculator.problem.text() == "Fix the tariff's problems to see a price."
    editor.amounts[Field.START_FEE].setText("5")

    editor.amounts[Field.MIN].setText("50")
    editor.amounts[Field.MAX].setText("20")
    assert "below the minimum" in problem_at(editor, Field.MAX)
    assert problem_at(editor, Field.MIN) == ""
    assert not editor.save_button.isEnabled()
    editor.amounts[Field.MAX].setText("")
    assert editor.save_button.isEnabled()

    editor.name.setText("  ")
    assert problem_at(editor, Field.NAME) == "A tariff needs a name."
    assert not editor.save_button.isEnabled()


def test_overlapping_bands_are_named_and_block_saving(editor: TariffEditor) -> None:
    editor.amounts[Field.ENERGY].setText("3,45")
    peak = editor.bands.add_band(
        BandDraft("Peak", frozenset(range(5)), time(7), time(9), energy="5,50")
    )
    morning = editor.bands.add_band(
        BandDraft("Morning", frozenset({2}), time(8, 30), time(10), energy="4")
    )
    assert not editor.save_button.isEnabled()
    problems = editor.bands.problems.text()
    assert "'Peak' and 'Morning' overlap on Wed at 08:30" in problems
    assert peak.name.styleSheet(), "both rows are outlined"
    assert morning.name.styleSheet()

    morning.start.setTime(QTime(9, 0))
    assert editor.bands.problems.text() == ""
    assert not peak.name.styleSheet()
    tariff = tariff_of(editor)
    assert [(b.name, b.energy_per_kwh_minor) for b in tariff.bands] == [
        ("Peak", 550),
        ("Morning", 400),
    ]

    morning.energy.setText("fyra")
    assert editor.bands.problems.text().startswith("Band 2: Energy price: Not a number")
    assert not editor.save_button.isEnabled()
    editor.bands.remove_band(1)
    assert editor.save_button.isEnabled()


def test_the_calculator_prices_the_unsaved_tariff_as_the_pricing_domain_does(
    editor: TariffEditor,
) -> None:
    editor.amounts[Field.ENERGY].setText("3,45")
    editor.amounts[Field.START_FEE].setText("5")
    editor.bands.add_band(
        BandDraft("Evening peak", frozenset(range(5)), time(16), time(20), energy="5,95")
    )
    calculator = editor.calculator
    start = calculator.start_time()
    assert start.weekday() < 5
    assert (start.hour, start.minute) == (17, 30)
    assert calculator.minutes.value() == 45
    assert calculator.energy.text() == "22"

    def expected() -> int:
        price = describe_hypothetical(
            tariff_of(editor), calculator.start_time(), 45, 22.0, calculator.zone
        )
        return price.total_minor

    assert total(calculator) == expected() == 500 + 22 * 595
    assert calculator.total.text() == "Total 135.90 SEK"
    assert "of which VAT 27.18 SEK (25 %)" in calculator.vat.text()
    assert calculator.lines.rows[1] == ("Energy 22 kWh × 5.95 SEK (Evening peak)", "130.90 SEK")

    # Every edit of the form is priced at once, saved or not.
    editor.bands.rows[0].energy.setText("6,10")
    assert total(calculator) == expected() == 500 + 22 * 610
    calculator.set_start(datetime(start.year, start.month, start.day, 21, 0))
    assert total(calculator) == 500 + 22 * 345
    calculator.energy.setText("22,5")
    assert total(calculator) == 500 + 7763  # 77.625 SEK, half an öre up
    calculator.energy.setText("lots")
    assert total(calculator) is None
    assert calculator.problem.text().startswith("Not a number")


def test_the_calculator_shows_the_idle_fee_for_a_car_left_plugged_in(
    editor: TariffEditor,
) -> None:
    editor.amounts[Field.ENERGY].setText("3,45")
    editor.amounts[Field.IDLE].setText("2")
    editor.idle_grace.setValue(15)
    editor.amounts[Field.IDLE_CAP].setText("30")
    calculator = editor.calculator
    calculator.idle.setValue(25)
    assert calculator.result is not None
    idle = calculator.result.lines_of(LineKind.IDLE)
    assert [line.amount_minor for line in idle] == [10 * 200]
    assert calculator.lines.rows[-1] == ("Idle 10 min × 2.00 SEK, after 15 min free", "20.00 SEK")
    calculator.idle.setValue(120)
    assert calculator.lines.rows[-1] == (
        "Idle 105 min × 2.00 SEK, after 15 min free, capped at 30.00 SEK",
        "30.00 SEK",
    )


def test_a_subscription_plan_changes_the_example_price(editor: TariffEditor) -> None:
    editor.amounts[Field.ENERGY].setText("4")
    calculator = editor.calculator
    calculator.plan_box.setChecked(True)
    calculator.included.setText("10")
    calculator.discount.setText("10")
    assert calculator.result is not None
    # 10 of 22 kWh included, 12 kWh at 4 SEK less 10 %.
    assert calculator.result.total_minor == 12 * 400 - 480
    assert calculator.lines.rows[0][0] == "Included in the plan: 10 kWh"


def test_a_stored_plan_fills_in_its_terms(
    tariffs: TariffsView, host: EngineHost, qtbot: QtBot
) -> None:
    plan = Plan("Van fleet", 49900, included_wh=10_000, discount_bp=1000)
    host.submit(lambda s: s.subscriptions.create_plan(plan)).result(5)
    tariffs.refresh()
    calculator = tariffs.editor.calculator
    qtbot.waitUntil(lambda: calculator.stored_plan.count() == 2, timeout=5000)
    tariffs.new_button.click()
    tariffs.editor.name.setText("Depot standard")
    tariffs.editor.amounts[Field.ENERGY].setText("4")
    calculator.plan_box.setChecked(True)
    calculator.stored_plan.setCurrentIndex(1)
    assert (calculator.included.text(), calculator.discount.text()) == ("10", "10")
    assert total(calculator) == 12 * 400 - 480


def test_swedish_operators_read_amounts_with_a_decimal_comma(editor: TariffEditor) -> None:
    previous = QLocale()
    try:
        QLocale.setDefault(QLocale("sv_SE"))
        editor.amounts[Field.ENERGY].setText("3,45")
        editor.calculator.recompute()
        assert editor.calculator.total.text() == "Total 75,90 SEK"
    finally:
        QLocale.setDefault(previous)


def test_cancel_with_unsaved_changes_asks_before_throwing_them_away(
    tariffs: TariffsView, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    answer = False

    def ask(_parent: object) -> bool:
        asked.append(answer)
        return answer

    monkeypatch.setattr(tariff_editor, "confirm_discard", ask)
    tariffs.new_button.click()
    tariffs.editor.cancel_button.click()
    assert asked == [], "nothing typed, nothing to ask about"
    assert tariffs.pages.currentWidget() is tariffs.list_page

    tariffs.new_button.click()
    tariffs.editor.amounts[Field.ENERGY].setText("3,45")
    tariffs.editor.cancel_button.click()
    assert asked == [False]
    assert tariffs.pages.currentWidget() is tariffs.editor, "kept editing"
    assert tariffs.editor.amounts[Field.ENERGY].text() == "3,45"
    answer = True
    tariffs.editor.cancel_button.click()
    assert asked == [False, True]
    assert tariffs.pages.currentWidget() is tariffs.list_page
