"""Amounts as the operator types and reads them: "3,45" or "3.45", exact to the öre.

A price is parsed straight from its digits into integer minor units, never through a
float, so "0.29" is 29 öre and not 28.999… A comma and a point both mean the decimal
separator (Swedes write 3,45); spaces between groups of three digits are accepted
("1 250,00"). Anything else is refused with a sentence saying what is wrong.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QLocale

from app.domain.price_format import minor_digits

# Thin and non-breaking spaces are what QLocale and word processors put between groups.
_AMOUNT = re.compile(
    r"(?P<sign>[+-]?)(?P<whole>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d*)(?:[.,](?P<fraction>\d*))?",
    re.ASCII,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tariffs", text)


class AmountProblem(ValueError):
    """What the operator typed is not an amount; the message says why, translated."""


def parse_scaled(text: str, decimals: int) -> int:
    """`"3,45", 2` → 345; `"25", 2` → 2500; refuses more decimals than `decimals`.

    A sign is kept (the tariff itself says why a negative price is refused).
    """
    typed = text.strip()
    match = _AMOUNT.fullmatch(typed)
    if not typed or match is None or not (match["whole"] or match["fraction"]):
        raise AmountProblem(_tr("Not a number: write it like 3,45 or 3.45."))
    fraction = match["fraction"] or ""
    if len(fraction) > decimals:
        if decimals == 0:
            raise AmountProblem(_tr("Write a whole number, without decimals."))
        raise AmountProblem(_tr("At most {n} decimals.").format(n=decimals))
    whole = int(re.sub(r"\D", "", match["whole"]) or "0")
    value: int = whole * 10**decimals + int(fraction.ljust(decimals, "0") or "0")
    return -value if match.group("sign") == "-" else value


def parse_money(text: str, currency: str) -> int:
    """An amount in `currency` to its minor units (öre for SEK)."""
    return parse_scaled(text, minor_digits(currency))


def scaled_text(value: int, decimals: int, *, group: bool = False) -> str:
    """345, 2 → "3,45" in Swedish, "3.45" in English; exact (no float on the way)."""
    locale = QLocale()
    whole, fraction = divmod(abs(value), 10**decimals)
    digits = str(whole)
    if group and len(digits) > 3:
        parts: list[str] = []
        while digits:
            parts.insert(0, digits[-3:])
            digits = digits[:-3]
        digits = locale.groupSeparator().join(parts)
    sign = "-" if value < 0 else ""
    if not decimals:
        return sign + digits
    return f"{sign}{digits}{locale.decimalPoint()}{fraction:0{decimals}d}"


def money_text(amount_minor: int, currency: str) -> str:
    """For fields the operator edits: "3,45" (no currency, no grouping)."""
    return scaled_text(amount_minor, minor_digits(currency))


def money(amount_minor: int, currency: str) -> str:
    """For reading: "1 250,00 SEK" in Swedish, "1,250.00 SEK" in English."""
    return f"{scaled_text(amount_minor, minor_digits(currency), group=True)} {currency}"


def percent_text(basis_points: int) -> str:
    """2500 → "25", 1250 → "12,5": a VAT rate or discount as the operator types it."""
    text = scaled_text(basis_points, 2)
    point = QLocale().decimalPoint()
    if point in text:
        text = text.rstrip("0").rstrip(point)
    return text
