"""Payments under faults (issue 9): the card flow killed at random moments, many times.

Each round runs one flow (a payment after charging, a pre-authorisation's hold and
capture, or a hold released) in a worker process forked from a zygote
(tests/fakes/payment_worker.py), against a fresh Stripe stand-in and a fresh ledger,
and SIGKILLs it: half the rounds at a step chosen at random from every mutating call,
before it leaves, while Stripe acts on it, or after Stripe answered (the stand-in holds
the request at a gate); the other half after a random delay within the flow's length.
Then a fresh start on the same database (start-up reconciliation, holds finished, the
session paid if still unpaid) and the audit of Stripe against the ledger.

    python -m bench.payment_faults [--rounds 200] [--seed 9]

Results: docs/payment-faults.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.fakes.payment_worker import Flow, Zygote, recover
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.audit import audit
from tests.integration.test_payment_faults_kill import (
    KillPoint,
    job_for,
    kill_at,
    kill_points,
    migrated,
    new_ledger,
    simulated_reader,
)

FLOWS: tuple[Flow, ...] = ("card", "hold", "release")


def _landed(standin: StripeStandin, requests_before: int) -> str:
    """Where a timed kill landed: after the last request the worker made (or before any)."""
    made = standin.requests[requests_before:]
    if not made:
        return "timed: before any request"
    last = made[-1]
    parts = [p if not p.startswith(("pi_", "tmr_")) else "*" for p in last.path.split("/")]
    return f"timed: after {last.method} {'/'.join(parts)}"


async def one_round(
    zygote: Zygote, template: Path, work: Path, number: int, rng: random.Random, length: float
) -> dict[str, Any]:
    points = kill_points()
    with StripeStandin() as standin:
        standin.customer_taps()
        url, tx = await new_ledger(work / f"round-{number}.sqlite3", template)
        reader = simulated_reader(standin)
        if rng.random() < 0.5:
            point: KillPoint = rng.choice(points)
            job = job_for(url, standin, point.flow, tx, reader)
            killed = await asyncio.to_thread(kill_at, zygote, standin, job, point)
            where = f"{point.flow} {point.step.name} {point.moment}"
        else:
            flow = rng.choice(FLOWS)
            job = job_for(url, standin, flow, tx, reader)
            before = len(standin.requests)
            child = await asyncio.to_thread(zygote.start, job)
            await asyncio.sleep(rng.uniform(0.0, length))
            killed = await asyncio.to_thread(zygote.kill, child) < 0
            where = f"{flow} " + (_landed(standin, before) if killed else "ended before the kill")
        recovery = await recover(job)
        found = audit(standin, url.removeprefix("sqlite:///"))
        received = sum(i["amount_received"] for i in standin.objects("payment_intents"))
    return {
        "where": where,
        "killed": killed,
        "flow": job.flow,
        "charged_at_stripe": found.charged_at_stripe,
        "captured_in_ledger": found.captured_in_ledger,
        "received_minor": received,
        "orphans": found.orphan_intents,
        "alarms": found.alarms,
        "problems": found.problems,
        "paid_again": recovery.paid_again,
        "holds_finished": recovery.captured_holds + recovery.released_holds,
    }


async def flow_length(zygote: Zygote, template: Path, work: Path) -> float:
    """How long an unbroken hold-and-capture takes (timed kills fall within it)."""
    with StripeStandin() as standin:
        standin.customer_taps()
        url, tx = await new_ledger(work / "unbroken.sqlite3", template)
        job = job_for(url, standin, "hold", tx, simulated_reader(standin))
        started = time.perf_counter()
        child = await asyncio.to_thread(zygote.start, job)
        code = await asyncio.to_thread(zygote.wait, child)
        if code != 0:
            raise SystemExit(f"an unbroken flow failed (exit {code})")
        return time.perf_counter() - started


async def run(rounds: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder, Zygote() as zygote:
        work = Path(folder)
        template = await asyncio.to_thread(migrated, work / "template.sqlite3")
        length = await flow_length(zygote, template, work)
        started = time.perf_counter()
        results = [await one_round(zygote, template, work, n, rng, length) for n in range(rounds)]
        seconds = time.perf_counter() - started
    paying = [r for r in results if r["flow"] != "release"]
    return {
        "rounds": rounds,
        "seed": seed,
        "seconds": round(seconds, 1),
        "flow_seconds": round(length, 3),
        "killed": sum(r["killed"] for r in results),
        "kills_by_moment": dict(sorted(Counter(r["where"] for r in results).items())),
        "charges_at_stripe": sum(r["charged_at_stripe"] for r in results),
        "captures_in_ledger": sum(r["captured_in_ledger"] for r in results),
        "sessions_to_pay": len(paying),
        "sessions_charged_once": sum(r["charged_at_stripe"] == 1 for r in paying),
        "releases_charged": sum(r["charged_at_stripe"] for r in results if r["flow"] == "release"),
        "paid_again_after_restart": sum(r["paid_again"] for r in results),
        "holds_finished_after_restart": sum(r["holds_finished"] for r in results),
        "orphan_intents_uncharged": sum(r["orphans"] for r in results),
        "alarms": sum(r["alarms"] for r in results),
        "mismatches": sum(len(r["problems"]) for r in results),
        "problems": [p for r in results for p in r["problems"]][:20],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    summary = asyncio.run(run(args.rounds, args.seed))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
