"""Tariffs and subscription plan terms: what a charging session costs, as frozen values.

A session is priced from the tariff snapshot taken when it started (`Tariff.to_dict`
stored with the session, `Tariff.from_dict` read back), so changing a tariff never
rewrites history. Every value is checked when it is built: an invalid `Tariff`,
`TariffBand` or `PlanTerms` cannot exist, and the `InvalidInput` raised says why in
words the Tariffs screen can show.

Money is integer minor units (öre for SEK), prices include VAT. Band times are local
wall-clock times of the site, whole minutes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from typing import TypeVar

from app.domain.errors import InvalidInput
from app.domain.price_format import (
    WEEKDAY_NAMES,
    describe_weekdays,
    format_clock,
    format_money,
)

SNAPSHOT_VERSION = 1
DEFAULT_CURRENCY = "SEK"
DEFAULT_VAT_RATE_BP = 2500
NAME_MAX_LENGTH = 60
# No single price anyone means to type: catches a slipped decimal point.
MAX_PRICE_MINOR = 100_000_000
MAX_ROUNDING_MINOR = 100_000
BASIS_POINTS = 10_000
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
_CURRENCY = re.compile(r"[A-Z]{3}")
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class RoundingMode(StrEnum):
    """How a session total is rounded to the tariff's rounding step."""

    HALF_UP = "half_up"
    UP = "up"

    def apply(self, amount_minor: int, step_minor: int) -> int:
        quotient, remainder = divmod(amount_minor, step_minor)
        if remainder and (self is RoundingMode.UP or 2 * remainder >= step_minor):
            quotient += 1
        return quotient * step_minor


def _rounding_mode(value: object) -> RoundingMode:
    for mode in RoundingMode:
        if value == mode.value:
            return mode
    known = ", ".join(mode.value for mode in RoundingMode)
    raise InvalidInput(f"the rounding mode is one of {known}, not {value!r}")


# ---- validation helpers ------------------------------------------------------------


def _check_name(name: object, what: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"{what} needs a name")
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidInput(f"{what} name is at most {NAME_MAX_LENGTH} characters: {name!r}")


def _check_whole(value: object, what: str, *, low: int = 0, high: int | None = None) -> int:
    # bool is an int to Python but never a price.
    if type(value) is not int:
        raise InvalidInput(f"{what} must be a whole number, not {value!r}")
    if value < low:
        raise InvalidInput(
            f"{what} cannot be negative" if low == 0 else f"{what} must be at least {low}"
        )
    if high is not None and value > high:
        raise InvalidInput(f"{what} must be at most {high}, not {value}")
    return value


def _check_price(value: object, what: str) -> None:
    _check_whole(value, what, high=MAX_PRICE_MINOR)


def _check_optional_price(value: object, what: str) -> None:
    if value is not None:
        _check_price(value, what)


def _check_clock(value: object, what: str) -> None:
    if not isinstance(value, time) or value.tzinfo is not None:
        raise InvalidInput(f"{what} must be a local time of day without a time zone")
    if value.second or value.microsecond:
        raise InvalidInput(f"{what} must be a whole minute, not {value.isoformat()}")


def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


