"""PaymentIntents and the Charges they make: create, read, update, cancel, capture, increment."""

from __future__ import annotations

from typing import Any

import stripe.params as sp

from tests.fakes.stripe_standin import wire
from tests.fakes.stripe_standin.state import SimulatedCard, Store, decline_error, decline_message
from tests.fakes.stripe_standin.wire import Json, StripeFailure

CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)
CANCELLATION_REASONS = ("duplicate", "fraudulent", "requested_by_customer", "abandoned")
MAX_INCREMENT_ATTEMPTS = 10


def create(store: Store, params: Json) -> Json:
    wire.check_shape(params, sp.PaymentIntentCreateParams)
    wire.require(params, "amount", "currency")
    amount = wire.integer(params, "amount", minimum=1)
    assert amount is not None
    currency = wire.currency(params)
    wire.check_amount(amount, currency)
    capture_method = wire.choice(
        params, "capture_method", ("automatic", "automatic_async", "manual"), "automatic_async"
    )
    # API 2026-10-28.endive (the SDK's pinned version) takes allowed_payment_method_types
    # and answers with both it and payment_method_types; payment_method_types is refused.
    types = params.get("allowed_payment_method_types", ["card"])
    if not isinstance(types, list) or not types:
        raise StripeFailure(400, "Invalid array", param="allowed_payment_method_types")
    options = params.get("payment_method_options", {})
    card_present = options.get("card_present", {}) if isinstance(options, dict) else {}
    if params.get("confirm") == "true":
        # Confirming needs a payment method the stand-in does not keep; readers and
        # Checkout are the two ways money arrives at a depot.
        raise StripeFailure(
            400,
            "The stand-in confirms only through a Terminal reader or Checkout.",
            param="confirm",
        )
    intent: Json = {
        "id": store.new_id("pi"),
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": 0,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": capture_method,
        "client_secret": None,
        "confirmation_method": "automatic",
        "created": store.now(),
        "currency": currency,
        "customer": params.get("customer"),
        "description": params.get("description"),
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": wire.metadata(params),
        "payment_method": None,
        "payment_method_options": {
            "card_present": {
                "request_extended_authorization": card_present.get(
                    "request_extended_authorization", "false"
                )
                == "true",
                "request_incremental_authorization_support": card_present.get(
                    "request_incremental_authorization_support", "false"
                )
                == "true",
            }
        }
        if "card_present" in types
        else {},
        "payment_method_types": types,
        "allowed_payment_method_types": types,
        "receipt_email": params.get("receipt_email"),
        "statement_descriptor": params.get("statement_descriptor"),
        "status": "requires_payment_method",
    }
    intent["client_secret"] = f"{intent['id']}_secret_{store.new_id('x')[2:]}"
    store.payment_intents[intent["id"]] = intent
    return intent


def retrieve(store: Store, params: Json, intent_id: str) -> Json:
    wire.check_shape(params, sp.PaymentIntentRetrieveParams)
    return store.payment_intent(intent_id)


def list_all(store: Store, params: Json) -> Json:
    wire.check_shape(params, sp.PaymentIntentListParams)
    return wire.listing("/v1/payment_intents", list(store.payment_intents.values()), params)


def update(store: Store, params: Json, intent_id: str) -> Json:
    wire.check_shape(params, sp.PaymentIntentUpdateParams)
    intent = store.payment_intent(intent_id)
    if intent["status"] in ("succeeded", "canceled") and set(params) - {"metadata", "expand"}:
        raise wire.unexpected_state(
            f"You cannot update this PaymentIntent because it has a status of {intent['status']}."
        )
    intent["metadata"] = wire.metadata(params, intent["metadata"])
    for name in ("description", "receipt_email", "statement_descriptor"):
        if name in params:
            intent[name] = params[name] or None
    if "amount" in params:
        if intent["status"] != "requires_payment_method":
            raise wire.unexpected_state(
                "You cannot update the amount of this PaymentIntent because it has a status of "
                f"{intent['status']}."
            )
        amount = wire.integer(params, "amount", minimum=1)
        assert amount is not None
        wire.check_amount(amount, intent["currency"])
        intent["amount"] = amount
    return intent


def cancel(store: Store, params: Json, intent_id: str) -> Json:
    wire.check_shape(params, sp.PaymentIntentCancelParams)
    intent = store.payment_intent(intent_id)
    if intent["status"] not in CANCELABLE:
        raise wire.unexpected_state(
            "You cannot cancel this PaymentIntent because it has a status of "
            f"{intent['status']}. Only a PaymentIntent with one of the following statuses may "
            f"be canceled: {', '.join(CANCELABLE)}."
        )
    reason = params.get("cancellation_reason")
    if reason is not None:
        wire.choice(params, "cancellation_reason", CANCELLATION_REASONS, "abandoned")
    if intent["status"] == "requires_capture":
        # Releasing a hold refunds the uncaptured charge in full.
        charge = store.charge(intent["latest_charge"])
        charge["refunded"] = True
        charge["amount_refunded"] = charge["amount"]
    intent.update(
        status="canceled",
        amount_capturable=0,
        canceled_at=store.now(),
        cancellation_reason=reason,
    )
    return intent


