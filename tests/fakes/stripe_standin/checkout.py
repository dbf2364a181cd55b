"""Checkout Sessions, the QR payment: create, read, expire, and completion by the test."""

from __future__ import annotations

from typing import Any

import stripe.params.checkout as cp

from tests.fakes.stripe_standin import payment_intents, wire
from tests.fakes.stripe_standin.state import DEFAULT_CARD, Store
from tests.fakes.stripe_standin.wire import Json, StripeFailure

MIN_LIFETIME = 30 * 60
MAX_LIFETIME = 24 * 60 * 60


def create(store: Store, params: Json) -> Json:
    wire.check_shape(params, cp.SessionCreateParams)
    wire.require(params, "mode")
    mode = wire.choice(params, "mode", ("payment", "setup", "subscription"), "payment")
    if mode != "payment":
        raise StripeFailure(400, "The stand-in models only mode=payment.", param="mode")
    items = params.get("line_items")
    if not isinstance(items, list) or not items:
        raise StripeFailure(
            400,
            "You must provide at least one line item.",
            code="parameter_missing",
            param="line_items",
        )
    total, currency = 0, None
    for index, item in enumerate(items):
        amount, item_currency = _line_item(item, index)
        if currency is not None and item_currency != currency:
            raise StripeFailure(
                400, "All line items must share one currency.", param=f"line_items[{index}]"
            )
        total, currency = total + amount, item_currency
    assert currency is not None
    now = store.now()
    expires_at = wire.integer(params, "expires_at")
    if expires_at is None:
        expires_at = now + MAX_LIFETIME
    elif not now + MIN_LIFETIME <= expires_at <= now + MAX_LIFETIME:
        raise StripeFailure(
            400,
            "The `expires_at` timestamp must be between 30 minutes and 24 hours from "
            "Checkout Session creation.",
            param="expires_at",
        )
    session_id = f"cs_test_{store.new_id('x')[2:]}"
    session: Json = {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": total,
        "amount_total": total,
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"),
        "created": now,
        "currency": currency,
        "customer_email": params.get("customer_email"),
        "expires_at": expires_at,
        "livemode": False,
        "metadata": wire.metadata(params),
        "mode": mode,
        "payment_intent": None,
        "payment_method_types": ["card"],
        "allowed_payment_method_types": ["card"],
        "payment_status": "unpaid",
        "status": "open",
        "success_url": params.get("success_url"),
        "url": f"https://checkout.stripe.com/c/pay/{session_id}",
        "_payment_intent_data": params.get("payment_intent_data") or {},
    }
    store.checkout_sessions[session_id] = session
    return session


def retrieve(store: Store, params: Json, session_id: str) -> Json:
    wire.check_shape(params, cp.SessionRetrieveParams)
    return _session(store, session_id)


def expire(store: Store, params: Json, session_id: str) -> Json:
    wire.check_shape(params, cp.SessionExpireParams)
    session = _session(store, session_id)
    if session["status"] != "open":
        raise StripeFailure(
            400,
            f"This Checkout Session is {session['status']} and can no longer be expired; "
            "only a Checkout Session with status `open` can be expired.",
        )
    session.update(status="expired", url=None)
    return session


def complete(store: Store, session_id: str, card_number: str = DEFAULT_CARD) -> Json:
    """The customer scanned the QR code and paid: what Stripe does after a successful payment."""
    session = _session(store, session_id)
    if session["status"] != "open":
        raise ValueError(f"checkout session {session_id} is {session['status']}, not open")
    data: dict[str, Any] = session["_payment_intent_data"]
    params: Json = {
        "amount": str(session["amount_total"]),
        "currency": session["currency"],
        "allowed_payment_method_types": ["card"],
        "metadata": data.get("metadata") or {},
    }
    if data.get("capture_method"):
        params["capture_method"] = data["capture_method"]
    intent = payment_intents.create(store, params)
    payment_intents.authorise(store, intent, store.card(card_number), "card")
    if intent["status"] == "requires_payment_method":
        raise ValueError(f"card {card_number} was declined; the session stays open")
    paid = "paid" if intent["status"] == "succeeded" else "unpaid"
    session.update(status="complete", payment_status=paid, payment_intent=intent["id"], url=None)
    return session


def _session(store: Store, session_id: str) -> Json:
    found = store.checkout_sessions.get(session_id)
    if found is None:
        raise wire.not_found("checkout.session", session_id, "session")
    return found


def _line_item(item: Any, index: int) -> tuple[int, str]:
    prefix = f"line_items[{index}]"
    if not isinstance(item, dict):
        raise StripeFailure(400, "Invalid object", param=prefix)
    if "price" in item:
        raise wire.not_found("price", str(item["price"]), f"{prefix}[price]")
    price_data = item.get("price_data")
    if not isinstance(price_data, dict):
        raise StripeFailure(
            400,
            f"Missing required param: {prefix}[price_data].",
            code="parameter_missing",
            param=f"{prefix}[price_data]",
        )
    if "product" not in price_data and "product_data" not in price_data:
        raise StripeFailure(
            400,
            f"Missing required param: {prefix}[price_data][product_data].",
            code="parameter_missing",
            param=f"{prefix}[price_data][product_data]",
        )
    try:
        currency = wire.currency(price_data)
        unit = wire.integer(price_data, "unit_amount", minimum=0)
        quantity = wire.integer(item, "quantity", minimum=1)
    except StripeFailure as failure:
        failure.body["param"] = f"{prefix}[price_data][{failure.body.get('param')}]"
        raise
    if unit is None:
        raise StripeFailure(
            400,
            f"Missing required param: {prefix}[price_data][unit_amount].",
            code="parameter_missing",
            param=f"{prefix}[price_data][unit_amount]",
        )
    if quantity is None:
        raise StripeFailure(
            400,
            f"Missing required param: {prefix}[quantity].",
            code="parameter_missing",
            param=f"{prefix}[quantity]",
        )
    return unit * quantity, currency
