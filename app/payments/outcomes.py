"""Moved to app.domain.payment_outcomes (the services' port types); kept while callers move."""

from app.domain.payment_outcomes import *  # noqa: F403
