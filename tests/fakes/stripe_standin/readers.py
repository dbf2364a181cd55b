"""Terminal readers: register, list, hand a PaymentIntent over, cancel, and the tap test helper."""

from __future__ import annotations

import time

import stripe.params.terminal as tp
import stripe.params.test_helpers.terminal as hp

from tests.fakes.stripe_standin import payment_intents, wire
from tests.fakes.stripe_standin.state import DEFAULT_CARD, Store, decline_message
from tests.fakes.stripe_standin.wire import Json, StripeFailure

# Registration codes Stripe accepts for its simulated readers.
SIMULATED_DEVICES = {
    "simulated-wpe": "simulated_wisepos_e",
    "simulated-s700": "simulated_stripe_s700",
    "simulated-s710": "simulated_stripe_s710",
}
READY_INTENT_STATUSES = ("requires_payment_method", "requires_confirmation")


def create(store: Store, params: Json) -> Json:
    wire.check_shape(params, tp.ReaderCreateParams)
    wire.require(params, "registration_code")
    code = params["registration_code"]
    device = SIMULATED_DEVICES.get(code)
    if device is None:
        raise StripeFailure(
            400,
            f"The registration code '{code}' is invalid or has expired.",
            code="terminal_reader_registration_code_invalid",
            param="registration_code",
        )
    reader: Json = {
        "id": store.new_id("tmr"),
        "object": "terminal.reader",
        "action": None,
        "device_sw_version": "2.37.2.0",
        "device_type": device,
        "ip_address": "0.0.0.0",
        "label": params.get("label") or device.replace("_", " "),
        "last_seen_at": store.now() * 1000,
        "livemode": False,
        "location": params.get("location"),
        "metadata": wire.metadata(params),
        "serial_number": f"{device}-{store.new_id('sn')[3:15]}",
        "status": "online",
        "created": store.now(),
    }
    store.readers[reader["id"]] = reader
    return reader


def retrieve(store: Store, params: Json, reader_id: str) -> Json:
    wire.check_shape(params, tp.ReaderRetrieveParams)
    reader = store.reader(reader_id)
    _expire_if_waited_too_long(store, reader)
    return reader


def list_all(store: Store, params: Json) -> Json:
    wire.check_shape(params, tp.ReaderListParams)
    readers = list(store.readers.values())
    for reader in readers:
        _expire_if_waited_too_long(store, reader)
    status = params.get("status")
    if status is not None:
        readers = [reader for reader in readers if reader["status"] == status]
    return wire.listing("/v1/terminal/readers", readers, params)


def process_payment_intent(store: Store, params: Json, reader_id: str) -> Json:
    wire.check_shape(params, tp.ReaderProcessPaymentIntentParams)
    wire.require(params, "payment_intent")
    reader = store.reader(reader_id)
    _expire_if_waited_too_long(store, reader)
    intent = store.payment_intent(params["payment_intent"], "payment_intent")
    action = reader["action"]
    if action is not None and action["status"] == "in_progress":
        raise StripeFailure(
            409,
            "Reader is currently busy processing another request. Please reference the "
            "integration guide for more details.",
            code="terminal_reader_busy",
        )
    if "card_present" not in intent["payment_method_types"]:
        raise StripeFailure(
            400,
            "The PaymentIntent must have card_present in its payment_method_types to be "
            "processed by a reader.",
            param="payment_intent",
        )
    if intent["status"] not in READY_INTENT_STATUSES:
        raise wire.unexpected_state(
            f"This PaymentIntent's status is {intent['status']}, but it must be "
            "requires_payment_method to be processed by a reader."
        )
    reader["action"] = {
        "type": "process_payment_intent",
        "status": "in_progress",
        "failure_code": None,
        "failure_message": None,
        # Set only when Stripe's API refused the payment; a failure on the reader
        # itself (the customer canceled or walked away) leaves it null.
        "api_error": None,
        "process_payment_intent": {
            "payment_intent": intent["id"],
            "process_config": params.get("process_config") or {},
        },
    }
    store.action_started[reader_id] = time.monotonic()
    behaviour = store.behaviour
    if behaviour.auto_tap is not None and not behaviour.never_tap:
        store.pending_taps[reader_id] = (
            behaviour.auto_tap,
            time.monotonic() + behaviour.auto_tap_after,
        )
    return reader


def apply_due_taps(store: Store) -> None:
    """Taps the test scheduled happen before the next request is answered, as if in between."""
    now = time.monotonic()
    for reader_id, (number, due) in list(store.pending_taps.items()):
        if now < due:
            continue
        del store.pending_taps[reader_id]
        action = store.reader(reader_id)["action"]
        if action is not None and action["status"] == "in_progress":
            params: Json = {"type": "card_present", "card_present": {"number": number}}
            present_payment_method(store, params, reader_id)


def cancel_action(store: Store, params: Json, reader_id: str) -> Json:
    wire.check_shape(params, tp.ReaderCancelActionParams)
    reader = store.reader(reader_id)
    _expire_if_waited_too_long(store, reader)
    action = reader["action"]
    if action is None or action["status"] != "in_progress":
        raise StripeFailure(
            400,
            "This reader has no action in progress to cancel.",
            code="terminal_reader_action_unavailable",
        )
    action.update(
        status="failed",
        failure_code="canceled",
        failure_message="The action was canceled by the integration.",
    )
    store.action_started.pop(reader_id, None)
    store.pending_taps.pop(reader_id, None)
    return reader


def present_payment_method(store: Store, params: Json, reader_id: str) -> Json:
    """`POST /v1/test_helpers/terminal/readers/{id}/present_payment_method`: the tap."""
    wire.check_shape(params, hp.ReaderPresentPaymentMethodParams)
    reader = store.reader(reader_id)
    _expire_if_waited_too_long(store, reader)
    method_type = wire.choice(
        params, "type", ("card", "card_present", "interac_present"), "card_present"
    )
    if method_type == "interac_present":
        raise StripeFailure(400, "The stand-in does not model Interac.", param="type")
    action = reader["action"]
    if action is None or action["status"] != "in_progress":
        raise StripeFailure(
            400,
            "This reader has no action in progress that accepts a payment method.",
            code="terminal_reader_action_unavailable",
        )
    if store.behaviour.never_tap:
        # The customer walked away: the tap never reaches the reader.
        return reader
    details = params.get(method_type) or {}
    number = details.get("number", DEFAULT_CARD) if isinstance(details, dict) else DEFAULT_CARD
    intent = store.payment_intent(action["process_payment_intent"]["payment_intent"])
    tip = wire.integer(params, "amount_tip", minimum=0)
    if tip:
        intent["amount"] += tip
    card = store.card(number)
    payment_intents.authorise(store, intent, card, "card_present")
    store.action_started.pop(reader_id, None)
    if card.decline_code is None:
        action.update(status="succeeded")
    else:
        action.update(
            status="failed",
            failure_code="card_declined",
            failure_message=decline_message(card.decline_code),
            api_error=intent["last_payment_error"],
        )
    return reader


def _expire_if_waited_too_long(store: Store, reader: Json) -> None:
    timeout = store.behaviour.reader_timeout
    started = store.action_started.get(reader["id"])
    if timeout is None or started is None or time.monotonic() - started < timeout:
        return
    action = reader["action"]
    if action is not None and action["status"] == "in_progress":
        action.update(
            status="failed",
            failure_code=store.behaviour.reader_timeout_code,
            failure_message="The customer did not present a payment method in time.",
        )
    store.action_started.pop(reader["id"], None)
