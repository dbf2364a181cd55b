"""Refunds of a captured charge: full or partial, never more than what is left."""

from __future__ import annotations

import stripe.params as sp

from tests.fakes.stripe_standin import wire
from tests.fakes.stripe_standin.state import Store
from tests.fakes.stripe_standin.wire import Json, StripeFailure

REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def create(store: Store, params: Json) -> Json:
    wire.check_shape(params, sp.RefundCreateParams)
    if not params.get("payment_intent") and not params.get("charge"):
        raise StripeFailure(
            400,
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
            code="parameter_missing",
        )
    if params.get("payment_intent"):
        intent = store.payment_intent(params["payment_intent"], "payment_intent")
        if intent["latest_charge"] is None or intent["status"] != "succeeded":
            raise StripeFailure(
                400,
                f"This PaymentIntent ({intent['id']}) does not have a successful charge to refund.",
                code="charge_not_refundable" if intent["latest_charge"] else "resource_missing",
                param="payment_intent",
            )
        charge = store.charge(intent["latest_charge"])
    else:
        charge = store.charge(params["charge"])
    reason = params.get("reason")
    if reason is not None:
        wire.choice(params, "reason", REASONS, "requested_by_customer")
    left = charge["amount_captured"] - _refunded_after_capture(store, charge)
    if left <= 0:
        raise StripeFailure(
            400,
            f"Charge {charge['id']} has already been refunded.",
            code="charge_already_refunded",
        )
    amount = wire.integer(params, "amount", minimum=1)
    amount = left if amount is None else amount
    if amount > left:
        raise StripeFailure(
            400,
            f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
            code="amount_too_large",
            param="amount",
        )
    refund: Json = {
        "id": store.new_id("re"),
        "object": "refund",
        "amount": amount,
        "charge": charge["id"],
        "created": store.now(),
        "currency": charge["currency"],
        "metadata": wire.metadata(params),
        "payment_intent": charge["payment_intent"],
        "reason": reason,
        "status": "succeeded",
    }
    store.refunds[refund["id"]] = refund
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
    return refund


def list_all(store: Store, params: Json) -> Json:
    wire.check_shape(params, sp.RefundListParams)
    found = list(store.refunds.values())
    if params.get("payment_intent"):
        found = [r for r in found if r["payment_intent"] == params["payment_intent"]]
    return wire.listing("/v1/refunds", found, params)


def retrieve(store: Store, params: Json, refund_id: str) -> Json:
    wire.check_shape(params, sp.RefundRetrieveParams)
    found = store.refunds.get(refund_id)
    if found is None:
        raise wire.not_found("refund", refund_id, "refund")
    return found


def _refunded_after_capture(store: Store, charge: Json) -> int:
    """Refunds made through the API (the hold released at a partial capture does not count)."""
    return sum(r["amount"] for r in store.refunds.values() if r["charge"] == charge["id"])
