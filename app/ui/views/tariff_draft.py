"""What the tariff editor holds while the operator types, and what is wrong with it.

The editor keeps raw texts (a `TariffDraft`); `check()` turns them into a `Tariff`
or says, per field and per band, what stands in the way. Parsing ("3,45" → 345 öre)
is the screen's job; every rule about the values (negative, too large, max below min,
overlapping bands) is the domain's: each field is checked by building a `Tariff` with
it and catching `InvalidInput`, so the screen and the engine never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time
from enum import StrEnum
from itertools import combinations
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.domain.errors import InvalidInput
from app.domain.price_format import minor_digits
from app.domain.tariffs import DEFAULT_CURRENCY, RoundingMode, Tariff, TariffBand
from app.ui.formatting import sentence
from app.ui.views.tariff_text import AmountProblem, money_text, parse_scaled, percent_text

# Stands in for the name while another field is checked on its own.
_PLACEHOLDER_NAME = "tariff"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tariffs", text)


class Field(StrEnum):
    """The editor's fields, each with the `Tariff` attribute it fills."""

    NAME = "name"
    CURRENCY = "currency"
    VAT = "vat_rate_bp"
    ENERGY = "energy_per_kwh_minor"
    TIME = "time_per_minute_minor"
    START_FEE = "start_fee_minor"
    IDLE = "idle_per_minute_minor"
    IDLE_GRACE = "idle_grace_minutes"
    IDLE_CAP = "idle_cap_minor"
    MIN = "min_price_minor"
    MAX = "max_price_minor"
    ROUNDING = "rounding_minor"


# Fields typed as money in the tariff's currency; an empty optional one means "none".
MONEY_FIELDS = (Field.ENERGY, Field.TIME, Field.START_FEE, Field.IDLE, Field.IDLE_CAP)
OPTIONAL_MONEY = (Field.IDLE_CAP, Field.MIN, Field.MAX)


@dataclass(frozen=True, slots=True)
class BandDraft:
    name: str = ""
    weekdays: frozenset[int] = frozenset(range(5))
    start: time = time(7, 0)
    end: time = time(9, 0)
    energy: str = ""
    minute: str = ""


@dataclass(frozen=True, slots=True)
class TariffDraft:
    """Every field as typed; money in the currency's usual form ("3,45")."""

    name: str = ""
    currency: str = DEFAULT_CURRENCY
    vat: str = "25"
    energy: str = ""
    minute: str = ""
    start_fee: str = ""
    idle: str = ""
    idle_grace: int = 0
    idle_cap: str = ""
    min_price: str = ""
    max_price: str = ""
    rounding: str = "0.01"
    rounding_mode: RoundingMode = RoundingMode.HALF_UP
    bands: tuple[BandDraft, ...] = ()

    def texts(self) -> dict[Field, str]:
        return {
            Field.NAME: self.name,
            Field.CURRENCY: self.currency,
            Field.VAT: self.vat,
            Field.ENERGY: self.energy,
            Field.TIME: self.minute,
            Field.START_FEE: self.start_fee,
            Field.IDLE: self.idle,
            Field.IDLE_CAP: self.idle_cap,
            Field.MIN: self.min_price,
            Field.MAX: self.max_price,
            Field.ROUNDING: self.rounding,
        }

    @classmethod
    def blank(cls) -> TariffDraft:
        """A new tariff: the domain's defaults (SEK, 25 % VAT), no name yet."""
        return replace(cls.of(Tariff(_PLACEHOLDER_NAME)), name="")

    @classmethod
    def of(cls, tariff: Tariff) -> TariffDraft:
        """The texts the editor shows for a stored tariff (in the operator's locale)."""
        currency = tariff.currency

        def amount(value: int | None, *, blank_zero: bool = True) -> str:
            if value is None or (blank_zero and value == 0):
                return ""
            return money_text(value, currency)

        return cls(
            name=tariff.name,
            currency=currency,
            vat=percent_text(tariff.vat_rate_bp),
            energy=amount(tariff.energy_per_kwh_minor),
            minute=amount(tariff.time_per_minute_minor),
            start_fee=amount(tariff.start_fee_minor),
            idle=amount(tariff.idle_per_minute_minor),
            idle_grace=tariff.idle_grace_minutes,
            idle_cap=amount(tariff.idle_cap_minor, blank_zero=False),
            min_price=amount(tariff.min_price_minor, blank_zero=False),
            max_price=amount(tariff.max_price_minor, blank_zero=False),
            rounding=money_text(tariff.rounding_minor, currency),
            rounding_mode=tariff.rounding_mode,
            bands=tuple(
                BandDraft(
                    name=band.name,
                    weekdays=band.weekdays,
                    start=band.start,
                    end=band.end,
                    energy=amount(band.energy_per_kwh_minor, blank_zero=False),
                    minute=amount(band.time_per_minute_minor, blank_zero=False),
                )
                for band in tariff.bands
            ),
        )


