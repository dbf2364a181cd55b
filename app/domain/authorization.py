"""The rule that turns a stored id tag into the idTagInfo a charger gets.

Kept pure so it can grow (drivers, groups, sites, time windows) without
touching the protocol or the store.
"""

from __future__ import annotations

import re
from datetime import datetime

from app.domain.errors import InvalidInput
from app.domain.model import IdTag, IdTagInfo, IdTagStatus

# OCPP 1.6 IdToken: CiString20Type.
MAX_ID_TAG_LENGTH = 20

# A hex UID written with one kind of separator between byte pairs: 04:A2:B3:C4,
# 04-a2-b3-c4, "04 A2 B3 C4" (how card printouts and desk readers show them).
_BYTE_PAIRS = re.compile(r"[0-9A-F]{2}(?P<sep>[:\- ])[0-9A-F]{2}(?:(?P=sep)[0-9A-F]{2})*")


def normalise_id_tag(raw: str) -> str:
    """The canonical spelling of an id tag: trimmed, upper case (1.6 compares id
    tokens without case), and a separated hex UID written as plain hex.

    Anything else keeps its characters: "abc-123" is "ABC-123".
    """
    text = raw.strip().upper()
    if _BYTE_PAIRS.fullmatch(text):
        return re.sub(r"[:\- ]", "", text)
    return text


def checked_id_tag(raw: str, what: str = "id tag") -> str:
    """The normalised tag, or InvalidInput saying what is wrong with what was typed."""
    key = normalise_id_tag(raw)
    if not key:
        raise InvalidInput(f"an {what} cannot be blank")
    if len(key) > MAX_ID_TAG_LENGTH:
        raise InvalidInput(
            f"an {what} has at most {MAX_ID_TAG_LENGTH} characters (OCPP 1.6); "
            f"{key!r} has {len(key)}"
        )
    bad = sorted({ch for ch in key if ch.isspace() or not ch.isprintable()})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad)
        raise InvalidInput(f"an {what} has no spaces or control characters; {raw!r} has {shown}")
    return key


def decide(
    tag: IdTag | None,
    now: datetime,
    *,
    accept_unknown: bool,
    parent: IdTag | None = None,
    driver_active: bool = True,
    allowed: bool = True,
    allowed_until: datetime | None = None,
    open_sessions: int = 0,
) -> IdTagInfo:
    """Answer for an Authorize or StartTransaction with this tag.

    In this order: an unknown tag (Invalid, or a walk-in: one of the public); the
    tag's own status and expiry; its group's (a blocked or expired group
    blocks or expires every member); the driver's (inactive: Blocked); the
    access rules (not here or not now: Invalid, as for a tag this station
    does not know); sessions already open with the tag (ConcurrentTx).
    An acceptance expires when the tag, its group or the allowance does.
    """
    if tag is None:
        # A walk-in is one of the public: the rules for the public apply, one session at a time.
        if not accept_unknown or not allowed:
            return IdTagInfo(IdTagStatus.INVALID)
        if open_sessions >= 1:
            return IdTagInfo(IdTagStatus.CONCURRENT_TX)
        return IdTagInfo(IdTagStatus.ACCEPTED, allowed_until)
    expiry = _earliest(tag.expiry_date, parent.expiry_date if parent else None)
    parent_id = tag.parent_id_tag
    if tag.status is not IdTagStatus.ACCEPTED:
        return IdTagInfo(tag.status, tag.expiry_date, parent_id)
    if tag.expiry_date is not None and tag.expiry_date <= now:
        return IdTagInfo(IdTagStatus.EXPIRED, tag.expiry_date, parent_id)
    if parent is not None:
        group = parent.status
        if group is IdTagStatus.ACCEPTED and parent.expiry_date and parent.expiry_date <= now:
            group = IdTagStatus.EXPIRED
        if group is not IdTagStatus.ACCEPTED:
            return IdTagInfo(group, expiry, parent_id)
    if not driver_active:
        return IdTagInfo(IdTagStatus.BLOCKED, expiry, parent_id)
    if not allowed:
        return IdTagInfo(IdTagStatus.INVALID, expiry, parent_id)
    if open_sessions >= tag.max_concurrent:
        return IdTagInfo(IdTagStatus.CONCURRENT_TX, expiry, parent_id)
    return IdTagInfo(IdTagStatus.ACCEPTED, _earliest(expiry, allowed_until), parent_id)


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return min(known) if known else None
