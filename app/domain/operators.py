"""Operator accounts and roles: who works the control room, the API and the CLI.

Roles are ranked; each one may do everything the ones below it may:

- attendant: payments at the desk, remote start and stop, unlock a connector;
- operator: every station operation, tags, drivers and fleets;
- manager: tariffs, subscriptions, access rules, refunds, reports, settings;
- admin: operator accounts, API tokens, security settings, the audit log.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.errors import InvalidInput

USERNAME_MAX = 32
DISPLAY_NAME_MAX = 80
PASSWORD_MIN = 10
PASSWORD_MAX = 256
# After this many wrong passwords in a row an account is locked for LOCKOUT.
FAILURES_BEFORE_LOCK = 5
LOCKOUT = timedelta(minutes=15)

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]*")


class Role(StrEnum):
    ATTENDANT = "attendant"
    OPERATOR = "operator"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def covers(self, needed: Role) -> bool:
        """Whether someone with this role may do what needs `needed`."""
        return self.rank >= needed.rank


_RANKS = {Role.ATTENDANT: 0, Role.OPERATOR: 1, Role.MANAGER: 2, Role.ADMIN: 3}


class Source(StrEnum):
    """The part of ChargeDesk an action came through."""

    UI = "ui"
    API = "api"
    CLI = "cli"
    # The engine on its own account: chargers' messages, housekeeping, reconciliation.
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is doing something, with which role, through which part."""

    name: str
    role: Role
    source: Source
    # The operator account behind it; None for the engine, an API token or the
    # local administrator of a site without accounts.
    operator_id: int | None = None

    def describe(self) -> str:
        return f"{self.name} ({self.role.value}, {self.source.value})"


SYSTEM = Actor("chargedesk", Role.ADMIN, Source.SYSTEM)


def local_administrator(source: Source) -> Actor:
    """Who acts on a site that has no operator accounts yet: whoever can run ChargeDesk
    on this computer, as an admin, so the first accounts can be made."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "local"
    return Actor(f"local:{name}"[:64], Role.ADMIN, source)


@dataclass(frozen=True, slots=True)
class Operator:
    id: int
    username: str
    display_name: str
    role: Role
    created_at: datetime
    failed_logins: int = 0
    locked_until: datetime | None = None
    last_login_at: datetime | None = None
    disabled_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def as_actor(self, source: Source) -> Actor:
        return Actor(self.username, self.role, source, self.id)


def check_username(text: str) -> str:
    """The user name as stored (trimmed, lower case), or InvalidInput saying what is wrong."""
    name = text.strip().lower()
    if not name:
        raise InvalidInput("An operator needs a user name.")
    if len(name) > USERNAME_MAX:
        raise InvalidInput(f"A user name can be at most {USERNAME_MAX} characters long.")
    if not _USERNAME.fullmatch(name):
        raise InvalidInput(
            "A user name can hold letters a–z, digits, '.', '_' and '-', "
            "and starts with a letter or a digit."
        )
    return name


def check_display_name(text: str, username: str) -> str:
    name = " ".join(text.split()) or username
    if len(name) > DISPLAY_NAME_MAX:
        raise InvalidInput(f"A display name can be at most {DISPLAY_NAME_MAX} characters long.")
    return name


def check_new_password(password: str, username: str) -> str:
    """The password if it is fit to use; InvalidInput (never echoing it) if not."""
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(f"A password needs at least {PASSWORD_MIN} characters.")
    if len(password) > PASSWORD_MAX:
        raise InvalidInput(f"A password can be at most {PASSWORD_MAX} characters long.")
    if password.strip().lower() == username.lower():
        raise InvalidInput("A password cannot be the user name.")
    if len(set(password)) < 4:
        raise InvalidInput("A password needs more than three different characters.")
    return password


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InvalidInput(f"No role {text!r}; the roles are {names}.") from None
