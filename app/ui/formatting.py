"""Numbers and times as the operator's locale writes them (1 234,5 in Swedish)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale, QTimeZone


def number(value: float, decimals: int = 1) -> str:
    return QLocale().toString(float(value), "f", decimals)


def kilo(value_in_base_unit: float, decimals: int = 1) -> str:
    """W → kW, Wh → kWh, as a locale number without the unit."""
    return number(value_in_base_unit / 1000, decimals)


def local_datetime(value: datetime | None, *, seconds: bool = True) -> str:
    """Local time; the date (in the locale's short form) only when it is not today."""
    if value is None:
        return ""
    shown = value.astimezone()
    clock = shown.strftime("%H:%M:%S" if seconds else "%H:%M")
    if shown.date() == datetime.now().astimezone().date():
        return clock
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return f"{shown:%Y-%m-%d} {clock}"  # the "C" locale's short date is "25 11 2026"
    moment = QDateTime.fromSecsSinceEpoch(int(shown.timestamp()), QTimeZone.systemTimeZone())
    return f"{locale.toString(moment.date(), QLocale.FormatType.ShortFormat)} {clock}"


def sentence(message: str) -> str:
    """A domain message ("the start fee cannot be negative") as a sentence on screen."""
    text = message.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
