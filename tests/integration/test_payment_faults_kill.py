"""ChargeDesk killed (SIGKILL) at every step of the card flow, in a process of its own:
before a request leaves, while Stripe acts on it, and after Stripe answered but before
the ledger heard. A fresh start on the same database (start-up reconciliation, then the
holds finished and the session paid as a restarted ChargeDesk would) must leave no
double charge, no lost capture, no hold on a card and no session paid twice.

The worker is forked from a zygote (tests/fakes/payment_worker.py) that imported the app
once; the stand-in holds the chosen request at a gate, so the kill lands exactly there.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pytest

from app.store import migrate
from app.store.database import Database
from tests.fakes.payment_sessions import insert_ended_walk_ins
from tests.fakes.payment_worker import Flow, Job, Recovery, Zygote, recover
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.audit import Audit, audit
from tests.fakes.stripe_standin.fixture import stripe_standin

__all__ = ["stripe_standin"]

PRICE = 4640
HOLD = 5000
RAISED = 8000
Moment = Literal["before", "at_stripe", "answered"]
MOMENTS: tuple[Moment, ...] = ("before", "at_stripe", "answered")


@dataclass(frozen=True)
class Step:
    name: str
    method: str
    path: str


CREATE = Step("create", "POST", "/v1/payment_intents")
PROCESS = Step("process", "POST", "/v1/terminal/readers/*/process_payment_intent")
# The first read of the intent once the reader's action ended: the card was taken.
OUTCOME = Step("outcome", "GET", "/v1/payment_intents/*")
INCREMENT = Step("increment", "POST", "/v1/payment_intents/*/increment_authorization")
CAPTURE = Step("capture", "POST", "/v1/payment_intents/*/capture")
CANCEL = Step("cancel", "POST", "/v1/payment_intents/*/cancel")

STEPS: dict[Flow, tuple[Step, ...]] = {
    "card": (CREATE, PROCESS, OUTCOME),
    "hold": (CREATE, PROCESS, OUTCOME, INCREMENT, CAPTURE),
    "release": (CREATE, PROCESS, OUTCOME, CANCEL),
}
# In CI a release is killed only at its own step: up to the outcome it is a hold's
# path, which the hold covers (the bench kills every flow at every step).
CI_STEPS: dict[Flow, tuple[Step, ...]] = {**STEPS, "release": (CANCEL,)}


def moments_of(step: Step) -> tuple[Moment, ...]:
    """A read changes nothing at Stripe: only its answer can be lost."""
    return ("answered",) if step.method == "GET" else MOMENTS


def kill_points(steps: dict[Flow, tuple[Step, ...]] = STEPS) -> list[KillPoint]:
    return [
        KillPoint(flow, step, moment)
        for flow, flow_steps in steps.items()
        for step in flow_steps
        for moment in moments_of(step)
    ]


@dataclass(frozen=True)
class KillPoint:
    flow: Flow
    step: Step
    moment: Moment

    @property
    def id(self) -> str:
        return f"{self.flow}-{self.step.name}-{self.moment}"


@dataclass(frozen=True)
class Round:
    point: KillPoint | None
    killed: bool
    recovery: Recovery
    audit: Audit


def job_for(db_url: str, standin: StripeStandin, flow: Flow, tx: int, reader: str) -> Job:
    return Job(
        db_url,
        standin.url,
        flow,
        tx,
        reader,
        amount_minor=PRICE,
        hold_minor=HOLD,
        raise_to_minor=RAISED if flow == "hold" else 0,
    )


def migrated(path: Path) -> Path:
    """An empty database at the newest schema, to copy (migrating takes a second)."""
    migrate.upgrade(f"sqlite:///{path}", backup=False)
    return path


async def new_ledger(path: Path, template: Path | None = None) -> tuple[str, int]:
    """A migrated database with one ended walk-in session priced PRICE: (url, session)."""
    url = f"sqlite:///{path}"
    if template is None:
        await asyncio.to_thread(migrate.upgrade, url, backup=False)
    else:
        shutil.copyfile(template, path)
    db = Database(url)
    await db.start()
    try:
        (tx,) = await insert_ended_walk_ins(db, 1, PRICE, datetime.now(UTC))
    finally:
        await db.close()
    return url, tx


def simulated_reader(standin: StripeStandin) -> str:
    reader = standin.client().v1.terminal.readers.create(
        {"registration_code": "simulated-wpe", "label": "Desk"}
    )
    return reader.id


def kill_at(zygote: Zygote, standin: StripeStandin, job: Job, point: KillPoint) -> bool:
    """Run the job in a worker and SIGKILL it at the point (blocking); whether it was
    killed there (False: the worker ended without reaching it)."""
    gate = standin.gate(
        point.step.path, method=point.step.method, after_effect=point.moment == "answered"
    )
    child = zygote.start(job)
    if not gate.wait_arrived(15.0):
        zygote.wait(child, timeout=5.0)
        return False
    zygote.kill(child)
    gate.release(apply=point.moment != "before")
    return True


async def one_round(
    zygote: Zygote, standin: StripeStandin, tmp: Path, point: KillPoint, template: Path
) -> Round:
    url, tx = await new_ledger(tmp / f"{point.id}.sqlite3", template)
    job = job_for(url, standin, point.flow, tx, simulated_reader(standin))
    killed = await asyncio.to_thread(kill_at, zygote, standin, job, point)
    recovery = await recover(job)
    return Round(point, killed, recovery, audit(standin, url.removeprefix("sqlite:///")))


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    with Zygote() as started:
        yield started


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated(tmp_path_factory.mktemp("faults") / "template.sqlite3")


@pytest.fixture
def taps(stripe_standin: StripeStandin) -> StripeStandin:
    """The stand-in, with a customer who taps the approved card at every reader."""
    stripe_standin.customer_taps()
    return stripe_standin


async def test_an_unbroken_worker_pays_the_session_once(
    zygote: Zygote, taps: StripeStandin, tmp_path: Path, template: Path
) -> None:
    url, tx = await new_ledger(tmp_path / "whole.sqlite3", template)
    job = job_for(url, taps, "hold", tx, simulated_reader(taps))
    child = await asyncio.to_thread(zygote.start, job)
    assert await asyncio.to_thread(zygote.wait, child) == 0
    found = audit(taps, url.removeprefix("sqlite:///"))
    assert found.problems == []
    assert (found.charged_at_stripe, found.captured_in_ledger) == (1, 1)
    (intent,) = taps.objects("payment_intents")
    assert (intent["amount"], intent["amount_received"]) == (RAISED, PRICE)


@pytest.mark.parametrize("point", kill_points(CI_STEPS), ids=lambda p: p.id)
async def test_a_kill_at_any_step_never_charges_twice_nor_loses_a_capture(
    zygote: Zygote, taps: StripeStandin, tmp_path: Path, template: Path, point: KillPoint
) -> None:
    done = await one_round(zygote, taps, tmp_path, point, template)
    assert done.killed, f"the worker never reached {point.id}"
    assert done.audit.problems == [], done.recovery.notes
    if point.flow == "release":
        assert done.audit.charged_at_stripe == 0
    else:
        # The session is paid once, for its price, whatever the moment of the kill.
        assert (done.audit.charged_at_stripe, done.audit.captured_in_ledger) == (1, 1)
        charged = [i for i in taps.objects("payment_intents") if i["amount_received"]]
        assert [i["amount_received"] for i in charged] == [PRICE]
