"""The API application: routes under /api/v1, problem+json errors, OpenAPI at /api/openapi.json.

The OpenAPI document is a contract the fuzz test holds the server to
(tests/api/test_openapi_fuzz.py) and docs/api.md is rendered from
(scripts/api_docs.py), so every error an operation can answer is documented
here as problem+json, with the token scope it needs as `x-required-scope`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app import __version__
from app.api import problems
from app.api.deps import ScopeCheck
from app.api.routes import events, payments, stations, tags, transactions
from app.api.routes.commands import CommandCodec, router_for
from app.domain.api_tokens import TokenScope
from app.services.container import Services

PREFIX = "/api/v1"
OPENAPI_PATH = "/api/openapi.json"
SCOPE_KEY = "x-required-scope"  # on an operation: the token scope it needs

# What a command can meet beyond a bad request: the station's own trouble.
_COMMAND_ERRORS = (
    problems.STATION_OFFLINE,
    problems.STATION_NOT_ACCEPTED,
    problems.UNSUPPORTED_OPERATION,
    problems.STATION_CALL_ERROR,
    problems.STATION_INVALID_RESPONSE,
    problems.STATION_TIMEOUT,
)


class ChargeDeskApi(FastAPI):
    """FastAPI whose OpenAPI document tells the truth about errors (see the module doc)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._refined: dict[str, Any] | None = None
        # (path, method) -> the token scope the operation needs, noted as routers are included.
        self._scopes: dict[tuple[str, str], TokenScope] = {}

    def include(self, router: APIRouter, **options: Any) -> None:
        """include_router under PREFIX, noting each operation's scope for the document."""
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            if route.openapi_extra is not None:
                route.openapi_extra = _plain_json(route.openapi_extra)
            scope = _scope_of(route.dependant)
            if scope is not None:
                for method in route.methods or ():
                    self._scopes[PREFIX + route.path_format, method.lower()] = scope
        self.include_router(router, prefix=PREFIX, **options)

    def openapi(self) -> dict[str, Any]:
        document = super().openapi()  # cached by FastAPI until the routes change
        if document is not self._refined:
            _refine(document, self._scopes)
            self._refined = document
        return document


def create_app(services: Services | None, codec: CommandCodec) -> FastAPI:
    """The API over `services`; with None it can only describe itself (its OpenAPI document)."""
    app = ChargeDeskApi(
        title="ChargeDesk local API",
        version=__version__,
        description=(
            "Everything the control room can see and do, for integrations and the CLI. "
            "Every endpoint but /api/health needs `Authorization: Bearer <token>` "
            "(`chargedesk tokens create`); errors are application/problem+json."
        ),
        openapi_url=OPENAPI_PATH,
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    problems.install(app)
    for router in (
        stations.router,
        transactions.router,
        events.router,
        tags.router,
        payments.router,
    ):
        app.include(router)
    app.include(router_for(codec), responses=problems.documented(_COMMAND_ERRORS))

    @app.get("/api/health", tags=["health"])
    async def health() -> dict[str, str]:
        """No token needed: for monitoring."""
        return {"status": "ok", "version": __version__}

    return app


def openapi_document(codec: CommandCodec) -> dict[str, Any]:
    """The API's OpenAPI document, built without an engine or a database."""
    return create_app(None, codec).openapi()


def _refine(document: dict[str, Any], scopes: dict[tuple[str, str], TokenScope]) -> None:
    """Document each operation's errors and scope; drop FastAPI's 422, which is never sent."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = problems.Problem.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            # problems.py answers a request FastAPI cannot read with a 400, never a 422.
            operation["responses"].pop("422", None)
            scope = scopes.get((path, method))
            if scope is not None:
                operation[SCOPE_KEY] = scope.value
            for status, response in problems.documented(_errors_of(path, operation, scope)).items():
                operation["responses"].setdefault(str(status), response)
            operation["responses"] = dict(sorted(operation["responses"].items()))
    for unused in ("HTTPValidationError", "ValidationError"):  # the second is used by the first
        if f'"#/components/schemas/{unused}"' not in json.dumps(document):
            schemas.pop(unused, None)


def _errors_of(
    path: str, operation: dict[str, Any], scope: TokenScope | None
) -> Iterator[problems.ProblemType]:
    if operation.get("parameters") or "requestBody" in operation:
        yield problems.INVALID_INPUT
    if scope is not None:
        yield problems.UNAUTHORIZED
        if scope is not TokenScope.READ:
            yield problems.FORBIDDEN
    if "{station_id}" in path:
        yield problems.STATION_NOT_FOUND
    if "{" in path:  # an id that names nothing, or a path no route takes (e.g. with "%2F")
        yield problems.NOT_FOUND


def _plain_json(value: Any) -> Any:
    """`value` with Decimals as JSON numbers.

    The OCPP schemas are parsed with Decimal so `multipleOf: 0.1` checks are exact
    (app/ocpp/rpc.py); FastAPI would write those as strings ("0.1"), which no JSON
    Schema reader accepts as a number.
    """
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_json(v) for v in value]
    return value


def _scope_of(dependant: Dependant) -> TokenScope | None:
    """The scope the route's token check asks for, found among its dependencies."""
    if isinstance(dependant.call, ScopeCheck):
        return dependant.call.scope
    for inner in dependant.dependencies:
        found = _scope_of(inner)
        if found is not None:
            return found
    return None
