"""A price breakdown's lines in the operator's language and number format.

The pricing domain writes English labels for stored receipts; on screen each line is
worded again from its structured fields (kind, quantity, unit price, band), so a
Swedish operator reads "Energi 22 kWh × 3,45 SEK" with the same amounts.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QLocale

from app.domain.session_price import LineKind, PriceLine
from app.domain.tariffs import MINUTES_PER_DAY, PlanTerms, RoundingMode, Tariff, TariffBand
from app.ui.views.tariff_text import money, percent_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tariffs", text)


def quantity_text(value: Decimal | int | None) -> str:
    """Decimal("22.000") → "22", Decimal("12.50") → "12,5" in Swedish."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", QLocale().decimalPoint())


def line_label(line: PriceLine, tariff: Tariff, plan: PlanTerms | None = None) -> str:
    currency = tariff.currency
    price = "" if line.unit_price_minor is None else money(line.unit_price_minor, currency)
    quantity = quantity_text(line.quantity)
    band = "" if line.band is None else _tr(" ({band})").format(band=line.band)
    if line.kind is LineKind.START_FEE:
        return _tr("Start fee")
    if line.kind is LineKind.ENERGY:
        if plan is not None and plan.price_per_kwh_minor is not None:
            band = _tr(" (plan price)")
        return _tr("Energy {kwh} kWh × {price}").format(kwh=quantity, price=price) + band
    if line.kind is LineKind.TIME:
        return (
            _tr("Charging time {minutes} min × {price}").format(minutes=quantity, price=price)
            + band
        )
    if line.kind is LineKind.IDLE:
        return _idle_label(line, tariff, quantity, price)
    if line.kind is LineKind.INCLUDED:
        kwh = quantity_text(Decimal(line.quantity or 0).scaleb(-3))
        return _tr("Included in the plan: {kwh} kWh").format(kwh=kwh)
    if line.kind is LineKind.DISCOUNT:
        discount = 0 if plan is None else plan.discount_bp
        return _tr("Plan discount {percent} % on energy and time").format(
            percent=percent_text(discount)
        )
    if line.kind is LineKind.ADJUSTMENT:
        if line.amount_minor > 0 and tariff.min_price_minor is not None:
            return _tr("Up to the minimum session price, {price}").format(
                price=money(tariff.min_price_minor, currency)
            )
        if tariff.max_price_minor is not None:
            return _tr("Down to the maximum session price, {price}").format(
                price=money(tariff.max_price_minor, currency)
            )
    if line.kind is LineKind.ROUNDING:
        step = money(tariff.rounding_minor, currency)
        if tariff.rounding_mode is RoundingMode.UP:
            return _tr("Rounded up to a multiple of {step}").format(step=step)
        return _tr("Rounded to the nearest {step}").format(step=step)
    if line.kind is LineKind.NOTE and line.amount_minor == 0:
        return _tr("No energy delivered: nothing to pay")
    return line.label


def _idle_label(line: PriceLine, tariff: Tariff, quantity: str, price: str) -> str:
    label = _tr("Idle {minutes} min × {price}").format(minutes=quantity, price=price)
    if tariff.idle_grace_minutes:
        label += _tr(", after {grace} min free").format(grace=tariff.idle_grace_minutes)
    cap = tariff.idle_cap_minor
    if cap is not None and line.amount_minor == cap:
        label += _tr(", capped at {cap}").format(cap=money(cap, tariff.currency))
    return label


def weekdays_text(weekdays: frozenset[int]) -> str:
    """{0..4} → "Mon–Fri" ("mån–fre" in Swedish); every day → "every day"."""
    if weekdays == frozenset(range(7)):
        return _tr("every day")
    locale = QLocale()

    def name(day: int) -> str:
        return locale.dayName(day + 1, QLocale.FormatType.ShortFormat)

    runs: list[list[int]] = []
    for day in sorted(weekdays):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{name(run[0])}–{name(run[-1])}")
        else:
            parts.extend(name(day) for day in run)
    return ", ".join(parts)


def band_summary(band: TariffBand) -> str:
    """ "Peak Mon–Fri 07:00–09:00"; a band of a whole day says so."""
    if band.length_minutes == MINUTES_PER_DAY and band.start_minute == 0:
        hours = _tr("all day")
    else:
        hours = f"{band.start.strftime('%H:%M')}–{band.end.strftime('%H:%M')}"
    return f"{band.name} {weekdays_text(band.weekdays)} {hours}"


def prices_summary(tariff: Tariff) -> str:
    """The prices a driver meets, in one line: "3,45 SEK/kWh · start 5,00 SEK · …"."""
    currency = tariff.currency
    parts = [_tr("{price}/kWh").format(price=money(tariff.energy_per_kwh_minor, currency))]
    if tariff.time_per_minute_minor:
        parts.append(_tr("{price}/min").format(price=money(tariff.time_per_minute_minor, currency)))
    if tariff.start_fee_minor:
        parts.append(_tr("start {price}").format(price=money(tariff.start_fee_minor, currency)))
    if tariff.idle_per_minute_minor:
        parts.append(
            _tr("idle {price}/min").format(price=money(tariff.idle_per_minute_minor, currency))
        )
    return " · ".join(parts)
