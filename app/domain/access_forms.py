"""What an operator types about drivers, fleets, tags and rules, checked field by field.

Every check returns the cleaned value or raises InvalidInput with a message
that names the field, so a form can show it next to the right box. Checks
that need the store (a duplicate tag, an unknown fleet) are the services'.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

from app.domain.access import WEEKDAYS_ALL, AccessRule, Subject
from app.domain.authorization import checked_id_tag
from app.domain.errors import InvalidInput
from app.domain.model import IdTag, IdTagStatus

NAME_MAX = 100
EMAIL_MAX = 254
PHONE_MAX = 40
NOTES_MAX = 2000
MAX_CONCURRENT_LIMIT = 100

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE = re.compile(r"\+?[0-9 ()./\-]+")
_PHONE_MIN_DIGITS = 5


def checked_name(value: str, what: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InvalidInput(f"{what}: a name is needed")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"{what}: at most {NAME_MAX} characters, got {len(name)}")
    return name


def checked_email(value: str) -> str:
    email = value.strip()
    if not email:
        return ""
    if len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email):
        raise InvalidInput(f"email: {email!r} is not an email address (name@example.com)")
    return email


def checked_phone(value: str) -> str:
    phone = value.strip()
    if not phone:
        return ""
    digits = sum(ch.isdigit() for ch in phone)
    if len(phone) > PHONE_MAX or not _PHONE.fullmatch(phone) or digits < _PHONE_MIN_DIGITS:
        raise InvalidInput(
            f"phone: {phone!r} is not a phone number (digits, spaces, + - ( ), "
            f"at least {_PHONE_MIN_DIGITS} digits)"
        )
    return phone


def checked_notes(value: str, what: str = "notes") -> str:
    notes = value.strip()
    if len(notes) > NOTES_MAX:
        raise InvalidInput(f"{what}: at most {NOTES_MAX} characters, got {len(notes)}")
    return notes


def checked_max_concurrent(value: int) -> int:
    if not 1 <= value <= MAX_CONCURRENT_LIMIT:
        raise InvalidInput(
            f"sessions at once: 1 to {MAX_CONCURRENT_LIMIT} per tag, got {value} "
            "(block the tag to stop it charging)"
        )
    return value


def checked_tag(tag: IdTag, now: datetime, *, new: bool) -> IdTag:
    """The tag as it will be stored: its id and group in their canonical spelling.

    A new tag may not have expired already (a typo in the year, most often);
    an existing one may be given a past expiry to end it.
    """
    key = checked_id_tag(tag.id_tag)
    parent = None
    if tag.parent_id_tag is not None and tag.parent_id_tag.strip():
        parent = checked_id_tag(tag.parent_id_tag, "group tag")
        if parent == key:
            raise InvalidInput("group tag: a tag cannot be its own group")
    if tag.status is IdTagStatus.CONCURRENT_TX:
        raise InvalidInput("status: ConcurrentTx is an answer, not a status a tag can have")
    if tag.expiry_date is not None:
        if tag.expiry_date.tzinfo is None:
            raise InvalidInput("expiry: give a time zone (e.g. 2027-01-01T00:00:00+01:00)")
        if new and tag.expiry_date <= now:
            raise InvalidInput(
                f"expiry: {tag.expiry_date.isoformat()} has passed; a new tag expires later"
            )
    return dataclasses.replace(
        tag,
        id_tag=key,
        parent_id_tag=parent,
        max_concurrent=checked_max_concurrent(tag.max_concurrent),
        note=checked_notes(tag.note, "note"),
    )


def checked_rule(rule: AccessRule) -> AccessRule:
    """The rule's own consistency; that its fleet, site or station exist is checked
    against the store by the access service."""
    if rule.subject is Subject.FLEET and rule.fleet_id is None:
        raise InvalidInput("fleet: a rule for a fleet needs the fleet")
    if rule.subject is not Subject.FLEET and rule.fleet_id is not None:
        raise InvalidInput(f"fleet: a rule for {rule.subject.value} names no fleet")
    if rule.site_id is not None and rule.station_id is not None:
        raise InvalidInput("place: a rule names a site or a station, not both")
    if not rule.weekdays:
        raise InvalidInput("weekdays: choose at least one day")
    if not rule.weekdays <= WEEKDAYS_ALL:
        raise InvalidInput("weekdays: days are 0 (Monday) to 6 (Sunday)")
    for label, moment in (("start", rule.start), ("end", rule.end)):
        if moment.second or moment.microsecond or moment.tzinfo is not None:
            raise InvalidInput(f"{label}: a local wall-clock time in whole minutes")
    station = rule.station_id.strip() if rule.station_id is not None else None
    if station == "":
        raise InvalidInput("station: name a station or none")
    return dataclasses.replace(rule, station_id=station, note=checked_notes(rule.note, "note"))
