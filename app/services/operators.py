"""Operator accounts: sign-in with lockout, and their upkeep by an admin.

Passwords are kept only as scrypt hashes (memory-hard: 16 MiB a guess), hashed
on a worker thread so a sign-in never stalls a charger's reply.
"""

from __future__ import annotations

import asyncio
import builtins
import logging
from datetime import datetime
from typing import Any

from app.domain.audit import Outcome
from app.domain.credentials import hash_password, verify_password
from app.domain.errors import InvalidInput, NotFound, NotSignedIn, SignInRefused
from app.domain.operators import (
    FAILURES_BEFORE_LOCK,
    LOCKOUT,
    USERNAME_MAX,
    Actor,
    Operator,
    Role,
    Source,
    check_display_name,
    check_new_password,
    check_username,
)
from app.domain.ports import Clock, OperatorRepository
from app.services.acting import Recorder, current_actor, requires
from app.services.clock import utcnow

log = logging.getLogger(__name__)

WRONG = "The user name or the password is wrong."
# Hashed once, so an unknown user name costs a guess as much time as a known one.
_DECOY = hash_password("decoy password, never used")


async def _username(service: OperatorService, arguments: dict[str, Any]) -> str:
    """The audit log names the account acted on by its user name, not its number."""
    operator = await service._repo.get(int(arguments["operator_id"]))
    return operator.username if operator is not None else f"#{arguments['operator_id']}"


