"""The `stripe_standin` fixture; import it into a conftest to use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.stripe_standin.standin import StripeStandin


@pytest.fixture
def stripe_standin() -> Iterator[StripeStandin]:
    with StripeStandin() as standin:
        yield standin
