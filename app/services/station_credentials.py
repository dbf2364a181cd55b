"""Station passwords (security profiles 1 and 2): generated, shown once, rotated over OCPP.

A generated password is 40 hexadecimal characters (20 random bytes, 160 bits): the
1.6 security whitepaper has the AuthorizationKey "hexadecimal represented, 20 bytes
maximum, a string of up to 40 hexadecimal digits" (A00.FR.205), and some chargers
refuse other characters in ChangeConfiguration, so hex rather than token_urlsafe.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain import commands as c
from app.domain import credentials
from app.domain.operators import Role
from app.domain.validation import AUTHORIZATION_KEY
from app.services.acting import requires
from app.services.commands import CommandService
from app.services.stations import StationService


@dataclass(frozen=True, slots=True)
class NewPassword:
    """A password to show the operator once; it is stored only as a salted hash."""

    station_id: str
    password: str = field(repr=False)
    # The station took it with RebootRequired: it uses it only after its next restart.
    after_restart: bool = False
    # True when ChargeDesk told the station itself (ChangeConfiguration AuthorizationKey);
    # False when someone must type it into the charger.
    pushed: bool = False


class StationCredentials:
    def __init__(self, stations: StationService, commands: CommandService) -> None:
        self._stations = stations
        self._commands = commands

    @requires(Role.OPERATOR, "station.issue_password", target="station_id")
    async def issue(self, station_id: str) -> NewPassword:
        """A new password required from now on, for an installer to type into the charger.

        The old one stops working at once: use this for a charger being set up (or one
        that lost its settings), and `rotate` for a charger that is online.
        """
        password = credentials.generate_password()
        await self._stations.set_password(station_id, password)
        return NewPassword(station_id, password)

    @requires(Role.OPERATOR, "station.rotate_password", target="station_id")
    async def rotate(self, station_id: str, *, requested_by: str = "operator") -> NewPassword:
        """Give an online station a new password through ChangeConfiguration(AuthorizationKey).

        Only when the station answers Accepted (or RebootRequired) is the new password
        required; until then, and after any refusal, timeout or error (raised as the
        command's named error: StationOffline, NotSupportedByStation, CommandRejected,
        CommandTimeout, CallErrorReceived), the old one keeps working. The new one is in
        neither the command log nor the message log.
        """
        password = credentials.generate_password()
        result = await self._commands.send(
            station_id,
            c.ChangeConfiguration(AUTHORIZATION_KEY, password),
            requested_by=requested_by,
        )
        status = getattr(result, "status", "Accepted")
        return NewPassword(
            station_id, password, after_restart=status == "RebootRequired", pushed=True
        )
