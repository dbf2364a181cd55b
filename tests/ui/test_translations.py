"""English and Swedish: every string the UI shows has a Swedish translation that loads."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from pytestqt.qtbot import QtBot

from app.ui import i18n

PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def test_every_ui_string_is_in_the_swedish_source() -> None:
    extracted = i18n.extract()
    in_source = i18n.read_ts("sv")
    missing = [
        (context, text)
        for context, texts in extracted.items()
        for text in texts
        if not in_source.get((context, text))
    ]
    assert missing == [], "run `python -m app.ui.i18n update` and translate these"


def test_translations_keep_every_placeholder() -> None:
    for (context, source), translation in i18n.read_ts("sv").items():
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation)), (
            context,
            source,
        )


@pytest.mark.usefixtures("qtbot")
def test_swedish_loads_and_translates_the_window() -> None:
    i18n.compile_all()
    translator = QTranslator()
    assert translator.load(QLocale("sv_SE"), "chargedesk", "_", str(i18n.translations_dir()))
    app = QCoreApplication.instance()
    assert app is not None
    app.installTranslator(translator)
    try:
        assert QCoreApplication.translate("Status", "Charging") != "Charging"
        assert QCoreApplication.translate("MainWindow", "Status grid") != "Status grid"
    finally:
        app.removeTranslator(translator)
    assert QCoreApplication.translate("Status", "Charging") == "Charging"


def test_english_needs_no_file(qtbot: QtBot) -> None:
    del qtbot
    assert QCoreApplication.translate("Status", "Faulted") == "Faulted"


def test_numbers_follow_the_chosen_locale(qtbot: QtBot) -> None:
    del qtbot
    from app.ui.formatting import kilo

    previous = QLocale()
    try:
        QLocale.setDefault(QLocale("sv_SE"))
        assert kilo(7400) == "7,4"
        assert kilo(1234567, 2) == "1\xa0234,57"
        QLocale.setDefault(QLocale("en_GB"))
        assert kilo(7400) == "7.4"
    finally:
        QLocale.setDefault(previous)
