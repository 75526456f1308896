import datetime

import numpy as np
import pytest

from keras_seqlayers.datasets.dates import DATE_FORMATS, format_date, generate_dates


def test_formats_from_the_issue():
    date = datetime.date(2026, 11, 25)  # a Wednesday
    assert format_date(date, "the {nth} of {month} {yyyy}") == (
        "the 25th of November 2026"
    )
    assert format_date(date, "{m}/{d}/{yy}") == "11/25/26"
    assert format_date(date, "{mon} {d}, {yyyy}") == "Nov 25, 2026"
    assert format_date(date, "{dd}.{mm}.{yyyy}") == "25.11.2026"
    assert format_date(date, "{weekday} {month} {d} {yyyy}", str.lower) == (
        "wednesday november 25 2026"
    )


@pytest.mark.parametrize(
    ("day", "ordinal"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (31, "31st"),
    ],
)
def test_ordinals(day, ordinal):
    assert format_date(datetime.date(2001, 1, day), "{nth}") == ordinal


def test_targets_are_the_iso_dates_of_the_sources():
    pairs = generate_dates(400, seed=3)
    assert pairs == generate_dates(400, seed=3)
    for source, target in pairs:
        date = datetime.date.fromisoformat(target)
        assert 1950 <= date.year <= 2049
        # The source is one of the formats of that very date.
        assert source.lower() in {
            format_date(date, template).lower() for template in DATE_FORMATS
        }


def test_bad_arguments():
    with pytest.raises(ValueError, match="`count` must be an integer >= 0"):
        generate_dates(-1)
    with pytest.raises(TypeError, match=r"received count=2\.0"):
        generate_dates(2.0)
    assert generate_dates(np.int64(2), seed=0) == generate_dates(2, seed=0)
    with pytest.raises(ValueError, match="two-digit years are read as 1950-2049"):
        generate_dates(3, start=datetime.date(1940, 1, 1))
