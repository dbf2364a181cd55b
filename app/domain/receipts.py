"""Receipts: what a driver takes home, as plain text for a receipt printer and as data.

A receipt shows the card's brand and last four digits only; the rest of a card
number never reaches ChargeDesk. Times are stored in UTC and shown in the
site's zone.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime, tzinfo

from app.domain.payments import Payment, PaymentMethod
from app.domain.price_format import format_basis_points, format_money
from app.domain.session_price import SessionPrice, vat_included

RECEIPT_WIDTH = 42

METHOD_NAMES = {
    PaymentMethod.CARD: "Card",
    PaymentMethod.QR: "Mobile payment (QR)",
    PaymentMethod.CASH: "Cash",
    PaymentMethod.ACCOUNT: "On account",
    PaymentMethod.SUBSCRIPTION: "Subscription",
}


@dataclass(frozen=True, slots=True)
class Seller:
    name: str
    org_number: str
    address: str


@dataclass(frozen=True, slots=True)
class ReceiptSession:
    """The charging session a receipt is for."""

    transaction_id: int
    station_id: str
    started_at: datetime
    stopped_at: datetime | None
    energy_wh: int


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    label: str
    amount_minor: int


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    rate_bp: int
    net_minor: int
    vat_minor: int

    @property
    def gross_minor(self) -> int:
        return self.net_minor + self.vat_minor


@dataclass(frozen=True, slots=True)
class Receipt:
    number: int
    issued_at: datetime
    seller: Seller
    payment_id: int
    method: PaymentMethod
    currency: str
    total_minor: int
    lines: tuple[ReceiptLine, ...]
    vat: tuple[VatBreakdown, ...]
    session: ReceiptSession | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    tendered_minor: int | None = None
    change_minor: int | None = None
    email: str | None = None

    @property
    def duration_seconds(self) -> int | None:
        if self.session is None or self.session.stopped_at is None:
            return None
        return int((self.session.stopped_at - self.session.started_at).total_seconds())

    @property
    def method_text(self) -> str:
        name = METHOD_NAMES[self.method]
        if self.card_brand and self.card_last4:
            return f"{name} {self.card_brand.upper()} **** {self.card_last4}"
        return name

    def to_dict(self) -> dict[str, object]:
        """The structured form the screen and a PDF render; JSON-ready."""
        s = self.session
        return {
            "number": self.number,
            "issued_at": self.issued_at.isoformat(),
            "seller": {
                "name": self.seller.name,
                "org_number": self.seller.org_number,
                "address": self.seller.address,
            },
            "payment_id": self.payment_id,
            "method": self.method.value,
            "card_brand": self.card_brand,
            "card_last4": self.card_last4,
            "currency": self.currency,
            "total_minor": self.total_minor,
            "tendered_minor": self.tendered_minor,
            "change_minor": self.change_minor,
            "lines": [{"label": x.label, "amount_minor": x.amount_minor} for x in self.lines],
            "vat": [
                {"rate_bp": v.rate_bp, "net_minor": v.net_minor, "vat_minor": v.vat_minor}
                for v in self.vat
            ],
            "session": None
            if s is None
            else {
                "transaction_id": s.transaction_id,
                "station_id": s.station_id,
                "started_at": s.started_at.isoformat(),
                "stopped_at": None if s.stopped_at is None else s.stopped_at.isoformat(),
                "energy_wh": s.energy_wh,
                "duration_seconds": self.duration_seconds,
            },
            "email": self.email,
        }


def build_receipt(
    number: int,
    issued_at: datetime,
    seller: Seller,
    payment: Payment,
    session: ReceiptSession | None,
    price: SessionPrice | None,
    email: str | None = None,
) -> Receipt:
    """The receipt for a payment: the session's tariff lines when its price is the amount
    paid, else one line for the amount. VAT by rate, from the payment's rate."""
    if price is not None and price.total_minor == payment.amount_minor:
        lines = tuple(
            ReceiptLine(line.label, line.amount_minor) for line in price.lines if line.amount_minor
        )
    else:
        what = "Charging" if session is not None else "Payment"
        lines = (ReceiptLine(what, payment.amount_minor),)
    vat = vat_included(payment.amount_minor, payment.vat_rate_bp)
    return Receipt(
        number=number,
        issued_at=issued_at,
        seller=seller,
        payment_id=payment.id,
        method=payment.method,
        currency=payment.currency,
        total_minor=payment.amount_minor,
        lines=lines,
        vat=(VatBreakdown(payment.vat_rate_bp, payment.amount_minor - vat, vat),),
        session=session,
        card_brand=payment.card_brand,
        card_last4=payment.card_last4,
        tendered_minor=payment.tendered_minor,
        change_minor=payment.change_minor,
        email=email,
    )


