"""The network lost at every mutating call of the card flow: the request dropped before
Stripe acts, dropped after it acted, timed out after it acted, or answered late. The SDK
does not retry here (max_network_retries=0), so our own code meets every fault.

After the app's own retries (a hold's capture or release is asked again with the same
idempotency key) and start-up reconciliation (then: holds finished, an unpaid session
paid on a new card, a refund Stripe never made made again), Stripe's record shows
exactly one charge for the session's price, no hold left on a card, no refund made twice,
and the ledger agrees with Stripe.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

from app.config import Settings
from app.domain.payment_errors import PaymentProviderError
from app.payments.secrets import StripeMode
from app.payments.stripe_gateway import StripeGateway
from tests.fakes.payment_worker import Flow, recover, run_flow
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.audit import audit
from tests.fakes.stripe_standin.fixture import stripe_standin
from tests.integration.test_payment_faults_kill import (
    CANCEL,
    CAPTURE,
    CREATE,
    INCREMENT,
    PRICE,
    PROCESS,
    Step,
    job_for,
    migrated,
    new_ledger,
    simulated_reader,
)

__all__ = ["stripe_standin"]

Fault = Literal["drop_before", "drop_after", "time_out", "late"]
FAULTS: tuple[Fault, ...] = ("drop_before", "drop_after", "time_out", "late")
TIMEOUT = 0.5  # the SDK's HTTP timeout here; "time_out" answers after twice that
REFUND = Step("refund", "POST", "/v1/refunds")


@dataclass(frozen=True)
class Case:
    flow: Flow
    step: Step

    @property
    def id(self) -> str:
        return f"{self.flow}-{self.step.name}"


# Every mutating provider call, in the flow that makes it: a payment after charging
# (create, process), a pre-authorisation's hold (create and process with manual
# capture, increment, capture) and its release (cancel), and a refund.
CASES = (
    Case("card", CREATE),
    Case("card", PROCESS),
    Case("hold", CREATE),
    Case("hold", PROCESS),
    Case("hold", INCREMENT),
    Case("hold", CAPTURE),
    Case("release", CANCEL),
    Case("refund", REFUND),
)


def inject(standin: StripeStandin, step: Step, fault: Fault) -> None:
    if fault == "drop_before":
        standin.drop_connection(step.path, method=step.method)
    elif fault == "drop_after":
        standin.drop_connection(step.path, method=step.method, after_effect=True)
    elif fault == "time_out":
        standin.answer_late(TIMEOUT * 2, step.path, method=step.method)
    else:
        standin.answer_late(TIMEOUT / 3, step.path, method=step.method)


def short_gateway(standin: StripeStandin) -> Callable[[Settings], StripeGateway]:
    def make(_: Settings) -> StripeGateway:
        return StripeGateway(
            standin.client("sk_test_network", max_network_retries=0, timeout=TIMEOUT),
            "SEK",
            mode=StripeMode.TEST,
            first_poll=0.02,
            longest_poll=0.05,
        )

    return make


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated(tmp_path_factory.mktemp("network") / "template.sqlite3")


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
async def test_a_lost_or_late_answer_at_any_step_charges_once_and_the_ledger_agrees(
    stripe_standin: StripeStandin, tmp_path: Path, template: Path, case: Case, fault: Fault
) -> None:
    url, tx = await new_ledger(tmp_path / "ledger.sqlite3", template)
    stripe_standin.customer_taps()
    job = job_for(url, stripe_standin, case.flow, tx, simulated_reader(stripe_standin))
    inject(stripe_standin, case.step, fault)
    # The attendant is told of a PaymentProviderError; the next start settles it.
    with contextlib.suppress(PaymentProviderError):
        await run_flow(job, short_gateway(stripe_standin))
    assert stripe_standin.requests_to(case.step.path, case.step.method), "fault never met"

    recovery = await recover(job)
    found = audit(stripe_standin, url.removeprefix("sqlite:///"))
    assert found.problems == [], recovery.notes
    charged = [i for i in stripe_standin.objects("payment_intents") if i["amount_received"]]
    if case.flow == "release":
        assert charged == []
        return
    assert [i["amount_received"] for i in charged] == [PRICE]
    assert (found.charged_at_stripe, found.captured_in_ledger) == (1, 1)
    refunded = sum(r["amount"] for r in stripe_standin.objects("refunds"))
    assert refunded == (PRICE if case.flow == "refund" else 0)
