"""API tokens: issued and revoked by an operator, checked on every HTTP API request."""

from __future__ import annotations

import builtins
import logging
from dataclasses import replace
from datetime import datetime, timedelta

from app.domain.api_tokens import ApiToken, TokenScope, new_token, parse_token, secret_matches
from app.domain.errors import (
    ApiTokenNotFound,
    InsufficientScope,
    InvalidApiToken,
    InvalidInput,
)
from app.domain.operators import Role
from app.domain.ports import ApiTokenRepository, Clock
from app.services.acting import requires
from app.services.clock import utcnow

log = logging.getLogger(__name__)

# How stale a token's "last used" may get: a client polling every second must
# not turn each of its reads into a write.
RECORD_USE_EVERY = timedelta(minutes=1)
# A fresh id can collide with an existing one (32 bits); draw again a few times.
_ID_ATTEMPTS = 5


class ApiTokenService:
    def __init__(self, repository: ApiTokenRepository, clock: Clock = utcnow) -> None:
        self._repo = repository
        self._clock = clock
        # When this process last recorded each token's use, set before the write
        # so concurrent requests of one token do not all write.
        self._recorded: dict[str, datetime] = {}

    @requires(Role.ADMIN, "api_token.create", target="name")
    async def create(
        self, name: str, scope: TokenScope, role: Role = Role.OPERATOR
    ) -> tuple[ApiToken, str]:
        """A new token and its plaintext: hand that to the user once, it is not kept."""
        for _ in range(_ID_ATTEMPTS):
            token, plaintext, secret_hash = new_token(name, scope, self._clock(), role)
            if await self._repo.find_by_name(token.name) is not None:
                raise InvalidInput(f"There is already an API token named {token.name!r}.")
            if await self._repo.add(token, secret_hash):
                log.info("API token %s (%s, %s) created", token.id, token.name, token.scope)
                return token, plaintext
        raise RuntimeError("could not draw an unused API token id")

    async def is_active(self, token_id: str) -> bool:
        """Whether the token still works (a long-lived stream asks this as it goes)."""
        token = await self._repo.get(token_id)
        return token is not None and token.active

    @requires(Role.ADMIN)
    async def list(self) -> builtins.list[ApiToken]:
        """Every token, revoked ones too, oldest first."""
        return await self._repo.all()

    @requires(Role.ADMIN, "api_token.revoke", target="id_or_name")
    async def revoke(self, id_or_name: str) -> ApiToken:
        """Revoke a token by id or name; it stops working at once. Revoking again changes
        nothing (the first revocation time stands)."""
        key = id_or_name.strip()
        token = await self._repo.get(key) or await self._repo.find_by_name(key)
        revoked = None if token is None else await self._repo.revoke(token.id, self._clock())
        if revoked is None:
            raise ApiTokenNotFound(key)
        log.info("API token %s (%s) revoked", revoked.id, revoked.name)
        return revoked

    async def verify(self, text: str | None, needs: TokenScope) -> ApiToken:
        """The token `text` names, if it is genuine, not revoked and its scope covers `needs`.

        Raises InvalidApiToken (missing, malformed, unknown, revoked: HTTP 401) or
        InsufficientScope (HTTP 403). Reads the store each time: a token revoked from another
        process stops working at once.
        """
        if not text:
            raise InvalidApiToken("No API token was given.")
        parsed = parse_token(text)
        if parsed is None:
            raise InvalidApiToken("The API token is malformed.")
        token_id, secret = parsed
        stored = await self._repo.with_secret_hash(token_id)
        # An unknown id and a wrong secret look the same to the caller.
        if stored is None or not secret_matches(secret, stored[1]):
            raise InvalidApiToken("The API token is not known.")
        token = stored[0]
        if not token.active:
            raise InvalidApiToken(f"API token {token.id} has been revoked.")
        token = await self._record_use(token)
        if not token.scope.covers(needs):
            raise InsufficientScope(token.id, needs.value)
        return token

    async def _record_use(self, token: ApiToken) -> ApiToken:
        now = self._clock()
        seen = [t for t in (token.last_used_at, self._recorded.get(token.id)) if t is not None]
        # A time ahead of now (the clock was set back) counts as stale.
        if seen and timedelta(0) <= now - max(seen) < RECORD_USE_EVERY:
            return token
        self._recorded[token.id] = now
        await self._repo.touch(token.id, now)
        return replace(token, last_used_at=now)
