"""Moved to app.domain.payment_errors (the services' port types); kept while callers move."""

from app.domain.payment_errors import *  # noqa: F403
