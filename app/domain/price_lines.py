"""The lines of a session price, built from energy and time already attributed to bands.

Each line's amount is rounded half-up to a whole minor unit from exact quantities;
labels are short English for the control room and receipts.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from app.domain.price_format import format_basis_points, format_money, minor_digits
from app.domain.session_price import BASIS_POINTS, LineKind, PriceLine, QuantityUnit
from app.domain.tariff_bands import US_PER_MINUTE
from app.domain.tariffs import PlanTerms, RoundingMode, Tariff

MWH_PER_WH = 1_000
MWH_PER_KWH = 1_000_000

# Energy in milliwatt-hours: an int, or a Fraction where a step was split between bands.
Energy = int | Fraction


def half_up(value: Fraction) -> int:
    """Round to the nearest integer, halves up (for the non-negative amounts of a price)."""
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


class PriceLines:
    """Builds the breakdown in its reading order, one method per kind of line."""

    def __init__(self, tariff: Tariff, plan: PlanTerms | None) -> None:
        self.tariff = tariff
        self.plan = plan
        self.lines: list[PriceLine] = []

    def _money(self, amount_minor: int) -> str:
        return format_money(amount_minor, self.tariff.currency)

    def _band(self, key: int | None) -> tuple[str | None, str]:
        """The band's name and the label suffix naming it, for a price key."""
        if key is None:
            return None, ""
        band = self.tariff.bands[key]
        return band.name, f" ({band.describe()})"

    def start_fee(self) -> None:
        if self.tariff.start_fee_minor:
            fee = self.tariff.start_fee_minor
            self.lines.append(PriceLine(LineKind.START_FEE, "Start fee", fee, unit_price_minor=fee))

    def included(self, included_wh: int) -> None:
        if included_wh:
            kwh = Decimal(included_wh).scaleb(-3)
            self.lines.append(
                PriceLine(
                    LineKind.INCLUDED,
                    f"Included in plan {kwh} kWh",
                    0,
                    quantity=Decimal(included_wh),
                    unit=QuantityUnit.WH,
                )
            )

    def energy(self, energy: dict[int | None, Energy]) -> None:
        plan_price = None if self.plan is None else self.plan.price_per_kwh_minor
        for key in sorted(energy, key=lambda key: -1 if key is None else key):
            mwh = Fraction(energy[key])
            if not mwh:
                continue
            if key is not None:
                price = self.tariff.bands[key].energy_per_kwh_minor or 0
            else:
                price = self.tariff.energy_per_kwh_minor if plan_price is None else plan_price
            band, where = self._band(key)
            if plan_price is not None:
                where = " (plan price)"
            kwh = Decimal(half_up(mwh / MWH_PER_WH)).scaleb(-3)
            self.lines.append(
                PriceLine(
                    LineKind.ENERGY,
                    f"Energy {kwh} kWh × {self._money(price)}{where}",
                    half_up(mwh * price / MWH_PER_KWH),
                    quantity=kwh,
                    unit=QuantityUnit.KWH,
                    unit_price_minor=price,
                    band=band,
                )
            )

    def charging_time(self, charging_us: dict[int | None, int]) -> None:
        for key in sorted(charging_us, key=lambda key: -1 if key is None else key):
            if key is None:
                price = self.tariff.time_per_minute_minor
            else:
                price = self.tariff.bands[key].time_per_minute_minor or 0
            if not price or not charging_us[key]:
                continue
            minutes = _minutes(charging_us[key])
            band, where = self._band(key)
            self.lines.append(
                PriceLine(
                    LineKind.TIME,
                    f"Charging time {minutes} min × {self._money(price)}{where}",
                    half_up(Fraction(charging_us[key] * price, US_PER_MINUTE)),
                    quantity=minutes,
                    unit=QuantityUnit.MINUTE,
                    unit_price_minor=price,
                    band=band,
                )
            )

    def idle(self, idle_us: int) -> None:
        price, grace = self.tariff.idle_per_minute_minor, self.tariff.idle_grace_minutes
        billable_us = idle_us - grace * US_PER_MINUTE
        if not price or billable_us <= 0:
            return
        amount = half_up(Fraction(billable_us * price, US_PER_MINUTE))
        minutes = _minutes(billable_us)
        label = f"Idle {minutes} min × {self._money(price)}"
        if grace:
            label += f" after {grace} min grace"
        cap = self.tariff.idle_cap_minor
        if cap is not None and amount > cap:
            amount = cap
            label += f", capped at {self._money(cap)}"
        self.lines.append(
            PriceLine(
                LineKind.IDLE,
                label,
                amount,
                quantity=minutes,
                unit=QuantityUnit.MINUTE,
                unit_price_minor=price,
            )
        )

    def discount(self) -> None:
        if self.plan is None or not self.plan.discount_bp:
            return
        priced = (LineKind.ENERGY, LineKind.TIME)
        base = sum(line.amount_minor for line in self.lines if line.kind in priced)
        amount = half_up(Fraction(base * self.plan.discount_bp, BASIS_POINTS))
        if amount:
            percent = format_basis_points(self.plan.discount_bp)
            self.lines.append(
                PriceLine(LineKind.DISCOUNT, f"Plan discount {percent} on energy and time", -amount)
            )

    def limits(self) -> None:
        subtotal = sum(line.amount_minor for line in self.lines)
        low, high = self.tariff.min_price_minor, self.tariff.max_price_minor
        if low is not None and subtotal < low:
            label, amount = f"Minimum session price {self._money(low)}", low - subtotal
        elif high is not None and subtotal > high:
            label, amount = f"Maximum session price {self._money(high)}", high - subtotal
        else:
            return
        self.lines.append(PriceLine(LineKind.ADJUSTMENT, label, amount))

    def rounding(self) -> None:
        step, mode = self.tariff.rounding_minor, self.tariff.rounding_mode
        subtotal = sum(line.amount_minor for line in self.lines)
        difference = mode.apply(subtotal, step) - subtotal
        if not difference:
            return
        currency = self.tariff.currency
        to = f"whole {currency}" if step == 10 ** minor_digits(currency) else self._money(step)
        direction = "up " if mode is RoundingMode.UP else ""
        self.lines.append(PriceLine(LineKind.ROUNDING, f"Rounding {direction}to {to}", difference))


def _minutes(us: int) -> Decimal:
    """Minutes to two decimals, for quantities and labels."""
    return Decimal(half_up(Fraction(us * 100, US_PER_MINUTE))).scaleb(-2)
