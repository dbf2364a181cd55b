"""A local Stripe stand-in for tests: the real `stripe` SDK talks to it over loopback."""

from tests.fakes.stripe_standin.server import ReceivedRequest
from tests.fakes.stripe_standin.standin import StripeStandin

__all__ = ["ReceivedRequest", "StripeStandin"]
