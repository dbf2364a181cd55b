"""What the import preview says about each row of a tag file, before anything is written."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.access import Driver, Fleet
from app.domain.model import IdTag, IdTagStatus
from app.domain.tag_csv import MAX_ROWS, TagFileRefused
from app.domain.tag_import import (
    FieldChange,
    ImportRefused,
    Preview,
    PreviewRow,
    RowKind,
    TagRegister,
    build_preview,
    export_csv,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HEADER = "id_tag,status,expiry_date,driver_name,driver_email,fleet"

REGISTER = TagRegister(
    fleets=(Fleet(1, "Buses"), Fleet(2, "Vans")),
    drivers=(
        Driver(1, "Anna Berg", 1, "anna@depot.se", "+46 70 111 22 33"),
        Driver(2, "Bo Ek", None, "", "", "night shift"),
        Driver(3, "Cecilia Holm", 2, "cecilia@depot.se", active=False),
    ),
    tags=(
        IdTag("04A2B3C4", IdTagStatus.ACCEPTED, None, None, "blue card", 1),
        IdTag(
            "BUS-17", IdTagStatus.BLOCKED, datetime(2026, 12, 30, 23, tzinfo=UTC), "FLEET", "", 2
        ),
        IdTag("SPARE-1", IdTagStatus.ACCEPTED),
    ),
)


def preview(text: str, register: TagRegister = REGISTER) -> Preview:
    return build_preview(text.encode(), register, STOCKHOLM)


def only(p: Preview) -> PreviewRow:
    (row,) = p.rows
    return row


def changes(row: PreviewRow) -> dict[str, tuple[str, str]]:
    return {c.field: (c.old, c.new) for c in row.changes}


class TestReadingTheFile:
    def test_semicolons_from_swedish_excel_and_a_byte_order_mark_are_read(self) -> None:
        data = "\ufeffid_tag;status;driver_name\r\nNEW-1;Blocked;Anna Berg\r\n".encode()
        p = build_preview(data, REGISTER, STOCKHOLM)
        assert p.delimiter == ";"
        row = only(p)
        assert (row.id_tag, row.kind, row.driver) == ("NEW-1", RowKind.NEW, "Anna Berg")
        assert p.tag_writes[0].tag.status is IdTagStatus.BLOCKED

    def test_header_names_may_be_in_any_case_and_order(self) -> None:
        row = only(preview(" Driver_Name ,ID_TAG\nAnna Berg,SPARE-1\n"))
        assert row.kind is RowKind.CHANGED
        assert changes(row) == {"driver": ("", "Anna Berg")}

    def test_blank_lines_and_rows_of_empty_cells_are_skipped(self) -> None:
        p = preview("id_tag;status\n\nNEW-1;Accepted\n;\n;;\n")
        assert [r.line for r in p.rows] == [3]

    def test_line_numbers_count_lines_of_the_file_even_inside_quoted_notes(self) -> None:
        p = preview('id_tag,tag_note\nNEW-1,"two\nlines"\nNEW-2,x\n')
        assert [(r.id_tag, r.line) for r in p.rows] == [("NEW-1", 2), ("NEW-2", 4)]

    def test_an_unknown_column_refuses_the_file_and_names_the_known_ones(self) -> None:
        with pytest.raises(TagFileRefused, match=r"Unknown column 'expiry'.*expiry_date"):
            preview("id_tag,expiry\nA,2026-01-01\n")

    def test_a_file_without_an_id_tag_column_is_refused(self) -> None:
        with pytest.raises(TagFileRefused, match="no id_tag column"):
            preview("driver_name\nAnna\n")

    def test_driver_details_without_a_name_or_email_column_are_refused(self) -> None:
        with pytest.raises(TagFileRefused, match="driver_name or driver_email"):
            preview("id_tag,driver_phone\nA,123\n")

    def test_an_empty_file_says_what_the_header_is(self) -> None:
        with pytest.raises(TagFileRefused, match=r"empty.*id_tag,status"):
            preview("  \n")

    def test_a_file_in_another_encoding_is_refused_with_the_line(self) -> None:
        data = "id_tag,driver_name\nA,Åsa\n".encode("cp1252")
        with pytest.raises(TagFileRefused, match="Line 2 is not UTF-8"):
            build_preview(data, REGISTER)

    def test_a_file_over_five_megabytes_is_refused(self) -> None:
        data = b"id_tag\n" + b"A" * (5 * 1024 * 1024)
        with pytest.raises(TagFileRefused, match="at most 5 MB"):
            build_preview(data, REGISTER)

    def test_more_than_fifty_thousand_rows_are_refused(self) -> None:
        data = "id_tag\n" + "".join(f"T{i}\n" for i in range(MAX_ROWS + 1))
        with pytest.raises(TagFileRefused, match="more than 50,000 rows"):
            preview(data)

    def test_fifty_thousand_rows_are_fine(self) -> None:
        data = "id_tag\n" + "".join(f"T{i}\n" for i in range(MAX_ROWS))
        assert preview(data).count(RowKind.NEW) == MAX_ROWS


class TestInvalidRows:
    def test_each_problem_of_a_row_is_named_with_its_line(self) -> None:
        row = only(preview(f"{HEADER}\nNEW-1,Active,31/12/2026,,,\n"))
        assert row.kind is RowKind.INVALID
        assert row.line == 2
        assert any("status 'Active' is not one of Accepted, Blocked" in p for p in row.problems)
        assert any("expiry_date '31/12/2026' is not a date" in p for p in row.problems)

    def test_a_tag_longer_than_twenty_characters_is_invalid(self) -> None:
        row = only(preview("id_tag\nABCDEFGHIJKLMNOPQRSTU\n"))
        assert row.kind is RowKind.INVALID
        assert row.problems == (
            "an id tag has at most 20 characters (OCPP 1.6); 'ABCDEFGHIJKLMNOPQRSTU' has 21",
        )

    def test_a_row_without_a_tag_is_invalid(self) -> None:
        row = only(preview("id_tag,driver_name\n,Anna Berg\n"))
        assert (row.kind, row.problems) == (RowKind.INVALID, ("an id tag cannot be blank",))

    def test_concurrent_tx_is_an_answer_not_a_status(self) -> None:
        assert only(preview("id_tag,status\nA,ConcurrentTx\n")).kind is RowKind.INVALID

    @pytest.mark.parametrize(
        ("cells", "problem"),
        [
            (
                "A,0,,",
                "max_concurrent: 1 to 100 per tag, got 0 (block the tag to stop it charging)",
            ),
            ("A,two,,", "max_concurrent 'two' is not a whole number"),
            (
                "A,1,Anna,not-an-email",
                "driver_email: 'not-an-email' is not an email address (name@example.com)",
            ),
            ("A,1,,x@y.se", "no driver has the email x@y.se; a new driver needs a driver_name"),
            ("A,1,Anna Berg,anna@depot.se,extra", "the row has 1 more cells than the header"),
        ],
    )
    def test_bad_cells_are_explained(self, cells: str, problem: str) -> None:
        row = only(preview(f"id_tag,max_concurrent,driver_name,driver_email\n{cells}\n"))
        assert row.kind is RowKind.INVALID
        assert problem in row.problems

    def test_a_driver_name_two_drivers_share_needs_an_email(self) -> None:
        twins = TagRegister(drivers=(Driver(1, "Bo Ek"), Driver(2, "Bo Ek")))
        row = only(preview("id_tag,driver_name\nA,Bo Ek\n", twins))
        assert row.kind is RowKind.INVALID
        assert "give a driver_email to say which" in row.problems[0]

    def test_one_driver_described_two_ways_is_invalid_on_the_later_row(self) -> None:
        p = preview("id_tag,driver_name,driver_phone\nA,Dan,070-111 11\nB,Dan,070-222 22\n")
        assert [r.kind for r in p.rows] == [RowKind.NEW, RowKind.INVALID]
        assert p.rows[1].problems == ("driver Dan has other driver_phone on line 2",)

    def test_a_tag_with_a_space_inside_is_invalid_but_a_spaced_hex_uid_is_fine(self) -> None:
        p = preview("id_tag\nAB C\n04 A2 B3 C4\n")
        assert [(r.id_tag, r.kind) for r in p.rows] == [
            ("AB C", RowKind.INVALID),
            ("04A2B3C4", RowKind.UNCHANGED),
        ]

    def test_a_tag_cannot_be_its_own_group(self) -> None:
        row = only(preview("id_tag,parent_id_tag\nNEW-1,new-1\n"))
        assert row.problems == ("group tag: a tag cannot be its own group",)

    def test_names_are_tidied_as_the_driver_form_tidies_them(self) -> None:
        row = only(preview("id_tag,driver_name,fleet\nNEW-1,  Bo   Ek ,  Vans\n"))
        assert (row.kind, row.driver, row.remarks) == (RowKind.NEW, "Bo Ek", ())

    def test_invalid_rows_block_the_import(self) -> None:
        p = preview("id_tag,status\nNEW-1,Accepted\nNEW-2,Maybe\n")
        assert not p.can_apply
        with pytest.raises(ImportRefused, match=r"invalid \(1\) or duplicate \(0\)"):
            p.refuse_unless_applicable()


class TestDuplicates:
    def test_the_same_tag_twice_flags_both_rows(self) -> None:
        p = preview("id_tag\nNEW-1\nOTHER\nnew-1\n")
        assert [r.kind for r in p.rows] == [RowKind.DUPLICATE, RowKind.NEW, RowKind.DUPLICATE]
        assert p.rows[0].problems == ("the same tag NEW-1 is also on line 4 as 'new-1'",)
        assert p.rows[2].problems == ("the same tag NEW-1 is also on line 2",)
        assert not p.can_apply

    def test_spellings_of_one_uid_with_separators_are_duplicates(self) -> None:
        p = preview("id_tag\n04:A2\n04a2\n")
        assert [r.kind for r in p.rows] == [RowKind.DUPLICATE, RowKind.DUPLICATE]
        assert {r.id_tag for r in p.rows} == {"04A2"}


class TestComparing:
    def test_rows_equal_to_what_is_stored_are_unchanged_and_write_nothing(self) -> None:
        p = preview(
            "id_tag,status,driver_name,driver_email,fleet\n"
            "04:a2:b3:c4,Accepted,Anna Berg,anna@depot.se,Buses\n"
        )
        assert only(p).kind is RowKind.UNCHANGED
        assert p.can_apply
        assert not p.has_changes

    def test_a_changed_tag_lists_each_field_old_and_new(self) -> None:
        row = only(
            preview("id_tag,status,expiry_date,parent_id_tag\nBUS-17,Accepted,2027-06-01 08:00,\n")
        )
        assert row.kind is RowKind.CHANGED
        assert changes(row) == {
            "status": ("Blocked", "Accepted"),
            "expiry_date": ("2026-12-31", "2027-06-01T08:00:00+02:00"),
            "parent_id_tag": ("FLEET", ""),
        }

    def test_local_dates_are_stored_in_utc(self) -> None:
        p = preview("id_tag,expiry_date\nA,2026-12-31\nB,2026-07-01T12:00\nC,2026-07-01T12:00Z\n")
        stored = [w.tag.expiry_date for w in p.tag_writes]
        assert stored == [
            datetime(2026, 12, 30, 23, tzinfo=UTC),
            datetime(2026, 7, 1, 10, tzinfo=UTC),
            datetime(2026, 7, 1, 12, tzinfo=UTC),
        ]

    def test_columns_left_out_of_the_file_keep_their_values(self) -> None:
        p = preview("id_tag,status\nBUS-17,Blocked\n04A2B3C4,Blocked\n")
        assert [r.kind for r in p.rows] == [RowKind.UNCHANGED, RowKind.CHANGED]
        (write,) = p.tag_writes
        assert write.tag == IdTag("04A2B3C4", IdTagStatus.BLOCKED, None, None, "blue card", 1)

    def test_empty_cells_clear_values_and_an_empty_status_is_accepted(self) -> None:
        row = only(preview("id_tag,status,tag_note,driver_name,driver_email\n04A2B3C4,,,,\n"))
        assert changes(row) == {"tag_note": ("blue card", ""), "driver": ("Anna Berg", "")}

    def test_a_driver_found_by_email_shows_the_details_that_change(self) -> None:
        row = only(
            preview(
                "id_tag,driver_name,driver_email,driver_phone,fleet,driver_active\n"
                "SPARE-1,Anna Berg-Lind,anna@depot.se,+46 70 111 22 33,Vans,no\n"
            )
        )
        assert row.kind is RowKind.CHANGED
        assert changes(row) == {
            "driver": ("", "Anna Berg-Lind"),
            "driver_name": ("Anna Berg", "Anna Berg-Lind"),
            "fleet": ("Buses", "Vans"),
            "driver_active": ("yes", "no"),
        }

    def test_a_driver_without_email_is_found_by_exact_name(self) -> None:
        p = preview("id_tag,driver_name\nNEW-1,Bo Ek\nNEW-2,bo ek\n")
        assert [r.remarks for r in p.rows] == [(), ("new driver bo ek",)]
        assert p.tag_writes[0].tag.driver_id == 2
        assert [d.values.name for d in p.new_drivers] == ["bo ek"]

    def test_new_drivers_and_fleets_are_shown_and_created_once(self) -> None:
        p = preview(
            "id_tag,driver_name,driver_email,fleet\n"
            "NEW-1,Dan Ny,dan@depot.se,Taxis\n"
            "NEW-2,Dan Ny,dan@depot.se,taxis\n"
            "NEW-3,Eva,,buses\n"
        )
        assert [r.kind for r in p.rows] == [RowKind.NEW] * 3
        assert p.rows[0].remarks == ("new driver Dan Ny", "new fleet Taxis")
        assert p.new_fleets == ("Taxis",)
        assert [(d.key, d.values.fleet) for d in p.new_drivers] == [
            ("email:dan@depot.se", "Taxis"),
            ("name:Eva", "Buses"),
        ]
        assert [w.new_driver for w in p.tag_writes] == ["email:dan@depot.se"] * 2 + ["name:Eva"]

    def test_counts_cover_every_kind(self) -> None:
        p = preview("id_tag,status\nSPARE-1,Accepted\nBUS-17,Accepted\nNEW-1,\nX,Nope\n")
        assert p.counts == {
            RowKind.NEW: 1,
            RowKind.CHANGED: 1,
            RowKind.UNCHANGED: 1,
            RowKind.DUPLICATE: 0,
            RowKind.INVALID: 1,
        }

    def test_the_fingerprint_follows_any_change_of_the_state(self) -> None:
        other = TagRegister(REGISTER.fleets, REGISTER.drivers, REGISTER.tags[:-1])
        assert preview("id_tag\nA\n").fingerprint == REGISTER.fingerprint()
        assert REGISTER.fingerprint() != other.fingerprint()


class TestExport:
    def test_an_export_imported_again_changes_nothing(self) -> None:
        for delimiter in (",", ";"):
            text = export_csv(REGISTER, STOCKHOLM, delimiter)
            p = preview(text)
            assert p.count(RowKind.UNCHANGED) == len(REGISTER.tags), p.rows
            assert not p.has_changes

    def test_the_export_has_the_documented_header_and_one_row_per_tag(self) -> None:
        lines = export_csv(REGISTER, STOCKHOLM).splitlines()
        assert lines[0] == (
            "id_tag,status,expiry_date,parent_id_tag,max_concurrent,tag_note,"
            "driver_name,driver_email,driver_phone,fleet,driver_active,driver_notes"
        )
        assert lines[1] == (
            "04A2B3C4,Accepted,,,1,blue card,Anna Berg,anna@depot.se,'+46 70 111 22 33,Buses,yes,"
        )
        assert lines[2] == "BUS-17,Blocked,2026-12-31,FLEET,1,,Bo Ek,,,,yes,night shift"
        assert lines[3] == "SPARE-1,Accepted,,,1,,,,,,,"

    def test_cells_a_spreadsheet_would_run_as_formulas_are_exported_as_text(self) -> None:
        sneaky = TagRegister(
            drivers=(Driver(1, '=HYPERLINK("http://x")', notes="@SUM(A1)"),),
            tags=(IdTag("A", IdTagStatus.ACCEPTED, note="-2+3", driver_id=1),),
        )
        row = export_csv(sneaky).splitlines()[1]
        assert "'-2+3" in row
        assert "'@SUM(A1)" in row
        assert '"\'=HYPERLINK(""http://x"")"' in row
        p = build_preview(export_csv(sneaky).encode(), sneaky)
        assert only(p).kind is RowKind.UNCHANGED

    def test_unchanged_rows_report_no_field_changes(self) -> None:
        p = preview(export_csv(REGISTER, STOCKHOLM))
        assert all(r.changes == () for r in p.rows)
        assert FieldChange("status", "a", "b") != FieldChange("status", "a", "c")


class TestWhatChargersAreTold:
    def test_new_accepted_tags_take_nothing_away(self) -> None:
        p = preview("id_tag\nNEW-1\nNEW-2\n")
        assert (p.revoked, p.blocked_tags) == (False, ())

    def test_a_blocked_group_tag_blocks_its_members_too(self) -> None:
        grouped = TagRegister(
            tags=(
                IdTag("FLEET", IdTagStatus.ACCEPTED),
                IdTag("M-1", IdTagStatus.ACCEPTED, parent_id_tag="FLEET"),
                IdTag("M-2", IdTagStatus.ACCEPTED, parent_id_tag="FLEET"),
            )
        )
        p = preview("id_tag,status\nFLEET,Blocked\n", grouped)
        assert p.revoked
        assert p.blocked_tags == ("FLEET", "M-1", "M-2")

    def test_a_driver_made_inactive_blocks_every_tag_of_theirs(self) -> None:
        p = preview("id_tag,driver_name,driver_email,driver_active\nBUS-17,Bo Ek,,no\n")
        assert p.revoked
        assert p.blocked_tags == ("BUS-17",)

    def test_a_shorter_expiry_may_take_access_away_without_blocking(self) -> None:
        p = preview("id_tag,expiry_date\nSPARE-1,2027-01-01\n")
        assert (p.revoked, p.blocked_tags) == (True, ())
