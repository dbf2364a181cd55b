"""Id tags as a desk types them and a charger reports them; what a charger is answered."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from app.domain.access import AccessRule, Subject
from app.domain.access_forms import (
    checked_email,
    checked_max_concurrent,
    checked_name,
    checked_phone,
    checked_rule,
    checked_tag,
)
from app.domain.authorization import checked_id_tag, decide, normalise_id_tag
from app.domain.errors import InvalidInput
from app.domain.model import IdTag, IdTagStatus

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=30)


class TestSpelling:
    @pytest.mark.parametrize(
        "typed",
        ["04:a2:b3:c4", "04-A2-B3-C4", "04 a2 b3 c4", " 04A2B3C4 ", "04a2b3c4"],
    )
    def test_a_hex_uid_is_stored_as_plain_upper_case_hex(self, typed: str) -> None:
        assert normalise_id_tag(typed) == "04A2B3C4"

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("abc-123", "ABC-123"),  # not byte pairs: kept as written
            ("04:A2-B3:C4", "04:A2-B3:C4"),  # mixed separators are no UID notation
            ("van 4", "VAN 4"),
            ("SE-CDK-C12345678-9", "SE-CDK-C12345678-9"),
        ],
    )
    def test_anything_else_keeps_its_characters(self, typed: str, stored: str) -> None:
        assert normalise_id_tag(typed) == stored

    def test_a_ten_byte_uid_with_separators_fits_once_they_are_gone(self) -> None:
        assert checked_id_tag("04:11:22:33:44:55:66:77:88:99") == "04112233445566778899"


class TestMalformedTags:
    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("", "cannot be blank"),
            ("   ", "cannot be blank"),
            ("T" * 21, "at most 20 characters"),
            ("van 4", "no spaces"),
            ("TAB\tBED", "no spaces"),
            ("BELL\x07", "control characters"),
        ],
    )
    def test_is_refused_with_what_is_wrong(self, typed: str, message: str) -> None:
        with pytest.raises(InvalidInput, match=message):
            checked_id_tag(typed)


class TestForms:
    def test_names_are_trimmed_and_needed(self) -> None:
        assert checked_name("  Anna   Berg ", "name") == "Anna Berg"
        with pytest.raises(InvalidInput, match="name: a name is needed"):
            checked_name("  ", "name")

    @pytest.mark.parametrize("bad", ["anna", "anna@", "@x.se", "a b@x.se", "anna@x"])
    def test_an_email_must_look_like_one(self, bad: str) -> None:
        with pytest.raises(InvalidInput, match="email"):
            checked_email(bad)

    def test_email_and_phone_may_be_left_empty(self) -> None:
        assert (checked_email(" "), checked_phone("")) == ("", "")
        assert checked_phone("+46 (0)70-123 45 67") == "+46 (0)70-123 45 67"

    @pytest.mark.parametrize("bad", ["call me", "123", "+46 70 12x"])
    def test_a_phone_number_is_digits_and_separators(self, bad: str) -> None:
        with pytest.raises(InvalidInput, match="phone"):
            checked_phone(bad)

    @pytest.mark.parametrize("bad", [0, -1, 101])
    def test_sessions_at_once_is_one_or_more(self, bad: int) -> None:
        with pytest.raises(InvalidInput, match="sessions at once"):
            checked_max_concurrent(bad)

    @pytest.mark.parametrize(
        ("rule", "message"),
        [
            (AccessRule(0, Subject.FLEET), "needs the fleet"),
            (AccessRule(0, Subject.NO_FLEET, fleet_id=3), "names no fleet"),
            (AccessRule(0, Subject.EVERYONE, weekdays=frozenset()), "at least one day"),
            (AccessRule(0, Subject.EVERYONE, weekdays=frozenset({7})), "0 \\(Monday\\)"),
            (AccessRule(0, Subject.EVERYONE, site_id=1, station_id="CP"), "not both"),
            (AccessRule(0, Subject.EVERYONE, start=time(8, 0, 30)), "whole minutes"),
        ],
    )
    def test_a_rule_that_cannot_work_is_refused(self, rule: AccessRule, message: str) -> None:
        with pytest.raises(InvalidInput, match=message):
            checked_rule(rule)


class TestTagForm:
    def test_a_new_card_is_stored_in_its_canonical_spelling(self) -> None:
        typed = IdTag(" 04:a2:b3:c4 ", IdTagStatus.ACCEPTED, LATER, " fleet-1 ", note=" van ")
        stored = checked_tag(typed, NOW, new=True)
        assert (stored.id_tag, stored.parent_id_tag, stored.note) == ("04A2B3C4", "FLEET-1", "van")

    def test_a_blank_group_is_no_group(self) -> None:
        assert checked_tag(IdTag("A", IdTagStatus.ACCEPTED, parent_id_tag="  "), NOW, new=True) == (
            IdTag("A", IdTagStatus.ACCEPTED)
        )

    def test_a_past_expiry_ends_an_existing_card_but_is_refused_for_a_new_one(self) -> None:
        old = IdTag("A", IdTagStatus.ACCEPTED, NOW - timedelta(days=1))
        assert checked_tag(old, NOW, new=False) == old
        with pytest.raises(InvalidInput, match="has passed"):
            checked_tag(old, NOW, new=True)

    @pytest.mark.parametrize(
        ("tag", "message"),
        [
            (IdTag("A", IdTagStatus.CONCURRENT_TX), "an answer, not a status"),
            (IdTag("A", IdTagStatus.ACCEPTED, datetime(2027, 1, 1)), "time zone"),
            (IdTag("A", IdTagStatus.ACCEPTED, parent_id_tag="a"), "its own group"),
            (IdTag("A", IdTagStatus.ACCEPTED, max_concurrent=0), "sessions at once"),
            (IdTag("A", IdTagStatus.ACCEPTED, parent_id_tag="G 1"), "group tag"),
        ],
    )
    def test_a_card_that_cannot_work_is_refused(self, tag: IdTag, message: str) -> None:
        with pytest.raises(InvalidInput, match=message):
            checked_tag(tag, NOW, new=True)


class TestAnswers:
    TAG = IdTag("VAN-1", IdTagStatus.ACCEPTED, LATER, "FLEET", max_concurrent=2)

    def test_a_walk_in_is_accepted_only_where_the_public_may_charge(self) -> None:
        assert decide(None, NOW, accept_unknown=True).status is IdTagStatus.ACCEPTED
        refused = decide(None, NOW, accept_unknown=True, allowed=False)
        assert refused.status is IdTagStatus.INVALID
        busy = decide(None, NOW, accept_unknown=True, open_sessions=1)
        assert busy.status is IdTagStatus.CONCURRENT_TX

    def test_an_inactive_driver_is_blocked(self) -> None:
        info = decide(self.TAG, NOW, accept_unknown=False, driver_active=False)
        assert (info.status, info.parent_id_tag) == (IdTagStatus.BLOCKED, "FLEET")

    def test_not_here_or_not_now_is_invalid(self) -> None:
        info = decide(self.TAG, NOW, accept_unknown=False, allowed=False)
        assert info.status is IdTagStatus.INVALID
        assert info.expiry_date == LATER

    def test_sessions_beyond_the_tags_limit_are_concurrent(self) -> None:
        one = decide(self.TAG, NOW, accept_unknown=False, open_sessions=1)
        two = decide(self.TAG, NOW, accept_unknown=False, open_sessions=2)
        assert (one.status, two.status) == (IdTagStatus.ACCEPTED, IdTagStatus.CONCURRENT_TX)

    def test_an_acceptance_expires_with_the_tag_its_group_or_the_window(self) -> None:
        window = NOW + timedelta(hours=6)
        group = IdTag("FLEET", IdTagStatus.ACCEPTED, NOW + timedelta(days=2))
        info = decide(self.TAG, NOW, accept_unknown=False, allowed_until=window)
        assert info.expiry_date == window
        info = decide(self.TAG, NOW, accept_unknown=False, parent=group)
        assert info.expiry_date == group.expiry_date

    def test_an_expired_group_expires_its_members(self) -> None:
        group = IdTag("FLEET", IdTagStatus.ACCEPTED, NOW - timedelta(seconds=1))
        info = decide(self.TAG, NOW, accept_unknown=False, parent=group)
        assert info.status is IdTagStatus.EXPIRED
