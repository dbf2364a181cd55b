"""Pay before charging: a hold on a walk-in driver's card, then the session, then the capture.

The rules here are pure: the one-off id tag a paid session is started with and who
may use it, the phases of a pre-authorisation, when a growing live price needs a
larger hold (or the session stopped before it passes the hold), and what is taken
from the card at the end. app/services/preauth.py applies them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

from app.domain.errors import InvalidInput
from app.domain.model import IdTagInfo, IdTagStatus
from app.domain.payments import PaymentState

ID_TAG_MAX = 20  # OCPP 1.6 CiString20Type
# "PA-<payment id>-<8 random hex digits>": the payment it belongs to, and a part no
# driver can guess, so the tag cannot be typed in at another charger.
_TAG = re.compile(r"PA-([1-9][0-9]{0,7})-([0-9A-F]{8})")


class PreAuthPhase(StrEnum):
    WAITING_CARD = "waiting_card"  # the amount shows on the reader
    HELD = "held"  # the hold is on the card; the charger is being told to start
    STARTING = "starting"  # the charger accepted the remote start; waiting for the car
    CHARGING = "charging"  # the session runs (and, once it stopped, until it is paid)
    CAPTURED = "captured"  # the session's price was taken from the hold
    RELEASED = "released"  # the hold was given back: nothing was charged
    FAILED = "failed"  # no hold: declined, no card, withdrawn


# While the hold is live the one-off tag starts (and keeps) the session on its connector.
TAG_LIVE: frozenset[PreAuthPhase] = frozenset(
    {PreAuthPhase.HELD, PreAuthPhase.STARTING, PreAuthPhase.CHARGING}
)
FINISHED: frozenset[PreAuthPhase] = frozenset(
    {PreAuthPhase.CAPTURED, PreAuthPhase.RELEASED, PreAuthPhase.FAILED}
)
# A payment in these states took the money of its hold (refunds come later).
CHARGED: frozenset[PaymentState] = frozenset(
    {PaymentState.CAPTURED, PaymentState.PARTIALLY_REFUNDED, PaymentState.REFUNDED}
)


@dataclass(frozen=True, slots=True)
class PreAuth:
    payment_id: int
    station_id: str
    connector_id: int
    id_tag: str
    hold_minor: int  # what the card holds now (raised by incremental authorisations)
    phase: PreAuthPhase
    transaction_id: int | None
    live_price_minor: int | None
    captured_minor: int | None
    receipt_number: int | None
    message: str  # plain words for attendant and customer display
    # What the service keeps besides; not needed by a screen.
    initial_hold_minor: int = 0
    reader_id: str | None = None
    plug_in_by: datetime | None = None  # nobody plugged in by then: the hold is released
    increase_refused: bool = False  # the issuer said no once: stop at the limit from now on
    session_ended_at: datetime | None = None  # the session stopped; its price is being taken
    by: str = ""

    @property
    def tag_live(self) -> bool:
        return self.phase in TAG_LIVE and self.session_ended_at is None

    @property
    def finished(self) -> bool:
        return self.phase in FINISHED


# ---- the one-off tag ----------------------------------------------------------------


def prepaid_tag(payment_id: int, secret_hex: str) -> str:
    """The tag a paid session is started with: the payment's id and 8 random hex digits."""
    tag = f"PA-{payment_id}-{secret_hex.upper()}"
    if _TAG.fullmatch(tag) is None or len(tag) > ID_TAG_MAX:
        raise InvalidInput(f"no one-off tag for payment {payment_id} from {secret_hex!r}")
    return tag


def is_prepaid_tag(id_tag: str) -> bool:
    return _TAG.fullmatch(id_tag) is not None


def tag_answer(
    id_tag: str, holder: PreAuth | None, station_id: str | None, connector_id: int | None
) -> IdTagInfo | None:
    """The answer to Authorize or StartTransaction for a one-off tag; None when the tag is
    not one (the usual rules decide). Accepted only on its station and connector, while
    its hold is live and before its session ended; a tag of a finished or unknown hold is
    Invalid whatever the policy for unknown tags says."""
    if not is_prepaid_tag(id_tag):
        return None
    invalid = IdTagInfo(IdTagStatus.INVALID)
    if holder is None or holder.id_tag != id_tag or not holder.tag_live:
        return invalid
    if station_id is not None and station_id != holder.station_id:
        return invalid
    # Authorize names no connector; StartTransaction does.
    if connector_id is not None and connector_id != holder.connector_id:
        return invalid
    return IdTagInfo(IdTagStatus.ACCEPTED)