class OperatorService:
    def __init__(
        self, repository: OperatorRepository, trail: Recorder, clock: Clock = utcnow
    ) -> None:
        self._repo = repository
        self._trail = trail
        self._clock = clock

    async def accounts_exist(self) -> bool:
        """Whether anyone must sign in: False on a site that has not set up accounts."""
        return await self._repo.count_active() > 0

    async def sign_in(self, username: str, password: str, source: Source) -> Operator:
        """The operator, if the password is right and the account active and unlocked.

        Every attempt is audited. Wrong passwords count towards a lockout; a right
        one resets the count."""
        name = username.strip().lower()[:USERNAME_MAX]
        found = await self._repo.with_password_hash(name) if name else None
        now = self._clock()
        if found is None:
            await asyncio.to_thread(verify_password, password, _DECOY)
            await self._failed(Actor(name or "?", Role.ATTENDANT, source), "unknown user name")
            raise SignInRefused(WRONG)
        operator, stored = found
        actor = operator.as_actor(source)
        if not operator.active:
            await asyncio.to_thread(verify_password, password, _DECOY)
            await self._failed(actor, "account disabled")
            raise SignInRefused(WRONG)
        if operator.locked_at(now):
            assert operator.locked_until is not None
            await self._failed(actor, "account locked")
            raise SignInRefused(
                f"This account is locked after {FAILURES_BEFORE_LOCK} wrong passwords. "
                f"Try again in {_minutes_until(operator, now)} min, or ask an admin to unlock it."
            )
        if not await asyncio.to_thread(verify_password, password, stored):
            after = await self._repo.record_failure(
                operator.id, FAILURES_BEFORE_LOCK, now + LOCKOUT
            )
            locked = after is not None and after.locked_at(now)
            await self._failed(actor, "wrong password" + ("; account locked" if locked else ""))
            raise SignInRefused(WRONG)
        signed_in = await self._repo.record_success(operator.id, now) or operator
        await self._trail.record(actor, "operator.sign_in", operator.username, Outcome.OK)
        log.info("%s signed in", actor.describe())
        return signed_in

    async def sign_out(self, operator: Operator, source: Source, reason: str = "") -> None:
        await self._trail.record(
            operator.as_actor(source), "operator.sign_out", operator.username, Outcome.OK, reason
        )

    async def _failed(self, actor: Actor, reason: str) -> None:
        await self._trail.record(actor, "operator.sign_in", actor.name, Outcome.FAILED, reason)

    @requires(Role.ADMIN)
    async def list(self) -> builtins.list[Operator]:
        return await self._repo.all()

    @requires(Role.ADMIN)
    async def find(self, username: str) -> Operator:
        name = username.strip().lower()
        for operator in await self._repo.all():
            if operator.username == name:
                return operator
        raise NotFound(f"No operator called {name!r}.")

    @requires(Role.ADMIN, "operator.create", target="username")
    async def create(self, username: str, display_name: str, role: Role, password: str) -> Operator:
        name = check_username(username)
        shown = check_display_name(display_name, name)
        check_new_password(password, name)
        if not await self.accounts_exist() and role is not Role.ADMIN:
            raise InvalidInput(
                "The first operator account must be an admin, so someone can manage the others."
            )
        hashed = await asyncio.to_thread(hash_password, password)
        created = await self._repo.add(name, shown, role, hashed, self._clock())
        if created is None:
            raise InvalidInput(f"There is already an operator called {name!r}.")
        return created

    @requires(Role.ADMIN, "operator.set_role", target=_username)
    async def set_role(self, operator_id: int, role: Role) -> Operator:
        operator = await self._get(operator_id)
        if operator.role is Role.ADMIN and role is not Role.ADMIN:
            await self._keep_an_admin(operator)
        return await self._changed(operator_id, role=role)

    @requires(Role.ADMIN, "operator.rename", target=_username)
    async def rename(self, operator_id: int, display_name: str) -> Operator:
        operator = await self._get(operator_id)
        shown = check_display_name(display_name, operator.username)
        return await self._changed(operator_id, display_name=shown)

    @requires(Role.ADMIN, "operator.disable", target=_username)
    async def disable(self, operator_id: int) -> Operator:
        operator = await self._get(operator_id)
        me = current_actor()
        if me is not None and me.operator_id == operator_id:
            raise InvalidInput("You cannot disable the account you are signed in with.")
        if operator.role is Role.ADMIN:
            await self._keep_an_admin(operator)
        return self._known(await self._repo.set_disabled(operator_id, self._clock()), operator_id)

    @requires(Role.ADMIN, "operator.enable", target=_username)
    async def enable(self, operator_id: int) -> Operator:
        await self._get(operator_id)
        return self._known(await self._repo.set_disabled(operator_id, None), operator_id)

    @requires(Role.ADMIN, "operator.reset_password", target=_username)
    async def reset_password(self, operator_id: int, password: str) -> Operator:
        """Set a new password (the admin hands it over) and lift any lockout."""
        operator = await self._get(operator_id)
        check_new_password(password, operator.username)
        hashed = await asyncio.to_thread(hash_password, password)
        await self._changed(operator_id, password_hash=hashed)
        return self._known(await self._repo.unlock(operator_id), operator_id)

    @requires(Role.ADMIN, "operator.unlock", target=_username)
    async def unlock(self, operator_id: int) -> Operator:
        await self._get(operator_id)
        return self._known(await self._repo.unlock(operator_id), operator_id)

    @requires(Role.ATTENDANT, "operator.change_password")
    async def change_own_password(self, current_password: str, new_password: str) -> None:
        """The signed-in operator changes their own password, proving the current one."""
        me = current_actor()
        if me is None or me.operator_id is None:
            raise NotSignedIn("Only a signed-in operator account has a password to change.")
        operator = await self._get(me.operator_id)
        found = await self._repo.with_password_hash(operator.username)
        assert found is not None
        if not await asyncio.to_thread(verify_password, current_password, found[1]):
            raise InvalidInput("The current password is wrong; nothing was changed.")
        check_new_password(new_password, operator.username)
        if new_password == current_password:
            raise InvalidInput("The new password is the same as the current one.")
        hashed = await asyncio.to_thread(hash_password, new_password)
        await self._changed(operator.id, password_hash=hashed)

    async def _get(self, operator_id: int) -> Operator:
        operator = await self._repo.get(operator_id)
        if operator is None:
            raise NotFound(f"No operator with id {operator_id}.")
        return operator

    async def _changed(
        self,
        operator_id: int,
        *,
        display_name: str | None = None,
        role: Role | None = None,
        password_hash: str | None = None,
    ) -> Operator:
        changed = await self._repo.update(
            operator_id, display_name=display_name, role=role, password_hash=password_hash
        )
        return self._known(changed, operator_id)

    @staticmethod
    def _known(operator: Operator | None, operator_id: int) -> Operator:
        if operator is None:
            raise NotFound(f"No operator with id {operator_id}.")
        return operator

    async def _keep_an_admin(self, operator: Operator) -> None:
        if operator.active and await self._repo.count_active(Role.ADMIN) <= 1:
            raise InvalidInput(
                f"{operator.username} is the last active admin; make another admin first."
            )


def _minutes_until(operator: Operator, now: datetime) -> int:
    assert operator.locked_until is not None
    return max(1, int((operator.locked_until - now).total_seconds() // 60) + 1)
