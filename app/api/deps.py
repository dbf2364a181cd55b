"""What every route needs: the services, and a token with the right scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.domain.api_tokens import ApiToken, TokenScope
from app.domain.operators import Actor, Source
from app.services.acting import act_as
from app.services.container import Services

# auto_error=False: a missing or foreign header goes to the token service like any
# other bad token, so every refusal is the same 401 problem+json. The scheme is
# here for the OpenAPI document (and so for clients and the fuzz test).
BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="apiToken",
    bearerFormat="cd_<id>_<secret>",
    description="An API token from `chargedesk tokens create NAME --scope read|control`.",
)


class ServicesMissing(RuntimeError):
    """The app was built without services: it can describe itself but not answer."""


def services(request: Request) -> Services:
    found: Services | None = request.app.state.services
    if found is None:
        raise ServicesMissing("this API app was built only for its OpenAPI document")
    return found


class ScopeCheck:
    """A dependency: the request's token, if it is valid and covers `scope`.

    A class rather than a closure so the OpenAPI document can say which scope
    each operation needs (app/api/app.py finds it among a route's dependencies).
    """

    def __init__(self, scope: TokenScope) -> None:
        self.scope = scope

    async def __call__(
        self,
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    ) -> ApiToken:
        given = credentials.credentials.strip() if credentials is not None else None
        found = services(request)
        token: ApiToken = await found.api_tokens.verify(given, self.scope)
        # The rest of this request acts as the token's holder: the services check its
        # role and audit what it does (each request runs in a task of its own).
        act_as(Actor(f"token:{token.name}", token.role, Source.API), found.audit)
        return token


ServicesDep = Annotated[Services, Depends(services)]
Reader = Annotated[ApiToken, Depends(ScopeCheck(TokenScope.READ))]
Controller = Annotated[ApiToken, Depends(ScopeCheck(TokenScope.CONTROL))]
