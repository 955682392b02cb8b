"""send_windows and next_send_time: 08:00-20:00 Monday to Saturday, holidays, time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smsp_analytics import next_send_time, send_windows

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")
GUADELOUPE = ZoneInfo("America/Guadeloupe")


def day(deps, when: str) -> pd.DataFrame:
    return send_windows(deps, when, days=1).set_index("department")


def hours(ts) -> str:
    return ts.strftime("%H:%M%z")


def test_columns_and_types() -> None:
    w = send_windows(["75", "2A", "974"], date(2026, 11, 23), days=7)
    assert list(w.columns) == [
        "department",
        "date",
        "open",
        "local_start",
        "local_end",
        "paris_start",
        "paris_end",
        "reason",
        "vendor_open",
        "vendor_start",
        "vendor_end",
        "vendor_outside_local",
    ]
    assert str(w["vendor_start"].dt.tz) == "Europe/Paris" and w.attrs["rule"] == "both"
    assert len(w) == 21 and w["date"].iloc[6] == date(2026, 11, 29)
    assert w["department"].tolist()[::7] == ["75", "2A", "974"]
    assert str(w["paris_start"].dt.tz) == "Europe/Paris"
    open_ = w[w["open"]]
    assert {str(t.tzinfo) for t in open_["local_start"]} == {"Europe/Paris", "Indian/Reunion"}
    assert (open_["paris_start"] < open_["paris_end"]).all()
    assert (w.loc[w["open"], "reason"] == "").all()


def test_saturday_open_sunday_closed() -> None:
    w = send_windows(["75"], "2026-11-28", days=2)
    sat, sun = w.iloc[0], w.iloc[1]
    assert sat["open"] and sat["reason"] == ""
    assert (hours(sat["paris_start"]), hours(sat["paris_end"])) == ("08:00+0100", "20:00+0100")
    assert (hours(sat["local_start"]), hours(sat["local_end"])) == ("08:00+0100", "20:00+0100")
    assert not sun["open"] and sun["reason"] == "Sunday"
    assert pd.isna(sun["local_start"]) and pd.isna(sun["paris_start"])


def test_national_holiday_closes_everyone() -> None:
    w = day(["75", "57", "67", "2B", "971", "974", "976"], "2026-07-14")
    assert not w["open"].any()
    assert set(w["reason"]) == {"National Day"}


@pytest.mark.parametrize(
    "when, name", [("2026-04-03", "Good Friday"), ("2026-12-26", "Saint Stephen's Day")]
)
def test_alsace_moselle_holidays_against_paris(when: str, name: str) -> None:
    w = day(["57", "67", "68", "75", "54"], when)
    assert w.loc[["57", "67", "68"], "reason"].tolist() == [name] * 3
    assert not w.loc[["57", "67", "68"], "open"].any()
    assert w.loc["75", "open"] and w.loc["54", "open"]  # Paris and Meurthe-et-Moselle


def test_overseas_own_holidays() -> None:
    w = day(["971", "972", "75"], "2026-05-27")  # Guadeloupe's abolition of slavery
    assert w.loc["971", "reason"] == "Abolition of Slavery" and not w.loc["971", "open"]
    assert w.loc["972", "open"] and w.loc["75", "open"]
    w = day(["974", "75"], "2025-12-20")  # La Reunion, a Saturday
    assert w.loc["974", "reason"] == "Abolition of Slavery" and not w.loc["974", "open"]
    assert w.loc["75", "open"]
    assert day(["976"], "2026-04-27").loc["976", "reason"] == "Abolition of Slavery"


def test_windows_shrunk_by_the_time_difference() -> None:
    w = day(["974", "971", "973"], "2026-11-27")  # a Friday, Paris on winter time (UTC+1)
    r = w.loc["974"]  # UTC+4: local 08:00 is 05:00 in Paris
    assert (hours(r["paris_start"]), hours(r["paris_end"])) == ("08:00+0100", "17:00+0100")
    assert (hours(r["local_start"]), hours(r["local_end"])) == ("11:00+0400", "20:00+0400")
    g = w.loc["971"]  # UTC-4: local 20:00 is 01:00 in Paris
    assert (hours(g["paris_start"]), hours(g["paris_end"])) == ("13:00+0100", "20:00+0100")
    assert (hours(g["local_start"]), hours(g["local_end"])) == ("08:00-0400", "15:00-0400")
    c = w.loc["973"]  # UTC-3
    assert (hours(c["local_start"]), hours(c["local_end"])) == ("08:00-0300", "16:00-0300")


def test_summer_time_change_weekends() -> None:
    # Paris moves to UTC+2 on Sunday 29 March 2026 and back on Sunday 25 October 2026;
    # La Reunion and Guadeloupe keep their offsets, so their windows move.
    w = send_windows(["75", "974", "971"], "2026-03-28", days=3).set_index(["department", "date"])
    sat, sun, mon = date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)
    assert hours(w.loc[("75", mon), "paris_start"]) == "08:00+0200"
    assert hours(w.loc[("974", sat), "paris_end"]) == "17:00+0100"
    assert hours(w.loc[("974", mon), "paris_end"]) == "18:00+0200"
    assert hours(w.loc[("974", mon), "local_start"]) == "10:00+0400"
    assert hours(w.loc[("971", sat), "local_end"]) == "15:00-0400"
    assert hours(w.loc[("971", mon), "local_end"]) == "14:00-0400"
    assert not w.loc[("75", sun), "open"]
    w = send_windows(["974", "971"], "2026-10-24", days=3).set_index(["department", "date"])
    assert hours(w.loc[("974", date(2026, 10, 24)), "paris_end"]) == "18:00+0200"
    assert hours(w.loc[("974", date(2026, 10, 26)), "paris_end"]) == "17:00+0100"
    assert hours(w.loc[("971", date(2026, 10, 24)), "local_end"]) == "14:00-0400"
    assert hours(w.loc[("971", date(2026, 10, 26)), "local_end"]) == "15:00-0400"
    # Real durations (not wall-clock differences) across the change.
    assert w.loc[("974", date(2026, 10, 26)), "paris_end"] - w.loc[
        ("974", date(2026, 10, 26)), "paris_start"
    ] == timedelta(hours=9)


def test_next_send_time_saturday_evening() -> None:
    inside = datetime(2026, 11, 28, 19, 59, tzinfo=PARIS)
    assert next_send_time("75", inside) is inside
    assert next_send_time("75", datetime(2026, 11, 28, 20, 0, tzinfo=PARIS)) == datetime(
        2026, 11, 30, 8, 0, tzinfo=PARIS
    )  # Sunday skipped


def test_next_send_time_friday_night_to_saturday_morning() -> None:
    friday = datetime(2026, 11, 27, 22, 30, tzinfo=PARIS)
    assert next_send_time("75", friday) == datetime(2026, 11, 28, 8, 0, tzinfo=PARIS)
    got = next_send_time("974", friday)  # Reunion: the platform opens at 11:00 local
    assert got == datetime(2026, 11, 28, 11, 0, tzinfo=REUNION)
    assert got.tzinfo == PARIS  # answered in after's zone
    got = next_send_time("971", friday)  # Guadeloupe: 08:00 local is 13:00 Paris
    assert got == datetime(2026, 11, 28, 8, 0, tzinfo=GUADELOUPE)


def test_next_send_time_skips_holidays_and_reads_naive_as_paris() -> None:
    assert next_send_time("75", datetime(2026, 7, 13, 20, 30)) == datetime(
        2026, 7, 15, 8, 0, tzinfo=PARIS
    )
    before_good_friday = datetime(2026, 4, 2, 21, 0, tzinfo=PARIS)
    assert next_send_time("75", before_good_friday) == datetime(2026, 4, 3, 8, tzinfo=PARIS)
    assert next_send_time("57", before_good_friday) == datetime(2026, 4, 4, 8, tzinfo=PARIS)
    utc = datetime(2026, 11, 28, 7, 30, tzinfo=UTC)  # 08:30 Paris: inside
    assert next_send_time("75", utc) is utc
    assert next_send_time("75", pd.Timestamp("2026-11-29 12:00", tz="Europe/Paris")) == datetime(
        2026, 11, 30, 8, tzinfo=PARIS
    )


@settings(max_examples=40, deadline=None)
@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    st.sampled_from(["75", "57", "971", "974", "976"]),
)
def test_next_send_time_lands_in_a_window(after: datetime, dep: str) -> None:
    after = after.replace(tzinfo=UTC)
    got = next_send_time(dep, after)
    assert got >= after and got - after < timedelta(days=5)
    assert next_send_time(dep, got) == got  # an allowed instant
    local = got.astimezone(
        ZoneInfo(
            {"971": "America/Guadeloupe", "974": "Indian/Reunion", "976": "Indian/Mayotte"}.get(
                dep, "Europe/Paris"
            )
        )
    )
    row = send_windows([dep], local.date(), days=1).iloc[0]
    assert row["open"] and row["paris_start"] <= got < row["paris_end"]


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: send_windows(["99"], "2026-11-23"), "departments"),
        (lambda: send_windows([75], "2026-11-23"), "departments"),
        (lambda: send_windows([], "2026-11-23"), "departments"),
        (lambda: send_windows(["75"], "23/11/2026"), "start"),
        (lambda: send_windows(["75"], "2026-11-23", days=0), "days"),
        (lambda: next_send_time("975", datetime(2026, 1, 5, 9, tzinfo=PARIS)), "department"),
    ],
)
def test_bad_input_names_the_field(call, field: str) -> None:
    with pytest.raises(ValueError, match=field) as err:
        call()
    if "department" in field:
        assert "2A" in str(err.value) and "974" in str(err.value)  # the allowed values


def test_codes_normalised() -> None:
    w = send_windows("2a", "2026-11-23", days=1)
    assert w["department"].tolist() == ["2A"]
    w = send_windows("75,57, 974", "2026-11-23", days=1)
    assert w["department"].tolist() == ["75", "57", "974"]
    with pytest.raises(TypeError, match="after"):
        next_send_time("75", date(2026, 11, 23))