# ---- bands -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TariffBand:
    """A time-of-day and weekday window with its own prices.

    `weekdays` are 0 = Monday … 6 = Sunday. The band runs from `start` to `end` in the
    site's local time; an `end` earlier than `start` crosses midnight (22:00–06:00)
    and belongs to the weekday it starts on; `end == start` means 24 hours from
    `start`. A price of None means the tariff's base price applies in the band.
    """

    name: str
    weekdays: frozenset[int]
    start: time
    end: time
    energy_per_kwh_minor: int | None = None
    time_per_minute_minor: int | None = None

    def __post_init__(self) -> None:
        _check_name(self.name, "a band")
        what = f"band {self.name!r}"
        # A set or list from an untyped caller is as good as a frozenset.
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        if not self.weekdays:
            raise InvalidInput(f"{what} needs at least one weekday")
        for day in self.weekdays:
            _check_whole(day, f"a weekday of {what} (0 = Monday … 6 = Sunday)", high=6)
        _check_clock(self.start, f"the start of {what}")
        _check_clock(self.end, f"the end of {what}")
        _check_optional_price(self.energy_per_kwh_minor, f"the energy price per kWh of {what}")
        _check_optional_price(self.time_per_minute_minor, f"the price per minute of {what}")
        if self.energy_per_kwh_minor is None and self.time_per_minute_minor is None:
            raise InvalidInput(f"{what} sets neither an energy price nor a price per minute")

    @property
    def start_minute(self) -> int:
        """Minutes after local midnight."""
        return _minutes(self.start)

    @property
    def length_minutes(self) -> int:
        """1–1440: a band whose end equals its start lasts the whole day."""
        return (_minutes(self.end) - self.start_minute - 1) % MINUTES_PER_DAY + 1

    def describe(self) -> str:
        """ "Peak, Mon–Fri 07:00–09:00", "Weekend, Sat, Sun all day"."""
        if self.length_minutes == MINUTES_PER_DAY and self.start_minute == 0:
            hours = "all day"
        else:
            hours = f"{format_clock(self.start_minute)}–{format_clock(_minutes(self.end))}"
        return f"{self.name}, {describe_weekdays(self.weekdays)} {hours}"

    def week_minutes(self) -> list[tuple[int, int]]:
        """The [start, end) minutes of the week it covers (Monday 00:00 = 0), unwrapped."""
        spans = []
        for day in sorted(self.weekdays):
            begin = day * MINUTES_PER_DAY + self.start_minute
            end = begin + self.length_minutes
            if end <= MINUTES_PER_WEEK:
                spans.append((begin, end))
            else:  # A Sunday band that runs into Monday morning.
                spans += [(begin, MINUTES_PER_WEEK), (0, end - MINUTES_PER_WEEK)]
        return spans

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "weekdays": sorted(self.weekdays),
            "start": format_clock(self.start_minute),
            "end": format_clock(_minutes(self.end)),
            "energy_per_kwh_minor": self.energy_per_kwh_minor,
            "time_per_minute_minor": self.time_per_minute_minor,
        }

    @classmethod
    def from_dict(cls, data: object) -> TariffBand:
        fields = _fields(data, "a band", required=("name", "weekdays", "start", "end"))
        weekdays = fields["weekdays"]
        if not isinstance(weekdays, list) or any(type(day) is not int for day in weekdays):
            raise InvalidInput(f"the weekdays of a band are a list of 0–6, not {weekdays!r}")
        return cls(
            name=_typed(fields, "name", str),
            weekdays=frozenset(weekdays),
            start=_parse_clock(fields["start"]),
            end=_parse_clock(fields["end"]),
            energy_per_kwh_minor=_optional_int(fields, "energy_per_kwh_minor"),
            time_per_minute_minor=_optional_int(fields, "time_per_minute_minor"),
        )


def _bands(bands: object) -> tuple[TariffBand, ...]:
    if not isinstance(bands, tuple | list):
        raise InvalidInput(f"the bands of a tariff are a tuple, not {bands!r}")
    for band in bands:
        if not isinstance(band, TariffBand):
            raise InvalidInput(f"a tariff band must be a TariffBand, not {band!r}")
    return tuple(bands)


def _check_no_overlap(bands: tuple[TariffBand, ...]) -> None:
    seen: set[str] = set()
    for band in bands:
        if band.name in seen:
            raise InvalidInput(f"two bands are named {band.name!r}; band names must differ")
        seen.add(band.name)
    spans = sorted(
        ((begin, end, band) for band in bands for begin, end in band.week_minutes()),
        key=lambda span: span[:2],
    )
    latest: tuple[int, TariffBand] | None = None
    for begin, end, band in spans:
        if latest is not None and begin < latest[0]:
            day, minute = divmod(begin, MINUTES_PER_DAY)
            raise InvalidInput(
                f"bands {latest[1].name!r} and {band.name!r} overlap "
                f"on {WEEKDAY_NAMES[day]} at {format_clock(minute)}"
            )
        if latest is None or end > latest[0]:
            latest = (end, band)


