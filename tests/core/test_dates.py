"""Partial dates and ranges: one parser, one formatter, one set of bounds."""

from __future__ import annotations

import datetime as dt

import pytest

from viewer.core import dates
from viewer.core.dates import day_numbers, format_date, normalise, parse, parse_query_range


@pytest.mark.parametrize(("value", "written"), [
    ("2019-12", "2019-12"),
    (2020, "2020"),
    ("2020-2-3", "2020-02-03"),
    ("2020-02-21T10:00:00", "2020-02-21"),
    (dt.date(2020, 3, 1), "2020-03-01"),
    (dt.datetime(2020, 3, 1, 9, 30), "2020-03-01"),
    ("2019-12/2020-03-01", "2019-12/2020-03-01"),
    (" 2020 / 2021-06 ", "2020/2021-06"),
    ("2020-13", None), ("2020-02-30", None), ("last week", None), (True, None),
    ("2020-03/2019-12", None),  # ends before it starts
    ("2020/", None), ("/2020", None), ("2020-02-21T10:00/2021", None),
])
def test_normalise(value, written):
    assert normalise(value) == written


@pytest.mark.parametrize(("value", "shown"), [
    ("2020-02-21", "21 February 2020"),
    ("2020-02-01", "1 February 2020"),
    ("2020-02", "February 2020"),
    ("2020", "2020"),
    ("2019-12/2020-03-01", "Between December 2019 and 1 March 2020"),
    ("early 2020", "early 2020"),
    (None, ""),
])
def test_format_date(value, shown):
    assert format_date(value) == shown


@pytest.mark.parametrize(("text", "bounds"), [
    ("2020", (20200101, 20201231)),
    ("2020-02", (20200201, 20200229)),  # a leap year's February
    ("2021-02", (20210201, 20210228)),
    ("2020-02-21", (20200221, 20200221)),
    ("2019-12/2020-03-01", (20191201, 20200301)),
    ("2020-13", None), ("20", None), ("2020-02-40", None), ("soon", None),
])
def test_day_numbers(text, bounds):
    assert day_numbers(text) == bounds


def test_query_ranges():
    assert parse_query_range("2020-01..2020-03") == (20200101, 20200331)
    assert parse_query_range("2020..") == (20200101, None)
    assert parse_query_range("..2020-03") == (None, 20200331)
    assert parse_query_range("2020-03..2020-01") == (20200101, 20200331)
    assert parse_query_range("..") is None and parse_query_range("x..2020") is None


def test_one_placing_rule_partial_dates_first_day_ranges_last_day():
    order = ["2019-12", "2020", "2020-01", "2020-02", "2020-02-01", "2020-03-01",
             "2019-12/2020-03-01", "2020-03-02"]
    spans = [parse(text) for text in reversed(order)]
    assert [s.iso for s in sorted(spans, key=lambda s: s.sort_key())] == order


def test_precision_names():
    assert [parse(t).precision for t in ("2020", "2020-02", "2020-02-21", "2020/2021")] == \
        ["year", "month", "day", "range"]
    assert dates.MONTHS[0] == "January"
