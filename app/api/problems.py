"""Errors as RFC 9457 problem+json: a status, a stable type, and plain words.

Every refusal says what was wrong and changes nothing; a station's own
trouble (offline, too slow, a CallError) gets a status of its own so a
client can tell them apart without parsing text.
"""

from __future__ import annotations

import http
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.domain import errors as e

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"
TYPE_BASE = "https://chargedesk.local/problems/"


@dataclass(frozen=True)
class ProblemType:
    status: int
    kind: str  # the last part of the type URI
    title: str
    when: str  # for docs/api.md

    @property
    def uri(self) -> str:
        return TYPE_BASE + self.kind


UNAUTHORIZED = ProblemType(
    401,
    "unauthorized",
    "A valid API token is required",
    "no token, or a malformed, unknown or revoked one",
)
FORBIDDEN = ProblemType(
    403,
    "forbidden",
    "This token may not do that",
    "a read token on an operation that needs control",
)
NOT_FOUND = ProblemType(404, "not-found", "Not found", "no such path, transaction, id tag or alarm")
STATION_NOT_FOUND = ProblemType(
    404, "station-not-found", "No such station", "an unknown station id"
)
METHOD_NOT_ALLOWED = ProblemType(
    405, "method-not-allowed", "Method Not Allowed", "a method the path does not have (see `Allow`)"
)
STATION_OFFLINE = ProblemType(
    409, "station-offline", "The station is offline", "a command to a station not connected now"
)
STATION_NOT_ACCEPTED = ProblemType(
    409,
    "station-not-accepted",
    "The station is not accepted",
    "a command to a station still pending approval, or rejected",
)
STATION_TIMEOUT = ProblemType(
    504, "station-timeout", "The station did not answer in time", "no answer within the timeout"
)
STATION_CALL_ERROR = ProblemType(
    502,
    "station-call-error",
    "The station answered with a CallError",
    "the station answered with an OCPP CALLERROR; `code` holds its error code",
)
STATION_INVALID_RESPONSE = ProblemType(
    502,
    "station-invalid-response",
    "The station's answer was invalid",
    "the station's answer broke the OCPP schema",
)
UNSUPPORTED_OPERATION = ProblemType(
    501,
    "unsupported-operation",
    "Not supported for this station",
    "the OCPP version the station speaks has no such operation",
)
INVALID_INPUT = ProblemType(
    400,
    "invalid-input",
    "The request is not valid",
    "a parameter or body the API or the OCPP schema refuses; nothing was sent or stored",
)
STORAGE_UNAVAILABLE = ProblemType(
    503,
    "storage-unavailable",
    "Storage unavailable",
    "the database takes no writes just now (disk full, read-only file); nothing was changed",
)
ROLE_FORBIDDEN = ProblemType(
    403,
    "role-forbidden",
    "The token's role does not allow this",
    "the token is valid, but the role it carries (attendant, operator, manager, admin) is "
    "below what the operation needs; nothing was done, and the refusal is in the audit log",
)
INTERNAL = ProblemType(500, "internal", "Internal error", "a fault in ChargeDesk; see its log")

# The first match in this order wins (subclasses before their bases).
_MAPPING: tuple[tuple[type[Exception], ProblemType], ...] = (
    (e.InvalidApiToken, UNAUTHORIZED),
    (e.InsufficientScope, FORBIDDEN),
    (e.NotPermitted, ROLE_FORBIDDEN),
    (e.NotSignedIn, ROLE_FORBIDDEN),
    (e.ApiTokenNotFound, NOT_FOUND),
    (e.StationNotFound, STATION_NOT_FOUND),
    (e.NotFound, NOT_FOUND),
    (e.StationOffline, STATION_OFFLINE),
    (e.StationNotAccepted, STATION_NOT_ACCEPTED),
    (e.CommandTimeout, STATION_TIMEOUT),
    (e.CallErrorReceived, STATION_CALL_ERROR),
    (e.InvalidResponse, STATION_INVALID_RESPONSE),
    (e.UnsupportedOperation, UNSUPPORTED_OPERATION),
    (e.InvalidInput, INVALID_INPUT),
    (e.StorageUnavailable, STORAGE_UNAVAILABLE),
)

# Every problem type the API answers with, in the order docs/api.md lists them.
PROBLEM_TYPES: tuple[ProblemType, ...] = tuple(
    sorted(
        {p for _, p in _MAPPING} | {METHOD_NOT_ALLOWED, INTERNAL},
        key=lambda p: (p.status, p.kind),
    )
)


class Problem(BaseModel):
    """The body of every error (RFC 9457)."""

    type: str = Field(
        description="Stable URI naming the kind of problem", examples=[INVALID_INPUT.uri]
    )
    title: str = Field(description="Short summary of that kind")
    status: int = Field(description="The HTTP status, repeated")
    detail: str = Field(description="What exactly was wrong, in plain words")
    code: str | None = Field(
        default=None, description="The station's OCPP error code (station-call-error only)"
    )


def problem(
    kind: ProblemType,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": kind.uri, "title": kind.title, "status": kind.status, "detail": detail, **extra}
    headers = dict(headers or {})
    if kind.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="chargedesk"'
    return JSONResponse(body, status_code=kind.status, media_type=PROBLEM, headers=headers)


def from_error(exc: Exception) -> JSONResponse:
    for cls, kind in _MAPPING:
        if isinstance(exc, cls):
            extra: dict[str, Any] = {}
            if isinstance(exc, e.CallErrorReceived):
                extra["code"] = exc.code
            return problem(kind, str(exc), **extra)
    log.error("unexpected error in the API", exc_info=exc)
    return problem(INTERNAL, "Something went wrong; see the log.")


def install(app: FastAPI) -> None:
    async def domain_error(_request: Request, exc: Exception) -> JSONResponse:
        return from_error(exc)

    async def bad_request(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        where = []
        for error in exc.errors():
            path = "/".join(str(p) for p in error.get("loc", ()) if p != "body")
            if not path and error.get("type") == "missing":
                where.append("the request needs a JSON body")
                continue
            where.append(f"{path or 'body'}: {error.get('msg', 'invalid')}")
        return problem(INVALID_INPUT, "; ".join(where))

    async def http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        known = {404: NOT_FOUND, 405: METHOD_NOT_ALLOWED}.get(exc.status_code)
        kind = known or ProblemType(exc.status_code, "http", str(exc.detail), "")
        # Keep the exception's headers: a 405 must say what is allowed (RFC 9110).
        return problem(kind, str(exc.detail), headers=dict(exc.headers or {}))

    app.add_exception_handler(e.ChargeDeskError, domain_error)
    app.add_exception_handler(RequestValidationError, bad_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, domain_error)


# On an error response in the OpenAPI document: the problem types it can carry.
PROBLEM_TYPES_KEY = "x-problem-types"


def documented(kinds: Iterable[ProblemType]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for these problem types: one entry per status, naming its types."""
    by_status: dict[int, list[str]] = {}
    for kind in kinds:
        by_status.setdefault(kind.status, []).append(kind.kind)
    return {
        status: {
            "description": f"{http.HTTPStatus(status).phrase}: {', '.join(names)}",
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            PROBLEM_TYPES_KEY: names,
        }
        for status, names in sorted(by_status.items())
    }
