"""`StripeStandin`: start it, point the real SDK at `url`, steer it with plain methods."""

from __future__ import annotations

import copy
import threading
from types import TracebackType

import stripe

from tests.fakes.stripe_standin import checkout, readers
from tests.fakes.stripe_standin.server import Fault, Gate, ReceivedRequest, Wire, _Server
from tests.fakes.stripe_standin.state import DEFAULT_CARD
from tests.fakes.stripe_standin.wire import Json, StripeFailure


class StripeStandin:
    """A local Stripe for tests: PaymentIntents, Terminal readers, refunds and Checkout.

    Every control method applies to the next matching request only, so a test
    says exactly which call misbehaves.
    """

    def __init__(self, api_key: str | None = None) -> None:
        self._wire = Wire(api_key=api_key)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle

    def __enter__(self) -> StripeStandin:
        self._server = _Server(self._wire)
        self._thread = threading.Thread(
            # A short poll keeps shutdown (and so each test's teardown) quick.
            target=self._server.serve_forever,
            args=(0.02,),
            name="stripe-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._wire.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    @property
    def url(self) -> str:
        assert self._server is not None, "use the stand-in inside `with`"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def client(
        self,
        api_key: str = "sk_test_standin",
        *,
        max_network_retries: int = 0,
        timeout: float = 5.0,
    ) -> stripe.StripeClient:
        """The real SDK client, pointed here, with a short HTTP timeout."""
        return stripe.StripeClient(
            api_key,
            base_addresses={"api": self.url},
            max_network_retries=max_network_retries,
            http_client=stripe.RequestsClient(timeout=timeout),
        )

    # Inspection

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._wire.store.lock:
            return list(self._wire.received)

    def requests_to(self, path_pattern: str, method: str = "POST") -> list[ReceivedRequest]:
        """The requests whose path matches an fnmatch pattern (`/v1/payment_intents/*/capture`)."""
        probe = Fault("drop", path_pattern, method)
        return [r for r in self.requests if probe.matches(r.method, r.path)]

    def object(self, object_id: str) -> Json:
        """A snapshot of any object the stand-in holds, by id."""
        with self._wire.store.lock:
            found = self._wire.store.find(object_id)
            if found is None:
                raise KeyError(object_id)
            return copy.deepcopy(found)

    def objects(self, kind: str) -> list[Json]:
        """All objects of a kind: payment_intents, charges, refunds, readers, checkout_sessions."""
        with self._wire.store.lock:
            table: dict[str, Json] = getattr(self._wire.store, kind)
            return copy.deepcopy(list(table.values()))

    # Cards and readers

    def decline_next(self, decline_code: str = "generic_decline") -> None:
        """The next card presented (reader tap or Checkout) is declined with this code."""
        with self._wire.store.lock:
            self._wire.store.behaviour.decline_next = decline_code

    def decline_card(self, number: str, decline_code: str = "generic_decline") -> None:
        with self._wire.store.lock:
            self._wire.store.behaviour.extra_declines[number] = decline_code

    def refuse_increments(self, decline_code: str | None = "insufficient_funds") -> None:
        """Incremental authorisations are declined (402 card_declined) until set back to None."""
        with self._wire.store.lock:
            self._wire.store.behaviour.refuse_increments = decline_code

    def customer_never_taps(
        self, timeout: float | None = None, failure_code: str = "customer_abandoned"
    ) -> None:
        """Taps are lost; with a timeout the reader action fails with failure_code after it."""
        with self._wire.store.lock:
            behaviour = self._wire.store.behaviour
            behaviour.never_tap = True
            behaviour.reader_timeout = timeout
            behaviour.reader_timeout_code = failure_code

    def customer_taps(self, card_number: str = DEFAULT_CARD, *, after: float = 0.0) -> None:
        """From now on the customer taps this card once a reader shows a payment.

        The tap lands `after` seconds later, before the next request is answered, so
        code that only talks to the API (process, then poll) sees the outcome.
        """
        with self._wire.store.lock:
            self._wire.store.behaviour.auto_tap = card_number
            self._wire.store.behaviour.auto_tap_after = after

    def tap(self, reader_id: str, card_number: str = DEFAULT_CARD) -> Json:
        """The customer taps a card on the reader (what the test helper endpoint does)."""
        with self._wire.store.lock:
            params: Json = {"type": "card_present", "card_present": {"number": card_number}}
            return copy.deepcopy(
                readers.present_payment_method(self._wire.store, params, reader_id)
            )

    def complete_checkout_session(self, session_id: str, card_number: str = DEFAULT_CARD) -> Json:
        """The customer scanned the QR code and paid."""
        with self._wire.store.lock:
            return copy.deepcopy(checkout.complete(self._wire.store, session_id, card_number))

    def lapse_checkout_session(self, session_id: str) -> Json:
        """The session reaches its expires_at unpaid (what Stripe does at that time)."""
        with self._wire.store.lock:
            session = self._wire.store.checkout_sessions[session_id]
            if session["status"] != "open":
                raise ValueError(f"checkout session {session_id} is {session['status']}")
            session.update(status="expired", url=None)
            return copy.deepcopy(session)

    # Network faults

    def drop_connection(
        self, path: str, *, method: str = "POST", after_effect: bool = False
    ) -> None:
        """Close the socket without an answer on the next matching request.

        after_effect=True applies the request first (and keeps its answer for the
        Idempotency-Key), as when Stripe captured but the answer never arrived.
        """
        self._add(Fault("drop", path, method, after_effect=after_effect))

    def answer_late(self, seconds: float, path: str = "*", *, method: str | None = None) -> None:
        """Apply the next matching request, then wait before answering."""
        self._add(Fault("delay", path, method, seconds=seconds))

    def fail_next(
        self,
        path: str = "*",
        *,
        method: str | None = None,
        status: int = 500,
        error_type: str = "api_error",
        message: str = "An unknown error occurred",
        code: str | None = None,
    ) -> None:
        """Answer the next matching request with this error, without applying it."""
        failure = StripeFailure(status, message, type=error_type, code=code)
        self._add(Fault("fail", path, method, failure=failure))

    def gate(self, path: str, *, method: str = "POST", after_effect: bool = False) -> Gate:
        """Hold the next matching request until `Gate.release()`: a test (or another
        process's driver) knows exactly when a request is at Stripe.

        after_effect=False holds it before Stripe acts (released with apply=False it is
        dropped unapplied: the request never got there); after_effect=True holds the
        answer of a request Stripe has already applied.
        """
        gate = Gate()
        self._add(Fault("gate", path, method, after_effect=after_effect, gate=gate))
        return gate

    def _add(self, fault: Fault) -> None:
        with self._wire.store.lock:
            self._wire.faults.append(fault)
