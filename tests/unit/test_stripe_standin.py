"""The Stripe stand-in answers the real `stripe` SDK the way Stripe does."""

from __future__ import annotations

import time

import pytest
import stripe

from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.fixture import stripe_standin
from tests.fakes.stripe_standin.wire import decode_form

__all__ = ["stripe_standin"]


@pytest.fixture
def client(stripe_standin: StripeStandin) -> stripe.StripeClient:
    return stripe_standin.client()


@pytest.fixture
def reader(client: stripe.StripeClient) -> stripe.terminal.Reader:
    return client.v1.terminal.readers.create(
        {"registration_code": "simulated-wpe", "label": "Depot desk"}
    )


def card_present_intent(
    client: stripe.StripeClient, amount: int = 20000, *, manual: bool = True
) -> stripe.PaymentIntent:
    return client.v1.payment_intents.create(
        {
            "amount": amount,
            "currency": "sek",
            "allowed_payment_method_types": ["card_present"],
            "capture_method": "manual" if manual else "automatic",
            "payment_method_options": {
                "card_present": {"request_incremental_authorization_support": True}
            },
            "metadata": {"transaction": "42"},
        }
    )


def tap(
    client: stripe.StripeClient,
    reader: stripe.terminal.Reader,
    intent: stripe.PaymentIntent,
    number: str = "4242424242424242",
) -> stripe.terminal.Reader:
    client.v1.terminal.readers.process_payment_intent(reader.id, {"payment_intent": intent.id})
    return client.v1.test_helpers.terminal.readers.present_payment_method(
        reader.id, {"card_present": {"number": number}}
    )


def test_a_tapped_card_pays_and_leaves_a_card_present_charge(
    client: stripe.StripeClient, reader: stripe.terminal.Reader
) -> None:
    intent = card_present_intent(client, manual=False)
    assert (intent.status, intent.object, intent.livemode) == (
        "requires_payment_method",
        "payment_intent",
        False,
    )
    assert intent.id.startswith("pi_")
    after = tap(client, reader, intent)
    assert after.action is not None
    assert (after.action.type, after.action.status) == ("process_payment_intent", "succeeded")
    paid = client.v1.payment_intents.retrieve(intent.id, {"expand": ["latest_charge"]})
    assert (paid.status, paid.amount_received) == ("succeeded", 20000)
    charge = paid.latest_charge
    assert isinstance(charge, stripe.Charge)
    assert charge.id.startswith("ch_")
    details = charge.payment_method_details
    assert details is not None
    assert details.card_present is not None
    assert (details.type, details.card_present.brand, details.card_present.last4) == (
        "card_present",
        "visa",
        "4242",
    )


@pytest.mark.parametrize(
    ("number", "decline_code"),
    [("4000000000000002", "generic_decline"), ("4000000000009995", "insufficient_funds")],
)
def test_a_declined_card_fails_the_reader_action_and_keeps_the_intent_open(
    client: stripe.StripeClient, reader: stripe.terminal.Reader, number: str, decline_code: str
) -> None:
    intent = card_present_intent(client)
    after = tap(client, reader, intent, number)
    assert after.action is not None
    assert (after.action.status, after.action.failure_code) == ("failed", "card_declined")
    again = client.v1.payment_intents.retrieve(intent.id)
    assert again.status == "requires_payment_method"
    assert again.last_payment_error is not None
    assert again.last_payment_error.decline_code == decline_code
    assert after.action.api_error is not None
    assert after.action.api_error.decline_code == decline_code


def test_a_hold_is_captured_for_less_and_cannot_be_captured_twice(
    client: stripe.StripeClient, reader: stripe.terminal.Reader
) -> None:
    intent = card_present_intent(client)
    tap(client, reader, intent)
    held = client.v1.payment_intents.retrieve(intent.id)
    assert (held.status, held.amount_capturable) == ("requires_capture", 20000)
    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.payment_intents.capture(intent.id, {"amount_to_capture": 20001})
    assert too_much.value.code == "amount_too_large"
    captured = client.v1.payment_intents.capture(intent.id, {"amount_to_capture": 13750})
    assert (captured.status, captured.amount_received, captured.amount_capturable) == (
        "succeeded",
        13750,
        0,
    )
    with pytest.raises(stripe.InvalidRequestError) as twice:
        client.v1.payment_intents.capture(intent.id)
    assert twice.value.code == "payment_intent_unexpected_state"


def test_canceling_a_hold_releases_it(
    stripe_standin: StripeStandin, client: stripe.StripeClient, reader: stripe.terminal.Reader
) -> None:
    intent = card_present_intent(client)
    tap(client, reader, intent)
    canceled = client.v1.payment_intents.cancel(intent.id, {"cancellation_reason": "abandoned"})
    assert (canceled.status, canceled.amount_capturable) == ("canceled", 0)
    charge = stripe_standin.object(str(canceled.latest_charge))
    assert charge["refunded"] is True
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.cancel(intent.id)


