from datetime import UTC, datetime, timedelta

from app.sim.local_auth import AuthorizationCache, IdTagInfo, LocalAuthList, parse_id_tag_info

NOW = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def entry(tag: str, status: str | None = "Accepted", **info: object) -> dict[str, object]:
    if status is None:
        return {"id_tag": tag}
    return {"id_tag": tag, "id_tag_info": {"status": status, **info}}


def test_full_update_replaces_the_list_and_sets_the_version() -> None:
    local = LocalAuthList()
    assert local.version == 0
    assert local.apply(3, "Full", [entry("A"), entry("B", "Blocked")]) == "Accepted"
    assert local.version == 3
    assert local.lookup("A", NOW) == "Accepted"
    assert local.lookup("B", NOW) == "Blocked"
    assert local.apply(1, "Full", [entry("C")]) == "Accepted"
    assert (local.version, local.lookup("A", NOW), local.lookup("C", NOW)) == (1, None, "Accepted")


def test_differential_needs_a_newer_version() -> None:
    local = LocalAuthList()
    local.apply(5, "Full", [entry("A")])
    assert local.apply(5, "Differential", [entry("B")]) == "VersionMismatch"
    assert local.apply(4, "Differential", [entry("B")]) == "VersionMismatch"
    assert local.lookup("B", NOW) is None
    assert local.version == 5


def test_differential_adds_updates_and_removes() -> None:
    local = LocalAuthList()
    local.apply(1, "Full", [entry("A"), entry("B")])
    assert local.apply(
        2, "Differential", [entry("A", "Blocked"), entry("B", None), entry("C")]
    ) == ("Accepted")
    assert local.version == 2
    assert local.lookup("A", NOW) == "Blocked"
    assert local.lookup("B", NOW) is None
    assert local.lookup("C", NOW) == "Accepted"


def test_list_longer_than_allowed_fails_without_changes() -> None:
    local = LocalAuthList(max_length=2)
    local.apply(1, "Full", [entry("A")])
    assert local.apply(2, "Full", [entry("A"), entry("B"), entry("C")]) == "Failed"
    assert local.version == 1
    assert local.lookup("A", NOW) == "Accepted"


def test_expired_entries_report_expired() -> None:
    local = LocalAuthList()
    local.apply(1, "Full", [entry("A", expiry_date="2025-01-06T09:00:00Z")])
    assert local.lookup("A", NOW) == "Accepted"
    assert local.lookup("A", NOW + timedelta(hours=2)) == "Expired"


def test_cache_remembers_and_clears() -> None:
    cache = AuthorizationCache()
    cache.remember("A", IdTagInfo("Accepted"))
    assert cache.lookup("A", NOW) == "Accepted"
    cache.clear()
    assert cache.lookup("A", NOW) is None


def test_parse_id_tag_info_reads_both_casings() -> None:
    assert parse_id_tag_info({"status": "Accepted", "parentIdTag": "P"}) == IdTagInfo(
        "Accepted", None, "P"
    )
    assert parse_id_tag_info({"status": "Blocked", "parent_id_tag": "P"}) == IdTagInfo(
        "Blocked", None, "P"
    )
    assert parse_id_tag_info(None) is None
