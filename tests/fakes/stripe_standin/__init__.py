"""A local Stripe stand-in for tests: the real `stripe` SDK talks to it over loopback.

    # conftest.py
    from tests.fakes.stripe_standin.fixture import stripe_standin  # noqa: F401

    def test_a_hold_is_captured(stripe_standin: StripeStandin) -> None:
        client = stripe_standin.client(max_network_retries=1)  # or build your own:
        # stripe.StripeClient(key, base_addresses={"api": stripe_standin.url})
        stripe_standin.customer_taps("4242424242424242")
        ...  # the payment code under test creates, processes, polls, captures
        stripe_standin.drop_connection("/v1/payment_intents/*/capture", after_effect=True)
        assert len(stripe_standin.requests_to("/v1/payment_intents/*/capture")) == 2

Objects follow the SDK's pinned API version (2026-10-28.endive): for example
PaymentIntents take `allowed_payment_method_types`, not `payment_method_types`.
"""

from tests.fakes.stripe_standin.server import ReceivedRequest
from tests.fakes.stripe_standin.standin import StripeStandin

__all__ = ["ReceivedRequest", "StripeStandin"]
