"""The price of a charging session, line by line, as `app.domain.pricing` computes it.

A `SessionPrice` always adds up: `total_minor == sum(line.amount_minor)`,
`vat_minor + net_minor == total_minor` and the total is never negative; building one
that does not raises `InvalidInput` (so a stored breakdown read back with `from_dict`
is as trustworthy as a fresh one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from app.domain.errors import InvalidInput

BREAKDOWN_VERSION = 1
BASIS_POINTS = 10_000


class LineKind(StrEnum):
    START_FEE = "start_fee"
    ENERGY = "energy"
    # Charging time, priced per minute.
    TIME = "time"
    # The car stayed after charging ended.
    IDLE = "idle"
    # Energy taken from a subscription's monthly allowance: amount 0, quantity in Wh.
    INCLUDED = "included"
    DISCOUNT = "discount"
    # The tariff's minimum (positive) or maximum (negative) session price.
    ADJUSTMENT = "adjustment"
    ROUNDING = "rounding"
    # An explanation with amount 0, such as "no energy delivered".
    NOTE = "note"


class QuantityUnit(StrEnum):
    KWH = "kWh"
    MINUTE = "min"
    WH = "Wh"


@dataclass(frozen=True, slots=True)
class PriceLine:
    """One line of a price breakdown: one per kind and band, never one per meter sample.

    ENERGY quantities are kWh to three decimals (whole Wh), TIME and IDLE quantities
    minutes to two decimals, INCLUDED whole Wh; other kinds have no quantity. The
    quantity is for reading: the amount is computed from the exact energy and time,
    rounded half-up to a whole minor unit, so it may differ from quantity × unit price
    in the last minor unit.
    """

    kind: LineKind
    label: str
    amount_minor: int
    quantity: Decimal | None = None
    unit: QuantityUnit | None = None
    unit_price_minor: int | None = None
    # The name of the tariff band whose prices apply, None for the base prices.
    band: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "label": self.label,
            "amount_minor": self.amount_minor,
            "quantity": None if self.quantity is None else str(self.quantity),
            "unit": None if self.unit is None else self.unit.value,
            "unit_price_minor": self.unit_price_minor,
            "band": self.band,
        }

    @classmethod
    def from_dict(cls, data: object) -> PriceLine:
        fields = _fields(data, "a price line", _LINE_KEYS)
        quantity = fields.get("quantity")
        unit = fields.get("unit")
        return cls(
            kind=_enum(LineKind, fields.get("kind"), "kind"),
            label=_str(fields, "label"),
            amount_minor=_int(fields, "amount_minor"),
            quantity=None if quantity is None else _decimal(quantity),
            unit=None if unit is None else _enum(QuantityUnit, unit, "unit"),
            unit_price_minor=None
            if fields.get("unit_price_minor") is None
            else _int(fields, "unit_price_minor"),
            band=None if fields.get("band") is None else _str(fields, "band"),
        )


def vat_included(total_minor: int, vat_rate_bp: int) -> int:
    """The VAT contained in a price that includes it, rounded half-up to a minor unit."""
    denominator = BASIS_POINTS + vat_rate_bp
    return (2 * total_minor * vat_rate_bp + denominator) // (2 * denominator)


@dataclass(frozen=True, slots=True)
class SessionPrice:
    """What a session costs (final) or would cost if it stopped now (live).

    `energy_wh` is the energy delivered, for display (exact to the milliwatt-hour);
    `charging_seconds` and `idle_seconds` are rounded to whole seconds; `as_of` is
    the stop time of a final price, or the `now` a live price was computed for.
    """

    lines: tuple[PriceLine, ...]
    total_minor: int
    vat_minor: int
    net_minor: int
    vat_rate_bp: int
    currency: str
    energy_wh: float
    charging_seconds: int
    idle_seconds: int
    included_wh_used: int
    final: bool
    as_of: datetime

    def __post_init__(self) -> None:
        if self.total_minor != sum(line.amount_minor for line in self.lines):
            raise InvalidInput("a session price's total is not the sum of its lines")
        if self.total_minor < 0:
            raise InvalidInput("a session price cannot be negative")
        if self.vat_minor + self.net_minor != self.total_minor:
            raise InvalidInput("a session price's VAT and net amount do not add up to its total")
        if self.as_of.utcoffset() is None:
            raise InvalidInput("a session price's as_of time must be timezone-aware")

    def lines_of(self, kind: LineKind) -> tuple[PriceLine, ...]:
        return tuple(line for line in self.lines if line.kind is kind)

    def to_dict(self) -> dict[str, object]:
        """A plain dict `json.dumps` can write (the stored breakdown of a final price)."""
        return {
            "v": BREAKDOWN_VERSION,
            "lines": [line.to_dict() for line in self.lines],
            "total_minor": self.total_minor,
            "vat_minor": self.vat_minor,
            "net_minor": self.net_minor,
            "vat_rate_bp": self.vat_rate_bp,
            "currency": self.currency,
            "energy_wh": self.energy_wh,
            "charging_seconds": self.charging_seconds,
            "idle_seconds": self.idle_seconds,
            "included_wh_used": self.included_wh_used,
            "final": self.final,
            "as_of": self.as_of.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: object) -> SessionPrice:
        try:
            fields = _fields(data, "a price breakdown", _PRICE_KEYS)
            if type(fields.get("v")) is not int or fields["v"] != BREAKDOWN_VERSION:
                raise InvalidInput(f"schema version {fields.get('v')!r} is not one this reads")
            lines = fields.get("lines")
            if not isinstance(lines, list):
                raise InvalidInput(f"lines are a list, not {lines!r}")
            energy = fields.get("energy_wh")
            if not isinstance(energy, int | float) or isinstance(energy, bool):
                raise InvalidInput(f"energy_wh must be a number, not {energy!r}")
            final = fields.get("final")
            if not isinstance(final, bool):
                raise InvalidInput(f"final must be true or false, not {final!r}")
            try:
                as_of = datetime.fromisoformat(_str(fields, "as_of"))
            except ValueError:
                raise InvalidInput(f"as_of is not an ISO 8601 time: {fields['as_of']!r}") from None
            return cls(
                lines=tuple(PriceLine.from_dict(line) for line in lines),
                total_minor=_int(fields, "total_minor"),
                vat_minor=_int(fields, "vat_minor"),
                net_minor=_int(fields, "net_minor"),
                vat_rate_bp=_int(fields, "vat_rate_bp"),
                currency=_str(fields, "currency"),
                energy_wh=float(energy),
                charging_seconds=_int(fields, "charging_seconds"),
                idle_seconds=_int(fields, "idle_seconds"),
                included_wh_used=_int(fields, "included_wh_used"),
                final=final,
                as_of=as_of,
            )
        except InvalidInput as error:
            raise InvalidInput(f"bad price breakdown: {error}") from None


_E = TypeVar("_E", bound=StrEnum)
_LINE_KEYS = frozenset(PriceLine.__dataclass_fields__)
_PRICE_KEYS = frozenset(SessionPrice.__dataclass_fields__) | {"v"}


def _fields(data: object, what: str, keys: frozenset[str]) -> Mapping[str, object]:
    if not isinstance(data, dict):
        raise InvalidInput(f"{what} is a JSON object, not {type(data).__name__}")
    unknown = sorted(set(data) - keys)
    if unknown:
        raise InvalidInput(f"{what} has an unknown field {unknown[0]!r}")
    missing = sorted(key for key in keys if key not in data)
    if missing:
        raise InvalidInput(f"{what} lacks the field {missing[0]!r}")
    return data


def _int(fields: Mapping[str, object], key: str) -> int:
    value = fields[key]
    if type(value) is not int:
        raise InvalidInput(f"{key} must be a whole number, not {value!r}")
    return value


def _str(fields: Mapping[str, object], key: str) -> str:
    value = fields[key]
    if not isinstance(value, str):
        raise InvalidInput(f"{key} must be text, not {value!r}")
    return value


def _decimal(value: object) -> Decimal:
    try:
        if isinstance(value, str):
            number = Decimal(value)
            if number.is_finite():
                return number
    except InvalidOperation:
        pass
    raise InvalidInput(f"a quantity is a decimal number in a string, not {value!r}")


def _enum(kind: type[_E], value: object, key: str) -> _E:
    for member in kind:
        if value == member.value:
            return member
    raise InvalidInput(f"{key} is one of {', '.join(kind)}, not {value!r}")
