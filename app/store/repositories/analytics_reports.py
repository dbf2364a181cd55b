"""What a report reads when days are summarised (app/domain/analytics_combined.py): the
day summaries up to the first day that is not (or is stale), the raw facts from that
day on, the period's sessions summed in SQL, and afterwards the few sessions near the
full spells and the possibly-turned-away authorisations."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, not_, or_, select

from app.domain.analytics import (
    ConnectorRef,
    ReportPeriod,
    SessionFact,
    SiteFacts,
    epoch,
    instant,
)
from app.domain.analytics_combined import SessionTotals, SummarisedFacts
from app.domain.analytics_days import ConnectorTotals, ScopeDay, Summarised, day_of, midnights
from app.domain.model import TransactionState
from app.store.repositories.analytics_facts import (
    authorisations,
    connection_limit,
    connector_refs,
    epoch_of,
    links,
    peaks,
    readings,
    rolled_through,
    sessions,
    site_peak,
    station_ids,
    statuses,
)
from app.store.repositories.analytics_summaries import (
    covered,
    highest,
    newer_facts,
    progress,
    read_runs,
    read_scope_days,
    read_station_days,
    read_totals,
    scope_key,
    zone_key,
)
from app.store.repositories.analytics_summarise import scope_day_rows
from app.store.schema import session_charges, transactions

_T, _C = transactions.c, session_charges.c


def _at_or_after(column: ColumnElement[Any], t: float, dialect: str) -> ColumnElement[bool]:
    """epoch_of(column) >= t, the conversion only for times within a second of t."""
    return (column >= instant(t + 1)) | (epoch_of(column, dialect) >= t)


def _before(column: ColumnElement[Any], t: float, dialect: str) -> ColumnElement[bool]:
    """epoch_of(column) < t, the conversion only for times within a second of t."""
    return (column < instant(t - 1)) | (epoch_of(column, dialect) < t)


def _at_most(column: ColumnElement[Any], t: float, dialect: str) -> ColumnElement[bool]:
    """epoch_of(column) <= t, the conversion only for times within a second of t."""
    return (column <= instant(t - 1)) | (epoch_of(column, dialect) <= t)


def _inner(conn: Connection, start: float, end: float) -> ColumnElement[bool]:
    """Finished sessions inside start..end: their energy is meter stop - meter start
    (the rule of app/domain/analytics_usage.session_energy without readings)."""
    d = conn.dialect.name
    return (
        (_T.state == TransactionState.CLOSED.value)
        & _T.meter_stop.is_not(None)
        & _T.stopped_at.is_not(None)
        & _at_or_after(_T.started_at, start, d)
        & _at_most(_T.stopped_at, end, d)
    )


def session_energy(
    conn: Connection, ids: list[str], period: ReportPeriod
) -> dict[ConnectorRef, float]:
    """Per connector, the energy of the finished sessions inside the period (one pass
    over ix_transactions_report)."""
    delivered = _T.meter_stop - _T.meter_start
    inner = _inner(conn, period.start, period.end) & (delivered > 0)
    query = (
        select(_T.station_id, _T.connector_id, func.sum(case((inner, delivered), else_=0)))
        .where(
            _T.station_id.in_(ids)
            & (_T.connector_id > 0)
            & (_T.started_at < period.end_at)
            & ((_T.stopped_at.is_(None)) | (_T.stopped_at >= period.start_at))
        )
        .group_by(_T.station_id, _T.connector_id)
    )
    return {ConnectorRef(sid, int(cid)): float(wh) for sid, cid, wh in conn.execute(query)}


def started_totals(
    conn: Connection, ids: list[str], since: float, end: float
) -> dict[ConnectorRef, tuple[int, int, int]]:
    """Per connector, (sessions, revenue, priced sessions) of the sessions started in
    since..end (the days not summarised)."""
    d = conn.dialect.name
    priced = _C.final & _C.total_minor.is_not(None)
    query = (
        select(
            _T.station_id,
            _T.connector_id,
            func.count(),
            func.sum(case((priced, _C.total_minor), else_=0)),
            func.sum(case((priced, 1), else_=0)),
        )
        .select_from(transactions.outerjoin(session_charges, _C.transaction_id == _T.id))
        .where(
            (_T.station_id + "").in_(ids)
            & (_T.connector_id > 0)
            & (_T.started_at >= instant(since - 1))
            & (_T.started_at < instant(end + 1))
            & _at_or_after(_T.started_at, since, d)
            & _before(_T.started_at, end, d)
        )
        .group_by(_T.station_id, _T.connector_id)
    )
    return {
        ConnectorRef(sid, int(cid)): (int(n), int(money or 0), int(p or 0))
        for sid, cid, n, money, p in conn.execute(query)
    }


def _totals(
    summed: Sequence[ConnectorTotals],
    tail: dict[ConnectorRef, tuple[int, int, int]],
    energy: dict[ConnectorRef, float],
) -> dict[ConnectorRef, SessionTotals]:
    counts = {
        ConnectorRef(c.station_id, c.connector_id): (c.sessions, c.revenue_minor, c.priced)
        for c in summed
    }
    out = {}
    for ref in set(counts) | set(tail) | set(energy):
        n, money, p = counts.get(ref, (0, 0, 0))
        tn, tmoney, tp = tail.get(ref, (0, 0, 0))
        out[ref] = SessionTotals(n + tn, money + tmoney, p + tp, energy.get(ref, 0.0))
    return out


def summarised_facts(
    conn: Connection,
    site_id: int | None,
    period: ReportPeriod,
    zone: tzinfo,
    *,
    usage: bool,
    demand: bool,
) -> SummarisedFacts | None:
    """None when not one day of the period can be read from the summaries."""
    found = progress(conn)
    if found is None or found.zone != zone_key(zone):
        return None
    name, ids = station_ids(conn, site_id)
    cover = covered(conn, ids)
    if not ids or len(cover) < len(ids):
        return None
    bounds = midnights(period)
    split_k = min((through - period.first).days + 1 for _first, through in cover.values())
    stale, every_from = newer_facts(conn, found.marks)
    members = set(ids)
    for at in [t for sid, t in stale.items() if sid in members] + [every_from or math.inf]:
        split_k = min(split_k, day_of(bounds, at))
    split_k = min(split_k, period.days)
    if split_k <= 0:
        return None
    split = period.first + timedelta(days=split_k)
    split_at = period.midnight(split)
    refs = connector_refs(conn, ids)
    rolled = rolled_through(conn)
    since = max(period.first, min(first for first, _through in cover.values()))
    scope: tuple[ScopeDay, ...] = ()
    peak = None
    if demand:
        stored = read_scope_days(conn, scope_key(refs), since, split)
        if len(stored) < (split - since).days:
            # A site whose stations or connectors changed since housekeeping ran.
            period_part = ReportPeriod(since, split - timedelta(days=1), period.zone)
            stored = scope_day_rows(conn, ids, refs, period_part, rolled)
        scope = tuple(stored)
        peak = highest(stored)
    summed = read_totals(conn, ids, period.first, split) if usage else []
    summarised = Summarised(
        split,
        tuple(summed),
        tuple(read_runs(conn, ids, period.first, split)) if usage else (),
        tuple(read_station_days(conn, ids, period.first, split)),
        scope,
        peak,
    )
    tail = None
    if split <= period.last:
        end = period.end_at
        tail = SiteFacts(
            site_id,
            name,
            tuple(refs),
            tuple(statuses(conn, refs, ids, split_at, end)),
            tuple(links(conn, ids, split_at, end)),
            (),
            peaks=tuple(peaks(conn, ids, split_at, end, rolled)) if usage else (),
            site_peak=site_peak(conn, ids, split_at, end, rolled) if demand else None,
            authorisations=tuple(authorisations(conn, ids, split_at, end)) if demand else (),
        )
    totals: dict[ConnectorRef, SessionTotals] = {}
    cut: list[SessionFact] = []
    if usage:
        tail_counts = started_totals(conn, ids, epoch(split_at), period.end) if tail else {}
        totals = _totals(summed, tail_counts, session_energy(conn, ids, period))
        inner = _inner(conn, period.start, period.end)
        cut = sessions(conn, ids, period.start_at, period.end_at, not_(inner))
    return SummarisedFacts(
        site_id,
        name,
        tuple(ids),
        tuple(refs),
        connection_limit(conn, site_id),
        period,
        summarised,
        tail,
        totals,
        tuple(cut),
        tuple(readings(conn, cut, period.start, period.end, rolled)) if cut else (),
    )


def sessions_near(
    conn: Connection,
    ids: Sequence[str],
    windows: Sequence[tuple[float, float]],
    tags: Sequence[tuple[str, float, float]],
    end: datetime,
) -> list[SessionFact]:
    """Sessions of the stations that started in one of the windows (epoch s, with a
    second's margin) or, for a tag, in its window, before end."""
    # The station as an expression: the windows' indexes, not the station's every session.
    base = (_T.station_id + "").in_(list(ids)) & (_T.connector_id > 0)
    columns = (_T.id, _T.station_id, _T.connector_id, _T.id_tag)
    began = epoch_of(_T.started_at, conn.dialect.name)

    def between(lo: float, hi: float) -> ColumnElement[bool]:
        # started_at < end in each term: a term of its own would be the one range used.
        low, high = instant(lo - 1), instant(hi + 1)
        return (_T.started_at >= low) & (_T.started_at <= high) & (_T.started_at < end)

    conditions = [between(lo, hi) for lo, hi in _merged(windows)]
    # Each a range of ix_transactions_started or ix_transactions_tag: SQLite answers an OR
    # of them with one index range each.
    conditions += [(_T.id_tag == tag) & between(lo, hi) for tag, lo, hi in tags]
    found: dict[int, SessionFact] = {}
    for i in range(0, len(conditions), 50):
        query = select(*columns, began).where(base & or_(*conditions[i : i + 50]))
        for tid, sid, cid, tag, at in conn.execute(query):
            found[int(tid)] = SessionFact(int(tid), sid, int(cid), tag, float(at), None, 0.0, None)
    return list(found.values())


def _merged(windows: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for lo, hi in sorted(windows):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out
