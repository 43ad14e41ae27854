"""Partial dates and date ranges: the one home of every date rule.

A note's `date` (and a source's `published`) is one of:

- a day `2020-02-21`, a month `2020-02` or a year `2020`;
- a range a source gives, as an ISO 8601 interval of two of those:
  `2019-12/2020-03-01` ("between December 2019 and 1 March 2020");
- an open range, when a source gives only one end: `2022-05/..` ("May 2022
  or later", a page seen then but not dated) or `../2020-03-01` ("by 1 March
  2020").

One rule places every date: it covers the days from its first possible day
to its last (`2020-02` covers 1 to 29 February 2020). The timeline sorts a
date by its first day; a range by its last day, since a range is what a
source can vouch for ("by 1 March 2020") and sorting it by the earliest day
would put it before things that came first. Search filters match a date
whose days overlap the asked range.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

Precision = Literal["year", "month", "day", "range"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")

_PART_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A year, a month or a day; a missing month or day is 0."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def precision(self) -> Precision:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        """'2020', '2020-02' or '2020-02-21'."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day:
            return self.first_day
        month = self.month or 12
        if month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, month + 1, 1) - dt.timedelta(days=1)

    def label(self) -> str:
        """'21 February 2020', 'February 2020' or '2020'."""
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)


@dataclass(frozen=True)
class DateSpan:
    """A note's date: one partial date, or a range between two (either end may be open)."""

    start: PartialDate | None
    end: PartialDate | None

    @property
    def is_range(self) -> bool:
        return self.start != self.end

    @property
    def precision(self) -> Precision:
        return "range" if self.is_range or self.start is None else self.start.precision

    @property
    def iso(self) -> str:
        """As written in a note: '2020-02', '2019-12/2020-03-01' or '2022-05/..'."""
        if not self.is_range and self.start is not None:
            return self.start.iso
        return f"{self.start.iso if self.start else '..'}/{self.end.iso if self.end else '..'}"

    @property
    def first_day(self) -> dt.date:
        return self.start.first_day if self.start else dt.date.min

    @property
    def last_day(self) -> dt.date:
        return self.end.last_day if self.end else dt.date.max

    def day_numbers(self) -> tuple[int, int]:
        """First and last day as yyyymmdd numbers (for the search index)."""
        return _number(self.first_day), _number(self.last_day)

    def sort_key(self) -> tuple[dt.date, int]:
        """Where the timeline places it: a date by its first day, a range by its last
        (an open range by the end it has)."""
        if self.start is None or self.end is None:
            return (self.last_day if self.end else self.first_day), 3
        if self.is_range:
            return self.last_day, 3
        return self.first_day, {"year": 0, "month": 1, "day": 2}[self.start.precision]

    def label(self) -> str:
        """'21 February 2020', 'between December 2019 and 1 March 2020', 'May 2022 or later'."""
        if self.start is None and self.end is not None:
            return f"by {self.end.label()}"
        if self.end is None and self.start is not None:
            return f"{self.start.label()} or later"
        if self.is_range and self.start and self.end:
            return f"between {self.start.label()} and {self.end.label()}"
        return self.start.label() if self.start else ""


def parse_partial(text: str) -> PartialDate | None:
    """A PartialDate from '2020', '2020-02' or '2020-02-21' (one-digit parts allowed)."""
    match = _PART_RE.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = (int(p) if p else 0 for p in match.groups())
    if year < 1 or month > 12 or (day and not month):
        return None
    if day:
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
    return PartialDate(year, month, day)


def parse(value: Any) -> DateSpan | None:
    """A DateSpan from a front-matter value or text, or None if it is no date.

    Accepts what YAML gives (a date, a datetime, a year as an int) and text:
    a partial date, an ISO date-time (the time is dropped) or `start/end`.
    A range whose end comes before its start is no date.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = PartialDate(value.year, value.month, value.day)
        return DateSpan(day, day)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        year = PartialDate(value)
        return DateSpan(year, year)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if "/" in text:
        start_text, _, end_text = (part.strip() for part in text.partition("/"))
        start = None if start_text == ".." else parse_partial(start_text)
        end = None if end_text == ".." else parse_partial(end_text)
        if (start is None and start_text != "..") or (end is None and end_text != ".."):
            return None
        if start is None and end is None:
            return None
        if start is not None and end is not None and end.last_day < start.first_day:
            return None
        return DateSpan(start, end)
    if len(text) > 10 and text[10] in "T ":
        text = text[:10]
    single = parse_partial(text) if len(text) <= 10 else None
    return DateSpan(single, single) if single else None


def normalise(value: Any) -> str | None:
    """The date as a note writes it ('2020-02-21', '2019-12/2020-03-01'), or None."""
    span = parse(value)
    return span.iso if span else None


def format_date(value: Any) -> str:
    """A date for people ('21 February 2020'); text that is no date is kept as it is."""
    span = parse(value)
    if span is None:
        return str(value or "").strip()
    label = span.label()
    return label[0].upper() + label[1:]


def day_numbers(value: Any) -> tuple[int, int] | None:
    """First and last day a date covers, as yyyymmdd numbers, or None."""
    span = parse(value)
    return span.day_numbers() if span else None


def parse_query_range(text: str) -> tuple[int | None, int | None] | None:
    """A search filter's dates: `2020-02`, `2020-01..2020-03`, `2020..` or `..2020-03`.

    Returns (first day, last day) as yyyymmdd numbers, either end open (None);
    a range written backwards is read forwards.
    """
    if ".." not in text:
        return day_numbers(text)
    low_text, _, high_text = (part.strip() for part in text.partition(".."))
    low = day_numbers(low_text) if low_text else None
    high = day_numbers(high_text) if high_text else None
    if (low_text and low is None) or (high_text and high is None) or (low is None and high is None):
        return None
    if low and high and high[1] < low[0]:
        low, high = high, low
    return (low[0] if low else None, high[1] if high else None)


def _number(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day
