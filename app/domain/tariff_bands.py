"""Where a tariff's bands lie in real time, for a site's time zone.

Times are integer microseconds since the Unix epoch (UTC) so that pricing can do exact
integer arithmetic on them. A band is defined on the wall clock: an instant belongs
to a band when the site's local time at that instant falls inside the band. So on
the spring-forward day a band 02:00–03:00 does not occur at all and 02:30–04:00 lasts
one real hour, while on the fall-back day 02:00–03:00 lasts two real hours (the
repeated hour counts each real minute once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from typing import NamedTuple

from app.domain.errors import InvalidInput
from app.domain.tariffs import TariffBand

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_DAY = 24 * 60 * US_PER_MINUTE
# 1970-01-01 was a Thursday (weekday 3 with Monday = 0).
_EPOCH_WEEKDAY = 3
# The tz database never has two offset changes this close together, so probing the
# offset at this interval finds every change.
_PROBE_US = 6 * 60 * US_PER_MINUTE


class BandSegment(NamedTuple):
    """[begin_us, end_us) during which band number `band` of the tariff applies."""

    begin_us: int
    end_us: int
    band: int


def to_us(moment: datetime, what: str = "a time") -> int:
    """Microseconds since the epoch; a naive datetime is refused (it means no instant)."""
    if moment.utcoffset() is None:
        raise InvalidInput(f"{what} must be timezone-aware, not {moment.isoformat()}")
    return (moment - EPOCH) // MICROSECOND


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def _offset_us(zone: tzinfo, us: int) -> int:
    offset = from_us(us).astimezone(zone).utcoffset()
    return 0 if offset is None else offset // MICROSECOND


def constant_offset_spans(zone: tzinfo, begin_us: int, end_us: int) -> list[tuple[int, int, int]]:
    """Split [begin, end] where the zone's UTC offset changes: (begin, end, offset) each."""
    spans = []
    span_begin, offset = begin_us, _offset_us(zone, begin_us)
    probe = begin_us
    while probe < end_us:
        following = min(probe + _PROBE_US, end_us)
        if _offset_us(zone, following) == offset:
            probe = following
            continue
        # The change lies in (probe, following]: find its first microsecond.
        low, high = probe, following
        while high - low > 1:
            middle = (low + high) // 2
            if _offset_us(zone, middle) == offset:
                low = middle
            else:
                high = middle
        spans.append((span_begin, high, offset))
        span_begin, offset, probe = high, _offset_us(zone, high), high
    spans.append((span_begin, end_us, offset))
    return spans


def band_segments(
    bands: Sequence[TariffBand], zone: tzinfo, begin_us: int, end_us: int
) -> list[BandSegment]:
    """The stretches of [begin, end) covered by each band, in time order, never overlapping.

    Time not covered by any segment is priced at the tariff's base prices.
    """
    if not bands or begin_us >= end_us:
        return []
    segments = []
    for span_begin, span_end, offset in constant_offset_spans(zone, begin_us, end_us):
        # Within a span local time is UTC + offset, so band edges map one to one.
        local_begin, local_end = span_begin + offset, span_end + offset
        for day in range(local_begin // US_PER_DAY - 1, (local_end - 1) // US_PER_DAY + 1):
            weekday = (day + _EPOCH_WEEKDAY) % 7
            for number, band in enumerate(bands):
                if weekday not in band.weekdays:
                    continue
                band_begin = day * US_PER_DAY + band.start_minute * US_PER_MINUTE
                band_end = band_begin + band.length_minutes * US_PER_MINUTE
                low, high = max(band_begin, local_begin), min(band_end, local_end)
                if low < high:
                    segments.append(BandSegment(low - offset, high - offset, number))
    segments.sort()
    return segments
