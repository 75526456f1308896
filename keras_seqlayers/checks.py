"""Argument checks shared by the whole package.

Each raises a `TypeError` (wrong type) or `ValueError` (right type, value not
allowed) whose message names the argument, the value received and what is
allowed; none coerces a bad value into a good one.
"""

import math

import numpy as np


def is_integer(value):
    """Whether `value` is a Python or NumPy integer (bools are not, here)."""
    return isinstance(value, (int, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


def is_number(value):
    """Whether `value` is a Python or NumPy int or float (bools are not)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not (
        isinstance(value, (bool, np.bool_))
    )


def is_real_dtype(dtype):
    """Whether a NumPy dtype holds integers or floats (not bools, complex)."""
    return np.issubdtype(dtype, np.integer) or np.issubdtype(dtype, np.floating)


def check_bool(argument, value, allow_none=False):
    """`value` if it is a bool (numpy bools included, returned as `bool`).

    With `allow_none=True`, `None` is also allowed (and returned).
    """
    if allow_none and value is None:
        return None
    if not isinstance(value, (bool, np.bool_)):
        allowed = "True, False or None" if allow_none else "True or False"
        raise TypeError(
            f"`{argument}` must be {allowed}; received {argument}={value!r}."
        )
    return bool(value)


def check_choice(argument, value, allowed):
    """`value` if it is one of the strings (or `None`) in `allowed`.

    Raises:
        ValueError: `value` is not one of `allowed`.
    """
    allowed = tuple(allowed)
    if not (value is None or isinstance(value, str)) or value not in allowed:
        raise ValueError(
            f"`{argument}` must be one of {allowed}; received {argument}={value!r}."
        )
    return value


def check_positive_int(argument, value, minimum=1, allow_none=False):
    """`value` as an `int` if it is an integer (numpy ones included) >= `minimum`.

    `minimum` is at least 1 (`check_nonnegative_int` allows 0). With
    `allow_none=True`, `None` is also allowed (and returned).

    Raises:
        TypeError: `value` is not an integer (bools are not integers here).
        ValueError: `value` is below `minimum`.
    """
    assert minimum >= 1, "a positive integer is at least 1"
    return _check_int(argument, value, minimum, allow_none)


def check_nonnegative_int(argument, value, allow_none=False):
    """`value` as an `int` if it is an integer (numpy ones included) >= 0.

    With `allow_none=True`, `None` is also allowed (and returned).

    Raises:
        TypeError: `value` is not an integer (bools are not integers here).
        ValueError: `value` is negative.
    """
    return _check_int(argument, value, 0, allow_none)


def _check_int(argument, value, minimum, allow_none):
    if allow_none and value is None:
        return None
    allowed = f"an integer >= {minimum}{' or None' if allow_none else ''}"
    if not is_integer(value):
        raise TypeError(
            f"`{argument}` must be {allowed}; received {argument}={value!r}."
        )
    if value < minimum:
        raise ValueError(
            f"`{argument}` must be {allowed}; received {argument}={value!r}."
        )
    return int(value)


def check_rate(argument, value):
    """`value` as a `float` if it is a number in [0, 1) (a dropout rate).

    Raises:
        TypeError: `value` is not an int or float (bools excluded).
        ValueError: `value` is outside [0, 1).
    """
    if not is_number(value):
        raise TypeError(
            f"`{argument}` must be a float in [0, 1); received {argument}={value!r}."
        )
    if not 0.0 <= value < 1.0:
        raise ValueError(
            f"`{argument}` must be a float in [0, 1); received {argument}={value!r}."
        )
    return float(value)


def check_number(argument, value, minimum=0.0, inclusive=True, allow_none=False):
    """`value` as a `float` if it is a finite number >= `minimum`.

    With `inclusive=False` the number must be > `minimum`; with
    `allow_none=True`, `None` is also allowed (and returned).

    Raises:
        TypeError: `value` is not an int or float (numpy ones included,
            bools excluded).
        ValueError: `value` is NaN, infinite or below (or, not `inclusive`,
            equal to) `minimum`.
    """
    if allow_none and value is None:
        return None
    allowed = f"a finite number {'>=' if inclusive else '>'} {minimum:g}"
    if allow_none:
        allowed += " or None"
    if not is_number(value):
        raise TypeError(
            f"`{argument}` must be {allowed}; received {argument}={value!r}."
        )
    try:
        number = float(value)
    except OverflowError:  # a Python int beyond float's range
        number = math.inf
    if (
        not math.isfinite(number)
        or number < minimum
        or (not inclusive and number == minimum)
    ):
        raise ValueError(
            f"`{argument}` must be {allowed}; received {argument}={value!r}."
        )
    return number


def check_seed(seed):
    """`seed` as an `int`, or None; raises TypeError for anything else."""
    if seed is None:
        return None
    if not is_integer(seed):
        raise TypeError(f"`seed` must be an integer or None; received seed={seed!r}.")
    return int(seed)
