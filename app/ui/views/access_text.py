"""How drivers, tags and access rules read on screen: states, budgets, rule sentences.

A rule is shown as the sentence an operator would say ("Fleet Vans may charge
at Depot, Mon–Fri 22:00–06:00"), so nobody has to decode weekday masks.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from app.domain.access import WEEKDAYS_ALL, AccessRule, Subject
from app.domain.model import IdTag, IdTagStatus
from app.ui.views.tariff_text import money

# Budgets are kept in öre; fleets and drivers are not tied to one site's currency.
CURRENCY = "SEK"
MUTED = "#8a8f98"


def _tr(text: str) -> str:
    return QCoreApplication.translate("AccessText", text)


# ---- tags ----------------------------------------------------------------------------


class TagState(StrEnum):
    """What a charger would hear about a tag right now, before place and time rules."""

    ACCEPTED = "accepted"
    BLOCKED = "blocked"
    EXPIRED = "expired"
    DRIVER_INACTIVE = "driver_inactive"


TAG_STATE_COLOURS = {
    TagState.ACCEPTED: "#2e9d57",
    TagState.BLOCKED: "#d0342c",
    TagState.EXPIRED: "#b26a00",
    TagState.DRIVER_INACTIVE: MUTED,
}


def tag_state(tag: IdTag, now: datetime, *, driver_active: bool = True) -> TagState:
    if tag.status is not IdTagStatus.ACCEPTED:
        return TagState.EXPIRED if tag.status is IdTagStatus.EXPIRED else TagState.BLOCKED
    if tag.expiry_date is not None and tag.expiry_date <= now:
        return TagState.EXPIRED
    return TagState.ACCEPTED if driver_active else TagState.DRIVER_INACTIVE


def tag_state_label(state: TagState) -> str:
    return {
        TagState.ACCEPTED: _tr("Accepted"),
        TagState.BLOCKED: _tr("Blocked"),
        TagState.EXPIRED: _tr("Expired"),
        TagState.DRIVER_INACTIVE: _tr("Refused: driver inactive"),
    }[state]


def budget_text(amount_minor: int | None) -> str:
    return _tr("no budget") if amount_minor is None else money(amount_minor, CURRENCY)


# ---- rules ---------------------------------------------------------------------------


def weekday_names() -> tuple[str, ...]:
    return (_tr("Mon"), _tr("Tue"), _tr("Wed"), _tr("Thu"), _tr("Fri"), _tr("Sat"), _tr("Sun"))


def weekdays_text(days: frozenset[int]) -> str:
    """{0..4} → "Mon–Fri"; {5, 6} → "Sat, Sun"; all seven → "every day"."""
    if days == WEEKDAYS_ALL:
        return _tr("every day")
    names = weekday_names()
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts.extend(names[d] for d in run)
    return ", ".join(parts)


def clock(moment: time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def hours_text(rule: AccessRule) -> str:
    """ "22:00–06:00", or "all day" when the window starts and ends at the same time."""
    if rule.start == rule.end:
        return _tr("all day")
    return f"{clock(rule.start)}–{clock(rule.end)}"


def subject_text(rule: AccessRule, fleets: Mapping[int, str]) -> str:
    if rule.subject is Subject.EVERYONE:
        return _tr("Everyone")
    if rule.subject is Subject.NO_FLEET:
        return _tr("Drivers without a fleet and the public")
    name = fleets.get(rule.fleet_id) if rule.fleet_id is not None else None
    return _tr("Fleet {name}").format(name=name or _tr("(removed)"))


def place_text(rule: AccessRule, sites: Mapping[int, str]) -> str:
    if rule.station_id is not None:
        return _tr("at station {station}").format(station=rule.station_id)
    if rule.site_id is not None:
        return _tr("at {site}").format(site=sites.get(rule.site_id) or _tr("a removed site"))
    return _tr("anywhere")


def when_text(rule: AccessRule) -> str:
    days = weekdays_text(rule.weekdays)
    if rule.start == rule.end:
        return _tr("{days}, all day").format(days=days)
    return f"{days} {hours_text(rule)}"


def rule_sentence(rule: AccessRule, fleets: Mapping[int, str], sites: Mapping[int, str]) -> str:
    """ "Fleet Vans may charge at Depot, Mon–Fri 22:00–06:00"."""
    return _tr("{who} may charge {where}, {when}").format(
        who=subject_text(rule, fleets), where=place_text(rule, sites), when=when_text(rule)
    )
