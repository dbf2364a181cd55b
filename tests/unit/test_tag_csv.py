"""The cells of a tag file: formula guard, dates, yes/no."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.tag_csv import (
    format_datetime,
    guard_formula,
    parse_datetime,
    parse_yes_no,
    unguard_formula,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    "text", ["=1+1", "+46 70", "-5", "@SUM(A1)", "'=x", "''+y", "'plain", "plain", "", "'"]
)
def test_every_cell_reads_back_as_it_was_written(text: str) -> None:
    assert unguard_formula(guard_formula(text)) == text


def test_would_be_formulas_start_with_an_apostrophe() -> None:
    assert guard_formula("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert guard_formula("Anna") == "Anna"


def test_an_apostrophe_typed_to_keep_a_phone_number_as_text_is_removed() -> None:
    assert unguard_formula("'+46 70 123") == "+46 70 123"
    assert unguard_formula("'quoted'") == "'quoted'"


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-01-15", datetime(2026, 1, 14, 23, tzinfo=UTC)),
        ("2026-07-15", datetime(2026, 7, 14, 22, tzinfo=UTC)),
        ("2026-07-15 06:30", datetime(2026, 7, 15, 4, 30, tzinfo=UTC)),
        ("2026-07-15T06:30:00+00:00", datetime(2026, 7, 15, 6, 30, tzinfo=UTC)),
        ("2026-07-15T06:30Z", datetime(2026, 7, 15, 6, 30, tzinfo=UTC)),
    ],
)
def test_dates_without_offset_are_local_time_with_summer_time(text: str, utc: datetime) -> None:
    assert parse_datetime(text, STOCKHOLM) == utc


@pytest.mark.parametrize("text", ["15/07/2026", "tomorrow", "2026-13-01", "2026-02-30"])
def test_a_date_that_is_no_date_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match="write 2026-12-31"):
        parse_datetime(text, STOCKHOLM)


def test_local_midnight_is_written_as_a_bare_date() -> None:
    assert format_datetime(datetime(2026, 7, 14, 22, tzinfo=UTC), STOCKHOLM) == "2026-07-15"
    assert format_datetime(datetime(2026, 7, 15, 4, 30, tzinfo=UTC), STOCKHOLM) == (
        "2026-07-15T06:30:00+02:00"
    )


@pytest.mark.parametrize(
    ("text", "value"), [("yes", True), ("JA", True), ("0", False), ("nej", False)]
)
def test_yes_and_no_in_english_or_swedish(text: str, value: bool) -> None:
    assert parse_yes_no(text) is value


def test_other_words_are_not_yes_or_no() -> None:
    with pytest.raises(ValueError, match="not yes or no"):
        parse_yes_no("maybe")
