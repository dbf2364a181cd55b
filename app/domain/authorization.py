"""The rule that turns a stored id tag into the idTagInfo a charger gets.

Kept pure so it can grow (drivers, groups, sites, time windows) without
touching the protocol or the store.
"""

from __future__ import annotations

from datetime import datetime

from app.domain.model import IdTag, IdTagInfo, IdTagStatus

# RFID readers differ in case and separators; store and compare one spelling.
MAX_ID_TAG_LENGTH = 20


def normalise_id_tag(raw: str) -> str:
    """The canonical spelling of an id tag: trimmed, upper case hex-like tokens kept."""
    return raw.strip().upper()


def decide(
    tag: IdTag | None,
    now: datetime,
    *,
    accept_unknown: bool,
    parent: IdTag | None = None,
) -> IdTagInfo:
    """Answer for an Authorize or StartTransaction with this tag."""
    if tag is None:
        return IdTagInfo(IdTagStatus.ACCEPTED if accept_unknown else IdTagStatus.INVALID)
    if tag.status is not IdTagStatus.ACCEPTED:
        return IdTagInfo(tag.status, tag.expiry_date, tag.parent_id_tag)
    if tag.expiry_date is not None and tag.expiry_date <= now:
        return IdTagInfo(IdTagStatus.EXPIRED, tag.expiry_date, tag.parent_id_tag)
    if parent is not None and parent.status is IdTagStatus.BLOCKED:
        # A blocked group blocks every member.
        return IdTagInfo(IdTagStatus.BLOCKED, tag.expiry_date, tag.parent_id_tag)
    return IdTagInfo(IdTagStatus.ACCEPTED, tag.expiry_date, tag.parent_id_tag)