@dataclass(slots=True)
class DraftCheck:
    """The tariff when everything is right; otherwise what is wrong, and where."""

    tariff: Tariff | None = None
    problems: dict[Field, str] = field(default_factory=dict)
    # Row number → what is wrong with that band on its own.
    band_problems: dict[int, str] = field(default_factory=dict)
    # Bands that clash with another (same name or overlapping times), and the sentence.
    clashing_rows: set[int] = field(default_factory=set)
    clash: str | None = None
    # A problem of the whole tariff no single field can be blamed for.
    general: str | None = None

    @property
    def valid(self) -> bool:
        return self.tariff is not None


def _problem_with(**values: Any) -> str | None:
    """What the domain says of a tariff with only these values set (None: nothing)."""
    values.setdefault("name", _PLACEHOLDER_NAME)
    try:
        Tariff(**values)
    except InvalidInput as error:
        return sentence(str(error))
    return None


def _parse(text: str, decimals: int, *, optional: bool) -> int | None:
    """Blank means "not charged" (0), or "no limit" (None) where the tariff allows it."""
    if not text.strip():
        return None if optional else 0
    return parse_scaled(text, decimals)


def check(draft: TariffDraft) -> DraftCheck:
    """The tariff the draft describes, or every problem that stands in its way."""
    result = DraftCheck()
    currency = draft.currency.strip().upper()
    values: dict[Field, Any] = {
        Field.NAME: draft.name.strip(),
        Field.CURRENCY: currency,
        Field.IDLE_GRACE: draft.idle_grace,
    }
    for name, value in values.items():
        if problem := _problem_with(**{name.value: value}):
            result.problems[name] = problem
    # Amounts in an unknown currency are still read, in hundredths.
    priced_in = DEFAULT_CURRENCY if Field.CURRENCY in result.problems else currency
    digits = minor_digits(priced_in)
    texts = draft.texts()
    for name in (*MONEY_FIELDS, Field.MIN, Field.MAX, Field.ROUNDING, Field.VAT):
        try:
            value = _parse(
                texts[name], 2 if name is Field.VAT else digits, optional=name in OPTIONAL_MONEY
            )
        except AmountProblem as wrong:
            result.problems[name] = str(wrong)
            continue
        if value is None and name in _BLANK_MEANS:
            value = _BLANK_MEANS[name]
        values[name] = value
        alone = {name.value: value, "currency": priced_in}
        if problem := _problem_with(**alone):
            result.problems[name] = problem
    bands = _check_bands(draft.bands, digits, result)
    _check_together(values, priced_in, result)
    if result.problems or result.band_problems or result.clash:
        return result
    fields = {key.value: value for key, value in values.items()}
    try:
        result.tariff = Tariff(bands=bands, rounding_mode=draft.rounding_mode, **fields)
    except InvalidInput as error:
        result.general = sentence(str(error))
    return result


# A blank VAT rate is no VAT; a blank rounding step is rounding to the minor unit.
_BLANK_MEANS = {Field.VAT: 0, Field.ROUNDING: 1}
# Fields that are right alone but can be wrong together, and the one to blame.
_TOGETHER = (
    ((Field.MIN, Field.MAX), Field.MAX),
    ((Field.MIN, Field.ROUNDING), Field.MIN),
    ((Field.MAX, Field.ROUNDING), Field.MAX),
)


def _check_together(values: dict[Field, Any], currency: str, result: DraftCheck) -> None:
    """Limits that are right alone but wrong together, shown at the field to blame."""
    for together, blamed in _TOGETHER:
        if blamed in result.problems or any(
            name in result.problems or name not in values for name in together
        ):
            continue
        pair = {name.value: values[name] for name in together}
        if problem := _problem_with(currency=currency, **pair):
            result.problems[blamed] = problem


def _check_bands(
    drafts: tuple[BandDraft, ...], digits: int, result: DraftCheck
) -> tuple[TariffBand, ...]:
    """Each band on its own, then all together: names must differ and times not overlap."""
    valid: dict[int, TariffBand] = {}
    for row, draft in enumerate(drafts):
        prices: dict[str, int | None] = {}
        for label, text in (
            (_tr("Energy price"), draft.energy),
            (_tr("Price per minute"), draft.minute),
        ):
            try:
                prices[label] = _parse(text, digits, optional=True)
            except AmountProblem as wrong:
                result.band_problems[row] = f"{label}: {wrong}"
                break
        if row in result.band_problems:
            continue
        energy, minute = prices.values()
        try:
            valid[row] = TariffBand(
                name=draft.name.strip(),
                weekdays=draft.weekdays,
                start=draft.start,
                end=draft.end,
                energy_per_kwh_minor=energy,
                time_per_minute_minor=minute,
            )
        except InvalidInput as error:
            result.band_problems[row] = sentence(str(error))
    if problem := _problem_with(bands=tuple(valid.values())):
        result.clash = problem
        for (first, one), (second, other) in combinations(valid.items(), 2):
            if _problem_with(bands=(one, other)):
                result.clashing_rows |= {first, second}
    return tuple(valid.values())