# ---- tariff ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tariff:
    """Prices of a charging session, all optional (zero or None: not charged).

    Per-kWh prices are minor units per kWh (345 = 3.45 SEK/kWh), per-minute prices
    minor units per minute. `idle_per_minute_minor` is charged for the time the car
    stays after charging ends, beyond `idle_grace_minutes`, up to `idle_cap_minor`.
    The minimum and maximum apply to the session total; `rounding_minor` is the step
    the total is rounded to (1 = to the öre, 100 = to the whole krona), and the
    minimum and maximum must be whole steps so that rounding never crosses them.
    """

    name: str
    energy_per_kwh_minor: int = 0
    time_per_minute_minor: int = 0
    idle_per_minute_minor: int = 0
    idle_grace_minutes: int = 0
    idle_cap_minor: int | None = None
    start_fee_minor: int = 0
    min_price_minor: int | None = None
    max_price_minor: int | None = None
    bands: tuple[TariffBand, ...] = ()
    vat_rate_bp: int = DEFAULT_VAT_RATE_BP
    currency: str = DEFAULT_CURRENCY
    rounding_minor: int = 1
    rounding_mode: RoundingMode = RoundingMode.HALF_UP

    def __post_init__(self) -> None:
        _check_name(self.name, "a tariff")
        _check_price(self.energy_per_kwh_minor, "the energy price per kWh")
        _check_price(self.time_per_minute_minor, "the price per minute while charging")
        _check_price(self.idle_per_minute_minor, "the idle fee per minute")
        _check_whole(self.idle_grace_minutes, "the idle grace period (minutes)")
        _check_optional_price(self.idle_cap_minor, "the idle fee cap")
        _check_price(self.start_fee_minor, "the start fee")
        _check_optional_price(self.min_price_minor, "the minimum session price")
        _check_optional_price(self.max_price_minor, "the maximum session price")
        _check_whole(self.vat_rate_bp, "the VAT rate (basis points)", high=BASIS_POINTS)
        if not isinstance(self.currency, str) or not _CURRENCY.fullmatch(self.currency):
            raise InvalidInput(
                f"the currency is a three-letter ISO 4217 code such as SEK, not {self.currency!r}"
            )
        _check_whole(
            self.rounding_minor, "the rounding step (minor units)", low=1, high=MAX_ROUNDING_MINOR
        )
        object.__setattr__(self, "rounding_mode", _rounding_mode(self.rounding_mode))
        self._check_limits()
        object.__setattr__(self, "bands", _bands(self.bands))
        _check_no_overlap(self.bands)

    def _check_limits(self) -> None:
        low, high = self.min_price_minor, self.max_price_minor
        if low is not None and high is not None and high < low:
            raise InvalidInput(
                f"the maximum session price ({format_money(high, self.currency)}) is below "
                f"the minimum ({format_money(low, self.currency)})"
            )
        step = self.rounding_minor
        for limit, what in ((low, "minimum"), (high, "maximum")):
            if limit is not None and limit % step:
                raise InvalidInput(
                    f"the {what} session price must be a whole number of rounding steps "
                    f"({format_money(step, self.currency)}), not "
                    f"{format_money(limit, self.currency)}"
                )

    def to_dict(self) -> dict[str, object]:
        """A plain dict `json.dumps` can write, with the schema version under "v"."""
        return {
            "v": SNAPSHOT_VERSION,
            "name": self.name,
            "energy_per_kwh_minor": self.energy_per_kwh_minor,
            "time_per_minute_minor": self.time_per_minute_minor,
            "idle_per_minute_minor": self.idle_per_minute_minor,
            "idle_grace_minutes": self.idle_grace_minutes,
            "idle_cap_minor": self.idle_cap_minor,
            "start_fee_minor": self.start_fee_minor,
            "min_price_minor": self.min_price_minor,
            "max_price_minor": self.max_price_minor,
            "bands": [band.to_dict() for band in self.bands],
            "vat_rate_bp": self.vat_rate_bp,
            "currency": self.currency,
            "rounding_minor": self.rounding_minor,
            "rounding_mode": self.rounding_mode.value,
        }

    @classmethod
    def from_dict(cls, data: object) -> Tariff:
        """Read a snapshot back; anything malformed raises `InvalidInput` saying what.

        Keys other than the version and the name may be missing (their defaults apply);
        unknown keys are refused, so a typo cannot silently drop a price.
        """
        try:
            fields = _fields(data, "a tariff snapshot", required=("v", "name"), versioned=True)
            bands = fields.get("bands", [])
            if not isinstance(bands, list):
                raise InvalidInput(f"bands are a list, not {bands!r}")
            return cls(
                name=_typed(fields, "name", str),
                energy_per_kwh_minor=_int(fields, "energy_per_kwh_minor", 0),
                time_per_minute_minor=_int(fields, "time_per_minute_minor", 0),
                idle_per_minute_minor=_int(fields, "idle_per_minute_minor", 0),
                idle_grace_minutes=_int(fields, "idle_grace_minutes", 0),
                idle_cap_minor=_optional_int(fields, "idle_cap_minor"),
                start_fee_minor=_int(fields, "start_fee_minor", 0),
                min_price_minor=_optional_int(fields, "min_price_minor"),
                max_price_minor=_optional_int(fields, "max_price_minor"),
                bands=tuple(TariffBand.from_dict(band) for band in bands),
                vat_rate_bp=_int(fields, "vat_rate_bp", DEFAULT_VAT_RATE_BP),
                currency=_typed(fields, "currency", str, DEFAULT_CURRENCY),
                rounding_minor=_int(fields, "rounding_minor", 1),
                rounding_mode=_rounding_mode(fields.get("rounding_mode", RoundingMode.HALF_UP)),
            )
        except InvalidInput as error:
            raise InvalidInput(f"bad tariff snapshot: {error}") from None


