"""The HTTP side: a loopback server the real `stripe` SDK talks to, with faults on demand."""

from __future__ import annotations

import fnmatch
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.fakes.stripe_standin import routes
from tests.fakes.stripe_standin.state import Store
from tests.fakes.stripe_standin.wire import Json, StripeFailure, decode_form


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    params: Json
    idempotency_key: str | None
    replayed: bool


@dataclass
class Fault:
    """One thing to do instead of answering normally, for the next request that matches."""

    kind: str  # "drop", "delay", "fail" or "gate"
    path: str  # an fnmatch pattern such as "/v1/payment_intents/*/capture"
    method: str | None = None
    after_effect: bool = False
    seconds: float = 0.0
    failure: StripeFailure | None = None
    gate: Gate | None = None

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and fnmatch.fnmatchcase(
            path, self.path
        )


@dataclass
class Gate:
    """Holds one request at the stand-in until the test lets it go (see StripeStandin.gate).

    Before the effect, the request waits unapplied; let go with apply=False it is
    dropped as if it never arrived. After the effect, Stripe has done it and the
    answer waits: the caller may be gone by the time it is written.
    """

    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    apply: bool = True
    request: ReceivedRequest | None = None

    def wait_arrived(self, timeout: float) -> bool:
        """True once the request is held (blocking: call it off the event loop)."""
        return self.arrived.wait(timeout)

    def release(self, *, apply: bool = True) -> None:
        self.apply = apply
        self.released.set()


@dataclass(frozen=True)
class _Answer:
    fingerprint: str
    status: int
    body: Json


@dataclass
class Wire:
    """Everything the server threads share: the account, the faults, the log and the keys."""

    store: Store = field(default_factory=Store)
    faults: list[Fault] = field(default_factory=list)
    received: list[ReceivedRequest] = field(default_factory=list)
    answers: dict[str, _Answer] = field(default_factory=dict)
    in_flight: set[str] = field(default_factory=set)
    api_key: str | None = None
    stopping: threading.Event = field(default_factory=threading.Event)

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.store.lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    self.faults.remove(fault)
                    return fault
        return None


# Validation failures are not stored against an idempotency key: Stripe saves a
# result only once the endpoint started executing.
def _worth_keeping(status: int, body: Json) -> bool:
    code = str(body.get("error", {}).get("code") or "")
    return status < 400 or status == 402 or (status == 400 and not code.startswith("parameter_"))


def _fingerprint(method: str, path: str, params: Json) -> str:
    return json.dumps([method, path, params], sort_keys=True)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log on the stand-in is what tests look at."""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        wire = self.server.wire
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        params = decode_form(body if method == "POST" else split.query)
        key = self.headers.get("Idempotency-Key") if method == "POST" else None
        fault = wire.take_fault(method, split.path)
        held = ReceivedRequest(method, split.path, params, key, False)
        if (
            fault is not None
            and fault.kind == "gate"
            and not fault.after_effect
            and not self._held(fault, held)
        ):
            self._log(method, split.path, params, key, replayed=False)
            self.close_connection = True
            return
        if fault is not None and fault.kind == "drop" and not fault.after_effect:
            self._log(method, split.path, params, key, replayed=False)
            self.close_connection = True
            return
        status, answer, replayed = self._answer(method, split.path, params, key, fault)
        self._log(method, split.path, params, key, replayed)
        if fault is not None and fault.kind == "drop":
            self.close_connection = True
            return
        if fault is not None and fault.kind == "delay" and wire.stopping.wait(fault.seconds):
            return
        if fault is not None and fault.kind == "gate" and fault.after_effect:
            self._held(fault, ReceivedRequest(method, split.path, params, key, replayed))
        self._write(status, answer, key, replayed)

    def _held(self, fault: Fault, request: ReceivedRequest) -> bool:
        """Wait at a gate until released (or the stand-in stops); whether to go on."""
        gate = fault.gate
        assert gate is not None
        gate.request = request
        gate.arrived.set()
        while not gate.released.wait(0.05):
            if self.server.wire.stopping.is_set():
                return False
        return gate.apply

    def _answer(
        self, method: str, path: str, params: Json, key: str | None, fault: Fault | None
    ) -> tuple[int, Json, bool]:
        wire = self.server.wire
        refusal = self._check_key(self.headers.get("Authorization"))
        if refusal is not None:
            return refusal.status, refusal.to_json(), False
        if key is None:
            return (*self._run(method, path, params, fault), False)
        fingerprint = _fingerprint(method, path, params)
        with wire.store.lock:
            stored = wire.answers.get(key)
            if stored is not None:
                if stored.fingerprint != fingerprint:
                    refused = StripeFailure(
                        400,
                        "Keys for idempotent requests can only be used with the same parameters "
                        "they were first used with. Try using a key other than "
                        f"'{key}' if you meant to execute a different request.",
                        type="idempotency_error",
                    )
                    return refused.status, refused.to_json(), False
                return stored.status, stored.body, True
            if key in wire.in_flight:
                busy = StripeFailure(
                    409,
                    "There is currently another in-progress request using this Idempotent Key "
                    "(that probably means you submitted twice, and the other request is still "
                    f"going through): {key}. Please try again later.",
                    type="idempotency_error",
                )
                return busy.status, busy.to_json(), False
            wire.in_flight.add(key)
        try:
            status, answer = self._run(method, path, params, fault)
            if _worth_keeping(status, answer):
                with wire.store.lock:
                    wire.answers[key] = _Answer(fingerprint, status, answer)
            return status, answer, False
        finally:
            with wire.store.lock:
                wire.in_flight.discard(key)

    def _run(self, method: str, path: str, params: Json, fault: Fault | None) -> tuple[int, Json]:
        store = self.server.wire.store
        try:
            if fault is not None and fault.kind == "fail" and fault.failure is not None:
                raise fault.failure
            with store.lock:
                return 200, routes.dispatch(store, method, path, params)
        except StripeFailure as failure:
            return failure.status, routes.render(store, failure.to_json(), [])

    def _check_key(self, authorization: str | None) -> StripeFailure | None:
        if not authorization or not authorization.startswith("Bearer "):
            return StripeFailure(
                401,
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                "YOUR_SECRET_KEY').",
            )
        given = authorization.removeprefix("Bearer ")
        expected = self.server.wire.api_key
        if not given.startswith(("sk_test_", "rk_test_")) or expected not in (None, given):
            return StripeFailure(401, f"Invalid API Key provided: {given[:8]}****{given[-4:]}")
        return None

    def _log(self, method: str, path: str, params: Json, key: str | None, replayed: bool) -> None:
        wire = self.server.wire
        with wire.store.lock:
            wire.received.append(ReceivedRequest(method, path, params, key, replayed))

    def _write(self, status: int, answer: Json, key: str | None, replayed: bool) -> None:
        payload = json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Request-Id", f"req_{secrets.token_hex(7)}")
            if key is not None:
                self.send_header("Idempotency-Key", key)
            if replayed:
                self.send_header("Idempotent-Replayed", "true")
            version = self.headers.get("Stripe-Version")
            if version:
                self.send_header("Stripe-Version", version)
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            # The client gave up (its timeout ran out while we answered late).
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        super().__init__(("127.0.0.1", 0), _Handler)
