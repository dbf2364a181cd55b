"""The API keeps to its own OpenAPI document, whatever a client sends.

schemathesis takes the OpenAPI document (built offline, and checked below to be
the one the engine serves at /api/openapi.json) and sends every operation of a
real engine on loopback valid and invalid requests with a control token: no
answer is a 500, every status, media type and body is one the document names,
bad input gets a 4xx problem+json, and an answer of 400 or more has changed
nothing. Then the document itself: valid OpenAPI 3.1, every operation OCPP 1.6
lets a central system send, with its official schema, every error documented.

One engine serves the whole module: `chargedesk serve` in its own process, so
its asyncio loop runs while schemathesis sends its (synchronous) requests, and
nothing of the server shares this interpreter (CPython 3.11 can corrupt its AST
state when two threads compile at once, and pytest compiles to report). Fuzzing
is derandomized, so every run sends the same requests.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import ocpp.v16
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from app.api.app import OPENAPI_PATH, SCOPE_KEY, openapi_document
from app.api.problems import PROBLEM
from app.api.routes.commands import kebab
from app.ocpp.v16.codec import V16CommandCodec

# A stored station that is not connected: commands to it meet 409, approval works.
KNOWN_STATION = "CP-FUZZ"
STREAM = "/api/v1/events/stream"
OCPP_SCHEMAS = Path(ocpp.v16.__file__).parent / "schemas"
MAX_EXAMPLES = 30

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    ignored_auth,
    unsupported_method,
]


# Where a request the document allows may still be refused (400 invalid-input)
# by design, so "valid data is accepted" is not checked. Commands too: their
# body schema is the official OCPP one, and ChargeDesk refuses more than it
# does (a connector id below 0, a schedule without periods, 1.0 for an integer
# as OCPP's draft-04 schemas read it).
RULES_BEYOND_THE_SCHEMA = {
    "GET /api/v1/transactions",  # `until` must come after `since`
    # An id tag has no spaces or control characters; a tag is not its own group.
    "PUT /api/v1/tags/{id_tag}",
}


@dataclass(frozen=True)
class Gap:
    """A failure this test found whose fix belongs outside the API layer."""

    failures: tuple[type[Failure], ...]
    reason: str


# While one of these is open its operation is reported as xfailed, with the
# reason, when (and only when) the fuzzer meets exactly that failure; any other
# failure on the same operation still fails the test. Remove an entry once it
# is fixed. (None is open: the gaps this test found are fixed.)
KNOWN_GAPS: dict[str, Gap] = {}


@dataclass
class LiveApi:
    url: str
    control_token: str
    http: httpx.Client  # with the control token
    database: sqlite3.Connection  # only to see whether the server wrote anything
    # What the API showed after the last refused request (None: read it again).
    known: State | None = None

    def writes(self) -> int:
        """A number that changes whenever the server commits to its database."""
        (version,) = self.database.execute("PRAGMA data_version").fetchone()
        assert isinstance(version, int)
        return version


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    where = tmp_path_factory.mktemp("fuzz")
    database = where / "chargedesk.sqlite3"
    env = {
        **os.environ,
        "CHARGEDESK_DB_URL": f"sqlite:///{database}",
        "CHARGEDESK_LOG_DIR": str(where / "logs"),
        "CHARGEDESK_API_PORT": "0",
        "XDG_CONFIG_HOME": str(where / "config"),  # no settings.toml of the user's
    }
    created = _cli(env, "tokens", "create", "fuzz", "--scope", "control", "--json")
    token = json.loads(created)["token"]
    _cli(env, "stations", "add", KNOWN_STATION)
    log = where / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", "0"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        url = _wait_for_api(server, log)
        _Token.value = token
        with (
            httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=10
            ) as http,
            closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as db,
        ):
            yield LiveApi(url, token, http, db)
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0, log.read_text(errors="replace")[-5000:]


def _cli(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app", *argv], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _wait_for_api(server: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"local API on (http://\S+)", log.read_text(errors="replace"))
        if found:
            return found.group(1)
        assert server.poll() is None, log.read_text(errors="replace")
        time.sleep(0.05)
    raise TimeoutError(log.read_text(errors="replace"))


# Built offline, as docs/api.md is; test_the_engine_serves_the_document_built_offline
# checks the engine serves this same one.
schema = schemathesis.openapi.from_dict(
    openapi_document(V16CommandCodec()),
    config=schemathesis.Config.from_dict(
        {
            "generation": {
                "deterministic": True,
                "max-examples": MAX_EXAMPLES,
                # Left to itself, negative generation mostly drops the token and
                # meets 401; ignored_auth probes missing and bad tokens instead.
                "with-security-parameters": False,
            },
            "request-timeout": 10,
            "operations": [
                {
                    # The stream never ends: only its refusals are checked, and an
                    # accepted request is read for one second at most.
                    "include-path": STREAM,
                    "generation": {"mode": "negative"},
                    "request-timeout": 1,
                    "max-stream-events": 1,
                }
            ],
        }
    ),
)


class _Token:
    """The control token of the running engine, for schemathesis to send.

    Its own auth (rather than a header on each call) lets schemathesis leave the
    token out where a case is about a missing or bad one.
    """

    value = ""

    def get(self, _case: schemathesis.Case[Any], _context: schemathesis.AuthContext) -> str:
        return self.value

    def set(
        self, case: schemathesis.Case[Any], token: str, _context: schemathesis.AuthContext
    ) -> None:
        case.headers["Authorization"] = f"Bearer {token}"


schema.auth()(_Token)


@schema.parametrize()
@schema.given(known_station=st.booleans())
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the curl line says enough
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_keeps_to_the_document(
    case: schemathesis.Case[Any], known_station: bool, live_api: LiveApi
) -> None:
    mode = case.meta.generation.mode if case.meta is not None else None
    positive = mode is not None and mode.is_positive
    if known_station and positive and "station_id" in (case.path_parameters or {}):
        # A stored station now and then, so approval and 409 answers are reached too.
        case.path_parameters["station_id"] = KNOWN_STATION
    before = None
    if case.method.upper() in ("POST", "PUT", "PATCH", "DELETE"):
        before = live_api.known or _state(live_api.http)
        live_api.known = None  # until this request's outcome is known
        written = live_api.writes()
    label = f"{case.method.upper()} {case.path}"
    try:
        response = case.call_and_validate(base_url=live_api.url, checks=_checks_for(case))
    except FailureGroup as found:
        gap = KNOWN_GAPS.get(label)
        if gap is not None and all(isinstance(f, gap.failures) for f in found.exceptions):
            pytest.xfail(gap.reason)
        raise
    if response.status_code >= 400:
        assert response.headers.get("content-type", [""])[0].startswith(PROBLEM), response.text
    if before is not None and response.status_code >= 400:
        # Reading the state back costs five requests; most refusals write nothing.
        after = before if live_api.writes() == written else _state(live_api.http)
        _assert_nothing_changed(before, after, response.status_code)
        live_api.known = after


def _checks_for(case: schemathesis.Case[Any]) -> list[CheckFunction]:
    label = f"{case.method.upper()} {case.path}"
    if "commands" in (case.operation.tags or []) or label in RULES_BEYOND_THE_SCHEMA:
        return [c for c in CHECKS if c is not positive_data_acceptance]
    return CHECKS


@dataclass(frozen=True)
class State:
    """What a refused request must leave as it was, as the API itself tells it."""

    stations: Any
    tags: Any
    alarms: Any
    command_log: int
    event_log: int


def _state(http: httpx.Client) -> State:
    def get(path: str, **params: int) -> Any:
        response = http.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    return State(
        stations=get("/api/v1/stations"),
        tags=get("/api/v1/tags"),
        alarms=get("/api/v1/alarms", limit=1000),
        command_log=len(get("/api/v1/commands", limit=1000)),
        event_log=get("/api/v1/events", limit=1)["total"],
    )


def _assert_nothing_changed(before: State, after: State, status: int) -> None:
    assert after.stations == before.stations
    assert after.tags == before.tags
    assert after.alarms == before.alarms
    if status in (400, 401, 403, 404, 405):
        # Refused before anything was tried: not even the logs grow. A command to
        # a station that is offline (409) is logged as refused, for the operator.
        assert after.command_log == before.command_log
        assert after.event_log == before.event_log


# ---- the document itself ---------------------------------------------------------

# What OCPP 1.6 lets a central system send (the "Central System" column of its
# operations table), written out here rather than taken from the codec.
CSMS_OPERATIONS = {
    "CancelReservation",
    "ChangeAvailability",
    "ChangeConfiguration",
    "ClearCache",
    "ClearChargingProfile",
    "DataTransfer",
    "GetCompositeSchedule",
    "GetConfiguration",
    "GetDiagnostics",
    "GetLocalListVersion",
    "RemoteStartTransaction",
    "RemoteStopTransaction",
    "ReserveNow",
    "Reset",
    "SendLocalList",
    "SetChargingProfile",
    "TriggerMessage",
    "UnlockConnector",
    "UpdateFirmware",
}
DOCUMENT = openapi_document(V16CommandCodec())


def test_the_document_is_valid_openapi_3_1() -> None:
    assert DOCUMENT["openapi"].startswith("3.1.")
    schemathesis.openapi.from_dict(json.loads(json.dumps(DOCUMENT))).validate()
    for component in DOCUMENT["components"]["schemas"].values():
        Draft202012Validator.check_schema(component)
    for operation in _operations():
        for content in _media(operation):
            Draft202012Validator.check_schema(content.get("schema", {}))


def test_every_operation_a_central_system_sends_has_its_route_and_official_schema() -> None:
    for action in sorted(CSMS_OPERATIONS):
        path = f"/api/v1/stations/{{station_id}}/commands/{kebab(action)}"
        assert path in DOCUMENT["paths"], action
        body = DOCUMENT["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        official = json.loads((OCPP_SCHEMAS / f"{action}.json").read_text(encoding="utf-8"))
        for header in ("$schema", "id", "title"):
            official.pop(header, None)
        assert body["schema"] == official, action


def test_every_error_an_operation_can_answer_is_documented_as_problem_json() -> None:
    for operation in _operations():
        responses = operation["responses"]
        assert "422" not in responses  # FastAPI's own, never sent: problems.py answers 400
        if "security" in operation:
            assert operation[SCOPE_KEY] in ("read", "control")
            assert "401" in responses
            assert ("403" in responses) == (operation[SCOPE_KEY] == "control")
        for status, response in responses.items():
            if int(status) >= 400:
                body = response["content"][PROBLEM]["schema"]
                assert body == {"$ref": "#/components/schemas/Problem"}
    assert "HTTPValidationError" not in DOCUMENT["components"]["schemas"]


def test_the_engine_serves_the_document_built_offline(live_api: LiveApi) -> None:
    response = httpx.get(live_api.url + OPENAPI_PATH, timeout=10)
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(DOCUMENT))


def _operations() -> Iterator[dict[str, Any]]:
    for operations in DOCUMENT["paths"].values():
        yield from operations.values()


def _media(operation: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from (operation.get("requestBody") or {}).get("content", {}).values()
    for response in operation["responses"].values():
        yield from (response.get("content") or {}).values()
