"""Human-written dates paired with their ISO 8601 form, from a generator.

A small translation task with real structure for encoder-decoder models:
`"the 25th of November 2026"`, `"11/25/26"`, `"wednesday november 25 2026"`
and a dozen other formats all map to `"2026-11-25"`. Each separator has one
reading, so every input has exactly one answer: a slash is US order
(month/day/year), a dot or a dash in front of the year is day-first, and a
two-digit year `yy` means 19yy when yy >= 50, else 20yy (years 1950 to 2049).
"""

import datetime

import numpy as np

from keras_seqlayers.checks import check_nonnegative_int

__all__ = ["DATE_FORMATS", "format_date", "generate_dates"]

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _ordinal(n):
    suffix = (
        "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    )
    return f"{n}{suffix}"


def _fields(d):
    month = _MONTHS[d.month - 1]
    return {
        "d": d.day,
        "dd": f"{d.day:02d}",
        "m": d.month,
        "mm": f"{d.month:02d}",
        "yyyy": d.year,
        "yy": f"{d.year % 100:02d}",
        "month": month,
        "mon": month[:3],
        "weekday": _DAYS[d.weekday()],
        "wkd": _DAYS[d.weekday()][:3],
        "nth": _ordinal(d.day),
    }


# str.format templates over the fields of `_fields`.
DATE_FORMATS = (
    "the {nth} of {month} {yyyy}",
    "{nth} {month} {yyyy}",
    "{month} {nth}, {yyyy}",
    "{m}/{d}/{yy}",
    "{mm}/{dd}/{yyyy}",
    "{m}/{d}/{yyyy}",
    "{mon} {d}, {yyyy}",
    "{mon} {d} {yyyy}",
    "{month} {d}, {yyyy}",
    "{dd}.{mm}.{yyyy}",
    "{d}.{m}.{yy}",
    "{dd}-{mm}-{yyyy}",
    "{d} {mon} {yyyy}",
    "{d} {month} {yyyy}",
    "{weekday} {month} {d} {yyyy}",
    "{weekday}, {d} {month} {yyyy}",
    "{wkd} {mon} {d} {yyyy}",
    "{yyyy}-{mm}-{dd}",
    "{yyyy}/{mm}/{dd}",
)

_CASINGS = (str.lower, str.lower, lambda s: s, str.upper)


def format_date(date, template, casing=None):
    """Writes `date` with one template of `DATE_FORMATS`.

    Args:
        date: a `datetime.date` between 1950-01-01 and 2049-12-31.
        template: a `str.format` template over the fields `d`, `dd`, `m`,
            `mm`, `yyyy`, `yy`, `month`, `mon`, `weekday`, `wkd`, `nth`.
        casing: a function applied to the result (e.g. `str.lower`), or None.

    Returns:
        The human-written date.
    """
    text = template.format(**_fields(date))
    return casing(text) if casing else text


def generate_dates(count, seed=None, start=datetime.date(1950, 1, 1), days=36524):
    """Random `(human-written date, ISO date)` pairs.

    Args:
        count: how many pairs.
        seed: seed of the NumPy generator (reproducible pairs), or None.
        start: the earliest date.
        days: dates are drawn uniformly from `start` to `start + days - 1`
            (default: 1950-01-01 to 2049-12-31, where two-digit years have
            one reading).

    Returns:
        A list of `(source, target)` string pairs, e.g.
        `("Nov 25, 2026", "2026-11-25")`. Formats are drawn uniformly from
        `DATE_FORMATS`; casing is lower, as written, or upper.

    Example:

    >>> pairs = generate_dates(3, seed=0)
    >>> [len(target) for _, target in pairs]
    [10, 10, 10]
    >>> format_date(datetime.date(2026, 11, 25), "the {nth} of {month} {yyyy}")
    'the 25th of November 2026'
    """
    count = check_nonnegative_int("count", count)
    end = start + datetime.timedelta(days=days - 1)
    if start.year < 1950 or end.year > 2049:
        raise ValueError(
            "two-digit years are read as 1950-2049, so dates must lie in that "
            f"range; received start={start}, days={days} (last date {end})."
        )
    rng = np.random.default_rng(seed)
    offsets = rng.integers(0, days, count)
    templates = rng.integers(0, len(DATE_FORMATS), count)
    casings = rng.integers(0, len(_CASINGS), count)
    pairs = []
    for offset, template, casing in zip(offsets, templates, casings, strict=True):
        date = start + datetime.timedelta(days=int(offset))
        source = format_date(date, DATE_FORMATS[template], _CASINGS[casing])
        pairs.append((source, date.isoformat()))
    return pairs