def _pair(left: str, right: str, width: int) -> list[str]:
    """Left text and a right-aligned amount on one line, the text wrapped if too long."""
    room = width - len(right) - 1
    parts = textwrap.wrap(left, room) or [""]
    return [*parts[:-1], parts[-1].ljust(room) + " " + right]


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60:02d} min"


def render_text(receipt: Receipt, zone: tzinfo, width: int = RECEIPT_WIDTH) -> str:
    """The receipt as lines of at most `width` characters, for a receipt printer."""
    money = format_money
    cur = receipt.currency
    rule = "-" * width
    out: list[str] = []
    for text in (receipt.seller.name, receipt.seller.address, receipt.seller.org_number):
        for part in text.splitlines():
            out.extend(line.center(width).rstrip() for line in textwrap.wrap(part, width))
    out.append(rule)
    out.extend(_pair("Receipt no.", str(receipt.number), width))
    out.extend(_pair("Date", receipt.issued_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), width))
    session = receipt.session
    if session is not None:
        out.extend(_pair("Station", session.station_id[: width // 2], width))
        out.extend(_pair("Session", str(session.transaction_id), width))
        out.extend(
            _pair("Start", session.started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), width)
        )
        if session.stopped_at is not None:
            stop = session.stopped_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            out.extend(_pair("Stop", stop, width))
        duration = receipt.duration_seconds
        if duration is not None:
            out.extend(_pair("Duration", _duration(duration), width))
        kwh = f"{session.energy_wh // 1000}.{session.energy_wh % 1000:03d} kWh"
        out.extend(_pair("Energy", kwh, width))
    out.append(rule)
    for line in receipt.lines:
        out.extend(_pair(line.label, money(line.amount_minor, cur), width))
    out.append(rule)
    out.extend(_pair("TOTAL", money(receipt.total_minor, cur), width))
    for vat in receipt.vat:
        label = f"VAT {format_basis_points(vat.rate_bp)} of {money(vat.net_minor, cur)}"
        out.extend(_pair(label, money(vat.vat_minor, cur), width))
    out.append(rule)
    out.extend(_pair("Paid by", receipt.method_text, width))
    if receipt.tendered_minor is not None:
        out.extend(_pair("Cash tendered", money(receipt.tendered_minor, cur), width))
        out.extend(_pair("Change", money(receipt.change_minor or 0, cur), width))
    out.append("")
    out.append("Thank you".center(width).rstrip())
    return "\n".join(out) + "\n"


def _opt_int(value: object) -> int | None:
    return None if value is None else int(str(value))


def receipt_from_dict(data: dict[str, object]) -> Receipt:
    """The Receipt stored as issued (the inverse of Receipt.to_dict)."""
    seller = data["seller"]
    assert isinstance(seller, dict)
    lines = data["lines"]
    vat = data["vat"]
    assert isinstance(lines, list)
    assert isinstance(vat, list)
    s = data.get("session")
    session = None
    if isinstance(s, dict):
        stopped = s.get("stopped_at")
        session = ReceiptSession(
            transaction_id=int(s["transaction_id"]),
            station_id=str(s["station_id"]),
            started_at=datetime.fromisoformat(str(s["started_at"])),
            stopped_at=None if stopped is None else datetime.fromisoformat(str(stopped)),
            energy_wh=int(s["energy_wh"]),
        )
    brand, last4, email = data.get("card_brand"), data.get("card_last4"), data.get("email")
    return Receipt(
        number=int(str(data["number"])),
        issued_at=datetime.fromisoformat(str(data["issued_at"])),
        seller=Seller(str(seller["name"]), str(seller["org_number"]), str(seller["address"])),
        payment_id=int(str(data["payment_id"])),
        method=PaymentMethod(str(data["method"])),
        currency=str(data["currency"]),
        total_minor=int(str(data["total_minor"])),
        lines=tuple(ReceiptLine(str(x["label"]), int(x["amount_minor"])) for x in lines),
        vat=tuple(
            VatBreakdown(int(v["rate_bp"]), int(v["net_minor"]), int(v["vat_minor"])) for v in vat
        ),
        session=session,
        card_brand=None if brand is None else str(brand),
        card_last4=None if last4 is None else str(last4),
        tendered_minor=_opt_int(data.get("tendered_minor")),
        change_minor=_opt_int(data.get("change_minor")),
        email=None if email is None else str(email),
    )