def capture(store: Store, params: Json, intent_id: str) -> Json:
    wire.check_shape(params, sp.PaymentIntentCaptureParams)
    intent = store.payment_intent(intent_id)
    if intent["status"] != "requires_capture":
        raise wire.unexpected_state(
            "This PaymentIntent could not be captured because it has a status of "
            f"{intent['status']}. Only a PaymentIntent with one of the following statuses may "
            "be captured: requires_capture."
        )
    capturable = intent["amount_capturable"]
    amount = wire.integer(params, "amount_to_capture", minimum=0)
    amount = capturable if amount is None else amount
    if amount > capturable:
        raise StripeFailure(
            400,
            f"The amount to capture ({amount}) must be less than or equal to the "
            f"PaymentIntent's amount_capturable ({capturable}).",
            code="amount_too_large",
            param="amount_to_capture",
        )
    charge = store.charge(intent["latest_charge"])
    charge.update(captured=True, amount_captured=amount)
    if amount < charge["amount"]:
        # Stripe releases the rest of the hold as an automatic partial refund.
        charge["amount_refunded"] = charge["amount"] - amount
    intent["metadata"] = wire.metadata(params, intent["metadata"])
    intent.update(status="succeeded", amount_capturable=0, amount_received=amount)
    return intent


def increment_authorization(store: Store, params: Json, intent_id: str) -> Json:
    wire.check_shape(params, sp.PaymentIntentIncrementAuthorizationParams)
    wire.require(params, "amount")
    intent = store.payment_intent(intent_id)
    amount = wire.integer(params, "amount", minimum=1)
    assert amount is not None
    if intent["status"] != "requires_capture":
        raise wire.unexpected_state(
            "This PaymentIntent's authorization could not be incremented because it has a "
            f"status of {intent['status']}. Only a PaymentIntent with a status of "
            "requires_capture may be incremented."
        )
    charge = store.charge(intent["latest_charge"])
    details = charge["payment_method_details"].get("card_present") or {}
    if not details.get("incremental_authorization_supported"):
        raise StripeFailure(
            400,
            "This PaymentIntent is not eligible for incremental authorization. "
            "incremental_authorization_supported must be true on its charge.",
            code="incremental_authorization_not_supported",
        )
    if amount <= intent["amount"]:
        raise StripeFailure(
            400,
            "The amount must be greater than the PaymentIntent's current amount "
            f"({intent['amount']}).",
            code="parameter_invalid_integer",
            param="amount",
        )
    attempts = intent.setdefault("_increment_attempts", 0) + 1
    intent["_increment_attempts"] = attempts
    if attempts > MAX_INCREMENT_ATTEMPTS:
        raise StripeFailure(
            400,
            "This PaymentIntent has reached the maximum of 10 incremental authorizations.",
            code="incremental_authorization_limit_reached",
        )
    refusal = store.behaviour.refuse_increments
    if refusal is not None:
        raise decline_error(refusal, public(intent))
    intent["metadata"] = wire.metadata(params, intent["metadata"])
    intent.update(amount=amount, amount_capturable=amount)
    charge.update(amount=amount)
    return intent


def public(intent: Json) -> Json:
    return {key: value for key, value in intent.items() if not key.startswith("_")}


def authorise(store: Store, intent: Json, card: SimulatedCard, method_type: str) -> Json:
    """A card was presented for the intent: make its Charge and move the intent on."""
    declined = card.decline_code
    payment_method = store.new_id("pm")
    details: dict[str, Any] = {
        "brand": card.brand,
        "last4": card.last4,
        "exp_month": 12,
        "exp_year": 2034,
        "funding": "credit",
        "network": card.brand,
    }
    if method_type == "card_present":
        wanted = intent["payment_method_options"].get("card_present", {})
        details.update(
            read_method="contactless_emv",
            incremental_authorization_supported=bool(
                card.incremental_authorization
                and wanted.get("request_incremental_authorization_support")
                and intent["capture_method"] == "manual"
            ),
            overcapture_supported=False,
        )
    charge: Json = {
        "id": store.new_id("ch"),
        "object": "charge",
        "amount": intent["amount"],
        "amount_captured": 0,
        "amount_refunded": 0,
        "captured": False,
        "created": store.now(),
        "currency": intent["currency"],
        "failure_code": "card_declined" if declined else None,
        "failure_message": decline_message(declined) if declined else None,
        "livemode": False,
        "metadata": dict(intent["metadata"]),
        "outcome": {
            "type": "issuer_declined" if declined else "authorized",
            "reason": declined,
            "network_status": "declined_by_network" if declined else "approved_by_network",
        },
        "paid": not declined,
        "payment_intent": intent["id"],
        "payment_method": payment_method,
        "payment_method_details": {"type": method_type, method_type: details},
        "refunded": False,
        "status": "failed" if declined else "succeeded",
    }
    store.charges[charge["id"]] = charge
    intent["latest_charge"] = charge["id"]
    if declined:
        intent.update(
            status="requires_payment_method",
            payment_method=None,
            last_payment_error={
                "type": "card_error",
                "code": "expired_card" if declined == "expired_card" else "card_declined",
                "decline_code": declined,
                "message": decline_message(declined),
                "charge": charge["id"],
            },
        )
        return charge
    intent.update(payment_method=payment_method, last_payment_error=None)
    if intent["capture_method"] == "manual":
        intent.update(status="requires_capture", amount_capturable=intent["amount"])
    else:
        charge.update(captured=True, amount_captured=intent["amount"])
        intent.update(status="succeeded", amount_received=intent["amount"])
    return charge