# ---- watching the live price ----------------------------------------------------------


def safety_margin(initial_hold_minor: int) -> int:
    """Headroom kept below the hold at least: 2 % of the first hold, 1.00 at least."""
    return max(100, initial_hold_minor // 50)


@dataclass(frozen=True, slots=True)
class PriceCheck:
    action: Literal["continue", "raise", "stop"]
    new_hold_minor: int | None = None  # for "raise": the hold to ask for in total


def check_price(
    price_minor: int,
    hold_minor: int,
    initial_hold_minor: int,
    last_step_minor: int,
    *,
    may_raise: bool,
) -> PriceCheck:
    """What to do about a session's live price.

    The next meter interval may add as much as the last one did (half as much again
    for safety, and never less than the safety margin): if that would reach the hold,
    ask for a larger one (the hold plus the first hold, as often as needed to cover
    it) or, when the card cannot be asked, stop the session now, before the price
    passes the hold.
    """
    if initial_hold_minor <= 0 or hold_minor < initial_hold_minor:
        raise InvalidInput("a hold is for more than nothing and never below the first one")
    headroom = max(safety_margin(initial_hold_minor), math.ceil(max(0, last_step_minor) * 1.5))
    projected = price_minor + headroom
    if projected < hold_minor:
        return PriceCheck("continue")
    if not may_raise:
        return PriceCheck("stop")
    wanted = hold_minor + initial_hold_minor
    while projected >= wanted:
        wanted += initial_hold_minor
    return PriceCheck("raise", wanted)


# ---- the end ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settlement:
    action: Literal["capture", "release"]
    amount_minor: int  # what is taken (0 for a release)
    shortfall_minor: int  # the price beyond the hold, not taken
    message: str


def settle(total_minor: int | None, energy_wh: int, hold_minor: int, currency: str) -> Settlement:
    """What is taken from the hold for the session's final price: never more than the hold;
    a session that delivered nothing (or had no price) is not charged at all."""
    if total_minor is None:
        return Settlement("release", 0, 0, "No tariff applied to the session: nothing charged.")
    if energy_wh <= 0 or total_minor <= 0:
        return Settlement("release", 0, 0, "The session delivered no energy: nothing charged.")
    if total_minor > hold_minor:
        short = total_minor - hold_minor
        return Settlement(
            "capture",
            hold_minor,
            short,
            f"Charged {money(hold_minor, currency)}, the whole hold; the session came to "
            f"{money(total_minor, currency)}, {money(short, currency)} more than was held.",
        )
    return Settlement("capture", total_minor, 0, f"Charged {money(total_minor, currency)}.")


def money(amount_minor: int, currency: str) -> str:
    sign = "-" if amount_minor < 0 else ""
    whole, cents = divmod(abs(amount_minor), 100)
    return f"{sign}{whole}.{cents:02d} {currency}"


# ---- what the attendant and the customer read ------------------------------------------


def waiting_message(hold_minor: int, currency: str) -> str:
    return f"Present the card on the reader: {money(hold_minor, currency)} will be held."


def held_message(hold_minor: int, currency: str) -> str:
    return f"{money(hold_minor, currency)} held on the card; starting the charger."


def starting_message(connector_id: int, plug_in_by_local: str) -> str:
    """plug_in_by_local: the deadline in the site's time, as the attendant reads a clock."""
    return (
        f"Plug in at connector {connector_id} now (by {plug_in_by_local}); charging starts at once."
    )


def charging_message(hold_minor: int, currency: str) -> str:
    return f"Charging; up to {money(hold_minor, currency)} is held on the card."


def stopping_at_limit_message(hold_minor: int, currency: str) -> str:
    return (
        f"The card allows no more than {money(hold_minor, currency)}: "
        "the session is being stopped at that limit."
    )


def ended_message() -> str:
    return "The session ended; taking its price from the hold."