def test_an_authorisation_grows_until_the_issuer_refuses(
    stripe_standin: StripeStandin, client: stripe.StripeClient, reader: stripe.terminal.Reader
) -> None:
    intent = card_present_intent(client)
    tap(client, reader, intent)
    grown = client.v1.payment_intents.increment_authorization(intent.id, {"amount": 30000})
    assert (grown.amount, grown.amount_capturable) == (30000, 30000)
    stripe_standin.refuse_increments("insufficient_funds")
    with pytest.raises(stripe.CardError) as refused:
        client.v1.payment_intents.increment_authorization(intent.id, {"amount": 40000})
    assert (
        refused.value.code,
        refused.value.error.decline_code if refused.value.error else None,
    ) == ("card_declined", "insufficient_funds")
    assert client.v1.payment_intents.retrieve(intent.id).amount_capturable == 30000


def test_refunds_stop_at_what_was_captured(
    client: stripe.StripeClient, reader: stripe.terminal.Reader
) -> None:
    intent = card_present_intent(client, manual=False)
    tap(client, reader, intent)
    partial = client.v1.refunds.create(
        {"payment_intent": intent.id, "amount": 5000, "reason": "requested_by_customer"}
    )
    assert (partial.id[:3], partial.amount, partial.status) == ("re_", 5000, "succeeded")
    with pytest.raises(stripe.InvalidRequestError) as over:
        client.v1.refunds.create({"payment_intent": intent.id, "amount": 15001})
    assert (over.value.code, over.value.param) == ("amount_too_large", "amount")
    rest = client.v1.refunds.create({"payment_intent": intent.id})
    assert rest.amount == 15000
    assert client.v1.refunds.retrieve(rest.id).charge == partial.charge


def test_a_capture_whose_answer_was_lost_is_retried_with_one_effect(
    stripe_standin: StripeStandin, reader: stripe.terminal.Reader
) -> None:
    client = stripe_standin.client(max_network_retries=0)
    intent = card_present_intent(client)
    tap(client, reader, intent)
    stripe_standin.drop_connection("/v1/payment_intents/*/capture", after_effect=True)
    with pytest.raises(stripe.APIConnectionError):
        client.v1.payment_intents.capture(
            intent.id, {"amount_to_capture": 9000}, {"idempotency_key": "capture-tx-42"}
        )
    retried = client.v1.payment_intents.capture(
        intent.id, {"amount_to_capture": 9000}, {"idempotency_key": "capture-tx-42"}
    )
    assert (retried.status, retried.amount_received) == ("succeeded", 9000)
    captures = stripe_standin.requests_to("/v1/payment_intents/*/capture")
    assert [c.replayed for c in captures] == [False, True]
    assert {c.idempotency_key for c in captures} == {"capture-tx-42"}


def test_the_sdk_retries_a_dropped_request_under_its_own_key(
    stripe_standin: StripeStandin,
) -> None:
    client = stripe_standin.client(max_network_retries=1)
    stripe_standin.drop_connection("/v1/payment_intents", after_effect=True)
    created = client.v1.payment_intents.create({"amount": 500, "currency": "sek"})
    assert [pi["id"] for pi in stripe_standin.objects("payment_intents")] == [created.id]
    keys = [r.idempotency_key for r in stripe_standin.requests_to("/v1/payment_intents")]
    assert len(keys) == 2
    assert keys[0] == keys[1]


def test_one_key_for_two_different_requests_is_refused(client: stripe.StripeClient) -> None:
    client.v1.payment_intents.create({"amount": 500, "currency": "sek"}, {"idempotency_key": "k-1"})
    with pytest.raises(stripe.IdempotencyError):
        client.v1.payment_intents.create(
            {"amount": 600, "currency": "sek"}, {"idempotency_key": "k-1"}
        )


@pytest.mark.parametrize(
    ("params", "code", "param"),
    [
        ({"amount": 500, "currency": "sek", "colour": "red"}, "parameter_unknown", "colour"),
        # The SDK's API version (2026-10-28.endive) renamed it to allowed_payment_method_types.
        (
            {"amount": 500, "currency": "sek", "payment_method_types": ["card_present"]},
            "parameter_unknown",
            "payment_method_types",
        ),
        (
            {
                "amount": 500,
                "currency": "sek",
                "payment_method_options": {"card_present": {"tip_please": True}},
            },
            "parameter_unknown",
            "payment_method_options[card_present][tip_please]",
        ),
        ({"currency": "sek"}, "parameter_missing", "amount"),
        ({"amount": 100, "currency": "sek"}, "amount_too_small", "amount"),
    ],
)
def test_parameters_stripe_would_refuse_are_refused(
    client: stripe.StripeClient,
    params: stripe.params.PaymentIntentCreateParams,
    code: str,
    param: str,
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payment_intents.create(params)
    assert (refused.value.http_status, refused.value.code, refused.value.param) == (
        400,
        code,
        param,
    )


def test_unknown_ids_and_bad_keys_get_stripes_errors(stripe_standin: StripeStandin) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        stripe_standin.client().v1.payment_intents.retrieve("pi_nothere")
    assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")
    with pytest.raises(stripe.AuthenticationError):
        stripe_standin.client("sk_live_real").v1.payment_intents.retrieve("pi_nothere")


def test_a_qr_checkout_session_completes_or_expires(
    stripe_standin: StripeStandin, client: stripe.StripeClient
) -> None:
    params: stripe.params.checkout.SessionCreateParams = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "sek",
                    "unit_amount": 12500,
                    "product_data": {"name": "Charging at bay 3"},
                },
                "quantity": 1,
            }
        ],
        "success_url": "https://depot.example/paid",
        "expires_at": int(time.time()) + 3600,
    }
    paid = client.v1.checkout.sessions.create(params)
    assert (paid.status, paid.amount_total, paid.url is not None) == ("open", 12500, True)
    stripe_standin.complete_checkout_session(paid.id)
    done = client.v1.checkout.sessions.retrieve(paid.id, {"expand": ["payment_intent"]})
    assert (done.status, done.payment_status) == ("complete", "paid")
    assert isinstance(done.payment_intent, stripe.PaymentIntent)
    assert done.payment_intent.status == "succeeded"

    unpaid = client.v1.checkout.sessions.create(params)
    expired = client.v1.checkout.sessions.expire(unpaid.id)
    assert (expired.status, expired.payment_status) == ("expired", "unpaid")
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.expire(unpaid.id)


