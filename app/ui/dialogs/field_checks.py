"""Each field of the driver, tag and fleet forms, checked by the domain's own rules.

The domain decides (so the screen and the engine never disagree about what is
valid); these functions only put its verdict into the operator's language.
Each returns None when the text is fine, else the message for under the field.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from app.domain import access_forms
from app.domain.authorization import MAX_ID_TAG_LENGTH, checked_id_tag, normalise_id_tag
from app.domain.errors import InvalidInput
from app.domain.model import IdTag, IdTagStatus
from app.ui.views.access_text import CURRENCY
from app.ui.views.tariff_text import AmountProblem, parse_money


def _tr(text: str) -> str:
    return QCoreApplication.translate("DriverForms", text)


def name_problem(text: str) -> str | None:
    try:
        access_forms.checked_name(text, "name")
    except InvalidInput:
        if not text.strip():
            return _tr("A name is needed.")
        return _tr("At most {n} characters.").format(n=access_forms.NAME_MAX)
    return None


def email_problem(text: str) -> str | None:
    try:
        access_forms.checked_email(text)
    except InvalidInput:
        return _tr("Not an email address: write it like name@example.com.")
    return None


def phone_problem(text: str) -> str | None:
    try:
        access_forms.checked_phone(text)
    except InvalidInput:
        return _tr("Not a phone number: digits, spaces and + - ( ) only, at least 5 digits.")
    return None


def notes_problem(text: str) -> str | None:
    try:
        access_forms.checked_notes(text)
    except InvalidInput:
        return _tr("At most {n} characters.").format(n=access_forms.NOTES_MAX)
    return None


def uid_problem(text: str, *, optional: bool = False) -> str | None:
    """A tag's UID as typed or read by a desk reader (04:A2:B3:C4 is fine)."""
    if optional and not text.strip():
        return None
    try:
        checked_id_tag(text)
    except InvalidInput:
        key = normalise_id_tag(text)
        if not key:
            return _tr("Enter the tag's UID, as printed on the card or read by the reader.")
        if len(key) > MAX_ID_TAG_LENGTH:
            return _tr("A UID has at most {max} characters (OCPP 1.6); this one has {n}.").format(
                max=MAX_ID_TAG_LENGTH, n=len(key)
            )
        return _tr(
            "Not a tag UID: no spaces inside it (write hex bytes like 04A2B3C4 or 04:A2:B3:C4)."
        )
    return None


def uid_hint(text: str) -> str | None:
    """How a UID will be stored, when that differs from what was typed."""
    if uid_problem(text) is not None:
        return None
    key = normalise_id_tag(text)
    return _tr("Stored as {uid}.").format(uid=key) if key != text else None


def group_problem(text: str, own_uid: str) -> str | None:
    """The group (parent) tag of group charging: blocking the group blocks its members."""
    if not text.strip():
        return None
    if uid_problem(text) is not None:
        return _tr("Not a tag UID: at most 20 characters, no spaces inside.")
    if uid_problem(own_uid) is not None:
        return None  # the UID's own message says what to fix first
    own = IdTag(own_uid, IdTagStatus.ACCEPTED, parent_id_tag=text)
    try:
        access_forms.checked_tag(own, datetime.now(UTC), new=False)
    except InvalidInput:
        return _tr("A tag cannot be its own group.")
    return None


def expiry_problem(expiry: datetime | None, now: datetime, *, new: bool) -> str | None:
    try:
        access_forms.checked_tag(IdTag("X", IdTagStatus.ACCEPTED, expiry_date=expiry), now, new=new)
    except InvalidInput:
        return _tr("This moment has passed: a new tag must expire in the future.")
    return None


def sessions_problem(value: int) -> str | None:
    try:
        access_forms.checked_max_concurrent(value)
    except InvalidInput:
        return _tr("From 1 to {n}. To stop a tag charging, block it.").format(
            n=access_forms.MAX_CONCURRENT_LIMIT
        )
    return None


def budget_minor(text: str) -> int | None:
    """The typed budget in öre; None when the box is empty. Raises AmountProblem."""
    if not text.strip():
        return None
    amount = parse_money(text, CURRENCY)
    if amount < 0:
        raise AmountProblem(_tr("A budget is zero or more."))
    return amount


def budget_problem(text: str) -> str | None:
    try:
        budget_minor(text)
    except AmountProblem as exc:
        return str(exc)
    return None
