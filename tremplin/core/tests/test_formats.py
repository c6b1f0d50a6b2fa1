"""Dates and times read day first in every staff language (decision 0021)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.formats import date_format

MOMENT = dt.datetime(2026, 12, 3, 14, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("en", "3 Dec 2026, 14:05", "3 December 2026, 14:05"),
        ("fr", "03/12/2026 14:05", "3 décembre 2026 14:05"),
        ("ar", "03\u200f/12\u200f/2026 14:05", "3 ديسمبر، 2026، 14:05"),
    ],
)
def test_a_date_and_time_read_day_first(language: str, short: str, long: str) -> None:
    with translation.override(language):
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == short
        assert date_format(MOMENT, "DATETIME_FORMAT") == long
