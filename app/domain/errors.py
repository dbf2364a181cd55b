"""Named errors a caller of a station operation can tell apart and show."""

from __future__ import annotations


class ChargeDeskError(Exception):
    """Base of every error the engine raises on purpose."""


class StorageUnavailable(ChargeDeskError):
    """The database takes no writes just now (disk full, file read-only, I/O error);
    nothing of the refused write was stored. `str()` says what to do, in plain words."""


class StationNotFound(ChargeDeskError):
    def __init__(self, station_id: str) -> None:
        super().__init__(f"No station with id {station_id!r}")
        self.station_id = station_id


class InvalidInput(ChargeDeskError):
    """A request that was refused before anything was sent or stored."""


class ApiTokenNotFound(ChargeDeskError):
    def __init__(self, id_or_name: str) -> None:
        super().__init__(f"No API token with id or name {id_or_name!r}")
        self.id_or_name = id_or_name


class InvalidApiToken(ChargeDeskError):
    """No usable API token: missing, malformed, unknown or revoked (HTTP 401)."""


class InsufficientScope(ChargeDeskError):
    """A genuine, active API token whose scope does not cover the operation (HTTP 403)."""

    def __init__(self, token_id: str, needed: str) -> None:
        super().__init__(f"API token {token_id} lacks the {needed} scope this needs")
        self.token_id = token_id
        self.needed = needed


class CommandError(ChargeDeskError):
    """A CSMS-initiated operation did not achieve its effect."""

    def __init__(self, station_id: str, action: str, message: str) -> None:
        super().__init__(f"{action} on {station_id}: {message}")
        self.station_id = station_id
        self.action = action


class StationOffline(CommandError):
    def __init__(self, station_id: str, action: str) -> None:
        super().__init__(station_id, action, "the station is not connected")


class StationNotAccepted(CommandError):
    def __init__(self, station_id: str, action: str, admission: str) -> None:
        super().__init__(station_id, action, f"the station is {admission}, not Accepted")
        self.admission = admission


class CommandTimeout(CommandError):
    def __init__(self, station_id: str, action: str, seconds: float) -> None:
        super().__init__(station_id, action, f"no answer within {seconds:g} s")
        self.seconds = seconds


class CommandRejected(CommandError):
    """The station answered, but with a status that means it did not comply."""

    def __init__(
        self, station_id: str, action: str, status: str, result: object | None = None
    ) -> None:
        super().__init__(station_id, action, f"the station answered {status}")
        self.status = status
        # The whole answer (a CommandResult), e.g. a refused DataTransfer's data.
        self.result = result


class NotSupportedByStation(CommandRejected):
    pass


class CallErrorReceived(CommandError):
    """The station answered with an OCPP CALLERROR."""

    def __init__(self, station_id: str, action: str, code: str, description: str) -> None:
        super().__init__(station_id, action, f"CALLERROR {code}: {description}")
        self.code = code
        self.description = description


class InvalidResponse(CommandError):
    """The station's answer broke the schema of the protocol."""


class UnsupportedOperation(CommandError):
    """The protocol version the station speaks has no such operation."""


class NotFound(ChargeDeskError):
    """No such thing (a transaction, a tag, an alarm) where one was named."""


class NotPermitted(ChargeDeskError):
    """The signed-in operator's role does not allow this; nothing was done (HTTP 403)."""

    def __init__(self, who: str, role: str, needed: str, action: str) -> None:
        super().__init__(
            f"{who} is signed in as {role}; this needs the {needed} role or higher ({action})."
        )
        self.who = who
        self.role = role
        self.needed = needed
        self.action = action


class NotSignedIn(ChargeDeskError):
    """An operation that needs an operator was asked for with nobody signed in."""


class SignInRefused(ChargeDeskError):
    """A wrong user name or password, a disabled or a locked account (one message for
    all but the lock, so a guess learns nothing about which names exist)."""