# ---- subscription plans --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanTerms:
    """What a driver's subscription changes about one session, fixed when it starts.

    `included_wh_remaining` is what is left of the month's included energy;
    `price_per_kwh_minor` replaces the tariff's energy price in every band;
    `discount_bp` is a discount on the energy and charging-time lines.

    Included energy is used first, in time order, and in whole Wh: a session of
    1500.4 Wh with 5000 Wh left uses 1500 Wh of the allowance and pays for 0.4 Wh, so
    the `included_wh_used` a price reports is exactly what to take off the allowance.
    """

    included_wh_remaining: int = 0
    price_per_kwh_minor: int | None = None
    discount_bp: int = 0

    def __post_init__(self) -> None:
        _check_whole(self.included_wh_remaining, "the included energy left (Wh)")
        _check_optional_price(self.price_per_kwh_minor, "the plan price per kWh")
        _check_whole(self.discount_bp, "the plan discount (basis points)", high=BASIS_POINTS)

    def to_dict(self) -> dict[str, object]:
        return {
            "v": SNAPSHOT_VERSION,
            "included_wh_remaining": self.included_wh_remaining,
            "price_per_kwh_minor": self.price_per_kwh_minor,
            "discount_bp": self.discount_bp,
        }

    @classmethod
    def from_dict(cls, data: object) -> PlanTerms:
        try:
            fields = _fields(data, "a plan snapshot", required=("v",), versioned=True)
            return cls(
                included_wh_remaining=_int(fields, "included_wh_remaining", 0),
                price_per_kwh_minor=_optional_int(fields, "price_per_kwh_minor"),
                discount_bp=_int(fields, "discount_bp", 0),
            )
        except InvalidInput as error:
            raise InvalidInput(f"bad plan snapshot: {error}") from None


# ---- snapshot reading ----------------------------------------------------------------

_KNOWN_KEYS = {
    "a tariff snapshot": set(Tariff.__dataclass_fields__) | {"v"},
    "a band": set(TariffBand.__dataclass_fields__),
    "a plan snapshot": set(PlanTerms.__dataclass_fields__) | {"v"},
}
_T = TypeVar("_T")


def _fields(
    data: object, what: str, *, required: tuple[str, ...], versioned: bool = False
) -> Mapping[str, object]:
    if not isinstance(data, dict):
        raise InvalidInput(f"{what} is a JSON object, not {type(data).__name__}")
    for key in data:
        if key not in _KNOWN_KEYS[what]:
            raise InvalidInput(f"{what} has an unknown field {key!r}")
    for key in required:
        if key not in data:
            raise InvalidInput(f"{what} lacks the field {key!r}")
    if versioned and (type(data["v"]) is not int or data["v"] != SNAPSHOT_VERSION):
        raise InvalidInput(
            f"schema version {data['v']!r} is not one this version reads ({SNAPSHOT_VERSION})"
        )
    return data


def _typed(fields: Mapping[str, object], key: str, kind: type[_T], default: _T | None = None) -> _T:
    value = fields.get(key, default)
    if not isinstance(value, kind) or isinstance(value, bool):
        described = "a whole number" if kind is int else "text"
        raise InvalidInput(f"{key} must be {described}, not {value!r}")
    return value


def _int(fields: Mapping[str, object], key: str, default: int) -> int:
    return _typed(fields, key, int, default)


def _optional_int(fields: Mapping[str, object], key: str) -> int | None:
    return None if fields.get(key) is None else _typed(fields, key, int)


def _parse_clock(value: object) -> time:
    match = _CLOCK.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise InvalidInput(f"a band time is written HH:MM (00:00–23:59), not {value!r}")
    return time(int(match[1]), int(match[2]))
