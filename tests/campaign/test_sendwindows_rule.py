"""send_windows(rule=...) and next_send_time(rule=...): the vendor's Paris clock, the
recipient's clock and both; the vendor_* columns; the supported date range; the vendor's
delivery and the departments to schedule by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smsp_analytics import next_send_time, send_windows, vendor_delivery, vendor_flags

PARIS = ZoneInfo("Europe/Paris")
ZONES = {
    "971": ZoneInfo("America/Guadeloupe"),
    "973": ZoneInfo("America/Cayenne"),
    "974": ZoneInfo("Indian/Reunion"),
    "976": ZoneInfo("Indian/Mayotte"),
}
RULES = ("vendor", "local", "both")


def hours(a, b) -> str:
    return f"{a:%H:%M}-{b:%H:%M}"


def windows(deps, start: str, days: int, rule: str) -> pd.DataFrame:
    return send_windows(deps, start, days=days, rule=rule).set_index(["department", "date"])


# The last weekends of March and October 2026: Paris changes offset on Sunday 29 March
# (UTC+1 -> UTC+2) and Sunday 25 October (back to UTC+1); the overseas zones never do.
DST = [
    # start, the Saturday before the change, the Monday after it
    ("2026-03-28", date(2026, 3, 28), date(2026, 3, 30)),
    ("2026-10-24", date(2026, 10, 24), date(2026, 10, 26)),
]
# (department, day) -> {rule: (local window, Paris window)}
EXPECTED = {
    ("75", date(2026, 3, 28)): {r: ("08:00-20:00", "08:00-20:00") for r in RULES},
    ("57", date(2026, 3, 30)): {r: ("08:00-20:00", "08:00-20:00") for r in RULES},
    ("67", date(2026, 10, 26)): {r: ("08:00-20:00", "08:00-20:00") for r in RULES},
    # Guadeloupe, UTC-4: 5 hours behind Paris in winter, 6 in summer.
    ("971", date(2026, 3, 28)): {
        "vendor": ("03:00-15:00", "08:00-20:00"),
        "local": ("08:00-20:00", "13:00-01:00"),
        "both": ("08:00-15:00", "13:00-20:00"),
    },
    ("971", date(2026, 3, 30)): {
        "vendor": ("02:00-14:00", "08:00-20:00"),
        "local": ("08:00-20:00", "14:00-02:00"),
        "both": ("08:00-14:00", "14:00-20:00"),
    },
    ("971", date(2026, 10, 24)): {
        "vendor": ("02:00-14:00", "08:00-20:00"),
        "local": ("08:00-20:00", "14:00-02:00"),
        "both": ("08:00-14:00", "14:00-20:00"),
    },
    ("971", date(2026, 10, 26)): {
        "vendor": ("03:00-15:00", "08:00-20:00"),
        "local": ("08:00-20:00", "13:00-01:00"),
        "both": ("08:00-15:00", "13:00-20:00"),
    },
    # La Reunion, UTC+4: 3 hours ahead in winter, 2 in summer.
    ("974", date(2026, 3, 28)): {
        "vendor": ("11:00-23:00", "08:00-20:00"),
        "local": ("08:00-20:00", "05:00-17:00"),
        "both": ("11:00-20:00", "08:00-17:00"),
    },
    ("974", date(2026, 3, 30)): {
        "vendor": ("10:00-22:00", "08:00-20:00"),
        "local": ("08:00-20:00", "06:00-18:00"),
        "both": ("10:00-20:00", "08:00-18:00"),
    },
    ("974", date(2026, 10, 26)): {
        "vendor": ("11:00-23:00", "08:00-20:00"),
        "local": ("08:00-20:00", "05:00-17:00"),
        "both": ("11:00-20:00", "08:00-17:00"),
    },
}


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("start, saturday, monday", DST)
def test_rule_across_the_summer_time_changes(rule, start, saturday, monday) -> None:
    deps = ["75", "57", "67", "971", "974"]
    w = windows(deps, start, 3, rule)
    assert w.attrs["rule"] == rule
    for (dep, day), by_rule in EXPECTED.items():
        if day not in (saturday, monday):
            continue
        row = w.loc[(dep, day)]
        assert row["open"] and row["vendor_open"], (dep, day)
        got = (
            hours(row["local_start"], row["local_end"]),
            hours(row["paris_start"], row["paris_end"]),
        )
        assert got == by_rule[rule], (dep, day, rule)
        # Whatever the rule: the vendor's own window, in Paris time, real 12 hours.
        assert hours(row["vendor_start"], row["vendor_end"]) == "08:00-20:00"
        assert row["vendor_end"] - row["vendor_start"] == timedelta(hours=12)
        assert row["vendor_outside_local"] == (dep in ("971", "974")), (dep, day)
    sunday = saturday + timedelta(days=1)
    for dep in deps:
        row = w.loc[(dep, sunday)]
        assert not row["open"] and not row["vendor_open"] and row["reason"] == "Sunday"
        assert not row["vendor_outside_local"] and pd.isna(row["vendor_start"])


@pytest.mark.parametrize(
    "rule, open_57, reason_57",
    [("vendor", True, ""), ("local", False, "Good Friday"), ("both", False, "Good Friday")],
)
def test_good_friday_in_alsace_moselle_against_the_national_calendar(
    rule, open_57, reason_57
) -> None:
    w = windows(["57", "67", "68", "75", "54"], "2026-04-03", 1, rule)
    friday = date(2026, 4, 3)
    for dep in ("57", "67", "68"):
        row = w.loc[(dep, friday)]
        assert (row["open"], row["reason"]) == (open_57, reason_57), dep
        assert row["vendor_open"] and row["vendor_outside_local"]  # the vendor sends
    for dep in ("75", "54"):
        row = w.loc[(dep, friday)]
        assert row["open"] and row["vendor_open"] and not row["vendor_outside_local"]
    thursday_night = datetime(2026, 4, 2, 21, 0, tzinfo=PARIS)
    assert next_send_time("57", thursday_night, rule="vendor") == datetime(
        2026, 4, 3, 8, tzinfo=PARIS
    )
    for rule_ in ("local", "both"):
        assert next_send_time("57", thursday_night, rule=rule_) == datetime(
            2026, 4, 4, 8, tzinfo=PARIS
        )
        assert next_send_time("75", thursday_night, rule=rule_) == datetime(
            2026, 4, 3, 8, tzinfo=PARIS
        )


def test_overseas_holidays_close_the_local_rule_only() -> None:
    # Guadeloupe's abolition of slavery (Wednesday 27 May 2026), La Reunion's (Saturday
    # 20 December 2025), Mayotte's (Monday 27 April 2026): the vendor sends all the same.
    for dep, when in [("971", "2026-05-27"), ("974", "2025-12-20"), ("976", "2026-04-27")]:
        day = date.fromisoformat(when)
        v = windows([dep], when, 1, "vendor").loc[(dep, day)]
        loc = windows([dep], when, 1, "local").loc[(dep, day)]
        assert v["open"] and v["reason"] == "" and v["vendor_outside_local"], dep
        assert not loc["open"] and loc["reason"] == "Abolition of Slavery", dep
        assert loc["vendor_open"] and loc["vendor_outside_local"], dep
    # Tuesday 23:00 in Guadeloupe: the vendor delivers on the holiday at 08:00 Paris time
    # (02:00 there); the recipient's rule waits for Thursday 08:00 local time.
    tuesday_night = datetime(2026, 5, 26, 23, 0, tzinfo=ZONES["971"])
    assert next_send_time("971", tuesday_night, rule="vendor") == datetime(
        2026, 5, 27, 8, tzinfo=PARIS
    )
    assert next_send_time("971", tuesday_night, rule="local") == datetime(
        2026, 5, 28, 8, tzinfo=ZONES["971"]
    )
    # A national holiday closes the vendor too: nothing to flag.
    w = windows(["75", "57", "971", "974"], "2026-07-14", 1, "vendor")
    assert not w["vendor_open"].any() and not w["vendor_outside_local"].any()
    assert set(w["reason"]) == {"National Day"}


@pytest.mark.parametrize("bad", ["paris", "VENDOR", "", None, 1])
def test_bad_rule_names_the_argument_and_the_allowed_values(bad) -> None:
    for call in (
        lambda: send_windows(["75"], "2026-04-03", rule=bad),
        lambda: next_send_time("75", datetime(2026, 4, 3, 9, tzinfo=PARIS), rule=bad),
    ):
        with pytest.raises(ValueError, match="rule") as err:
            call()
        assert all(r in str(err.value) for r in ("'vendor'", "'local'", "'both'"))


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: send_windows(["75"], date(1, 1, 1)), "start"),
        (lambda: send_windows(["75"], "9999-12-31", days=1), "start"),
        (lambda: send_windows(["971"], datetime(9999, 12, 31, 12), days=1), "start"),
        (lambda: send_windows(["75"], "2199-12-30", days=7), "start"),  # its last day is past
        (lambda: send_windows(["75"], "1969-12-31", days=1), "start"),
        (lambda: next_send_time("75", datetime(1, 1, 1, tzinfo=UTC)), "after"),
        (lambda: next_send_time("971", datetime(9999, 12, 31, 23, 0)), "after"),
        (
            lambda: next_send_time("974", datetime(9999, 12, 31, 23, 0, tzinfo=UTC), rule="vendor"),
            "after",
        ),
        (lambda: vendor_delivery(["971"], datetime(9999, 12, 31, 23, 0)), "after"),
    ],
)
def test_years_1_and_9999_are_refused_with_the_range(call, field) -> None:
    with pytest.raises(ValueError, match=f"^{field}: ") as err:
        call()
    assert "1970-01-01 to 2199-12-31" in str(err.value)


def test_the_ends_of_the_range_still_work() -> None:
    w = send_windows(["971", "75"], "2199-12-25", days=7)
    assert w["date"].max() == date(2199, 12, 31) and w["open"].any()
    assert send_windows(["974"], "1970-01-01", days=1)["vendor_open"].tolist() == [False]
    at = next_send_time("971", datetime(2199, 12, 31, 21, 0, tzinfo=PARIS))
    assert at.date() >= date(2200, 1, 1)  # the search may go past the last date


@settings(max_examples=30, deadline=None)
@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    st.sampled_from(["75", "57", "67", "971", "973", "974", "976"]),
)
def test_each_rule_lands_in_its_window_and_both_is_the_latest(after: datetime, dep: str) -> None:
    after = after.replace(tzinfo=UTC)
    got = {r: next_send_time(dep, after, rule=r) for r in RULES}
    for rule, at in got.items():
        assert at >= after and next_send_time(dep, at, rule=rule) == at
        local = at.astimezone(ZONES.get(dep, PARIS))
        row = send_windows([dep], local.date(), days=1, rule=rule).iloc[0]
        assert row["open"] and row["paris_start"] <= at < row["paris_end"], rule
    # Both rules must allow the instant: never earlier than either alone.
    assert got["both"] >= max(got["vendor"], got["local"])


def test_vendor_delivery_in_paris_and_local_time() -> None:
    friday_night = datetime(2026, 11, 27, 22, 30, tzinfo=PARIS)
    d = vendor_delivery(["75", "971", "974"], friday_night).set_index("department")
    assert (d["vendor_at"] == pd.Timestamp("2026-11-28 08:00", tz="Europe/Paris")).all()
    assert f"{d.loc['971', 'local_at']:%a %H:%M %Z}" == "Sat 03:00 AST"
    assert d.loc["971", "note"] == "before 08:00 local time" and not d.loc["971", "inside_local"]
    assert d.loc["974", "inside_local"] and d.loc["974", "note"] == ""
    assert d.loc["75", "inside_local"]
    # Submitted at 19:30 Paris: the vendor sends at once, 22:30 in La Reunion.
    evening = datetime(2026, 11, 27, 19, 30, tzinfo=PARIS)
    d = vendor_delivery("974", evening).iloc[0]
    assert d["vendor_at"] == pd.Timestamp(evening) and d["note"] == "after 20:00 local time"
    d = vendor_delivery("57", datetime(2026, 4, 2, 21, 0)).iloc[0]  # naive: Paris
    assert d["vendor_at"] == pd.Timestamp("2026-04-03 08:00", tz="Europe/Paris")
    assert d["note"] == "Good Friday, a local holiday"


def test_vendor_flags_whatever_the_rule_of_the_frame() -> None:
    deps = ["75", "57", "971", "974"]
    got = {r: vendor_flags(send_windows(deps, "2026-03-30", days=7, rule=r)) for r in RULES}
    for r in RULES:
        assert got[r].equals(got["both"]), r
    f = got["both"].set_index("department")
    assert f["flagged"].to_dict() == {"75": False, "57": True, "971": True, "974": True}
    assert f.loc["75", "detail"] == "" and f.loc["75", "vendor_days"] == 6
    assert f.loc["57", "detail"] == "Fri 2026-04-03, Good Friday, a local holiday"
    assert f.loc["57", "outside_days"] == 1
    assert f.loc["974", "detail"] == "vendor hours 10:00-22:00 local time on 6 of 6 days"
    assert f.loc["971", "detail"] == (
        "vendor hours 02:00-14:00 local time on 5 of 6 days; "
        "Fri 2026-04-03, Good Friday, a local holiday"
    )
    # The October change splits Guadeloupe's hours in two.
    october = vendor_flags(send_windows(["971"], "2026-10-24", days=3)).iloc[0]
    assert october["detail"] == (
        "vendor hours 02:00-14:00 local time on 1 of 2 days, 03:00-15:00 local time on 1 of 2 days"
    )
    with pytest.raises(ValueError, match="windows: columns .*vendor_open"):
        vendor_flags(pd.DataFrame({"department": ["75"], "date": [date(2026, 4, 3)]}))