def test_a_late_answer_runs_out_the_sdk_timeout_but_still_takes_effect(
    stripe_standin: StripeStandin,
) -> None:
    client = stripe_standin.client(timeout=0.3)
    stripe_standin.answer_late(1.0, "/v1/payment_intents")
    started = time.monotonic()
    with pytest.raises(stripe.APIConnectionError):
        client.v1.payment_intents.create({"amount": 500, "currency": "sek"})
    assert time.monotonic() - started < 0.9
    assert len(stripe_standin.objects("payment_intents")) == 1


def test_a_customer_who_never_taps_times_the_reader_out(
    stripe_standin: StripeStandin, client: stripe.StripeClient, reader: stripe.terminal.Reader
) -> None:
    stripe_standin.customer_never_taps(timeout=0.2)
    intent = card_present_intent(client)
    waiting = tap(client, reader, intent)
    assert waiting.action is not None
    assert waiting.action.status == "in_progress"
    with pytest.raises(stripe.APIError) as busy:
        client.v1.terminal.readers.process_payment_intent(reader.id, {"payment_intent": intent.id})
    assert busy.value.http_status == 409
    assert busy.value.error is not None
    assert busy.value.error.code == "terminal_reader_busy"
    time.sleep(0.25)
    timed_out = client.v1.terminal.readers.retrieve(reader.id)
    assert timed_out.action is not None
    assert (timed_out.action.status, timed_out.action.failure_code) == (
        "failed",
        "customer_abandoned",
    )


def test_an_operator_cancels_the_reader_action(
    client: stripe.StripeClient, reader: stripe.terminal.Reader
) -> None:
    intent = card_present_intent(client)
    client.v1.terminal.readers.process_payment_intent(reader.id, {"payment_intent": intent.id})
    canceled = client.v1.terminal.readers.cancel_action(reader.id)
    assert canceled.action is not None
    assert canceled.action.status == "failed"
    assert client.v1.payment_intents.cancel(intent.id).status == "canceled"


def test_a_forced_server_error_reaches_the_sdk_as_an_api_error(
    stripe_standin: StripeStandin, client: stripe.StripeClient
) -> None:
    stripe_standin.fail_next("/v1/refunds")
    with pytest.raises(stripe.APIError) as failed:
        client.v1.refunds.create({"payment_intent": "pi_any"})
    assert failed.value.http_status == 500


def test_stripes_form_encoding_is_decoded_to_nested_objects() -> None:
    decoded = decode_form("a[b][0]=x&a[b][1]=y&expand[]=one&expand[]=two&metadata[k]=")
    assert decoded == {"a": {"b": ["x", "y"]}, "expand": ["one", "two"], "metadata": {"k": ""}}


def test_a_customer_who_taps_unprompted_is_seen_at_the_next_poll(
    stripe_standin: StripeStandin, client: stripe.StripeClient, reader: stripe.terminal.Reader
) -> None:
    stripe_standin.customer_taps("5555555555554444")
    intent = card_present_intent(client)
    shown = client.v1.terminal.readers.process_payment_intent(
        reader.id, {"payment_intent": intent.id}
    )
    assert shown.action is not None
    assert shown.action.status == "in_progress"
    polled = client.v1.terminal.readers.retrieve(reader.id)
    assert polled.action is not None
    assert polled.action.status == "succeeded"
    assert client.v1.payment_intents.retrieve(intent.id).status == "requires_capture"


def test_an_unpaid_checkout_session_lapses(
    stripe_standin: StripeStandin, client: stripe.StripeClient
) -> None:
    session = client.v1.checkout.sessions.create(
        {
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {
                        "currency": "sek",
                        "unit_amount": 9900,
                        "product_data": {"name": "Charging"},
                    },
                    "quantity": 1,
                }
            ],
        }
    )
    stripe_standin.lapse_checkout_session(session.id)
    lapsed = client.v1.checkout.sessions.retrieve(session.id)
    assert (lapsed.status, lapsed.url) == ("expired", None)
