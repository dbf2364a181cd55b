"""How money, percentages, weekdays and times of day read in tariff and price texts."""

from __future__ import annotations

from decimal import Decimal

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ALL_WEEKDAYS = frozenset(range(7))

# ISO 4217 currencies whose minor unit is not the hundredth.
_NO_MINOR_UNIT = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG"}
    | {"RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"}
)
_THOUSANDTHS = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})


def minor_digits(currency: str) -> int:
    """How many decimals the minor unit has (2 for SEK and EUR, 0 for ISK and JPY)."""
    if currency in _NO_MINOR_UNIT:
        return 0
    return 3 if currency in _THOUSANDTHS else 2


def format_money(amount_minor: int, currency: str) -> str:
    """`345, "SEK"` → "3.45 SEK"; negative amounts get a leading minus."""
    digits = minor_digits(currency)
    whole, fraction = divmod(abs(amount_minor), 10**digits)
    sign = "-" if amount_minor < 0 else ""
    text = f"{whole}.{fraction:0{digits}d}" if digits else str(whole)
    return f"{sign}{text} {currency}"


def format_basis_points(value_bp: int) -> str:
    """`2500` → "25 %", `1250` → "12.5 %"."""
    percent = Decimal(value_bp) / 100
    return f"{percent.normalize():f} %" if percent else "0 %"


def format_clock(minute_of_day: int) -> str:
    """`450` → "07:30"; 1440 (the end of the day) → "24:00"."""
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def describe_weekdays(weekdays: frozenset[int]) -> str:
    """`{0, 1, 2, 3, 4}` → "Mon–Fri"; `{0, 2, 5, 6}` → "Mon, Wed, Sat, Sun"."""
    if weekdays == ALL_WEEKDAYS:
        return "every day"
    runs: list[list[int]] = []
    for day in sorted(weekdays):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        first, last = WEEKDAY_NAMES[run[0]], WEEKDAY_NAMES[run[-1]]
        if len(run) == 1:
            parts.append(first)
        elif len(run) == 2:
            parts.append(f"{first}, {last}")
        else:
            parts.append(f"{first}–{last}")
    return ", ".join(parts)
