"""Argument checks shared by the whole package.

Each raises a `TypeError` (wrong type) or `ValueError` (right type, value not
allowed) whose message names the argument, the value received and what is
allowed; none coerces a bad value into a good one.
"""

import numpy as np


def check_bool(argument, value):
    """`value` if it is a bool (numpy bools included, returned as `bool`)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"`{argument}` must be True or False; received {argument}={value!r}."
        )
    return bool(value)
